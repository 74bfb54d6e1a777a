"""Inline object and enum schemas get auto-generated names that differ between generators and can
collide with component names (openapi-python-client then drops whole models). Every inline schema
with `properties` or an `enum` is moved to `components/schemas` under a name taken from its `title`,
else from where it stands (`{operationId}Request`, `{Parent}{Property}`, `{Parent}Item`), made unique,
and replaced by a `$ref`. The worklist walks parents before children, so names nest predictably.

Bundlers refer to schemas where they first stood (`#/paths/~1pets/get/responses/200/content/
application~1json/schema`), and so may anyone to a part of a schema (`.../properties/owner`). Every
`$ref` whose target was moved, or stood inside a moved schema, follows it to `#/components/schemas/`.
A `$ref` to a schema left under `#/paths` (an array, a string: nothing to name) is replaced by a copy
of it, so no schema refers into `#/paths` afterwards; one that refers back to itself there cannot be
copied and is refused. References to parameters and responses under `#/paths` stay as they are:
what they name does not move."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from generator import names
from generator.diagnostics import GeneratorFailure
from generator.document import pointer as jp
from generator.document.loading import Document, plain, to_yaml_node
from generator.document.references import iter_refs
from generator.document.walking import (
    COMPONENT_SCHEMA_PREFIX,
    iter_operations,
    iter_root_schemas,
    iter_schemas,
    target_pointer,
)
from generator.names import CLASS_NAMES
from generator.normalise.changes import RuleLog

ID = "hoist-inline-schemas"
PATHS_PREFIX = "#/paths/"


def pascal(text: str) -> str:
    """`releasePipelineKey` -> `ReleasePipelineKey`, `_links` -> `Links`, `phase-id` -> `PhaseId`; never a
    name the package uses itself (`Client` -> `ClientModel`)."""
    return names.pascal(text, reserved=CLASS_NAMES)


def _hoistable(schema: Any) -> bool:
    return isinstance(schema, dict) and "$ref" not in schema and (bool(schema.get("properties")) or "enum" in schema)


def _context_names(root: Any) -> dict[str, str]:
    """A base name for each non-component schema root, from the operation it belongs to."""
    names: dict[str, str] = {}
    for at, _path, _method, op in iter_operations(root):
        base = pascal(str(op.get("operationId", "")))
        for media in (op.get("requestBody") or {}).get("content") or {}:
            names[jp.join(at, "requestBody", "content", str(media), "schema")] = base + "Request"
        for code, response in (op.get("responses") or {}).items():
            status = re.sub(r"[^A-Za-z0-9]", "", str(code)).title()  # 404, 4Xx, Default
            suffix = "Response" if str(code).startswith("2") else f"Response{status}"
            for media in (response or {}).get("content") or {}:
                names[jp.join(at, "responses", str(code), "content", str(media), "schema")] = base + suffix
        for index, param in enumerate(op.get("parameters") or []):
            if isinstance(param, dict) and "name" in param:
                names[jp.join(at, "parameters", index, "schema")] = base + pascal(str(param["name"]))
    return names


def _child_name(parent: str, key: str, token: str) -> str:
    if key in ("properties", "patternProperties"):
        return parent + pascal(token)
    if key == "items":
        return parent + "Item"
    if key == "additionalProperties":
        return parent + "Value"
    if key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        return f"{parent}Option{int(token) + 1}"
    return parent + pascal(key)


class _Hoister:
    def __init__(self, doc: Document, log: RuleLog) -> None:
        self.root = doc.root
        self.log = log
        self.taken = {str(name).lower() for name in (self.root.get("components") or {}).get("schemas") or {}}
        self.moves: dict[str, str] = {}  # where a hoisted schema stood -> its place in components/schemas

    @property
    def schemas(self) -> Any:
        """`components/schemas`, created the first time a schema is hoisted into it."""
        components = self.root.setdefault("components", to_yaml_node({}))
        return components.setdefault("schemas", to_yaml_node({}))

    def unique(self, wanted: str) -> str:
        name, n = wanted, 2
        while name.lower() in self.taken:
            name, n = f"{wanted}{n}", n + 1
        self.taken.add(name.lower())
        return name

    def hoist(self, container: Any, key: Any, at: str, wanted: str) -> str:
        schema = container[key]
        title = schema.get("title")
        name = self.unique(pascal(str(title)) if isinstance(title, str) and title.strip() else wanted)
        self.schemas[name] = schema
        container[key] = to_yaml_node({"$ref": COMPONENT_SCHEMA_PREFIX + name})
        self.log.record(at, schema, container[key])
        self.moves[at] = jp.join("/components/schemas", name)
        return name

    def moved(self, pointer: str) -> str:
        """Where what stood at `pointer` stands now: inside a hoisted schema too, through nested hoists."""
        for _ in range(len(self.moves) + 1):
            tokens = jp.split(pointer)
            prefixes = (end for end in range(len(tokens), 0, -1) if jp.join("", *tokens[:end]) in self.moves)
            end = next(prefixes, None)
            if end is None:
                break
            pointer = jp.join(self.moves[jp.join("", *tokens[:end])], *tokens[end:])
        return pointer

    def children(self, schema: dict[str, Any], at: str, parent: str) -> None:
        """Hoist the hoistable children of `schema` (recursing through the ones left inline)."""
        for key in ("properties", "patternProperties"):
            for token in list(schema.get(key) or {}):
                self.visit(schema[key], token, jp.join(at, key, str(token)), _child_name(parent, key, str(token)))
        for key in ("items", "additionalProperties", "not"):
            if isinstance(schema.get(key), dict):
                self.visit(schema, key, jp.join(at, key), _child_name(parent, key, key))
        for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
            for index in range(len(schema.get(key) or [])):
                self.visit(schema[key], index, jp.join(at, key, index), _child_name(parent, key, str(index)))

    def visit(self, container: Any, key: Any, at: str, wanted: str) -> None:
        sub = container[key]
        if _hoistable(sub):
            name = self.hoist(container, key, at, wanted)
            self.children(self.schemas[name], jp.join("/components/schemas", name), name)
        elif isinstance(sub, dict):
            self.children(sub, at, wanted)


def apply(doc: Document, log: RuleLog) -> None:
    hoister = _Hoister(doc, log)
    context = _context_names(doc.root)
    for at, _schema in list(iter_root_schemas(doc.root)):
        tokens = jp.split(at)
        container = jp.resolve(doc.root, jp.join("", *tokens[:-1]) if len(tokens) > 1 else "")
        if at.startswith("/components/schemas/"):
            name = tokens[-1]
            hoister.children(container[name], at, name)
        else:
            hoister.visit(
                container, tokens[-1], at, context.get(at, pascal(tokens[-2]) if len(tokens) > 1 else "Schema")
            )
    _follow_moves(doc, hoister, log)
    _copy_path_schemas(doc, log)


def _follow_moves(doc: Document, hoister: _Hoister, log: RuleLog) -> None:
    """Point every `$ref` whose target was moved at its new place."""
    for at, ref in list(iter_refs(doc.root)):
        if not ref.startswith("#/"):
            continue
        moved = hoister.moved(target_pointer(ref))
        if moved != target_pointer(ref):
            node = jp.resolve(doc.root, at)
            node["$ref"] = "#" + quote(moved, safe="/~!$&'()*+,;=:@")
            log.record(jp.join(at, "$ref"), ref, node["$ref"])


def _refs_to_path_schemas(root: Any, node: Any) -> list[tuple[str, str]]:
    """The `$ref`s in `node` that lead to a schema under `#/paths`."""
    into_paths = [(at, ref) for at, ref in iter_refs(node) if ref.startswith(PATHS_PREFIX)]
    places = {at for at, _ in iter_schemas(root)} if into_paths else set()
    return [(at, ref) for at, ref in into_paths if target_pointer(ref) in places]


def _copy_path_schemas(doc: Document, log: RuleLog) -> None:
    """Replace each `$ref` to a schema left under `#/paths` by a copy of it (its own siblings kept),
    copying what it refers to first; what is left refers back to itself and is refused."""
    while pending := _refs_to_path_schemas(doc.root, doc.root):
        copied = 0
        for at, ref in pending:
            target = jp.resolve(doc.root, target_pointer(ref))
            if _refs_to_path_schemas(doc.root, target):
                continue  # copied once what it refers to is, or never (it refers back to itself)
            node = jp.resolve(doc.root, at)
            before = plain(node)
            copy = to_yaml_node({**plain(target), **{k: v for k, v in before.items() if k != "$ref"}})
            node.clear()
            node.update(copy)
            node.fa.set_block_style()  # like every inserted part
            log.record(at, before, node)
            copied += 1
        if not copied:
            raise GeneratorFailure(
                [
                    doc.diagnostic(
                        jp.join(at, "$ref"),
                        f"`$ref: {ref}` leads to a schema under #/paths that refers back to itself: a copy "
                        "would never end, and only a named schema can contain itself",
                        "move that schema to `components/schemas` and refer to it there",
                        rule=ID,
                    )
                    for at, ref in pending
                ]
            )
