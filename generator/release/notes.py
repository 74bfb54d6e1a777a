"""Behaviour changes the public API does not show: a method that keeps its signature but does
something else. The maintainer writes each once, in `templates/extensions/<package>/changes.toml`:

    [[change]]
    kind = "breaking"   # or "added", "changed"
    message = "`Releases.advance` completes the running phase before it starts the next"
    migration = "pass `start_only=True` to only start the next phase, as before"

The loop counts a note in the release after the one it first appears beside, and records every note
it has counted in the package's API snapshot, so a note bumps the version once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.release.diff import BUMPS, Difference, Kind

NOTES = "changes.toml"
RECORDED = "notes"  # the key of the API snapshot that lists the notes already counted


@dataclass(frozen=True)
class Note:
    kind: Kind
    message: str
    migration: str

    def difference(self) -> Difference:
        return Difference("", self.kind, self.message)


def read_notes(templates: Path, package_name: str) -> list[Note]:
    """The package's behaviour notes (none when it has no `changes.toml`)."""
    path = templates / "extensions" / package_name / NOTES
    if not path.is_file():
        return []
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise GeneratorFailure([Diagnostic(f"invalid TOML: {err}", "fix the notes file", file=str(path))]) from None
    notes = []
    for index, entry in enumerate(table.get("change", [])):
        notes.append(_note(entry, f"{path} (change {index + 1})"))
    return notes


def _note(entry: Any, where: str) -> Note:
    fields = {k: entry.get(k) for k in ("kind", "message", "migration")} if isinstance(entry, dict) else {}
    kind, message, migration = fields.get("kind"), fields.get("message"), fields.get("migration")
    if kind not in BUMPS or not isinstance(message, str) or not message or not isinstance(migration, str):
        hint = f'give it kind (one of {", ".join(BUMPS)}), message and migration strings ("" if none)'
        raise GeneratorFailure([Diagnostic("a behaviour note is incomplete", hint, file=where)])
    return Note(kind, message, migration)


def unrecorded(notes: list[Note], previous_snapshot: dict[str, Any]) -> list[Note]:
    """The notes the previous release did not count yet."""
    recorded = set(previous_snapshot.get(RECORDED, []))
    return [note for note in notes if note.message not in recorded]
