"""`python -m generator` as users run it: exit codes, messages, and the maintainer's drift loop."""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UPSTREAM = ROOT / "spec" / "upstream"


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)], cwd=ROOT, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("command", ["normalize", "generate", "check"])
def test_every_command_has_help(command: str) -> None:
    done = cli(command, "--help")

    assert done.returncode == 0
    assert "SPEC" in done.stdout and "--output" in done.stdout


def test_broken_yaml_names_file_line_and_column_without_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo:\n  title: x\n   version: '1'\n")

    done = cli("generate", broken, "--output", tmp_path / "out")

    assert done.returncode == 1
    assert done.stderr.startswith(f"{broken}:4:")
    assert "hint:" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_stale_fix_fails_and_names_the_fix(tmp_path: Path) -> None:
    spec = tmp_path / "releases-beta.yaml"
    spec.write_text((UPSTREAM / "releases-beta.yaml").read_text().replace("subpackage_releasesBeta", "releases"))
    shutil.copy(UPSTREAM / "releases-beta.fixes.yaml", tmp_path)

    done = cli("normalize", spec, "--output", tmp_path / "openapi.yaml")

    assert done.returncode == 1
    assert "releases-beta.fixes.yaml:" in done.stderr
    assert "[fix:one-clean-tag] fix 'one-clean-tag' changed nothing" in done.stderr
    assert not (tmp_path / "openapi.yaml").exists()


def test_normalize_writes_the_document_and_a_report_of_every_change(tmp_path: Path) -> None:
    spec = UPSTREAM / "releases-beta.yaml"
    done = cli("normalize", spec, "--output", tmp_path / "o.yaml", "--report", tmp_path / "r.json")

    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.yaml", "r.json"]  # committed together, nothing left
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["fixes"] == "releases-beta.fixes.yaml"
    assert {"rule", "pointer", "before", "after"} == set(report["changes"][0])
    quirk = [c for c in report["changes"] if c["rule"] == "fix:jsonpatch-phases-path"]
    assert len(quirk) == 1 and "/phase/0/complete" in quirk[0]["before"] and "/phases/0/complete" in quirk[0]["after"]


def test_normalize_repairs_harmless_defects_with_warnings_and_strict_refuses_them(tmp_path: Path) -> None:
    spec = ROOT / "tests" / "robustness" / "corpus" / "harmless-defects.yaml"
    places = [
        "21:30 (at /components/schemas/Pet/properties/kind/const)",
        "22:30 (at /components/schemas/Pet/properties/name/examples)",
        "6:7 (at /paths/~1pets/get/title)",
        "9:60 (at /paths/~1pets/get/parameters/0/schema/default)",
    ]

    done = cli("normalize", spec, "--output", tmp_path / "o.yaml", "--report", tmp_path / "r.json")
    strict = cli("normalize", spec, "--output", tmp_path / "strict.yaml", "--strict")

    assert done.returncode == 0, done.stderr
    warned = [line for line in done.stderr.splitlines() if ": warning: " in line]
    assert [line.split(": warning: ")[0] for line in warned] == [f"{spec}:{place}" for place in places]
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["warnings"] == [line.replace(str(spec), spec.name) for line in warned]
    assert strict.returncode == 1
    refused = [line for line in strict.stderr.splitlines() if not line.startswith("  hint: ")]
    assert [line.split(": error: ")[0] for line in refused] == [f"{spec}:{place}" for place in places]
    assert not (tmp_path / "strict.yaml").exists()


def test_editing_a_description_upstream_fails_check_until_regenerated(tmp_path: Path) -> None:
    """The maintainer loop: edit spec/upstream, `check` fails and names the input; `generate`, and only
    that text moved, with the patch release it calls for."""
    spec_dir = tmp_path / "spec"
    shutil.copytree(UPSTREAM, spec_dir, ignore=shutil.ignore_patterns("pages"))
    spec = spec_dir / "releases-beta.yaml"
    outputs = ("--output", tmp_path / "pkg", "--normalized", tmp_path / "openapi.yaml")
    assert cli("generate", spec, *outputs).returncode == 0
    before = {p: p.read_text() for p in sorted((tmp_path / "pkg").rglob("*.py"))}
    old, new = "The release pipeline key", "The key of the release pipeline this release follows"
    spec.write_text(spec.read_text().replace(f"description: {old}\n", f"description: {new}\n"))

    drift = cli("check", spec, *outputs)
    assert drift.returncode == 1
    assert "input: description changed (releases-beta.yaml)" in drift.stderr.splitlines()[0]
    assert "models.py: differs" in drift.stderr and "openapi.yaml: differs" in drift.stderr

    assert cli("generate", spec, *outputs).returncode == 0
    assert cli("check", spec, *outputs).returncode == 0
    changed = [
        line
        for path, text in before.items()
        for line in difflib.unified_diff(text.splitlines(), path.read_text().splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert sorted(changed) == [f"+    {new}", '+__version__ = "0.1.1"', f"-    {old}", '-__version__ = "0.1.0"']


def test_a_description_that_is_not_utf8_is_located_by_line_and_column_with_the_bytes(tmp_path: Path) -> None:
    spec = tmp_path / "latin1.yaml"
    spec.write_bytes("openapi: 3.1.0\ninfo:\n  title: café na".encode() + b"\xefve\n  version: '1'\n")

    done = cli("generate", spec, "--output", tmp_path / "out")

    assert done.returncode == 1
    assert done.stderr.splitlines() == [  # the column counts characters, as an editor does: é is one
        f"{spec}:3:17: error: not UTF-8 text: byte ef (invalid continuation byte)",
        "  hint: save the file as UTF-8 (YAML and JSON descriptions must be UTF-8)",
    ]
