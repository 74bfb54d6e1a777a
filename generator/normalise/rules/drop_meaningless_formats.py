"""`format` names a refinement of a type (`int64`, `date-time`). A format that merely repeats a type
name (`type: string, format: string`) means nothing, and neither does one the model generator does
not know for that type (`format: datetime`, `format: uint8`): it warns, then uses the plain type.
Such formats are removed; every other format is kept. KNOWN is datamodel-code-generator 0.89.0's
table (tests/normalise/test_drop_meaningless_formats.py checks it against the pinned version)."""

from __future__ import annotations

from generator.document import pointer as jp
from generator.document.loading import Document
from generator.document.walking import iter_schemas
from generator.normalise.changes import RuleLog

ID = "drop-meaningless-formats"
TYPE_NAMES = {"string", "integer", "number", "boolean", "object", "array", "null"}
KNOWN = {
    "integer": {"date-time", "int32", "int64", "unix-time", "unixtime"},
    "number": {"date-time", "decimal", "double", "float", "time", "time-delta", "unixtime"},
    "string": {"binary", "byte", "date", "date-time", "date-time-local", "decimal", "duration", "email"}
    | {"hostname", "idn-email", "idn-hostname", "ipv4", "ipv4-network", "ipv6", "ipv6-network", "iri"}
    | {"iri-reference", "json-pointer", "password", "path", "regex", "relative-json-pointer", "time"}
    | {"time-local", "timestamp with time zone", "ulid", "unixtime", "uri", "uri-reference", "uri-template"}
    | {"uuid", "uuid1", "uuid2", "uuid3", "uuid4", "uuid5"},
}


def apply(doc: Document, log: RuleLog) -> None:
    for at, schema in iter_schemas(doc.root):
        fmt = schema.get("format")
        declared = schema.get("type")
        types = [t for t in (declared if isinstance(declared, list) else [declared]) if t in KNOWN]
        unknown = bool(types) and not any(fmt in KNOWN[t] for t in types)
        if isinstance(fmt, str) and (fmt in TYPE_NAMES or unknown):
            log.record(jp.join(at, "format"), fmt, None)
            del schema["format"]
