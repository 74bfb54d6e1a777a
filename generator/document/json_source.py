"""JSON descriptions read with the standard library's C parser instead of ruamel.yaml's round trip,
which is some forty times slower on a large description and keeps nothing a JSON file has to keep
(no comments, no anchors, no quoting styles). The tree is made of the same round-trip node types,
so every rule treats both alike. Lines and columns, which only a diagnostic needs, come from one
scan of the text made on the first diagnostic (`JsonMarks`)."""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.document import pointer as jp


class NotPlainJson(ValueError):
    """What the round-trip reader must read instead: not JSON, or JSON that YAML reads differently
    (a repeated key, which it refuses with its place; NaN or Infinity)."""


def _mapping(pairs: list[tuple[str, Any]]) -> CommentedMap:
    node = CommentedMap()
    for key, value in pairs:
        if key in node:
            raise NotPlainJson(f"duplicate key {key!r}")
        node[key] = _node(value)
    return node


def _node(value: Any) -> Any:
    if isinstance(value, list):
        return CommentedSeq(_node(item) for item in value)
    return value


def _constant(name: str) -> Any:
    raise NotPlainJson(f"{name} is not JSON")


_COMMENT_LINES = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)*")  # YAML comments before the JSON (our header)


def start(text: str) -> int:
    """Where the JSON begins, after the comment lines before it."""
    found = _COMMENT_LINES.match(text)
    return found.end() if found else 0


def parse(text: str) -> CommentedMap:
    """The JSON object `text` holds (after comment lines), as round-trip nodes; NotPlainJson for
    anything else."""
    body = text[start(text) :]
    if not body.lstrip().startswith("{"):
        raise NotPlainJson("not a JSON object")
    try:
        root = json.loads(body, object_pairs_hook=_mapping, parse_constant=_constant)
    except json.JSONDecodeError as err:
        raise NotPlainJson(str(err)) from None
    if not isinstance(root, CommentedMap):
        raise NotPlainJson("not a JSON object")
    return root


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],]')
_VALUE_START = re.compile(r"\s*")


class JsonMarks:
    """The 1-based line and column of each member and item of a JSON text, by JSON pointer: for
    an object member its key, for an array item its first character."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._places: dict[str, int] | None = None
        self._lines = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def locate(self, pointer: str) -> tuple[int | None, int | None]:
        """The place of `pointer`, or of its nearest ancestor that the text has."""
        places = self._index()
        tokens = jp.split(pointer)
        for length in range(len(tokens), 0, -1):
            offset = places.get(jp.join("", *tokens[:length]))
            if offset is not None:
                line = bisect.bisect_right(self._lines, offset) - 1
                return line + 1, offset - self._lines[line] + 1
        return None, None

    def _index(self) -> dict[str, int]:
        if self._places is None:
            self._places = _scan(self._text, start(self._text))
        return self._places

    def __repr__(self) -> str:
        return f"JsonMarks({len(self._text)} characters)"


def _scan(text: str, begin: int) -> dict[str, int]:
    """One pass over the text's strings and punctuation, keeping the path of containers."""
    places: dict[str, int] = {}
    stack: list[list[Any]] = []  # [kind, its pointer, item index (array) or expecting a key (object), member]
    for match in _TOKEN.finditer(text, begin):
        token = match.group()
        top = stack[-1] if stack else None
        if token in "{[":
            if top is None:
                pointer = ""
            elif top[0] == "[":
                pointer = jp.join(top[1], str(top[2]))
            else:
                pointer = top[3]
            stack.append([token, pointer, 0 if token == "[" else True, ""])
            if token == "[":
                _item(text, match.end(), stack[-1], places)
        elif token in "}]":
            stack.pop()
        elif top is None:
            continue
        elif token == ",":
            if top[0] == "[":
                top[2] += 1
                _item(text, match.end(), top, places)
            else:
                top[2] = True
        elif top[0] == "{" and top[2] is True:
            key = token[1:-1] if "\\" not in token else json.loads(token)
            top[3] = jp.join(top[1], key)
            places[top[3]] = match.start()
            top[2] = False
    return places


def _item(text: str, after: int, frame: list[Any], places: dict[str, int]) -> None:
    """Record where item `frame[2]` of an array starts (not for the `]` of an empty array)."""
    start = _VALUE_START.match(text, after)
    at = start.end() if start else after
    if at < len(text) and text[at] != "]":
        places[jp.join(frame[1], str(frame[2]))] = at
