"""`format` names a refinement of a type (`int64`, `date-time`); a format that merely repeats a type
name (`type: string, format: string`) means nothing, and generators warn about it or map it to
surprising types. Such formats are removed; every other format is kept."""

from __future__ import annotations

from generator import pointer as jp
from generator.document import Document
from generator.normalise.changes import RuleLog
from generator.openapi import iter_schemas

ID = "drop-meaningless-formats"
TYPE_NAMES = {"string", "integer", "number", "boolean", "object", "array", "null"}


def apply(doc: Document, log: RuleLog) -> None:
    for at, schema in iter_schemas(doc.root):
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt in TYPE_NAMES:
            log.record(jp.join(at, "format"), fmt, None)
            del schema["format"]
