"""The one place where text from a description becomes part of generated source: a Python literal,
the inside of a docstring, or a TOML string. Templates reach these only as filters (`py`,
`docstring`, `toml`), so no string from a description is ever placed in code unquoted, and what
the generated code holds at run time is exactly what the description said."""

from __future__ import annotations

import json
import math
import textwrap
from typing import Any


def python_literal(value: Any) -> str:
    """Source text that evaluates to `value` (JSON-like data: strings, numbers, booleans, None, lists, dicts)."""
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(python_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{python_literal(k)}: {python_literal(v)}" for k, v in value.items()) + "}"
    if value is None or isinstance(value, (str, bool, int, float)):
        return repr(value)
    raise TypeError(f"no Python literal for {type(value).__name__}")


def _escape_char(char: str) -> str:
    if char == "\\":
        return "\\\\"
    if char in "\n\t" or char.isprintable():
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def docstring(text: Any, width: int | None = None) -> str:
    """`text` for the inside of a `\"\"\"` docstring: backslashes doubled, characters that are not
    printable (controls, line separators, bidi overrides) escaped, no run of three quotes and no
    quote at the end. With `width`, lines are first wrapped at spaces (never inside a word, so neither
    an escape nor a hyphenated URL is split); only whitespace at a wrap changes."""
    text = str(text)
    if width is not None:
        text = "\n".join(_wrap(line, width) for line in text.removesuffix("\n").split("\n"))
    out, quotes = [], 0  # quotes: how many unescaped `"` were just written
    for index, char in enumerate(text):
        last = index == len(text) - 1
        if char == '"' and (quotes == 2 or last):
            out.append('\\"')
            quotes = 0
        else:
            out.append(_escape_char(char))
            quotes = quotes + 1 if char == '"' else 0
    return "".join(out)


def _wrap(line: str, width: int) -> str:
    wrapped = textwrap.wrap(
        line, width, expand_tabs=False, replace_whitespace=False, break_long_words=False, break_on_hyphens=False
    )
    return "\n".join(wrapped)


def toml_string(text: Any) -> str:
    """A TOML basic string (quotes included) holding exactly `text`."""
    return json.dumps(str(text), ensure_ascii=False).replace("\x7f", "\\u007f")


FILTERS = {"py": python_literal, "docstring": docstring, "toml": toml_string}
