"""`generator.render.literals`: text from a description, quoted so that the generated code holds
exactly that text and nothing in it can end the literal."""

from __future__ import annotations

import json
import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.literals import docstring, python_literal, toml_string
from tests.robustness.strategies import hostile_text

TEXT = st.one_of(hostile_text(), st.text())
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=300)
@given(TEXT)
def test_a_docstring_holds_exactly_the_text(text: str) -> None:
    source = f'def f():\n    """{docstring(text)}"""\n'
    namespace: dict[str, object] = {}
    exec(compile(source, "<docstring>", "exec"), namespace)

    assert namespace["f"].__doc__ == text  # type: ignore[attr-defined]


@settings(max_examples=300)
@given(TEXT)
def test_a_wrapped_docstring_changes_only_whitespace(text: str) -> None:
    value = eval(f'"""{docstring(text, width=20)}"""')

    assert value.split() == text.split()


@settings(max_examples=300)
@given(JSON)
def test_a_python_literal_evaluates_to_the_value(value: object) -> None:
    got = eval(python_literal(value), {})

    assert json.dumps(got, sort_keys=True) == json.dumps(value, sort_keys=True)


@settings(max_examples=300)
@given(TEXT)
def test_a_toml_string_holds_exactly_the_text(text: str) -> None:
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text


def test_the_classic_breakages_are_quoted() -> None:
    assert docstring('ends with a quote"') == 'ends with a quote\\"'
    assert docstring('three """ quotes') == 'three ""\\" quotes'
    assert docstring("a \\ backslash, a \u2028 line separator, a \x00 NUL") == (
        "a \\\\ backslash, a \\u2028 line separator, a \\x00 NUL"
    )
    assert docstring("x" * 30 + "\\" * 30, width=20) == "x" * 30 + "\\" * 60  # never split inside a word
    assert (
        docstring("see https://example.com/a-long-path-name", width=20) == "see\nhttps://example.com/a-long-path-name"
    )
