from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from generator.document.loading import Document
from generator.normalise.rules import link_operations as rule
from tests.normalise.conftest import apply_rule

LINKED = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things/{thingKey}:
    get:
      operationId: getThing
      parameters: [{name: thingKey, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          links:
            deleteThing: {operationId: deleteThing, parameters: {thingKey: $request.path.thingKey}}
    delete:
      operationId: deleteThing
      parameters: [{name: thingKey, in: path, required: true, schema: {type: string}}]
      responses:
        '204':
          description: gone
          links:
            getThing: {operationId: getThing, parameters: {thingKey: $request.path.thingKey}}
"""

BEFORE = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /projects/{projectKey}/things/{thingKey}:
    parameters: [{name: projectKey, in: path, required: true, schema: {type: string}}]
    put:
      operationId: createThing
      parameters: [{$ref: '#/components/parameters/ThingKey'}]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
        '400': {$ref: '#/components/responses/Error'}
  /things/{projectKey}/{thingKey}/parts/{partId}:
    delete:
      operationId: deletePart
      parameters:
        - {name: projectKey, in: path, required: true, schema: {type: string}}
        - {$ref: '#/components/parameters/ThingKey'}
        - {name: partId, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: gone}
  /other/{ownerId}:
    get:
      operationId: getOwner
      parameters: [{name: ownerId, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok}
  /status:
    get:
      operationId: status
      responses:
        '200': {description: ok}
components:
  parameters:
    ThingKey: {name: thingKey, in: path, required: true, schema: {type: string}}
  responses:
    Error: {description: failed}
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
        parts: {type: array, items: {$ref: '#/components/schemas/ThingPart'}}
    ThingPart:
      type: object
      properties:
        _id: {type: string}
"""

CREATE_TO_DELETE = {
    "operationId": "deletePart",
    "parameters": {
        "projectKey": "$request.path.projectKey",
        "thingKey": "$request.path.thingKey",
        "partId": "$response.body#/parts/0/_id",
    },
}
AFTER = BEFORE.replace(
    "          content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}\n",
    "          content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}\n"
    "          links:\n"
    "            deletePart:\n"
    "              operationId: deletePart\n"
    "              parameters: {projectKey: $request.path.projectKey, thingKey: $request.path.thingKey,\n"
    "                           partId: '$response.body#/parts/0/_id'}\n",
)

CHANGES = [
    ("/paths/~1projects~1{projectKey}~1things~1{thingKey}/put/responses/200/links/deletePart", None, CREATE_TO_DELETE),
]


@pytest.mark.parametrize(
    ("before", "after", "changes"),
    [pytest.param(LINKED, LINKED, [], id="noop"), pytest.param(BEFORE, AFTER, CHANGES, id="fix")],
)
def test_link_operations(
    check_rule: Callable[..., Document], before: str, after: str, changes: list[tuple[str, Any, Any]]
) -> None:
    """Links follow same-named path parameters and `<thing>Id` <- the `_id` of a `...Thing` object;
    an operation whose parameters cannot all be filled (getOwner, an error response, one without
    path parameters) gets no link, nor does a DELETE's response (nothing follows on a deleted
    resource), and a shared response is left alone."""
    check_rule(rule, before, after, changes)


def test_links_join_related_resources_only_so_they_grow_with_the_operations_not_their_pairs(
    load_doc: Callable[[str], Document],
) -> None:
    """Many resources whose operations all take `{id}`: each links to its own resource and to the one
    above or below it, never across; the count is linear in the operations. (Paths that end in the
    same literal with the same parameters count as one resource, as `/flags/{p}/{f}/release` and
    `/projects/{p}/flags/{f}/release` are.)"""
    paths = []
    for n in range(40):
        op = "{operationId: %s, parameters: [{name: id, in: path, required: true, schema: {type: string}}], "
        op += "responses: {'200': {description: ok}}}"
        paths.append(f"  /things{n}/{{id}}:\n    get: {op % f'getThing{n}'}\n    put: {op % f'putThing{n}'}")
        paths.append(f"  /things{n}/{{id}}/parts{n}:\n    get: {op % f'listParts{n}'}")
    doc = load_doc("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n" + "\n".join(paths) + "\n")

    changes = apply_rule(rule, doc)

    links = {(c.pointer.split("/")[2], c.pointer.rsplit("/", 1)[1]) for c in changes}
    assert len(changes) == 40 * 6  # each of the three operations of a family to the two others
    assert ("~1things7~1{id}", "listParts7") in links  # below
    assert ("~1things7~1{id}~1parts7", "getThing7") in links  # above
    assert not any(path.startswith("~1things7") and target.endswith(("6", "8")) for path, target in links)
