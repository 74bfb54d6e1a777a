"""Normalisation: the description as published in, one clean OpenAPI document and a report out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.document import pointer as jp
from generator.document.loading import Document, dumps, load
from generator.document.references import check_references
from generator.document.validity import check_shape
from generator.normalise.changes import Change, ChangeLog
from generator.normalise.fixes import apply_fixes, fixes_path_for
from generator.normalise.registry import RULES

HEADER = (
    "# Normalised by `python -m generator normalize`: do not edit. Edit the description it came from, or its fixes.\n"
)


@dataclass
class Result:
    document: Document
    changes: list[Change]
    fixes_file: Path | None

    def text(self) -> str:
        return HEADER + dumps(self.document.root)

    def report(self) -> dict[str, Any]:
        return {
            "input": self.document.path.name,
            "fixes": self.fixes_file.name if self.fixes_file else None,
            "changes": [c.as_json() for c in self.changes],
        }


def normalise(spec: Path, fixes_file: Path | None = None) -> Result:
    """Load `spec`, apply its declared fixes (given, or `NAME.fixes.yaml` beside it), check that the
    result is a valid, self-contained description, then apply every generic rule."""
    doc = load(spec)
    if fixes_file is None and fixes_path_for(spec).is_file():
        fixes_file = fixes_path_for(spec)
    log = ChangeLog()
    if fixes_file is not None:
        apply_fixes(doc, fixes_file, log)
    check_references(doc)
    check_shape(doc)
    for rule in RULES:
        seen = len(log.changes)
        rule.apply(doc, log.for_rule(rule.ID))
        if any(_read_by_operations(change.pointer) for change in log.changes[seen:]):
            doc.edited()
    _strip_leading_comment(doc)
    return Result(doc, log.changes, fixes_file)


OPERATION_PLACES = (
    "/paths",
    "/components/parameters",
    "/components/requestBodies",
    "/components/responses",
    "/security",
)
NOT_READ = frozenset({"schema", "example", "examples", "links", "description", "summary"})


def _read_by_operations(pointer: str) -> bool:
    """Whether a change at `pointer` can change the model of operations (not inside a schema or docs)."""
    return pointer.startswith(OPERATION_PLACES) and not NOT_READ & set(jp.split(pointer))


def _strip_leading_comment(doc: Document) -> None:
    """The source's file header describes the source; the output gets its own header instead."""
    comment = getattr(doc.root, "ca", None)
    if comment is not None and comment.comment is not None:
        comment.comment[1] = None
