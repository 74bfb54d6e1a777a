"""Component schema names become model class names, so each must be one that datamodel-code-generator
keeps as it is: `My Pet` -> `MyPet`, `1st` -> `Schema1st`, `../x` -> `X`, and a name the package or
its models use themselves gets a suffix (`Client` -> `ClientModel`). References follow the rename;
component names never reach the wire. Names that differ only in punctuation spell it
(`_metadata` beside `metadata` -> `UnderscoreMetadata`, `names.pascal_scope`); two schemas that
would still become one class (`Pet` and `pet`) are an error naming both: any rename would be a guess."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from ruamel.yaml.comments import CommentedMap

from generator.diagnostics import GeneratorFailure
from generator.document import pointer as jp
from generator.document.loading import Document
from generator.document.walking import COMPONENT_SCHEMA_PREFIX
from generator.names import CLASS_NAMES, pascal_scope
from generator.normalise.changes import RuleLog

ID = "schema-names"


def apply(doc: Document, log: RuleLog) -> None:
    schemas: CommentedMap = (doc.root.get("components") or {}).get("schemas") or CommentedMap()
    owners: dict[str, str] = {}
    renames: dict[str, str] = {}
    problems = []
    chosen = pascal_scope({str(name): str(name) for name in schemas}, reserved=CLASS_NAMES)
    for name in list(schemas):
        wanted = chosen[str(name)]
        if wanted in owners:
            first = jp.join("/components/schemas", owners[wanted])
            problems.append(
                doc.diagnostic(
                    jp.join("/components/schemas", str(name)),
                    f"schemas {owners[wanted]!r} ({doc.where(first)}) and {name!r} would both be the model class "
                    f"{wanted!r}",
                    "rename one of them (component names are not sent on the wire)",
                    rule=ID,
                )
            )
        owners[wanted] = str(name)
        if wanted != name:
            renames[str(name)] = wanted
    if problems:
        raise GeneratorFailure(problems)
    for position, name in enumerate(list(schemas)):
        if str(name) in renames:
            schemas.insert(position, renames[str(name)], schemas.pop(name))
            log.record(jp.join("/components/schemas", str(name)), str(name), renames[str(name)])
    if renames:
        _follow(doc.root, renames)


def _follow(root: Any, renames: dict[str, str]) -> None:
    """Point every reference (and discriminator mapping) at the renamed schemas."""
    for _, node in jp.walk(root):
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("$ref"), str):
            node["$ref"] = _renamed(node["$ref"], renames)
        mapping = node.get("mapping") if isinstance(node.get("propertyName"), str) else None
        if isinstance(mapping, dict):
            for key, value in mapping.items():
                if isinstance(value, str):
                    mapping[key] = renames.get(value) or _renamed(value, renames)


def _renamed(ref: str, renames: dict[str, str]) -> str:
    if not ref.startswith(COMPONENT_SCHEMA_PREFIX):
        return ref
    name, slash, rest = ref[len(COMPONENT_SCHEMA_PREFIX) :].partition("/")
    new = renames.get(jp.unescape(unquote(name)))
    return COMPONENT_SCHEMA_PREFIX + new + slash + rest if new else ref
