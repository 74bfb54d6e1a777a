"""Running the tools the pipeline drives in their own processes (datamodel-code-generator, ruff, the
API snapshot): each with a deadline, so a tool that hangs ends the run with a message, not a wait."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from generator.diagnostics import Diagnostic, GeneratorFailure

TOOL_DEADLINE = 900.0
"""Seconds any one tool may run: several times the longest a 13 MB description takes."""


def run_tool(
    command: Sequence[str], cwd: Path, what: str, deadline: float = TOOL_DEADLINE
) -> subprocess.CompletedProcess[str]:
    """`command`'s finished process (its output captured); past `deadline` it is killed and the run fails."""
    try:
        return subprocess.run(list(command), cwd=cwd, capture_output=True, text=True, check=False, timeout=deadline)
    except subprocess.TimeoutExpired:
        message = f"{what} did not finish within {deadline:g} s and was stopped"
        hint = "the description may be far larger than usual: run again, or generate a part of it"
        raise GeneratorFailure([Diagnostic(message, hint, str(cwd))]) from None
