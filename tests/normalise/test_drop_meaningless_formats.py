from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from generator.document.loading import Document
from generator.normalise.rules import drop_meaningless_formats as rule

KEPT = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
      responses: {'200': {description: ok}}
components:
  schemas:
    Thing:
      type: object
      properties:
        count: {type: integer, format: int64}
        at: {type: string, format: date-time}
        format: {type: string}
"""

BEFORE = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: string}}
      responses:
        '200':
          description: ok
          headers:
            X-Count: {schema: {type: integer, format: integer}}
components:
  schemas:
    Thing:
      type: object
      format: object
      properties:
        count: {type: integer, format: int64}
        format: {type: string, format: string}
        tags: {type: array, items: {type: boolean, format: boolean}}
        at: {type: string, format: datetime}
        small: {type: [integer, 'null'], format: uint8}
"""

AFTER = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          headers:
            X-Count: {schema: {type: integer}}
components:
  schemas:
    Thing:
      type: object
      properties:
        count: {type: integer, format: int64}
        format: {type: string}
        tags: {type: array, items: {type: boolean}}
        at: {type: string}
        small: {type: [integer, 'null']}
"""

CHANGES = [
    ("/components/schemas/Thing/format", "object", None),
    ("/components/schemas/Thing/properties/format/format", "string", None),
    ("/components/schemas/Thing/properties/tags/items/format", "boolean", None),
    ("/components/schemas/Thing/properties/at/format", "datetime", None),
    ("/components/schemas/Thing/properties/small/format", "uint8", None),
    ("/paths/~1things~1{id}/get/parameters/0/schema/format", "string", None),
    ("/paths/~1things~1{id}/get/responses/200/headers/X-Count/schema/format", "integer", None),
]


@pytest.mark.parametrize(
    ("before", "after", "changes"),
    [pytest.param(KEPT, KEPT, [], id="noop"), pytest.param(BEFORE, AFTER, CHANGES, id="fix")],
)
def test_drop_meaningless_formats(
    check_rule: Callable[..., Document], before: str, after: str, changes: list[tuple[str, Any, Any]]
) -> None:
    check_rule(rule, before, after, changes)


def test_the_known_formats_are_those_of_the_pinned_model_generator() -> None:
    from datamodel_code_generator.parser.jsonschema import json_schema_data_formats

    pinned = {t: set(formats) - {"default"} - rule.TYPE_NAMES for t, formats in json_schema_data_formats.items()}
    assert {t: formats for t, formats in pinned.items() if formats} == rule.KNOWN
