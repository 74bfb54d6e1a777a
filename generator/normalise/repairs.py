"""`repair-harmless-defects`: what validity found invalid but harmless (nothing a client sends or
accepts depends on it) is repaired here, each change logged with its JSON pointer like a rule's, and
each repair becomes a warning. Unknown fields are dropped, a 3.0 schema's `const` becomes `enum`,
a schema's `examples` mapping becomes a list, a default that does not fit its schema is dropped."""

from __future__ import annotations

from typing import Any

from generator.diagnostics import Diagnostic
from generator.document import pointer as jp
from generator.document.loading import Document
from generator.document.validity import DROP, KEEP, REPAIR, Harmless
from generator.normalise.changes import RuleLog

ID = REPAIR


def repair(doc: Document, defects: list[Harmless], log: RuleLog) -> list[Diagnostic]:
    """Apply every repair to `doc`; the warnings that say what was repaired, where."""
    for defect in defects:
        if defect.after is KEEP:  # said, not changed
            continue
        tokens = jp.split(defect.pointer)
        parent = _node(doc.root, tokens[:-1])
        key = _key(parent, tokens[-1])
        before = parent[key]
        if defect.after is DROP:
            del parent[key]
            log.record(defect.pointer, before, None)
        elif defect.rename is None:
            parent[key] = defect.after
            log.record(defect.pointer, before, defect.after)
        else:
            parent.insert(list(parent).index(key), defect.rename, defect.after)
            del parent[key]
            log.record(defect.pointer, before, None)
            log.record(jp.join(jp.join("", *tokens[:-1]), defect.rename), None, defect.after)
    if defects:
        doc.edited()
    return [defect.warning() for defect in defects]


def _node(root: Any, tokens: list[str]) -> Any:
    node = root
    for token in tokens:
        node = node[_key(node, token)]
    return node


def _key(node: Any, token: str) -> Any:
    """The key or index of `node` that a pointer token names (an unquoted `200:` is an int key)."""
    if isinstance(node, list):
        return int(token)
    return token if token in node else next(key for key in node if str(key) == token)
