"""`python -m generator diff`: a series of revisions of the real description, each with the bump it calls for."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
UPSTREAM = ROOT / "spec" / "upstream"
PHASES = "/api/v2/projects/{projectKey}/flags/{flagKey}/release/phases/{phaseId}"
CREATE = "/api/v2/projects/{projectKey}/flags/{flagKey}/release"
FLAG_RELEASE = "/api/v2/flags/{projectKey}/{flagKey}/release"


def nothing(doc: Any) -> None:
    """No change at all."""


def reword_a_description(doc: Any) -> None:
    doc["components"]["schemas"]["Release"]["properties"]["name"]["description"] = "The name of the pipeline"


def add_an_optional_response_field(doc: Any) -> None:
    doc["components"]["schemas"]["Release"]["properties"]["_archived"] = {"type": "boolean"}


def remove_a_response_field(doc: Any) -> None:
    release = doc["components"]["schemas"]["Release"]
    del release["properties"]["releasePipelineDescription"]
    release["required"].remove("releasePipelineDescription")


def make_a_request_field_required(doc: Any) -> None:
    body = doc["paths"][CREATE]["put"]["requestBody"]["content"]["application/json"]["schema"]
    body["required"].append("releaseVariationId")


def add_an_optional_query_parameter(doc: Any) -> None:
    doc["paths"][FLAG_RELEASE]["get"]["parameters"].append(
        {"name": "expand", "in": "query", "schema": {"type": "string"}}
    )


def add_a_required_path_item_query_parameter(doc: Any) -> None:
    """Declared once on the path item, so every operation of the path takes it."""
    doc["paths"][FLAG_RELEASE].setdefault("parameters", []).append(
        {"name": "env", "in": "query", "required": True, "schema": {"type": "string"}}
    )


def override_a_path_item_parameter_as_optional(doc: Any) -> None:
    """The path item requires `env`; GET redeclares it optional, which wins for GET only."""
    add_a_required_path_item_query_parameter(doc)
    doc["paths"][FLAG_RELEASE]["get"]["parameters"].append({"name": "env", "in": "query", "schema": {"type": "string"}})


def remove_an_operation(doc: Any) -> None:
    del doc["paths"][FLAG_RELEASE]["delete"]


def drop_fix(fix_id: str) -> Callable[[Any], None]:
    def edit(fixes: Any) -> None:
        fixes["fixes"] = [f for f in fixes["fixes"] if f["id"] != fix_id]

    return edit


def narrow_a_response_type(doc: Any) -> None:
    doc["components"]["schemas"]["ReleasePhase"]["properties"]["complete"] = {"type": "string"}


def remove_a_response_code(doc: Any) -> None:
    doc["paths"][PHASES]["put"]["responses"]["200"]["content"] = {}


def revise(tmp_path: Path, edit: Callable[[Any], None], edit_fixes: Callable[[Any], None] | None) -> tuple[Path, Path]:
    """OLD: the description as published; NEW: a copy with `edit` applied (both with their fixes,
    NEW's edited too when the change removes what a fix targets, as a maintainer would)."""
    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old, new):
        folder.mkdir()
        shutil.copy(UPSTREAM / "releases-beta.yaml", folder)
        shutil.copy(UPSTREAM / "releases-beta.fixes.yaml", folder)
    yaml = YAML()
    doc = yaml.load(new / "releases-beta.yaml")
    edit(doc)
    yaml.dump(doc, new / "releases-beta.yaml")
    if edit_fixes is not None:
        fixes = yaml.load(new / "releases-beta.fixes.yaml")
        edit_fixes(fixes)
        yaml.dump(fixes, new / "releases-beta.fixes.yaml")
    return old / "releases-beta.yaml", new / "releases-beta.yaml"


@pytest.mark.parametrize(
    ("edit", "bump", "expected", "edit_fixes"),
    [
        (nothing, "none", [], None),
        (reword_a_description, "patch", ["changed   /components/schemas/Release/properties/name/description"], None),
        (add_an_optional_response_field, "minor", ["added     /components/schemas/Release/properties/_archived"], None),
        (
            remove_a_response_field,
            "major",
            ["breaking  /components/schemas/Release/properties/releasePipelineDescription"],
            None,
        ),
        (
            make_a_request_field_required,
            "major",
            ["breaking  /components/schemas/CreateReleaseInput/properties/releaseVariationId"],
            None,
        ),
        (
            add_an_optional_query_parameter,
            "minor",
            ["added     /paths/~1api~1v2~1flags~1{projectKey}~1{flagKey}~1release/get/parameters"],
            None,
        ),
        (
            add_a_required_path_item_query_parameter,
            "major",
            [
                f"breaking  /paths/~1api~1v2~1flags~1{{projectKey}}~1{{flagKey}}~1release/{method}/parameters"
                for method in ("delete", "get", "patch")
            ],
            None,
        ),
        (
            override_a_path_item_parameter_as_optional,
            "major",
            [
                "breaking  /paths/~1api~1v2~1flags~1{projectKey}~1{flagKey}~1release/delete/parameters",
                "added     /paths/~1api~1v2~1flags~1{projectKey}~1{flagKey}~1release/get/parameters",
                "breaking  /paths/~1api~1v2~1flags~1{projectKey}~1{flagKey}~1release/patch/parameters",
            ],
            None,
        ),
        (
            remove_an_operation,
            "major",
            ["breaking  /paths/~1api~1v2~1flags~1{projectKey}~1{flagKey}~1release/delete"],
            drop_fix("method-name-delete"),
        ),
        (
            narrow_a_response_type,
            "major",
            [
                "changed   /components/schemas/ReleasePhase/properties/complete/description",
                "breaking  /components/schemas/ReleasePhase/properties/complete/type",
            ],
            None,
        ),
        (
            remove_a_response_code,
            "major",
            [
                "breaking  /paths/~1api~1v2~1projects~1{projectKey}~1flags~1{flagKey}~1release~1phases~1{phaseId}"
                "/put/responses/200/content/application~1json"
            ],
            None,
        ),
    ],
    ids=lambda value: value.__name__ if callable(value) and value.__name__ != "edit" else None,
)
def test_each_revision_gets_its_bump(
    tmp_path: Path,
    edit: Callable[[Any], None],
    bump: str,
    expected: list[str],
    edit_fixes: Callable[[Any], None] | None,
) -> None:
    old, new = revise(tmp_path, edit, edit_fixes)

    done = subprocess.run(
        [sys.executable, "-m", "generator", "diff", str(old), str(new)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == bump
    listed = [line.split("  ")[0] + "  " + line.split()[1] for line in lines[:-1]]
    assert [" ".join(x.split()) for x in listed] == [" ".join(x.split()) for x in expected]
