from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.diagnostics import GeneratorFailure
from generator.document.loading import Document, plain
from generator.document.references import iter_refs
from generator.normalise.changes import Change
from generator.normalise.rules import hoist_inline_schemas as rule
from generator.pipeline import generate
from tests.render.conftest import run_python

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


# What bundlers write: references to schemas where they first stood, under #/paths, and to parts of
# schemas; references to a parameter and a response there too.
BUNDLED = """
openapi: 3.1.0
info: {title: Bundled, version: '1'}
servers: [{url: 'https://bundled.example'}]
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  owner: {type: object, properties: {id: {type: string}}}
    post:
      operationId: createPet
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/paths/~1pets/get/responses/200/content/application~1json/schema'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/paths/~1pets/get/responses/200/content/application~1json/schema/properties/owner'}
  /tags:
    get:
      operationId: listTags
      parameters:
        - {$ref: '#/paths/~1pets/get/parameters/0'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
    put:
      operationId: putTags
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/paths/~1tags/get/responses/200/content/application~1json/schema', description: the tags}
      responses:
        '200': {$ref: '#/paths/~1pets/get/responses/200'}
components:
  schemas:
    Shop:
      type: object
      properties:
        keeper: {$ref: '#/components/schemas/Shop/properties/owner'}
        owner: {type: object, properties: {name: {type: string}}}
"""

BUNDLED_AFTER = """
openapi: 3.1.0
info: {title: Bundled, version: '1'}
servers: [{url: 'https://bundled.example'}]
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ListPetsResponse'}
    post:
      operationId: createPet
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ListPetsResponse'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ListPetsResponseOwner'}
  /tags:
    get:
      operationId: listTags
      parameters:
        - {$ref: '#/paths/~1pets/get/parameters/0'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
    put:
      operationId: putTags
      requestBody:
        content:
          application/json:
            schema: {type: array, items: {type: string}, description: the tags}
      responses:
        '200': {$ref: '#/paths/~1pets/get/responses/200'}
components:
  schemas:
    Shop:
      type: object
      properties:
        keeper: {$ref: '#/components/schemas/ShopOwner'}
        owner: {$ref: '#/components/schemas/ShopOwner'}
    ShopOwner: {type: object, properties: {name: {type: string}}}
    ListPetsResponse:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/ListPetsResponseOwner'}
    ListPetsResponseOwner: {type: object, properties: {id: {type: string}}}
"""

PETS_SCHEMA = "/paths/~1pets/get/responses/200/content/application~1json/schema"
BUNDLED_CHANGES = [
    (
        "/components/schemas/Shop/properties/owner",
        {"type": "object", "properties": {"name": {"type": "string"}}},
        ref("ShopOwner"),
    ),
    (PETS_SCHEMA, {"type": "object", "properties": {"owner": ID_OBJECT}}, ref("ListPetsResponse")),
    ("/components/schemas/ListPetsResponse/properties/owner", ID_OBJECT, ref("ListPetsResponseOwner")),
    (
        "/paths/~1pets/post/requestBody/content/application~1json/schema/$ref",
        "#" + PETS_SCHEMA,
        "#/components/schemas/ListPetsResponse",
    ),
    (
        "/paths/~1pets/post/responses/201/content/application~1json/schema/$ref",
        f"#{PETS_SCHEMA}/properties/owner",
        "#/components/schemas/ListPetsResponseOwner",
    ),
    (
        "/components/schemas/Shop/properties/keeper/$ref",
        "#/components/schemas/Shop/properties/owner",
        "#/components/schemas/ShopOwner",
    ),
    (
        "/paths/~1tags/put/requestBody/content/application~1json/schema",
        {"$ref": "#/paths/~1tags/get/responses/200/content/application~1json/schema", "description": "the tags"},
        {"type": "array", "items": {"type": "string"}, "description": "the tags"},
    ),
]


def test_references_into_paths_and_into_schemas_follow_what_was_hoisted(check_rule: Callable[..., Document]) -> None:
    doc = check_rule(rule, BUNDLED, BUNDLED_AFTER, BUNDLED_CHANGES)

    schema_refs = [r for _, r in iter_refs(doc.root) if not r.startswith("#/components/schemas/")]
    assert schema_refs == ["#/paths/~1pets/get/parameters/0", "#/paths/~1pets/get/responses/200"]


def test_a_schema_under_paths_that_refers_back_to_itself_is_refused_at_the_reference(
    load_doc: Callable[[str], Document], run_rule: Callable[[ModuleType, Document], list[Change]]
) -> None:
    doc = load_doc("""
        openapi: 3.1.0
        info: {title: t, version: '1'}
        paths:
          /trees:
            get:
              operationId: listTrees
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema:
                        type: array
                        items: {$ref: '#/paths/~1trees/get/responses/200/content/application~1json/schema'}
        """)
    with pytest.raises(GeneratorFailure) as failure:
        run_rule(rule, doc)

    (problem,) = failure.value.diagnostics
    assert problem.pointer == "/paths/~1trees/get/responses/200/content/application~1json/schema/items/$ref"
    assert problem.line == 15  # the `items` line (the text starts with an empty one)
    assert "refers back to itself" in problem.message
    assert problem.hint == "move that schema to `components/schemas` and refer to it there"


BUNDLED_CALLS = """
import httpx, inspect, json, bundled
sent = []
def answer(request):
    sent.append([request.method, str(request.url), json.loads(request.content or b"null")])
    return httpx.Response(200 if request.method == "PUT" else 201, json={"owner": {"id": "o1"}, "id": "o1"})
http = httpx.Client(transport=httpx.MockTransport(answer))
client = bundled.Client(base_url="https://bundled.example", http_client=http)
owner = client.default.create_pet(owner=bundled.ListPetsResponseOwner(id="o1"))
pets = client.default.put_tags(["a", "b"])
print(json.dumps({
    "create_pet": str(inspect.signature(client.default.create_pet)),
    "put_tags": str(inspect.signature(client.default.put_tags)),
    "list_tags": list(inspect.signature(client.default.list_tags).parameters),
    "returned": [type(owner).__name__, owner.id, type(pets).__name__],
    "sent": sent,
}))
"""


def test_a_bundled_description_generates_a_client_with_its_shared_models(tmp_path: Path) -> None:
    (tmp_path / "bundled.yaml").write_text(textwrap.dedent(BUNDLED), encoding="utf-8")
    generate(spec=tmp_path / "bundled.yaml", output=tmp_path / "out")

    done = run_python(BUNDLED_CALLS, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)

    assert shown["create_pet"].startswith("(*, owner: 'ListPetsResponseOwner | None' = None,")
    assert shown["create_pet"].endswith("-> 'ListPetsResponseOwner'")
    assert shown["put_tags"].startswith("(body: 'list[str] | None' = None,")
    assert shown["put_tags"].endswith("-> 'ListPetsResponse'")
    assert shown["list_tags"][0] == "limit"
    assert shown["returned"] == ["ListPetsResponseOwner", "o1", "ListPetsResponse"]
    assert shown["sent"] == [
        ["POST", "https://bundled.example/pets", {"owner": {"id": "o1"}}],
        ["PUT", "https://bundled.example/tags", ["a", "b"]],
    ]
