"""The model of operations, read through openapi-python-client from a projection of the document:
what a client needs of each operation, nothing dropped, and every problem at its place."""

from __future__ import annotations

from ruamel.yaml import YAML

from generator.document.operations import Operation, build

ITEM = "/paths/~1things~1{thingId}"
POST = ITEM + "/post"


def operations(text: str) -> list[Operation]:
    found = build(YAML(typ="safe").load(text))
    assert found.problems == ()
    return list(found)


def problems(text: str) -> list[tuple[str, str]]:
    return [(p.pointer, p.message) for p in build(YAML(typ="safe").load(text)).problems]


DOCUMENT = """
openapi: 3.1.0
info: {title: t, version: '1'}
security: [{token: []}]
paths:
  /things/{thingId}:
    parameters:
      - {name: thingId, in: path, required: true, schema: {type: string}}
      - {name: filter, in: query, schema: {type: string}}
      - {$ref: '#/components/parameters/Trace'}
    post:
      security: []
      parameters:
        - {name: filter, in: query, required: true, schema: {type: integer}}
        - {name: session, in: cookie, schema: {type: string}}
        - {name: where, in: query, content: {application/json: {schema: {type: object}}}}
      requestBody:
        $ref: '#/components/requestBodies/Upload'
      responses:
        '200':
          description: the thing
          content:
            image/png: {}
            application/xml: {schema: {type: string}}
            application/json: {schema: {type: object}}
        2XX: {description: a report, content: {text/csv: {}}}
        '204': {description: nothing}
        default: {$ref: '#/components/responses/Problem'}
    get:
      responses: {'200': {description: ok, content: {application/octet-stream: {}}}}
components:
  parameters:
    Trace: {name: X-Trace, in: header, schema: {type: string}}
  requestBodies:
    Upload:
      required: true
      content:
        multipart/form-data: {schema: {type: object, properties: {file: {type: string, format: binary}}}}
        application/x-www-form-urlencoded: {schema: {type: object}}
        text/plain: {}
        '*/*': {}
        application/merge-patch+json: {schema: {type: object}}
  responses:
    Problem: {description: error, content: {application/problem+json: {schema: {type: object}}}}
  securitySchemes:
    token: {type: http, scheme: bearer}
"""


def test_parameters_are_merged_once_path_first_the_operation_winning() -> None:
    post, get = operations(DOCUMENT)

    assert [(p.location, p.name, p.required) for p in post.parameters] == [
        ("path", "thingId", True),
        ("query", "filter", True),  # the operation's declaration replaces the path item's
        ("query", "where", False),
        ("header", "X-Trace", False),
        ("cookie", "session", False),
    ]
    assert post.parameters[1].pointer == POST + "/parameters/0"
    assert post.parameters[3].pointer == "/components/parameters/Trace"  # its definition
    assert [(p.location, p.name) for p in get.parameters] == [
        ("path", "thingId"),
        ("query", "filter"),
        ("header", "X-Trace"),
    ]


def test_a_parameter_given_by_content_keeps_its_media_type_and_schema() -> None:
    where = operations(DOCUMENT)[0].parameters[2]

    assert (where.media_type, where.schema_pointer) == (
        "application/json",
        POST + "/parameters/2/content/application~1json/schema",
    )


def test_every_body_is_kept_with_its_kind_whatever_its_media_type() -> None:
    post = operations(DOCUMENT)[0]

    body_at = "/components/requestBodies/Upload/content/"
    assert [(b.media_type, b.kind, b.pointer) for b in post.bodies] == [
        ("multipart/form-data", "multipart", body_at + "multipart~1form-data"),
        ("application/x-www-form-urlencoded", "form", body_at + "application~1x-www-form-urlencoded"),
        ("text/plain", "text", body_at + "text~1plain"),
        ("*/*", "binary", body_at + "*~1*"),
        ("application/merge-patch+json", "json", body_at + "application~1merge-patch+json"),
    ]
    assert post.body_required is True
    assert [b.schema_pointer is None for b in post.bodies] == [False, False, True, True, False]


def test_responses_by_status_with_the_preferred_media_type() -> None:
    post, get = operations(DOCUMENT)

    assert [(r.status, r.kind, r.media_type, r.success) for r in post.responses] == [
        ("200", "json", "application/json", True),  # JSON before XML before PNG
        ("204", "none", None, True),
        ("2XX", "text", "text/csv", True),
        ("default", "json", "application/problem+json", False),
    ]
    assert post.responses[3].pointer == "/components/responses/Problem"
    assert [(r.kind, r.media_type) for r in get.responses] == [("binary", "application/octet-stream")]


def test_security_is_the_operations_own_else_the_documents() -> None:
    post, get = operations(DOCUMENT)

    assert (post.security, get.security) == ((), (("token",),))


def test_a_form_response_reaches_the_model_as_raw_bytes() -> None:
    text = DOCUMENT.replace(
        "2XX: {description: a report, content: {text/csv: {}}}",
        "2XX: {description: r, content: {multipart/form-data: {}}}",
    )

    assert [(r.status, r.kind) for r in operations(text)[0].responses][2] == ("2XX", "binary")


def test_references_into_paths_are_followed() -> None:
    text = DOCUMENT.replace(
        "get:\n      responses:",
        "get:\n      parameters: [{$ref: '#/paths/~1things~1{thingId}/post/parameters/1'}]\n      responses:",
    )

    get = operations(text)[1]

    assert [(p.location, p.name) for p in get.parameters] == [
        ("path", "thingId"),
        ("query", "filter"),
        ("header", "X-Trace"),
        ("cookie", "session"),
    ]
    assert get.parameters[3].pointer == POST + "/parameters/1"


BROKEN = """
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a/{x}:
    get:
      parameters: [{name: x, in: path, schema: {type: string}}]
      responses: {'200': {description: ok}}
  /b/{y}:
    get:
      parameters: [{name: z, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
  /c:
    get:
      parameters:
        - {name: q, in: query, schema: {type: string}}
        - {name: q, in: query, schema: {type: integer}}
      responses: {'200': {description: ok}}
"""


def test_problems_name_the_parameter_or_the_operation() -> None:
    assert problems(BROKEN) == [
        (
            "/paths/~1a~1{x}/get/parameters/0",
            "path parameter 'x' is optional: OpenAPI requires `required: true` for path parameters",
        ),
        ("/paths/~1b~1{y}/get/parameters/0", "path parameter 'z' is not in the path /b/{y}"),
        ("/paths/~1b~1{y}/get", "the path /b/{y} has `{y}` but no path parameter 'y'"),
        ("/paths/~1c/get/parameters/1", "query parameter 'q' is declared twice"),
    ]


def test_names_that_openapi_python_client_would_refuse_pass_through_it() -> None:
    """Dots and brackets in names, and names that are one Python name once punctuation goes."""
    text = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /users/{user.id}:
    get:
      parameters:
        - {name: user.id, in: path, required: true, schema: {type: string}}
        - {name: 'StartTime<', in: query, schema: {type: string}}
        - {name: 'StartTime>', in: query, schema: {type: string}}
        - {name: client, in: query, schema: {type: string}}
      responses: {'200': {description: ok}}
"""
    (get,) = operations(text)

    assert [p.name for p in get.parameters] == ["user.id", "StartTime<", "StartTime>", "client"]
