from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from generator.document.loading import Document
from generator.normalise.rules import drop_reserved_header_parameters as rule

KEPT = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    get:
      parameters:
        - {name: Authorization, in: query, schema: {type: string}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses: {'200': {description: ok}}
"""

BEFORE = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    parameters:
      - {name: accept, in: header, schema: {type: string}}
      - {name: limit, in: query, schema: {type: integer}}
    get:
      parameters:
        - {name: Authorization, in: header, required: true, schema: {type: string}}
        - {name: X-Trace, in: header, schema: {type: string}}
        - $ref: '#/components/parameters/ContentType'
      responses: {'200': {description: ok}}
components:
  parameters:
    ContentType: {name: Content-Type, in: header, schema: {type: string}}
"""

AFTER = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    parameters:
      - {name: limit, in: query, schema: {type: integer}}
    get:
      parameters:
        - {name: X-Trace, in: header, schema: {type: string}}
      responses: {'200': {description: ok}}
components:
  parameters:
    ContentType: {name: Content-Type, in: header, schema: {type: string}}
"""

# Pointers name places in the document as it was; within a list the last goes first, so the
# records can be replayed in order.
CHANGES = [
    ("/paths/~1things/parameters/0", {"name": "accept", "in": "header", "schema": {"type": "string"}}, None),
    ("/paths/~1things/get/parameters/2", {"$ref": "#/components/parameters/ContentType"}, None),
    (
        "/paths/~1things/get/parameters/0",
        {"name": "Authorization", "in": "header", "required": True, "schema": {"type": "string"}},
        None,
    ),
]


@pytest.mark.parametrize(
    ("before", "after", "changes"),
    [pytest.param(KEPT, KEPT, [], id="noop"), pytest.param(BEFORE, AFTER, CHANGES, id="fix")],
)
def test_drop_reserved_header_parameters(
    check_rule: Callable[..., Document], before: str, after: str, changes: list[tuple[str, Any, Any]]
) -> None:
    check_rule(rule, before, after, changes)
