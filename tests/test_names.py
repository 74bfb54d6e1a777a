"""`generator.names`: every name derived from a description is a safe Python identifier."""

from __future__ import annotations

import ast
import keyword
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.names import CLASS_NAMES, FIELD_NAMES, PARAMETER_NAMES, pascal, pascal_scope, snake, snake_scope
from generator.render.package import _public_classes
from tests.robustness.strategies import hostile_names

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("releasePipelineKey", "release_pipeline_key"),
        ("_creationDate", "creation_date"),
        ("LD-API-Version", "ld_api_version"),
        ("HTTPStatus2", "http_status2"),
        ("class", "class_"),
        ("__init__", "init"),
        ("1st", "n_1st"),
        ("with space", "with_space"),
        ("../../etc/passwd", "etc_passwd"),
        ("é😀", "value"),
        ("timeout", "timeout_"),  # reserved below
    ],
)
def test_snake(text: str, expected: str) -> None:
    assert snake(text, reserved=PARAMETER_NAMES) == expected


def test_a_name_that_becomes_a_file_keeps_the_words_that_fit() -> None:
    assert snake("words " * 30, max_length=20) == "words_words_words"
    assert snake("y" * 300, max_length=20) == "y" * 20


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("phase-status", "PhaseStatus"),
        ("ReleasePipeline", "ReleasePipeline"),
        ("1st", "Schema1st"),
        ("My Pet", "MyPet"),
        ("../evil", "Evil"),
        ("none", "NoneModel"),
        ("Client", "ClientModel"),
        ("BaseModel", "BaseModelModel"),
        ("ApiError", "ApiErrorModel"),
    ],
)
def test_pascal(text: str, expected: str) -> None:
    assert pascal(text, reserved=CLASS_NAMES) == expected


@settings(max_examples=500)
@given(st.one_of(hostile_names(), st.text()))
def test_every_derived_name_is_a_safe_identifier(text: str) -> None:
    for name, reserved in (
        (snake(text, reserved=FIELD_NAMES), FIELD_NAMES),
        (pascal(text, reserved=CLASS_NAMES), CLASS_NAMES),
    ):
        assert name.isidentifier() and name.isascii()
        assert not keyword.iskeyword(name) and name not in reserved
        assert not name.startswith("_") and not name[0].isdigit()


def test_class_names_cover_what_the_package_binds_beside_its_models() -> None:
    """A schema must never be named like an error class, or like a name a resource module imports."""
    errors = set(_public_classes(TEMPLATES / "runtime" / "_exceptions.py"))
    resource = (TEMPLATES / "package" / "resource.py.jinja").read_text()
    imported = {
        alias.name
        for line in resource.splitlines()
        if line.startswith("from ") and "{" not in line
        for node in ast.walk(ast.parse(line))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name[0].isupper()
    }
    assert errors | imported <= CLASS_NAMES


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ({"+1": "+1", "-1": "-1"}, {"+1": "plus_1", "-1": "minus_1"}),  # plain `snake` gives both `n_1`
        (
            {"a": "StartTime", "b": "StartTime<", "c": "StartTime>", "d": "StartTime<=", "e": "StartTime>="},
            {
                "a": "start_time",
                "b": "start_time_before",
                "c": "start_time_after",
                "d": "start_time_at_or_before",
                "e": "start_time_at_or_after",
            },
        ),
        ({"@id": "@id", "id": "id", "$top": "$top"}, {"@id": "at_id", "id": "id", "$top": "top"}),
        ({"!done": "!done", "done": "done", "*": "*"}, {"!done": "not_done", "done": "done", "*": "value"}),
        ({"rate%": "rate%", "rate": "rate"}, {"rate%": "rate_percent", "rate": "rate"}),
        ({"_id": "_id", "id": "id", "_links": "_links"}, {"_id": "underscore_id", "id": "id", "_links": "links"}),
        (
            {"prefs/background": "prefs/background", "prefs_background": "prefs_background"},  # Trello's Boards
            {"prefs/background": "prefs_slash_background", "prefs_background": "prefs_background"},
        ),
    ],
)
def test_punctuation_is_spelled_only_where_it_tells_names_of_a_scope_apart(
    scope: dict[str, str], expected: dict[str, str]
) -> None:
    assert snake_scope(scope) == expected


def test_a_name_without_a_collision_keeps_its_plain_spelling() -> None:
    assert snake_scope({"+1": "+1", "StartTime<": "StartTime<", "$filter": "$filter"}) == {
        "+1": "n_1",
        "StartTime<": "start_time",
        "$filter": "filter",
    }


def test_separators_carry_nothing_so_their_collision_stays_for_the_caller_to_report() -> None:
    assert snake_scope({"foo_bar": "foo_bar", "foo-bar": "foo-bar", "foo.bar": "foo.bar"}) == dict.fromkeys(
        ("foo_bar", "foo-bar", "foo.bar"), "foo_bar"
    )


@settings(max_examples=200)
@given(st.lists(st.sampled_from(["+1", "-1", "1", "a<", "a>", "a", "A", "@a", "a-b", "a_b", "$x", "x"]), unique=True))
def test_a_scopes_names_do_not_depend_on_its_order_and_only_collisions_are_spelled(texts: list[str]) -> None:
    forward = snake_scope({t: t for t in texts}, reserved=FIELD_NAMES)
    backward = snake_scope({t: t for t in reversed(texts)}, reserved=FIELD_NAMES)

    assert forward == backward
    plain = [snake(text, reserved=FIELD_NAMES) for text in texts]
    for text, name in forward.items():
        if plain.count(snake(text, reserved=FIELD_NAMES)) == 1:
            assert name == snake(text, reserved=FIELD_NAMES)


def test_class_names_spell_a_leading_underscore_only_where_it_tells_two_apart() -> None:
    """SendGrid's `_metadata` beside `metadata`; a `_links` alone stays `Links`."""
    names = {"_metadata": "_metadata", "metadata": "metadata", "_links": "_links"}

    assert pascal_scope(names) == {"_metadata": "UnderscoreMetadata", "metadata": "Metadata", "_links": "Links"}
