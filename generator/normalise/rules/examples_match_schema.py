"""Examples must be valid instances of their schema. Published descriptions often quote numbers
(`_creationDate: "1684262711507"` for an int64 epoch-millisecond field), which misleads readers and
breaks example-driven tools. A string of digits standing where the schema says integer (or number)
becomes that number; nothing else is touched."""

from __future__ import annotations

import re
from typing import Any

from generator.document import pointer as jp
from generator.document.loading import Document
from generator.document.walking import iter_examples, resolve_ref
from generator.normalise.changes import RuleLog

ID = "examples-match-schema"
INTEGER = re.compile(r"-?[0-9]+")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def _types(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {str(t) for t in declared}
    return set()


def _string_branch(root: Any, schema: dict[str, Any]) -> bool:
    """Whether an `anyOf`/`oneOf` branch already accepts a string, so a quoted number is fine as it is."""
    branches = [resolve_ref(root, b) for key in ("anyOf", "oneOf") for b in schema.get(key) or []]
    return any(isinstance(b, dict) and "string" in _types(b) for b in branches)


def _coerce(root: Any, value: Any, schema: Any, at: str, log: RuleLog, depth: int = 0) -> Any:
    schema = resolve_ref(root, schema)
    if not isinstance(schema, dict) or depth > 64:
        return value
    types = _types(schema)
    if isinstance(value, str) and ("string" in types or _string_branch(root, schema)):
        return value
    if isinstance(value, str):
        if "integer" in types and INTEGER.fullmatch(value):
            log.record(at, value, int(value))
            return int(value)
        if "number" in types and NUMBER.fullmatch(value):
            number = float(value) if any(c in value for c in ".eE") else int(value)
            log.record(at, value, number)
            return number
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(key) or []:
            value = _coerce(root, value, branch, at, log, depth + 1)
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        for name in list(value):
            sub = properties.get(name, extra if isinstance(extra, dict) else None)
            if sub is not None:
                value[name] = _coerce(root, value[name], sub, jp.join(at, str(name)), log, depth + 1)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            value[index] = _coerce(root, item, schema["items"], jp.join(at, index), log, depth + 1)
    return value


def apply(doc: Document, log: RuleLog) -> None:
    for at, container, schema in iter_examples(doc.root):
        key: Any = jp.split(at)[-1]
        if isinstance(container, list):
            key = int(key)
        container[key] = _coerce(doc.root, container[key], schema, at, log)
