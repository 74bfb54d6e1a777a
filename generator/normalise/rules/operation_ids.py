"""Every operation needs a unique operationId: generators name methods and modules after it, and
openapi-python-client silently lets a duplicate overwrite another module. Missing ids are derived
from the method and path; duplicates are an error, since no rename could be guessed safely."""

from __future__ import annotations

import re

from generator.diagnostics import GeneratorFailure
from generator.document import pointer as jp
from generator.document.loading import Document
from generator.document.walking import iter_operations
from generator.normalise.changes import RuleLog

ID = "operation-ids"


def derive(method: str, path: str) -> str:
    """`put /projects/{projectKey}/flags` -> `putProjectsProjectKeyFlags`."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", path) if w]
    return method + "".join(w[:1].upper() + w[1:] for w in words)


def apply(doc: Document, log: RuleLog) -> None:
    seen: dict[str, str] = {}
    problems = []
    for at, path, method, op in iter_operations(doc.root):
        if not isinstance(op.get("operationId"), str) or not op["operationId"].strip():
            before = op.get("operationId")
            op["operationId"] = derive(method, path)
            log.record(jp.join(at, "operationId"), before, op["operationId"])
        op_id = op["operationId"]
        if op_id in seen:
            problems.append(
                doc.diagnostic(
                    jp.join(at, "operationId"),
                    f"duplicate operationId {op_id!r}: also used at {seen[op_id]} ({doc.where(seen[op_id])})",
                    "give each operation its own operationId",
                    rule=ID,
                )
            )
        else:
            seen[op_id] = at
    if problems:
        raise GeneratorFailure(problems)
