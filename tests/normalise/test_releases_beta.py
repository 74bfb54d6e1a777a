"""The real input: spec/upstream/releases-beta.yaml and its fixes, normalised."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate
from ruamel.yaml import YAML

from generator.normalise import Result, normalise

UPSTREAM = Path(__file__).resolve().parents[2] / "spec" / "upstream" / "releases-beta.yaml"
PATCH = "/api/v2/flags/{projectKey}/{flagKey}/release"
CREATE = "/api/v2/projects/{projectKey}/flags/{flagKey}/release"
UPDATE_PHASE = "/api/v2/projects/{projectKey}/flags/{flagKey}/release/phases/{phaseId}"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
PHASE_STATUS = "#/components/schemas/PhaseStatus"
TIMESTAMPS = {"_creationDate", "_completionDate", "_startedDate", "_canceledAt"}


def parse(text: str) -> Any:
    return YAML(typ="safe").load(text)


@pytest.fixture(scope="module")
def result() -> Result:
    return normalise(UPSTREAM)


@pytest.fixture(scope="module")
def before() -> Any:
    return parse(UPSTREAM.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def after(result: Result) -> Any:
    return parse(result.text())


def nodes(node: Any, at: str = "") -> Iterator[tuple[str, Any]]:
    """Every node with its JSON pointer (tokens unescaped, for readable assertions)."""
    yield at, node
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        yield from nodes(value, f"{at}/{key}")


def operations(doc: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield f"{method} {path}", op


def deref(doc: Any, node: dict[str, Any]) -> Any:
    while "$ref" in node:
        for token in node["$ref"].removeprefix("#/").split("/"):
            doc = doc[token]
        node = doc
    return node


def test_jsonpatch_path_in_patch_description(result: Result, before: Any, after: Any) -> None:
    assert "/phase/0/complete" in before["paths"][PATCH]["patch"]["description"]
    assert '"/phases/0/complete"' in after["paths"][PATCH]["patch"]["description"]
    assert "/phase/" not in result.text()


def test_timestamp_examples_are_ints(before: Any, after: Any) -> None:
    was = {at: v for at, v in nodes(before["paths"]) if at.rsplit("/", 1)[-1] in TIMESTAMPS}
    now = {at: v for at, v in nodes(after["paths"]) if at.rsplit("/", 1)[-1] in TIMESTAMPS}
    assert now.keys() == was.keys() and len(now) == 12  # four fields in each of three 200 examples
    assert all(type(v) is int for v in now.values())
    quoted = {at: v for at, v in was.items() if isinstance(v, str)}
    example = "/put/responses/200/content/application/json/example"
    assert quoted.keys() == {
        f"/{path}{example}{field}"
        for path in (CREATE, UPDATE_PHASE)
        for field in ("/phases/0/_creationDate", "/phases/0/_completionDate", "/_canceledAt")
    }
    assert all(now[at] == int(v) for at, v in quoted.items())
    assert before["components"]["schemas"]["UnixMillis"]["example"] == "1684262711507"
    assert type(after["components"]["schemas"]["UnixMillis"]["example"]) is int
    assert after["components"]["schemas"]["UnixMillis"]["example"] == 1684262711507


def test_no_meaningless_format(before: Any, after: Any) -> None:
    def formats(doc: Any) -> list[str]:
        return [at for at, n in nodes(doc) if isinstance(n, dict) and n.get("format") == "string"]

    assert formats(before)
    assert formats(after) == []


def test_one_tag(after: Any) -> None:
    assert [tag["name"] for tag in after["tags"]] == ["Releases (beta)"]
    assert {name: op["tags"] for name, op in operations(after)} == {
        name: ["Releases (beta)"] for name, _ in operations(after)
    }


def test_every_operation_sends_the_beta_header_and_answers_the_errors(after: Any) -> None:
    header = {"$ref": "#/components/parameters/LDAPIVersion"}
    assert len(list(operations(after))) == 5
    for name, op in operations(after):
        assert header in op["parameters"], name
        assert {"400", "401", "403", "404", "429"} <= set(op["responses"]), name
        assert {"X-Ratelimit-Reset", "Retry-After"} <= set(deref(after, op["responses"]["429"])["headers"]), name
    param = after["components"]["parameters"]["LDAPIVersion"]
    assert (param["name"], param["in"], param["required"]) == ("LD-API-Version", "header", True)


def test_phase_status_is_an_open_enum(after: Any) -> None:
    schema = after["components"]["schemas"]["PhaseStatus"]
    assert schema["type"] == "string"
    assert schema["enum"] == ["NotStarted", "ReadyToStart", "Started", "Paused", "Complete"]
    refs = {at for at, n in nodes(after) if isinstance(n, dict) and n.get("$ref") == PHASE_STATUS}
    opened = [
        at
        for at, n in nodes(after)
        if isinstance(n, dict) and n.get("anyOf") == [{"$ref": PHASE_STATUS}, {"type": "string"}]
    ]
    assert refs == {f"{at}/anyOf/0" for at in opened}
    assert set(opened) == {
        "/components/schemas/ReleasePhase/properties/status",
        "/components/schemas/UpdatePhaseStatusInput/properties/status",
    }


def test_security_is_the_api_key(before: Any, after: Any) -> None:
    assert "security" not in before
    assert after["security"] == [{"ApiKey": []}]


def test_output_is_valid_openapi(after: Any) -> None:
    validate(after)


def test_normalising_the_output_again_changes_nothing(result: Result, tmp_path: Path) -> None:
    again = tmp_path / "openapi.yaml"
    again.write_text(result.text(), encoding="utf-8")
    second = normalise(again)
    assert second.fixes_file is None
    assert second.changes == []
    assert second.text() == result.text()


def test_everything_names_an_existing_source_page(before: Any) -> None:
    sources = {name: op.get("x-source", {}) for name, op in operations(before)}
    sources |= {name: schema.get("x-source", {}) for name, schema in before["components"]["schemas"].items()}
    assert len(sources) == 5 + len(before["components"]["schemas"])
    missing = [name for name, source in sources.items() if not (UPSTREAM.parent / source.get("page", "?")).is_file()]
    assert missing == []
