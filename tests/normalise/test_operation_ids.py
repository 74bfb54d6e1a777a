from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from generator.diagnostics import GeneratorFailure
from generator.document.loading import Document
from generator.normalise.changes import Change
from generator.normalise.rules import operation_ids as rule

NAMED = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    get: {operationId: listThings, responses: {'200': {description: ok}}}
    post: {operationId: createThing, responses: {'200': {description: ok}}}
"""

BEFORE = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    get: {operationId: listThings, responses: {'200': {description: ok}}}
  /projects/{projectKey}/flags:
    put: {responses: {'200': {description: ok}}}
  /flags/{flag-key}/release_phases:
    delete: {responses: {'204': {description: gone}}}
"""

AFTER = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    get: {operationId: listThings, responses: {'200': {description: ok}}}
  /projects/{projectKey}/flags:
    put: {operationId: putProjectsProjectKeyFlags, responses: {'200': {description: ok}}}
  /flags/{flag-key}/release_phases:
    delete: {operationId: deleteFlagsFlagKeyReleasePhases, responses: {'204': {description: gone}}}
"""

CHANGES = [
    ("/paths/~1projects~1{projectKey}~1flags/put/operationId", None, "putProjectsProjectKeyFlags"),
    ("/paths/~1flags~1{flag-key}~1release_phases/delete/operationId", None, "deleteFlagsFlagKeyReleasePhases"),
]


@pytest.mark.parametrize(
    ("before", "after", "changes"),
    [pytest.param(NAMED, NAMED, [], id="noop"), pytest.param(BEFORE, AFTER, CHANGES, id="fix")],
)
def test_operation_ids(
    check_rule: Callable[..., Document], before: str, after: str, changes: list[tuple[str, Any, Any]]
) -> None:
    check_rule(rule, before, after, changes)


@pytest.mark.parametrize("published", ["''", "42"], ids=["blank", "not-a-string"])
def test_replaced_id_is_recorded_as_it_was(
    load_doc: Callable[[str], Document], run_rule: Callable[[ModuleType, Document], list[Change]], published: str
) -> None:
    doc = load_doc(f"""
        openapi: 3.1.0
        info: {{title: t, version: '1'}}
        paths:
          /things:
            get: {{operationId: {published}, responses: {{'200': {{description: ok}}}}}}
        """)
    was = "" if published == "''" else 42
    assert run_rule(rule, doc) == [Change(rule.ID, "/paths/~1things/get/operationId", was, "getThings")]


def test_duplicate_ids_fail_naming_both_places(
    load_doc: Callable[[str], Document], run_rule: Callable[[ModuleType, Document], list[Change]]
) -> None:
    doc = load_doc("""
        openapi: 3.1.0
        info: {title: t, version: '1'}
        paths:
          /a:
            get:
              operationId: same
              responses: {'200': {description: ok}}
          /b:
            post:
              summary: the second one
              operationId: same
              responses: {'200': {description: ok}}
        """)
    with pytest.raises(GeneratorFailure) as failure:
        run_rule(rule, doc)
    [diagnostic] = failure.value.diagnostics
    assert (diagnostic.file, diagnostic.line, diagnostic.column) == (str(doc.path), 12, 7)
    assert diagnostic.pointer == "/paths/~1b/post/operationId"
    assert diagnostic.rule == "operation-ids"
    assert "'same'" in diagnostic.message and "/paths/~1a/get" in diagnostic.message
    assert f"{doc.path}:12:7 (at /paths/~1b/post/operationId)" in str(failure.value)
