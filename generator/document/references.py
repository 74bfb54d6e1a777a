"""Every `$ref` is checked here, before any library follows one: a reference must be local (`#/...`)
and lead to something. openapi-spec-validator, openapi-python-client and datamodel-code-generator
would otherwise read other files or fetch URLs themselves. A schema may refer to itself through its
properties or items (a tree; that is legal and generates), but a chain of references that comes back
to where it started has no content anywhere and is refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.document import pointer as jp
from generator.document.loading import Document
from generator.document.walking import target_pointer

BUNDLE_HINT = "bundle the description into one file first (for example `redocly bundle`), then generate from that"


def iter_refs(root: Any) -> Iterator[tuple[str, str]]:
    """(pointer of the object holding `$ref`, the reference) for every `$ref` string in the document,
    wherever it stands: a reference inside an example or an extension is checked like any other,
    since no library is trusted to leave those alone."""
    for at, node in jp.walk(root):
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            yield at, node["$ref"]


def check_references(doc: Document) -> None:
    problems: list[Diagnostic] = []
    for at, ref in iter_refs(doc.root):
        problem = _problem(doc, at, ref)
        if problem is not None:
            message, hint = problem
            problems.append(doc.diagnostic(jp.join(at, "$ref"), message, hint, rule="references"))
    if problems:
        raise GeneratorFailure(problems)


def _problem(doc: Document, at: str, ref: str) -> tuple[str, str] | None:
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", ref):
        return f"`$ref: {ref}` points to a URL: references are never fetched", BUNDLE_HINT
    if not ref.startswith("#"):
        folder = doc.path.resolve().parent
        target = (folder / unquote(ref.split("#", 1)[0])).resolve()
        where = "another file" if target.is_relative_to(folder) else "a file outside the description's folder"
        return f"`$ref: {ref}` points to {where}: other files are never read", BUNDLE_HINT
    chain = [at]
    while True:
        pointer = target_pointer(ref)
        if pointer and not pointer.startswith("/"):
            return f"`$ref: {ref}` is not a JSON pointer (anchors are not supported)", "refer with `#/components/...`"
        target = jp.resolve(doc.root, pointer, None)
        if target is None:
            return f"`$ref: {ref}` points to nothing: {pointer or '/'} is not in the document", (
                "fix the reference, or add what it names"
            )
        if not (isinstance(target, dict) and isinstance(target.get("$ref"), str)):
            return None
        if pointer in chain:
            loop = " -> ".join([*chain[chain.index(pointer) :], pointer])
            return f"circular `$ref`: {loop} never reaches a definition", "make one of them a real definition"
        chain.append(pointer)
        ref = target["$ref"]
        if not ref.startswith("#"):
            return None  # reported where that reference stands
