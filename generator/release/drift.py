"""The drift check: regenerate into a scratch folder and compare, file by file, with what is committed."""

from __future__ import annotations

import difflib
import filecmp
import tempfile
from pathlib import Path
from typing import Any

from generator.normalise.fixes import fixes_path_for
from generator.pipeline import generate
from generator.release import provenance
from generator.render import TEMPLATES

MAX_DIFF_LINES = 40
CACHES = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build", "dist"}


def _files(root: Path) -> set[str]:
    if root.is_file():
        return {""}
    names = set()
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if path.is_file() and not any(part in CACHES or part.endswith(".egg-info") for part in parts):
            names.add(str(path.relative_to(root)))
    return names


def _compare(expected: Path, actual: Path, label: str) -> list[str]:
    """Differences between the freshly generated `expected` and the committed `actual`."""
    problems: list[str] = []
    wanted, have = _files(expected), _files(actual) if actual.exists() else set()

    def where(name: str) -> str:
        return f"{label}/{name}" if name else label

    for name in sorted(wanted - have):
        problems.append(f"{where(name)}: missing (the spec produces it)")
    for name in sorted(have - wanted):
        problems.append(f"{where(name)}: not produced by the spec (stale)")
    for name in sorted(wanted & have):
        new, old = (expected / name, actual / name) if name else (expected, actual)
        if not filecmp.cmp(new, old, shallow=False):
            diff = difflib.unified_diff(
                old.read_text(encoding="utf-8", errors="replace").splitlines(),
                new.read_text(encoding="utf-8", errors="replace").splitlines(),
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
    options = {k: package_options.get(k) for k in ("package_name", "distribution_name", "package_version")}
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
