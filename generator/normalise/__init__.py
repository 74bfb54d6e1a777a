"""Normalisation: the description as published in, one clean OpenAPI document and a report out."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic
from generator.document import pointer as jp
from generator.document.loading import Document, load, plain, serialise
from generator.document.references import check_references
from generator.document.validity import check_shape
from generator.normalise.changes import Change, ChangeLog
from generator.normalise.fixes import apply_fixes, fixes_path_for
from generator.normalise.registry import RULES
from generator.normalise.repairs import ID as REPAIRS
from generator.normalise.repairs import repair
from generator.normalise.selection import RULE as SELECT
from generator.normalise.selection import Selection, drop_unreached, keep_operations

HEADER = (
    "# Normalised by `python -m generator normalize`: do not edit. Edit the description it came from, or its fixes.\n"
)


@dataclass
class Result:
    document: Document
    changes: list[Change]
    fixes_file: Path | None
    selection: Selection = field(default_factory=Selection)
    fixes_left_out: list[str] = field(default_factory=list)  # their targets were not selected
    warnings: list[Diagnostic] = field(default_factory=list)  # the harmless defects repaired
    _text: str | None = field(default=None, repr=False, compare=False)

    def text(self) -> str:
        """The normalised description, written once (a large one takes seconds)."""
        if self._text is None:
            self._text = HEADER + serialise(self.document)
        return self._text

    def report(self) -> dict[str, Any]:
        report: dict[str, Any] = {"input": self.document.path.name}
        if self.selection:
            report["selection"] = str(self.selection)
        report["fixes"] = self.fixes_file.name if self.fixes_file else None
        if self.fixes_left_out:
            report["fixes_left_out"] = self.fixes_left_out
        report["changes"] = [c.as_json() for c in self.changes]
        if self.warnings:  # named by file name, as `input` is: the report does not depend on where it runs
            name = self.document.path.name
            report["warnings"] = [dataclasses.replace(w, file=name).headline() for w in self.warnings]
        return report


def normalise(
    spec: Path, fixes_file: Path | None = None, selection: Selection | None = None, strict: bool = False
) -> Result:
    """Load `spec`, keep the part `selection` names (all of it by default), apply its declared fixes
    (given, or `NAME.fixes.yaml` beside it), check that the result is a valid, self-contained
    description (repairing its harmless defects, each a warning; with `strict` they are errors),
    then apply every generic rule."""
    doc = load(spec)
    selection = selection or Selection()
    if fixes_file is None and fixes_path_for(spec).is_file():
        fixes_file = fixes_path_for(spec)
    log = ChangeLog()
    whole = plain(doc.root) if selection and fixes_file is not None else None
    if selection:
        keep_operations(doc, selection, log.for_rule(SELECT))
    left_out = [] if fixes_file is None else apply_fixes(doc, fixes_file, log, whole)
    if selection:
        drop_unreached(doc, log.for_rule(SELECT))
    check_references(doc)
    warnings = repair(doc, check_shape(doc, strict), log.for_rule(REPAIRS))
    for rule in RULES:
        seen = len(log.changes)
        rule.apply(doc, log.for_rule(rule.ID))
        if any(_read_by_operations(change.pointer) for change in log.changes[seen:]):
            doc.edited()
    _strip_leading_comment(doc)
    return Result(doc, log.changes, fixes_file, selection, left_out, warnings)


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
