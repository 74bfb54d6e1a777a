"""Helpers for the normalisation tests: tiny OpenAPI documents written inline as YAML text."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ruamel.yaml import YAML

from generator.document.loading import Document, load, plain
from generator.normalise.changes import Change, ChangeLog


def yaml_data(text: str) -> Any:
    """Plain data for YAML text (an independent safe load, to state expected documents)."""
    return YAML(typ="safe").load(textwrap.dedent(text))


def apply_rule(rule: ModuleType, doc: Document) -> list[Change]:
    """Run one generic rule module on `doc`, returning the changes it recorded."""
    log = ChangeLog()
    rule.apply(doc, log.for_rule(rule.ID))
    return log.changes


@pytest.fixture
def load_doc(tmp_path: Path) -> Callable[[str], Document]:
    """YAML text -> Document, loaded round-trip from a file as the generator does."""

    def _load(text: str) -> Document:
        path = tmp_path / "openapi.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return load(path)

    return _load


@pytest.fixture
def run_rule() -> Callable[[ModuleType, Document], list[Change]]:
    return apply_rule


@pytest.fixture
def check_rule(load_doc: Callable[[str], Document]) -> Callable[..., Document]:
    """Run `rule` on `before`; assert the document equals `after`, the changes equal `changes`
    (pointer, before, after triples), and a second run changes nothing."""

    def _check(rule: ModuleType, before: str, after: str, changes: list[tuple[str, Any, Any]]) -> Document:
        doc = load_doc(before)
        assert apply_rule(rule, doc) == [Change(rule.ID, *c) for c in changes]
        assert plain(doc.root) == yaml_data(after)
        assert apply_rule(rule, doc) == [], "a second run must change nothing"
        assert plain(doc.root) == yaml_data(after)
        return doc

    return _check
