from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from generator.document.loading import Document
from generator.normalise.changes import Change
from generator.normalise.rules import examples_match_schema as rule

SCHEMAS = """
components:
  schemas:
    Millis: {type: integer, format: int64, example: EXAMPLE}
    Thing:
      type: object
      properties:
        created: {$ref: '#/components/schemas/Millis'}
        name: {type: string}
        score: {type: number}
        tags: {type: array, items: {type: integer}}
        child: {type: object, properties: {at: {$ref: '#/components/schemas/Millis'}}}
"""

MATCHING = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /codes:
    get:
      parameters:
        - {name: code, in: query, schema: {type: [integer, string]}, example: '0042'}
      responses: {'204': {description: ok}}
  /things:
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer}, example: 10}
        - {name: code, in: query, schema: {type: string}, example: '0042'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              example: {created: 12, name: '34', score: 1.5, tags: [1, x], child: {at: 5}}
""" + SCHEMAS.replace("EXAMPLE", "1684262711507")

BEFORE = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer}, example: '10'}
        - {name: code, in: query, schema: {type: string}, example: '0042'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              examples:
                one:
                  value: {created: '12', name: '34', score: '1.5', tags: ['-1', x], child: {at: '5'}}
""" + SCHEMAS.replace("EXAMPLE", "'1684262711507'")

AFTER = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer}, example: 10}
        - {name: code, in: query, schema: {type: string}, example: '0042'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              examples:
                one:
                  value: {created: 12, name: '34', score: 1.5, tags: [-1, x], child: {at: 5}}
""" + SCHEMAS.replace("EXAMPLE", "1684262711507")

VALUE = "/paths/~1things/get/responses/200/content/application~1json/examples/one/value"
CHANGES = [
    ("/components/schemas/Millis/example", "1684262711507", 1684262711507),
    ("/paths/~1things/get/parameters/0/example", "10", 10),
    (f"{VALUE}/created", "12", 12),
    (f"{VALUE}/score", "1.5", 1.5),
    (f"{VALUE}/tags/0", "-1", -1),
    (f"{VALUE}/child/at", "5", 5),
]


@pytest.mark.parametrize(
    ("before", "after", "changes"),
    [pytest.param(MATCHING, MATCHING, [], id="noop"), pytest.param(BEFORE, AFTER, CHANGES, id="fix")],
)
def test_examples_match_schema(
    check_rule: Callable[..., Document], before: str, after: str, changes: list[tuple[str, Any, Any]]
) -> None:
    doc = check_rule(rule, before, after, changes)
    if changes:
        assert type(doc.root["components"]["schemas"]["Millis"]["example"]) is int


def test_string_admitted_by_an_any_of_branch_is_untouched(
    load_doc: Callable[[str], Document], run_rule: Callable[[ModuleType, Document], list[Change]]
) -> None:
    doc = load_doc("""
        openapi: 3.1.0
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            Either: {anyOf: [{type: integer}, {type: string}], example: '123'}
        """)
    assert run_rule(rule, doc) == []
    assert doc.root["components"]["schemas"]["Either"]["example"] == "123"
