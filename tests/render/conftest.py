"""Generating packages once per module, and running Python against them in a separate process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
UPSTREAM = ROOT / "spec" / "upstream" / "releases-beta.yaml"


def run_python(code: str, path: Path) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter with `path` first on sys.path (so imports see that package)."""
    return subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(path)!r})\n{code}"],
        capture_output=True,
        text=True,
        check=False,
    )


def tree(root: Path) -> dict[str, bytes]:
    """Every file below `root`, by relative path, with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
