"""Taking a part of a description: the operations a maintainer names by tag or operationId, and
exactly what they reach (schemas, parameters, responses, bodies, headers, examples, security schemes,
tags); everything else is removed, each removal recorded. Operations are taken from the description
as published, before its fixes (so tags and operationIds are the published ones); what they reach is
settled after the fixes.

Kept: an operation with a tag of `include_tags` or an id of `include_operations` (every operation when
both are empty) and no tag of `exclude_tags`."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.document import pointer as jp
from generator.document.loading import Document
from generator.document.walking import HTTP_METHODS, iter_operations, resolve_ref, target_pointer
from generator.normalise.changes import RuleLog

RULE = "select"


@dataclass(frozen=True)
class Selection:
    include_tags: tuple[str, ...] = ()
    exclude_tags: tuple[str, ...] = ()
    include_operations: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.include_tags or self.exclude_tags or self.include_operations)

    def __str__(self) -> str:
        """The canonical form recorded in the provenance stamp (order and repeats do not matter)."""
        parts = [("include-tag", self.include_tags), ("exclude-tag", self.exclude_tags)]
        parts.append(("include-operation", self.include_operations))
        return "; ".join(f"{flag}={','.join(sorted(set(values)))}" for flag, values in parts if values)

    def keeps(self, operation: dict[str, Any]) -> bool:
        tags = {str(tag) for tag in operation.get("tags") or []}
        if tags & set(self.exclude_tags):
            return False
        if not (self.include_tags or self.include_operations):
            return True
        return bool(tags & set(self.include_tags)) or str(operation.get("operationId")) in self.include_operations


def keep_operations(doc: Document, selection: Selection, log: RuleLog) -> None:
    """Remove from `doc` every operation `selection` leaves out (and path items left empty)."""
    if not isinstance(doc.root.get("paths"), dict):
        return  # not a description yet: the shape check says so, after the fixes
    operations = list(iter_operations(doc.root))
    _check_names(doc, selection, operations)
    if not any(selection.keeps(op) for *_, op in operations):
        raise GeneratorFailure([Diagnostic("the selection keeps no operation", _SELECT_HINT, str(doc.path), rule=RULE)])
    paths = doc.root["paths"]
    for path in list(paths):
        item = paths[path]
        if not isinstance(item, dict) or "$ref" in item:
            continue  # a path item shared through `$ref` is kept whole
        for method in [m for m in item if m in HTTP_METHODS and isinstance(item[m], dict)]:
            if not selection.keeps(item[method]):
                _remove(item, method, jp.join("/paths", str(path), method), _name(item[method]), log)
        if not any(m in item for m in HTTP_METHODS):
            _remove(paths, path, jp.join("/paths", str(path)), str(path), log)
    doc.edited()


def drop_unreached(doc: Document, log: RuleLog) -> None:
    """Remove every component and tag that no kept operation reaches. Run after the fixes, which may
    refer to components the description as published did not."""
    _remove_unreached(doc, log)
    kept_tags = {str(tag) for *_, op in iter_operations(doc.root) for tag in op.get("tags") or []}
    _remove_unused_tags(doc, kept_tags, log)
    doc.edited()


_SELECT_HINT = "name tags and operationIds the description has (see its `tags`, and each operation's tags)"


def _check_names(doc: Document, selection: Selection, operations: list[tuple[str, str, str, Any]]) -> None:
    """Every tag and operationId named must be in the description: a typo would quietly select less."""
    tags = sorted({str(tag) for *_, op in operations for tag in op.get("tags") or []})
    ids = sorted({str(op["operationId"]) for *_, op in operations if "operationId" in op})
    problems = []
    for flag, names, known in (
        ("--include-tag", selection.include_tags, tags),
        ("--exclude-tag", selection.exclude_tags, tags),
        ("--include-operation", selection.include_operations, ids),
    ):
        for name in names:
            if name not in known:
                close = difflib.get_close_matches(name, known, n=3)
                hint = f"did you mean {', '.join(map(repr, close))}?" if close else f"the description has {_few(known)}"
                problems.append(Diagnostic(f"{flag} {name!r}: no operation has it", hint, str(doc.path), rule=RULE))
    if problems:
        raise GeneratorFailure(problems)


def _few(names: list[str]) -> str:
    if not names:
        return "none"
    shown = ", ".join(map(repr, names[:12]))
    return shown + (f" and {len(names) - 12} more" if len(names) > 12 else "")


def _name(operation: Any) -> str:
    return str(operation.get("operationId") or "an operation without operationId")


def _remove(parent: Any, key: Any, at: str, what: str, log: RuleLog) -> None:
    del parent[key]
    log.record(at, what, None)


def _remove_unreached(doc: Document, log: RuleLog) -> None:
    """Delete every component that nothing kept refers to, directly or through other components."""
    root = doc.root
    reached: set[str] = set()
    todo = [node for key, node in root.items() if key != "components"]
    for scheme in _security_schemes_used(root):
        todo.append({"$ref": "#" + jp.join("/components/securitySchemes", scheme)})
    while todo:
        node = todo.pop()
        for pointer in _references(node):
            if pointer not in reached:
                reached.add(pointer)
                target = jp.resolve(root, pointer, None)
                if target is not None:
                    todo.append(target)
    needed = {jp.join("", *tokens[:3]) for tokens in map(jp.split, reached) if tokens[:1] == ["components"]}
    components = root.get("components") or {}
    for kind in list(components):
        group = components[kind]
        if not isinstance(group, dict):
            continue
        for name in list(group):
            at = jp.join("/components", str(kind), str(name))
            if at not in needed:
                _remove(group, name, at, f"{kind}: {name}", log)
        if not group:
            del components[kind]
    if "components" in root and not components:
        del root["components"]


def _references(node: Any) -> list[str]:
    """The pointers `node` refers to: its `$ref`s and discriminator mappings (by reference or by name)."""
    found = []
    for _, value in jp.walk(node):
        if not isinstance(value, dict):
            continue
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            found.append(target_pointer(ref))
        discriminator = value.get("discriminator")
        mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
        for target in (mapping if isinstance(mapping, dict) else {}).values():
            target = str(target)
            found.append(target_pointer(target) if target.startswith("#") else jp.join("/components/schemas", target))
    return found


def _security_schemes_used(root: Any) -> set[str]:
    used: set[str] = set()
    requirements = list(root.get("security") or [])
    for *_, op in iter_operations(root):
        requirements += list(op.get("security") or [])
    for requirement in requirements:
        if isinstance(requirement, dict):
            used.update(str(name) for name in requirement)
    return used


def _remove_unused_tags(doc: Document, kept: set[str], log: RuleLog) -> None:
    tags = doc.root.get("tags")
    if not isinstance(tags, list):
        return
    for index in reversed(range(len(tags))):
        tag = resolve_ref(doc.root, tags[index])
        if isinstance(tag, dict) and str(tag.get("name")) not in kept:
            _remove(tags, index, jp.join("/tags", index), f"tag: {tag.get('name')}", log)
