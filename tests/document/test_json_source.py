"""JSON descriptions go through the standard library's parser, with the same tree, the same
diagnostics (file, line, column) and a JSON normalised text; what YAML would read differently
goes through ruamel.yaml as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.diagnostics import GeneratorFailure
from generator.document import json_source
from generator.document.loading import Document, _yaml, load, plain, plain_data, serialise
from generator.normalise import normalise

DESCRIPTION = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "paths": {
        "/pets/{petId}": {
            "get": {
                "operationId": "getPet",
                "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}},
            }
        }
    },
}


def write(tmp_path: Path, text: str, name: str = "api.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_json_description_is_the_same_tree_as_the_round_trip_reads(tmp_path: Path) -> None:
    text = json.dumps(DESCRIPTION, indent=2)

    doc = load(write(tmp_path, text))

    assert doc.marks is not None  # read by the fast reader
    assert plain(doc.root) == plain(_yaml().load(text)) == DESCRIPTION
    parameters = doc.root["paths"]["/pets/{petId}"]["get"]["parameters"]
    assert isinstance(doc.root, CommentedMap) and isinstance(parameters, CommentedSeq)


def test_a_place_in_a_json_description_has_the_line_and_column_the_round_trip_gives(tmp_path: Path) -> None:
    text = json.dumps(DESCRIPTION, indent=2)
    spec = write(tmp_path, text)
    fast, marked = load(spec), Document(spec, _yaml().load(text))  # the round trip's own marks
    pointers = [
        "/info/title",
        "/paths/~1pets~1{petId}/get/parameters/0/name",
        "/paths/~1pets~1{petId}/get/responses/200/content",
        "/paths/~1pets~1{petId}/get/parameters/0",
    ]

    for pointer in pointers:
        assert fast.locate(pointer) == marked.locate(pointer), pointer
    assert fast.locate("/info/title/nothing/here") == fast.locate("/info/title")


def test_a_json_error_is_reported_at_its_line_and_column(tmp_path: Path) -> None:
    broken = {**DESCRIPTION, "info": {"version": "1"}}
    spec = write(tmp_path, json.dumps(broken, indent=2))

    with pytest.raises(GeneratorFailure) as caught:
        normalise(spec)

    (first, *_) = caught.value.diagnostics
    assert (first.file, first.line, first.column, first.pointer) == (str(spec), 3, 3, "/info")


@pytest.mark.parametrize(
    "text",
    ['{"openapi": "3.1.0", "info": {"title": "a", "title": "b", "version": "1"}}', '{"openapi": "3.1.0", "x": NaN}'],
    ids=["repeated-key", "nan"],
)
def test_json_that_yaml_reads_differently_goes_through_the_round_trip(text: str) -> None:
    with pytest.raises(json_source.NotPlainJson):
        json_source.parse(text)


def test_a_repeated_key_is_still_refused_at_its_line(tmp_path: Path) -> None:
    spec = write(tmp_path, '{\n  "openapi": "3.1.0",\n  "openapi": "3.0.3"\n}\n')

    with pytest.raises(GeneratorFailure) as caught:
        load(spec)

    assert caught.value.diagnostics[0].line == 3


def test_a_json_description_normalises_to_json_text_that_reads_back_the_same(tmp_path: Path) -> None:
    result = normalise(write(tmp_path, json.dumps(DESCRIPTION)))

    text = result.text()

    body = text.split("\n", 1)[1]
    assert json.loads(body) == plain(result.document.root) == plain_data(text)
    assert text == result.text() and serialise(result.document) == body


def test_a_yaml_description_keeps_the_round_trip(tmp_path: Path) -> None:
    doc = load(write(tmp_path, "# ours\nopenapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n", "api.yaml"))

    assert doc.marks is None
    assert serialise(doc).startswith("# ours\nopenapi: 3.1.0")


def test_text_yaml_would_fold_survives_the_json_text(tmp_path: Path) -> None:
    described = {**DESCRIPTION, "info": {"title": "a\u2028b\u0085c é \U0001f600", "version": "1"}}
    result = normalise(write(tmp_path, json.dumps(described, ensure_ascii=False)))

    text = result.text()

    assert "\u2028" not in text and "\\u2028" in text and "é \U0001f600" in text
    title = "a\u2028b\u0085c é \U0001f600"
    assert (
        plain_data(text)["info"]["title"]
        == _yaml().load(text)["info"]["title"]
        == yaml.safe_load(text)["info"]["title"]
        == title
    )


def test_comment_lines_before_the_json_keep_it_json_and_its_places_right(tmp_path: Path) -> None:
    body = json.dumps(DESCRIPTION, indent=2)
    commented = load(write(tmp_path, '# a "quoted" {comment}\n\n' + body))

    assert commented.marks is not None
    assert commented.locate("/info/title") == (6, 5)  # two lines down from where it is without them
    assert load(write(tmp_path, body, "bare.json")).locate("/info/title") == (4, 5)
