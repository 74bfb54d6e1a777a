from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from generator.document.loading import Document, plain
from generator.normalise.changes import Change
from generator.normalise.rules import hoist_inline_schemas as rule

# $ref'd schemas, free-form objects and inline primitives stay where they are.
KEPT = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, additionalProperties: {type: string}}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string}
        owner: {$ref: '#/components/schemas/Owner', description: who owns it}
        kind: {$ref: '#/components/schemas/Owner', enum: [person]}
        meta: {type: object}
        tags: {type: array, items: {type: string}}
    Owner: {type: string, enum: [person, team]}
"""

BEFORE = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {type: object, properties: {id: {type: string}}}
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                size: {type: string, enum: [small, large]}
                parts:
                  type: array
                  items: {type: object, properties: {name: {type: string}}}
                owner: {$ref: '#/components/schemas/Owner'}
                extra: {type: object, additionalProperties: true}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {title: thing created, type: object, properties: {id: {type: string}}}
components:
  schemas:
    Owner:
      type: object
      properties:
        kind: {enum: [person, team]}
    createThingRequest: {type: string}
"""

AFTER = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/ListThingsResponseItem'}
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/CreateThingRequest2'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ThingCreated'}
components:
  schemas:
    Owner:
      type: object
      properties:
        kind: {$ref: '#/components/schemas/OwnerKind'}
    createThingRequest: {type: string}
    OwnerKind: {enum: [person, team]}
    ListThingsResponseItem: {type: object, properties: {id: {type: string}}}
    CreateThingRequest2:
      type: object
      properties:
        size: {$ref: '#/components/schemas/CreateThingRequest2Size'}
        parts:
          type: array
          items: {$ref: '#/components/schemas/CreateThingRequest2PartsItem'}
        owner: {$ref: '#/components/schemas/Owner'}
        extra: {type: object, additionalProperties: true}
    CreateThingRequest2Size: {type: string, enum: [small, large]}
    CreateThingRequest2PartsItem: {type: object, properties: {name: {type: string}}}
    ThingCreated: {title: thing created, type: object, properties: {id: {type: string}}}
"""


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


ID_OBJECT = {"type": "object", "properties": {"id": {"type": "string"}}}
CHANGES = [
    ("/components/schemas/Owner/properties/kind", {"enum": ["person", "team"]}, ref("OwnerKind")),
    (
        "/paths/~1things/get/responses/200/content/application~1json/schema/items",
        ID_OBJECT,
        ref("ListThingsResponseItem"),
    ),
    (
        "/paths/~1things/post/requestBody/content/application~1json/schema",
        {
            "type": "object",
            "properties": {
                "size": {"type": "string", "enum": ["small", "large"]},
                "parts": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}},
                "owner": ref("Owner"),
                "extra": {"type": "object", "additionalProperties": True},
            },
        },
        ref("CreateThingRequest2"),
    ),
    (
        "/components/schemas/CreateThingRequest2/properties/size",
        {"type": "string", "enum": ["small", "large"]},
        ref("CreateThingRequest2Size"),
    ),
    (
        "/components/schemas/CreateThingRequest2/properties/parts/items",
        {"type": "object", "properties": {"name": {"type": "string"}}},
        ref("CreateThingRequest2PartsItem"),
    ),
    (
        "/paths/~1things/post/responses/201/content/application~1json/schema",
        {"title": "thing created", **ID_OBJECT},
        ref("ThingCreated"),
    ),
]


@pytest.mark.parametrize(
    ("before", "after", "changes"),
    [pytest.param(KEPT, KEPT, [], id="noop"), pytest.param(BEFORE, AFTER, CHANGES, id="fix")],
)
def test_hoist_inline_schemas(
    check_rule: Callable[..., Document], before: str, after: str, changes: list[tuple[str, Any, Any]]
) -> None:
    check_rule(rule, before, after, changes)


def test_nothing_to_hoist_leaves_a_document_without_components_alone(
    load_doc: Callable[[str], Document], run_rule: Callable[[ModuleType, Document], list[Change]]
) -> None:
    text = """
        openapi: 3.1.0
        info: {title: t, version: '1'}
        paths:
          /things:
            get: {operationId: listThings, responses: {'204': {description: gone}}}
        """
    doc = load_doc(text)
    before = plain(doc.root)
    assert run_rule(rule, doc) == []
    assert plain(doc.root) == before


def test_error_response_schema_is_named_after_its_status_code(
    load_doc: Callable[[str], Document], run_rule: Callable[[ModuleType, Document], list[Change]]
) -> None:
    doc = load_doc("""
        openapi: 3.1.0
        info: {title: t, version: '1'}
        paths:
          /things:
            get:
              operationId: listThings
              responses:
                '404':
                  description: not found
                  content:
                    application/json:
                      schema: {type: object, properties: {message: {type: string}}}
        """)
    run_rule(rule, doc)
    assert list(doc.root["components"]["schemas"]) == ["ListThingsResponse404"]
