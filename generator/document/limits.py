"""What a loaded YAML tree may be before anything walks it. ruamel shares an aliased node instead of
copying it, so loading an alias bomb is cheap, but every later step (validation, `plain`, the
generators) expands it: the expansion aliases add is capped. Nesting is capped below what the
recursive tools downstream survive. JSON's escaped surrogate pairs (`"\\ud83d\\ude00"`) become the
character they spell; a lone surrogate is not text and is refused."""

from __future__ import annotations

import re
from typing import Any

from generator.document import pointer as jp

MAX_ALIAS_EXPANSION = 100_000  # nodes that aliases may add to the document, all aliases together
MAX_DEPTH = 100  # nested mappings and lists

_SURROGATE = re.compile("[\ud800-\udfff]")


class TreeProblem(Exception):
    """What is wrong, the JSON pointer of where, and what to do."""

    def __init__(self, pointer: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.pointer, self.message, self.hint = pointer, message, hint


def check_tree(root: Any) -> None:
    """Raise TreeProblem for an alias bomb, excessive nesting or a lone surrogate; join surrogate pairs."""
    sizes: dict[int, tuple[int, int]] = {}  # id -> (nodes once expanded, height), for finished containers
    added = 0
    stack: list[tuple[Any, str, int, bool]] = [(root, "", 0, False)]
    while stack:
        node, at, depth, finished = stack.pop()
        children = _children(node, at)
        if finished:
            known = [sizes.get(id(child), (1, 0)) for _, _, child in children]
            sizes[id(node)] = (1 + sum(n for n, _ in known), 1 + max((h for _, h in known), default=0))
            continue
        if id(node) in sizes:  # a second reference: an alias
            expanded, height = sizes[id(node)]
            added += expanded
            if added > MAX_ALIAS_EXPANSION:
                raise TreeProblem(
                    at,
                    f"YAML aliases expand the document by more than {MAX_ALIAS_EXPANSION:,} nodes (an alias bomb?)",
                    "write the repeated parts out, or share them with `$ref`",
                )
            _check_depth(depth + height, at)
            continue
        _check_depth(depth, at)
        stack.append((node, at, depth, True))
        for child_at, key, child in reversed(children):
            if isinstance(child, (dict, list)):
                stack.append((child, child_at, depth + 1, False))
            elif isinstance(child, str) and _SURROGATE.search(child):
                node[key] = _text(child, child_at)


def _children(node: Any, at: str) -> list[tuple[str, Any, Any]]:
    """(pointer, key, child) for each child; keys holding surrogate pairs are joined first."""
    if isinstance(node, list):
        return [(jp.join(at, i), i, child) for i, child in enumerate(node)]
    if not isinstance(node, dict):
        return []
    for key in [k for k in node if isinstance(k, str) and _SURROGATE.search(k)]:
        node[_text(key, jp.join(at, key))] = node.pop(key)
    return [(jp.join(at, str(k)), k, child) for k, child in node.items()]


def _check_depth(depth: int, at: str) -> None:
    if depth > MAX_DEPTH:
        raise TreeProblem(
            at,
            f"the document nests deeper than {MAX_DEPTH} levels",
            "flatten it: move nested schemas to components and refer to them with `$ref`",
        )


def _text(value: str, at: str) -> str:
    """`value` with its surrogate pairs joined into the characters they stand for."""
    try:
        joined = value.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        raise TreeProblem(
            at,
            "a string holds a lone surrogate (an escape like `\\ud800` that is not half of a pair): not text",
            "remove it, or write the character it was meant to be",
        ) from None
    return type(value)(joined)  # keeps ruamel's quoting style
