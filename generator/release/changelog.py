"""The package CHANGELOG entry of a release, grouped as a user reads it, with migration notes."""

from __future__ import annotations

from generator.release.diff import Difference

CHANGELOG = "CHANGELOG.md"

MIGRATION = {
    "removed": "stop using it; it is gone from the API",
    "no longer exported": "import it from where it now lives, or stop using it",
    "is now required": "pass it on every call",
    "added": "pass it on every call (it is required)",
    "changed": "update the code that reads or passes it to the new type",
    "made required": "send it on every request",
    "renamed": "call the operation by its new name",
}


def _migration(message: str) -> str:
    for phrase, advice in MIGRATION.items():
        if phrase in message:
            return advice
    return "review the code that uses it"


def changelog_entry(
    version: str, spec_diffs: list[Difference], code_diffs: list[Difference], migrations: dict[str, str] | None = None
) -> str:
    """One entry, grouped as a user reads it: breaking (with what to do), added, fixed. `migrations`
    gives the advice for a message (a behaviour note's), in place of the one its wording implies."""
    advice = migrations or {}
    groups: dict[str, list[str]] = {"breaking": [], "added": [], "changed": []}
    for d in code_diffs:
        groups[d.kind].append(f"- {d.message}")  # code differences are named in their message
    for d in spec_diffs:
        groups[d.kind].append(f"- {d.message} (`{d.pointer}`)")
    lines = [f"## {version}", ""]
    titles = {"breaking": "Breaking", "added": "Added", "changed": "Fixed"}
    for kind, title in titles.items():
        if groups[kind]:
            lines += [f"### {title}", "", *sorted(set(groups[kind])), ""]
    breaking = [d for d in code_diffs + spec_diffs if d.kind == "breaking"]
    if breaking:
        lines += ["### Migration", ""]
        lines += sorted({f"- {d.message}: {advice.get(d.message) or _migration(d.message)}." for d in breaking})
        lines.append("")
    return "\n".join(lines)
