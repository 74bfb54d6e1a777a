"""The drift check: regenerate into a scratch folder and compare, file by file, with what is committed."""

from __future__ import annotations

import difflib
import os
import tempfile
from pathlib import Path
from typing import Any

from generator.normalise.fixes import fixes_path_for
from generator.output.reading import DESCRIBED, entries, kind_of, read_file, read_inside
from generator.pipeline import generate, recorded_options
from generator.release import provenance
from generator.render import TEMPLATES

MAX_DIFF_LINES = 40
CACHES = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build", "dist"}


def _files(root: Path) -> dict[str, str]:
    """What is at `root` (a folder or one file, named ""), by relative path: "file", "link" or "special"."""
    try:
        kind = kind_of(os.lstat(root).st_mode)
    except FileNotFoundError:
        return {}
    if kind != "folder":
        return {"": kind}
    found = {}
    for entry in entries(root):
        parts = entry.path.split("/")
        if entry.kind != "folder" and not any(part in CACHES or part.endswith(".egg-info") for part in parts):
            found[entry.path] = entry.kind
    return found


def _read(root: Path, name: str) -> bytes:
    """The bytes of a file `_files` found as "file" (never following a link)."""
    return (read_inside(root, name) if name else read_file(root)) or b""


def _compare(expected: Path, actual: Path, label: str) -> list[str]:
    """Differences between the freshly generated `expected` and the committed `actual`, which is read
    without following links: a link or special file there is a difference, its target never read."""
    problems: list[str] = []
    wanted, have = _files(expected), _files(actual)

    def where(name: str) -> str:
        return f"{label}/{name}" if name else label

    for name in sorted(wanted.keys() - have.keys()):
        problems.append(f"{where(name)}: missing (the spec produces it)")
    for name in sorted(have.keys() - wanted.keys()):
        problems.append(f"{where(name)}: not produced by the spec (stale)")
    for name in sorted(wanted.keys() & have.keys()):
        if have[name] != "file":
            problems.append(f"{where(name)}: {DESCRIBED[have[name]]}, not followed (the spec produces a file here)")
            continue
        new, old = _read(expected, name), _read(actual, name)
        if new != old:
            diff = difflib.unified_diff(
                old.decode("utf-8", errors="replace").splitlines(),
                new.decode("utf-8", errors="replace").splitlines(),
                f"{where(name)} (committed)",
                f"{where(name)} (from the spec)",
                lineterm="",
            )
            lines = list(diff)
            shown = lines[:MAX_DIFF_LINES] + (
                [f"... {len(lines) - MAX_DIFF_LINES} more lines"] if len(lines) > MAX_DIFF_LINES else []
            )
            problems.append(f"{where(name)}: differs\n" + "\n".join(shown))
    return problems


def check_drift(
    spec: Path,
    output: Path,
    fixes: Path | None,
    normalized: Path | None,
    report: Path | None,
    **package_options: Any,
) -> list[str]:
    """Every difference between the committed outputs and a fresh `generate` with the same options,
    led by the inputs that changed since the committed package was generated (from its stamp)."""
    if fixes is None and fixes_path_for(spec).is_file():
        fixes = fixes_path_for(spec)
    names = ("package_name", "distribution_name", "package_version", "selection")
    options = recorded_options(*(package_options.get(name) for name in names))
    inputs = provenance.current_inputs(spec, fixes, package_options.get("templates", TEMPLATES), options)
    changed = [f"input: {line}" for line in provenance.changed_inputs(provenance.read(output), inputs)]
    with tempfile.TemporaryDirectory(prefix="ld-releases-check.") as scratch:
        base = Path(scratch)
        fresh_norm = base / "openapi.yaml" if normalized else None
        fresh_report = base / "report.json" if report else None
        generate(
            spec=spec,
            output=base / "package",
            fixes=fixes,
            normalized=fresh_norm,
            report=fresh_report,
            previous=output,
            **package_options,
        )
        problems = _compare(base / "package", output, str(output))
        if normalized and fresh_norm:
            problems += _compare(fresh_norm, normalized, str(normalized))
        if report and fresh_report:
            problems += _compare(fresh_report, report, str(report))
    return changed + problems if problems else []
