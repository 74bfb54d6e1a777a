"""OpenAPI says header parameters named Accept, Content-Type or Authorization "SHALL be ignored":
the media types and the security scheme carry them. Generators that keep them ask the user to pass
the token by hand on every call, so they go."""

from __future__ import annotations

from generator.document import pointer as jp
from generator.document.loading import Document
from generator.document.walking import HTTP_METHODS, resolve_ref
from generator.normalise.changes import RuleLog

ID = "drop-reserved-header-parameters"
RESERVED = {"accept", "content-type", "authorization"}


def apply(doc: Document, log: RuleLog) -> None:
    for path, item in (doc.root.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        holders = [(jp.join("/paths", str(path)), item)] + [
            (jp.join("/paths", str(path), m), item[m]) for m in HTTP_METHODS if isinstance(item.get(m), dict)
        ]
        for at, holder in holders:
            params = holder.get("parameters")
            if not isinstance(params, list):
                continue
            for index in reversed(range(len(params))):
                param = resolve_ref(doc.root, params[index])
                if (
                    isinstance(param, dict)
                    and param.get("in") == "header"
                    and str(param.get("name", "")).lower() in RESERVED
                ):
                    log.record(jp.join(at, "parameters", index), params[index], None)
                    del params[index]
