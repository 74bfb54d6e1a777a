"""The maintainer loop: a changed description (or template) regenerated gives the right version and
CHANGELOG entry; nothing changed gives nothing written."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from generator.pipeline import generate
from generator.release.versions import bumped
from generator.render import TEMPLATES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A first release (0.1.0) made from the description as published."""
    base = tmp_path_factory.mktemp("release")
    shutil.copytree(ROOT / "spec" / "upstream", base / "spec", ignore=shutil.ignore_patterns("pages"))
    generate(spec=base / "spec" / "releases-beta.yaml", output=base / "pkg")
    return base


def next_release(
    released: Path, tmp_path: Path, edit: Callable[[Any], None] | None, templates: Path = TEMPLATES
) -> str:
    """Copy the release, apply `edit` to its description, regenerate; the new CHANGELOG."""
    work = tmp_path / "work"
    shutil.copytree(released, work)
    spec = work / "spec" / "releases-beta.yaml"
    if edit is not None:
        yaml = YAML()
        doc = yaml.load(spec)
        edit(doc)
        yaml.dump(doc, spec)
    assert generate(spec=spec, output=work / "pkg", templates=templates) is True
    assert (work / "pkg" / "API.json").is_file()  # what the release after this one is compared with
    assert generate(spec=spec, output=work / "pkg", templates=templates) is False  # and now it is up to date
    return (work / "pkg" / "CHANGELOG.md").read_text()


def version_of(changelog: str) -> str:
    return changelog.split("\n## ", 1)[1].split("\n", 1)[0]


def test_the_first_release_takes_the_declared_version(released: Path) -> None:
    assert (released / "pkg" / "CHANGELOG.md").read_text().endswith("\n# Changelog\n\n## 0.1.0\n\nFirst release.\n")
    assert '__version__ = "0.1.0"' in (released / "pkg" / "ld_releases" / "_version.py").read_text()


def test_nothing_changed_writes_nothing(released: Path) -> None:
    stamp = released / "pkg" / "PROVENANCE.json"
    before = stamp.stat().st_mtime_ns

    assert generate(spec=released / "spec" / "releases-beta.yaml", output=released / "pkg") is False
    assert stamp.stat().st_mtime_ns == before


def test_rewording_a_description_is_a_patch(released: Path, tmp_path: Path) -> None:
    def edit(doc: Any) -> None:
        doc["components"]["schemas"]["Release"]["properties"]["name"]["description"] = "The name of the pipeline"

    changelog = next_release(released, tmp_path, edit)

    assert version_of(changelog) == "0.1.1"
    assert "### Fixed\n\n- description changed (`/components/schemas/Release/properties/name/description`)" in changelog
    assert '__version__ = "0.1.1"' in (tmp_path / "work" / "pkg" / "ld_releases" / "_version.py").read_text()
    assert 'version = "0.1.1"' in (tmp_path / "work" / "pkg" / "pyproject.toml").read_text()
    assert changelog.endswith("## 0.1.0\n\nFirst release.\n")  # history kept


def test_adding_an_optional_response_field_is_minor(released: Path, tmp_path: Path) -> None:
    def edit(doc: Any) -> None:
        doc["components"]["schemas"]["Release"]["properties"]["_archived"] = {"type": "boolean"}

    changelog = next_release(released, tmp_path, edit)

    assert version_of(changelog) == "0.2.0"
    assert "### Added" in changelog and "optional response field '_archived' added" in changelog
    assert "### Breaking" not in changelog.split("## 0.1.0")[0]


def test_removing_a_field_is_major_with_migration_notes(released: Path, tmp_path: Path) -> None:
    def edit(doc: Any) -> None:
        release = doc["components"]["schemas"]["Release"]
        del release["properties"]["releasePipelineDescription"]
        release["required"].remove("releasePipelineDescription")

    changelog = next_release(released, tmp_path, edit)

    assert version_of(changelog) == "1.0.0"
    assert "### Breaking" in changelog and "### Migration" in changelog
    assert "response field 'releasePipelineDescription' removed" in changelog
    assert "field `release_pipeline_description` of `Release` removed" in changelog  # seen in the Python API too


def test_a_template_change_that_renames_a_method_is_major(released: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    workflows = templates / "extensions" / "ld_releases" / "_workflows.py"
    workflows.write_text(workflows.read_text().replace("def advance(", "def advance_release("))

    changelog = next_release(released, tmp_path, None, templates)

    assert version_of(changelog) == "1.0.0"
    assert "- `Releases.advance` removed" in changelog
    assert "- `Releases.advance_release` added" in changelog


def test_a_behaviour_note_bumps_once_with_its_migration(released: Path, tmp_path: Path) -> None:
    """A change the API snapshot cannot see, declared in the extension's changes.toml: counted in the
    next release only (the first release took the notes it was made with as included)."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    notes = templates / "extensions" / "ld_releases" / "changes.toml"
    notes.write_text(
        notes.read_text() + '\n[[change]]\nkind = "breaking"\nmessage = "`Releases.get` waits for the release"\n'
        'migration = "pass `wait=False` to return at once"\n'
    )

    changelog = next_release(released, tmp_path, None, templates)

    assert version_of(changelog) == "1.0.0"
    entry = changelog.split("\n## ", 2)[1]
    assert "- `Releases.get` waits for the release" in entry
    assert "- `Releases.get` waits for the release: pass `wait=False` to return at once" in entry
    assert "advance" not in entry  # the note the first release was made with is not counted again
    assert changelog.count("`Releases.get` waits for the release:") == 1  # and regenerating adds nothing


def test_a_runtime_change_that_keeps_the_api_is_a_patch(released: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    constants = templates / "runtime" / "_constants.py"
    constants.write_text(constants.read_text().replace("MAX_RETRY_DELAY = 8.0", "MAX_RETRY_DELAY = 10.0"))

    changelog = next_release(released, tmp_path, None, templates)

    assert version_of(changelog) == "0.1.1"
    assert (
        "### Fixed\n\n- the client's code changed (templates or generator) without changing its public API" in changelog
    )


@pytest.mark.parametrize(
    ("version", "bump", "expected"),
    [("0.3.1", "major", "1.0.0"), ("0.3.1", "minor", "0.4.0"), ("0.3.1", "patch", "0.3.2"), ("2.5.9", "none", "2.5.9")],
)
def test_version_arithmetic(version: str, bump: str, expected: str) -> None:
    assert bumped(version, bump) == expected
