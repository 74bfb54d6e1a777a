"""Formatting the staged package with the pinned ruff, configured here and not by whatever
configuration surrounds the output folder, so the same input always gives the same bytes."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.tools import run_tool

RUFF_SETTINGS = ("--isolated", "--line-length=100", "--target-version=py310")


def format_tree(root: Path, files: tuple[str, ...] = (".",)) -> None:
    """Format the Python files under `root` (or only `files`, relative to it)."""
    steps = (
        ["check", *RUFF_SETTINGS, "--select=I,F401,UP", "--fix-only", "--exit-zero", "--no-cache", *files],
        ["format", *RUFF_SETTINGS, "--no-cache", *files],
    )
    for step in steps:
        done = run_tool([sys.executable, "-m", "ruff", *step], root, f"ruff {step[0]}")
        if done.returncode != 0:
            detail = _offending_lines(root, done.stderr)
            raise GeneratorFailure(
                [
                    Diagnostic(
                        message=f"the rendered code does not parse (ruff {step[0]}):\n    "
                        + "\n    ".join(done.stderr.strip().splitlines()[-10:] + detail),
                        hint="a template (templates/) produced invalid Python: fix the template named above",
                        file=str(root),
                        rule="render-format",
                    )
                ]
            )


def _offending_lines(root: Path, stderr: str) -> list[str]:
    """The rendered lines ruff points at, since the staged folder is gone once the run fails."""
    shown = []
    for path, line in re.findall(r"Failed to parse ([^:]+):(\d+):\d+", stderr)[:3]:
        lines = (root / path).read_text(encoding="utf-8").splitlines()
        number = int(line)
        if 0 < number <= len(lines):
            shown.append(f"{path}:{number}: {lines[number - 1].strip()}")
    return shown
