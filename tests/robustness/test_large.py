"""A large description (300 operations, 300 schemas with nested objects and enums: about a thousand
models) generates, and its package imports and holds what the description says. Correctness only:
how the time and memory grow with size is measured by `nox -s bench` (README, Benchmarks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.documents import synthetic
from generator.pipeline import generate

CHECK = Path(__file__).with_name("package_check.py")


def test_a_large_description_generates_a_package_that_imports(tmp_path: Path) -> None:
    spec = tmp_path / "large.json"
    spec.write_text(synthetic(300, schemas=300, version="3.0.3"), encoding="utf-8")
    out, normalized = tmp_path / "pkg", tmp_path / "openapi.yaml"

    generate(spec=spec, output=out, normalized=normalized)
    done = subprocess.run([sys.executable, str(CHECK), str(out), str(normalized)], capture_output=True, text=True)

    assert done.returncode == 0, done.stderr
    # 300 schemas, each with an object and an enum moved to models of their own, and 75 resources' schemas
    assert done.stdout == f"checked {300 * 3 + 75} models, 300 methods\n"
