"""Versioning the generated package: the previous release (read from the output folder) against the
new one, at two levels (the normalised description, and the package's public Python API), decide
the bump; the version and the package CHANGELOG follow from it."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.output.reading import read_inside
from generator.release.changelog import CHANGELOG
from generator.release.diff import Difference, bump_for, larger
from generator.release.notes import Note, unrecorded
from generator.release.snapshot import SNAPSHOT

SPEC_COPY = "openapi.yaml"  # inside the import package: the description the package was made from

UNSEEN_CODE_CHANGE = Difference(
    "", "changed", "the client's code changed (templates or generator) without changing its public API"
)


def code_changed(previous_dir: Path, staged: Path, package_name: str) -> bool:
    """Whether the package's files differ, leaving out those that only carry the version or history:
    a package whose bytes changed is never published again under the same version."""
    from generator.release.provenance import STAMP, tree_digest

    versioned = frozenset({STAMP, CHANGELOG, SNAPSHOT, "pyproject.toml", f"{package_name}/_version.py"})
    return tree_digest(previous_dir, versioned) != tree_digest(staged, versioned)


@dataclass(frozen=True)
class Previous:
    """The release the output folder holds, if any."""

    version: str
    snapshot: dict[str, Any]
    spec_text: str
    changelog: str


def read_previous(output: Path, package_name: str) -> Previous | None:
    """The release in `output`, read without following any link planted there (one is refused)."""

    def text(relative: str) -> str | None:
        data = read_inside(output, relative)
        return data.decode("utf-8", errors="replace") if data is not None else None

    version, snapshot, spec = text(f"{package_name}/_version.py"), text(SNAPSHOT), text(f"{package_name}/{SPEC_COPY}")
    if version is None or snapshot is None or spec is None:
        return None
    match = re.search(r'__version__ = "([^"]+)"', version)
    if match is None:
        return None
    return Previous(
        version=match.group(1), snapshot=json.loads(snapshot), spec_text=spec, changelog=text(CHANGELOG) or ""
    )


def bumped(version: str, bump: str) -> str:
    """`0.3.1` bumped: major -> 1.0.0, minor -> 0.4.0, patch -> 0.3.2, none -> 0.3.1 (plain SemVer)."""
    parts = [int(p) for p in re.findall(r"\d+", version)[:3]] + [0, 0, 0]
    major, minor, patch = parts[:3]
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return f"{major}.{minor}.{patch}"


def later(a: str, b: str) -> str:
    key = [int(p) for p in re.findall(r"\d+", a)[:3]], [int(p) for p in re.findall(r"\d+", b)[:3]]
    return a if key[0] >= key[1] else b


def decide(spec_diffs: list[Difference], code_diffs: list[Difference]) -> str:
    return larger(bump_for(spec_diffs), bump_for(code_diffs))


def next_release(
    snapshot: dict[str, Any],
    staged: Path,
    package_name: str,
    version: str,
    previous_dir: Path,
    root: Any,
    notes: Sequence[Note] = (),
) -> tuple[str, str]:
    """The version and CHANGELOG of the package staged in `staged`, from the release in `previous_dir`:
    the larger bump of the description, of the public API and of the behaviour notes the previous
    release did not count, never below `version` (declared)."""

    from generator.document.loading import plain, plain_data
    from generator.release.changelog import changelog_entry
    from generator.release.diff import compare
    from generator.release.provenance import ABOUT
    from generator.release.snapshot import compare_snapshots
    from generator.release.snapshot import snapshot as take_snapshot

    before = read_previous(previous_dir, package_name)
    if before is None:
        return version, f"<!-- {ABOUT} -->\n# Changelog\n\n## {version}\n\nFirst release.\n"
    spec_diffs = compare(plain_data(before.spec_text), plain(root))
    previous_api = before.snapshot
    if previous_api.get("format") != snapshot.get("format"):  # recorded by another introspector: like with like
        previous_api = take_snapshot(previous_dir, package_name)
    fresh = unrecorded(list(notes), before.snapshot)
    code_diffs = compare_snapshots(previous_api, snapshot) + [note.difference() for note in fresh]
    if not code_diffs and code_changed(previous_dir, staged, package_name):
        code_diffs = [UNSEEN_CODE_CHANGE]
    chosen = later(bumped(before.version, decide(spec_diffs, code_diffs)), version)
    if chosen == before.version:
        return chosen, before.changelog
    entry = changelog_entry(chosen, spec_diffs, code_diffs, {n.message: n.migration for n in fresh if n.migration})
    head, _, rest = before.changelog.partition("\n## ")
    if not rest:
        return chosen, f"<!-- {ABOUT} -->\n# Changelog\n\n{entry}"
    return chosen, f"{head.rstrip()}\n\n{entry}\n## {rest}"
