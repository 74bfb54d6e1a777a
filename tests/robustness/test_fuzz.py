"""Random valid descriptions, hostile text and names included (tests/robustness/strategies.py): the
generator never fails on one, and the package it makes imports and holds every string exactly.
Normalising is cheap and gets many examples; a whole generation (models, endpoints, formatting, an
import) takes seconds, so it gets a few rich ones. The budget is fixed (tests/conftest.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import given, settings

from generator.document.loading import load, plain
from generator.normalise import normalise
from generator.pipeline import generate
from tests.robustness.strategies import descriptions


def write(tmp_path: Path, doc: dict[str, Any]) -> Path:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return spec


@settings(max_examples=100)
@given(descriptions())
def test_normalising_a_random_description_succeeds_writes_it_exactly_and_is_idempotent(
    tmp_path_factory: Any, doc: dict[str, Any]
) -> None:
    folder = tmp_path_factory.mktemp("normalise")
    result = normalise(write(folder, doc))
    again = folder / "again.yaml"
    again.write_text(result.text(), encoding="utf-8")

    assert plain(load(again).root) == plain(result.document.root)  # the text holds exactly the document
    assert normalise(again).changes == []


def _check_package(out: Path, normalized: Path) -> subprocess.CompletedProcess[str]:
    script = Path(__file__).with_name("package_check.py")
    return subprocess.run(
        [sys.executable, str(script), str(out), str(normalized)], capture_output=True, text=True, check=False
    )


@settings(max_examples=10)
@given(descriptions())
def test_a_random_description_generates_a_package_that_imports_and_holds_every_string(
    tmp_path_factory: Any, doc: dict[str, Any]
) -> None:
    folder = tmp_path_factory.mktemp("generate")
    out, normalized = folder / "pkg", folder / "openapi.yaml"
    generate(spec=write(folder, doc), output=out, normalized=normalized)

    done = _check_package(out, normalized)

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("checked"), done.stdout
