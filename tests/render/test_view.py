"""The view model of one operation: arguments, body, outcomes and what the call sends, decided in
Python before any template sees them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.diagnostics import GeneratorFailure
from generator.document.loading import load
from generator.render.models import ModelField, ModelIndex
from generator.render.view import Method, _checked, build_method, build_resources

INDEX = ModelIndex(
    fields={
        "Album": [
            ModelField("title", "title", "str", True, "The album's title"),
            ModelField("private", "private", "bool | None", False),
        ],
        "Job": [ModelField("id", "id", "str", True)],
        "Upload": [ModelField("file", "file", "bytes", True), ModelField("note", "note", "str | None", False)],
    }
)

HEAD = """openapi: 3.1.0
info: {title: t, version: '1'}
components:
  schemas:
    Album: {type: object, required: [title], properties: {title: {type: string}, private: {type: boolean}}}
    Job: {type: object, required: [id], properties: {id: {type: string}}}
    Upload: {type: object, required: [file], properties: {file: {type: string, format: binary}, note: {type: string}}}
paths:
"""


def method(tmp_path: Path, operation: str) -> Method:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        HEAD + "  /things/{thingId}:\n    post:\n" + "\n".join("      " + line for line in operation.splitlines())
    )
    doc = load(spec)
    (op,) = doc.operations()
    built, problems = build_method(doc, op, INDEX)
    if problems:
        raise GeneratorFailure(problems)
    return built


PATH_PARAMETER = "parameters: [{name: thingId, in: path, required: true, schema: {type: string}}]\n"


def test_an_object_body_becomes_keyword_arguments_and_several_successes_a_union(tmp_path: Path) -> None:
    m = method(
        tmp_path,
        "operationId: makeThing\n" + PATH_PARAMETER + "requestBody:\n  required: true\n"
        "  content: {application/json: {schema: {$ref: '#/components/schemas/Album'}}}\n"
        "responses:\n  '202': {description: later, content: {application/json: {schema: "
        "{$ref: '#/components/schemas/Job'}}}}\n"
        "  '204': {description: done}\n  '400': {description: bad, content: {application/problem+json: {}}}\n",
    )

    assert [p.python_name for p in m.positional] == ["thing_id"]
    assert [(p.python_name, p.required, p.has_default) for p in m.keyword] == [
        ("title", True, False),
        ("private", False, True),
    ]
    assert m.keyword[0].description == "The album's title"
    assert m.body is not None and (m.body.kind, m.body.model) == ("json", "Album")
    assert m.returns == "Job | None"
    assert m.accept == "application/json, application/problem+json"


def test_a_field_that_clashes_with_a_parameter_passes_the_body_whole(tmp_path: Path) -> None:
    m = method(
        tmp_path,
        "operationId: makeThing\nparameters:\n  - {name: thingId, in: path, required: true, schema: {type: string}}\n"
        "  - {name: title, in: query, schema: {type: string}}\n"
        "requestBody:\n  content: {application/json: {schema: {$ref: '#/components/schemas/Album'}}}\n"
        "responses: {'204': {description: done}}\n",
    )

    assert m.body is not None and m.body.whole is not None
    assert (m.body.whole.python_name, m.body.whole.annotation, m.body.required) == ("body", "Album | None", False)
    assert [p.python_name for p in m.positional] == ["thing_id", "body"]


def test_a_multipart_body_knows_its_file_fields(tmp_path: Path) -> None:
    m = method(
        tmp_path,
        "operationId: upload\n" + PATH_PARAMETER + "requestBody:\n  required: true\n"
        "  content: {multipart/form-data: {schema: {$ref: '#/components/schemas/Upload'}}}\n"
        "responses: {'204': {description: done}}\n",
    )

    assert m.body is not None and (m.body.kind, m.body.file_fields) == ("multipart", ["file"])
    assert [(p.python_name, p.annotation) for p in m.keyword] == [("file", "FileTypes"), ("note", "str | None")]


def test_a_wildcard_media_type_asks_for_the_content_type(tmp_path: Path) -> None:
    m = method(
        tmp_path,
        "operationId: put\n" + PATH_PARAMETER + "requestBody: {required: true, content: {image/*: {}}}\n"
        "responses: {'200': {description: the bytes, content: {application/octet-stream: {}}}}\n",
    )

    assert m.body is not None and m.body.whole is not None and m.body.content_type is not None
    assert (m.body.whole.annotation, m.body.content_type.python_name, m.returns) == (
        "FileTypes",
        "content_type",
        "bytes",
    )


def test_a_form_body_must_be_an_object(tmp_path: Path) -> None:
    with pytest.raises(GeneratorFailure) as caught:
        method(
            tmp_path,
            "operationId: form\n" + PATH_PARAMETER + "requestBody:\n"
            "  content: {application/x-www-form-urlencoded: {schema: {type: string}}}\n"
            "responses: {'204': {description: done}}\n",
        )

    assert "operation 'form': a application/x-www-form-urlencoded body must be an object" in str(caught.value)


def test_a_form_body_of_an_object_without_properties_is_a_mapping_given_whole(tmp_path: Path) -> None:
    """Stripe's GETs declare `{type: object, properties: {}}` form bodies: the caller names the fields."""
    m = method(
        tmp_path,
        "operationId: form\n" + PATH_PARAMETER + "requestBody:\n"
        "  content: {application/x-www-form-urlencoded: {schema: {type: object, properties: {}}}}\n"
        "responses: {'204': {description: done}}\n",
    )

    assert m.body is not None and m.body.kind == "form" and not m.body.fields
    assert m.body.whole is not None and m.body.whole.annotation == "dict[str, Any] | None"


def test_query_styles_other_than_exploded_form_are_kept(tmp_path: Path) -> None:
    m = method(
        tmp_path,
        "operationId: find\nparameters:\n  - {name: thingId, in: path, required: true, schema: {type: string}}\n"
        "  - {name: ids, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}\n"
        "  - {name: where, in: query, content: {application/json: {schema: {type: object}}}}\n"
        "  - {name: tags, in: query, schema: {type: array, items: {type: string}}}\n"
        "security: []\nresponses: {'204': {description: done}}\n",
    )

    assert m.styles == {"ids": ("pipeDelimited", False), "where": ("json", True)}
    assert [(p.python_name, p.annotation) for p in m.query_params] == [
        ("ids", "list[str] | None"),
        ("where", "dict[str, Any] | None"),
        ("tags", "list[str] | None"),
    ]
    assert m.security == ()


def test_the_readme_orders_a_resource_s_methods_from_creating_to_removing(tmp_path: Path) -> None:
    built = method(tmp_path, f"operationId: touchIt\n{PATH_PARAMETER}responses: {{'204': {{description: ok}}}}")
    verbs = ["delete", "get", "patch", "head", "put", "post"]
    methods = [dataclasses.replace(built, http_method=verb) for verb in verbs]

    ordered = sorted(methods, key=lambda m: m.lifecycle_rank)

    assert [m.http_method for m in ordered] == ["post", "put", "get", "head", "patch", "delete"]


@pytest.mark.parametrize(
    ("annotation", "checked"),
    [
        ("str", "(str,)"),
        ("int | None", "(int, type(None),)"),
        ("float", "(int, float,)"),
        ("list[Album]", "(list, tuple,)"),
        ("Colour", "(Colour, str,)"),
        ("Album", None),
        ("Any | None", None),
    ],
)
def test_a_parameter_is_checked_against_the_plain_types_it_can_be_sent_as(annotation: str, checked: str | None) -> None:
    index = ModelIndex(fields=INDEX.fields, enums={"Colour"}, enum_values={"Colour": ["red", "blue"]})

    assert _checked(annotation, index) == checked


def test_a_path_and_a_query_parameter_of_one_name_are_told_apart_by_place(tmp_path: Path) -> None:
    """SendGrid's `segment_id` in the path and in the query: OpenAPI tells them apart by `in`."""
    m = method(
        tmp_path,
        "operationId: touch\n"
        "parameters:\n"
        "  - {name: thingId, in: path, required: true, schema: {type: string}}\n"
        "  - {name: thingId, in: query, schema: {type: string}}\n"
        "responses: {'204': {description: done}}\n",
    )

    assert [(p.python_name, p.wire_name) for p in m.path_params] == [("thing_id", "thingId")]
    assert [(p.python_name, p.wire_name) for p in m.query_params] == [("thing_id_query", "thingId")]


def test_a_tag_spelled_in_two_cases_is_one_resource(tmp_path: Path) -> None:
    """SendGrid tags operations `Segmenting Contacts` and `segmenting contacts`."""
    spec = tmp_path / "api.yaml"
    spec.write_text(
        HEAD
        + "  /a:\n    get: {operationId: getA, tags: [Segmenting Contacts], responses: {'204': {description: ok}}}\n"
        + "  /b:\n    get: {operationId: getB, tags: [segmenting contacts], responses: {'204': {description: ok}}}\n"
    )

    (resource,) = build_resources(load(spec), INDEX)

    assert (resource.attribute, resource.tag) == ("segmenting_contacts", "Segmenting Contacts")
    assert [m.name for m in resource.methods] == ["get_a", "get_b"]
