"""`repair-harmless-defects`: each harmless defect is repaired in the normalised document, logged
with its JSON pointer in the report and given as a warning; a description without one is unchanged;
with `strict` it is refused."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.document.loading import Document, load, plain
from generator.document.validity import check_shape
from generator.normalise import normalise
from generator.normalise.changes import Change, ChangeLog
from generator.normalise.repairs import ID, repair
from tests.normalise.conftest import yaml_data

HEADER = """
openapi: {version}
info: {{title: Pets, version: '1'}}
paths:
  /pets:
    get:
      operationId: listPets
{operation}
      responses:
        '200':
          description: ok
          content: {{application/json: {{schema: {{$ref: '#/components/schemas/Pet'}}}}}}
components:
  schemas:
    Pet:
      type: object
      properties:
{properties}
"""


def write(tmp_path: Path, version: str, properties: str, operation: str = "") -> Path:
    spec = tmp_path / "pets.yaml"
    text = HEADER.format(version=version, operation=textwrap.indent(operation, " " * 6), properties=properties)
    spec.write_text(text, encoding="utf-8")
    return spec


def run(tmp_path: Path, *parts: str, strict: bool = False) -> tuple[Document, list[Change], list[Diagnostic]]:
    """The description checked and repaired, as normalisation does before its rules."""
    doc = load(write(tmp_path, *parts))
    log = ChangeLog()
    warnings = repair(doc, check_shape(doc, strict), log.for_rule(ID))
    return doc, log.changes, warnings


def pet(doc: Document) -> Any:
    return plain(doc.root["components"]["schemas"]["Pet"]["properties"])


def repairs(changes: list[Change]) -> list[tuple[str, Any, Any]]:
    return [(c.pointer, c.before, c.after) for c in changes]


KIND = "/components/schemas/Pet/properties/kind"


@pytest.mark.parametrize(
    ("version", "before", "after", "changes"),
    [
        pytest.param(
            "3.0.3",
            "kind: {type: string, const: cat}",
            "kind: {type: string, enum: [cat]}",
            [(f"{KIND}/const", "cat", None), (f"{KIND}/enum", None, ["cat"])],
            id="const-in-3.0",
        ),
        pytest.param(
            "3.1.0",
            "kind: {type: string, examples: {short: {value: cat}, long: {value: tabby cat}}}",
            "kind: {type: string, examples: [cat, tabby cat]}",
            [(f"{KIND}/examples", {"short": {"value": "cat"}, "long": {"value": "tabby cat"}}, ["cat", "tabby cat"])],
            id="examples-mapping-in-3.1",
        ),
        pytest.param(
            "3.1.0",
            "kind: {type: string, enum: [cat, dog], default: bird}",
            "kind: {type: string, enum: [cat, dog]}",
            [(f"{KIND}/default", "bird", None)],
            id="default-not-fitting",
        ),
        pytest.param(
            "3.0.3",
            "kind: {type: string, examples: [cat]}",
            "kind: {type: string}",
            [(f"{KIND}/examples", ["cat"], None)],
            id="examples-in-3.0-unknown",
        ),
        pytest.param(
            "3.0.3",  # 3.1's dialect allows it
            "kind: {type: string, enum: [cat, dog, cat, cat]}",
            "kind: {type: string, enum: [cat, dog]}",
            [(f"{KIND}/enum", ["cat", "dog", "cat", "cat"], ["cat", "dog"])],
            id="enum-repeating-values",
        ),
        pytest.param(
            "3.0.3",
            "kind: {type: string, enum: [cat], x-note: kept}",
            "kind: {type: string, enum: [cat], x-note: kept}",
            [],
            id="no-op",
        ),
    ],
)
def test_a_harmless_defect_in_a_schema_is_repaired(
    tmp_path: Path, version: str, before: str, after: str, changes: list[tuple[str, Any, Any]]
) -> None:
    doc, logged, warnings = run(tmp_path, version, " " * 8 + before)

    assert pet(doc) == yaml_data(after)
    assert repairs(logged) == changes
    assert [(w.severity, w.rule, w.pointer) for w in warnings] == [("warning", ID, c[0]) for c in changes[:1]]


def test_an_unknown_field_of_an_operation_is_dropped_an_extension_kept_and_both_reported(tmp_path: Path) -> None:
    result = normalise(write(tmp_path, "3.1.0", "        kind: {type: string}", "title: List the pets\nx-title: kept"))

    operation = plain(result.document.root["paths"]["/pets"]["get"])
    assert "title" not in operation and operation["x-title"] == "kept"
    assert [c.as_json() for c in result.changes if c.rule == ID] == [
        {"rule": ID, "pointer": "/paths/~1pets/get/title", "before": "List the pets", "after": None}
    ]
    assert result.report()["warnings"] == [
        "pets.yaml:8:7 (at /paths/~1pets/get/title): warning: [repair-harmless-defects] not valid OpenAPI: "
        "`title` is not a field of this object; dropped"
    ]


def test_strict_refuses_a_harmless_defect_and_says_what_the_repair_would_be(tmp_path: Path) -> None:
    with pytest.raises(GeneratorFailure) as failure:
        run(tmp_path, "3.0.3", "        kind: {type: string, const: cat}", strict=True)

    [problem] = failure.value.diagnostics
    assert (problem.severity, problem.pointer) == ("error", f"{KIND}/const")
    assert problem.hint.endswith("without --strict it is read as `enum: ['cat']`, with a warning")


def test_a_defect_that_changes_the_requests_stays_an_error(tmp_path: Path) -> None:
    """A `required` of the wrong type would decide whether the client must send the parameter."""
    with pytest.raises(GeneratorFailure) as failure:
        run(tmp_path, "3.1.0", "        kind: {type: string}", "parameters: [{name: q, in: query, required: 'yes'}]")

    assert [(p.severity, p.pointer) for p in failure.value.diagnostics] == [
        ("error", "/paths/~1pets/get/parameters/0"),
        ("error", "/paths/~1pets/get/parameters/0/required"),
    ]


@pytest.mark.parametrize(
    ("version", "operation", "before", "after", "where", "changed"),
    [
        pytest.param(
            "3.0.3",
            "",
            "kind: {anyOf: [{type: string}, {type: 'null', description: none}]}",
            "kind: {anyOf: [{type: string}, {description: none, nullable: true, enum: [null]}]}",
            f"{KIND}/anyOf/1/type",
            f"{KIND}/anyOf/1",
            id="null-type-in-3.0",
        ),
        pytest.param(
            "3.1.0",
            "requestBody: {content: {application/json: {schema: null}}}",
            "kind: {type: string}",
            "kind: {type: string}",
            "/paths/~1pets/get/requestBody/content/application~1json/schema",
            "/paths/~1pets/get/requestBody/content/application~1json/schema",
            id="null-media-type-schema",
        ),
    ],
)
def test_null_as_3_0_cannot_write_it_is_read_as_meant(
    tmp_path: Path, version: str, operation: str, before: str, after: str, where: str, changed: str
) -> None:
    """Blockfrost's 3.0 `type: 'null'` and Directus's `schema: null`: the warning names the innermost
    place, the repair replaces what holds it."""
    doc, logged, warnings = run(tmp_path, version, " " * 8 + before, operation)

    assert pet(doc) == yaml_data(after)
    assert [c.pointer for c in logged] == [changed]
    assert [(w.severity, w.pointer) for w in warnings] == [("warning", where)]
    if "requestBody" in operation:
        assert plain(doc.root["paths"]["/pets"]["get"]["requestBody"]) == {"content": {"application/json": {}}}
