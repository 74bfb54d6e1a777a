"""The typed model of a description's operations: built once per state of a document, and read by
everything that reads operations (the validity checks, the `link-operations` rule, rendering, `diff`).

Its source is openapi-python-client's parser (pinned exactly: its internals are not a stable API).
It merges parameters (an operation's over its path item's), classifies request bodies by content
type (JSON, form, multipart, raw) and responses by status pattern and content type. What it reads
is a projection of the document made for it (`_Projection`), so that it can neither refuse nor drop
anything valid:
- every schema is an opaque handle: the models come from datamodel-code-generator, and the endpoint
  layer needs to know only where each schema stands, which the handle says;
- every `$ref` to a parameter, body or response is followed before it sees it;
- parameter names are short handles, so that no two can clash once it makes Python names of them;
- every media type it does not know is read as raw bytes (`content_type_overrides`), and every media
  type has a schema, so no body or response falls out;
- a response's media types come in order of preference (JSON, then text, then the rest), since it
  reads the first.
What it still reports is a problem at the place it names. Two parts are ours: security requirements
(it does not read `securitySchemes`), and checking and ordering path parameters against the path
template (its own check names neither the parameter nor the placeholder)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.document import pointer as jp
from generator.document.walking import HTTP_METHODS, target_pointer

Kind = Literal["json", "form", "multipart", "text", "binary", "none"]
LOCATIONS = ("path", "query", "header", "cookie")
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
TEXT_TYPES = frozenset(
    {"application/xml", "application/yaml", "application/x-yaml", "application/javascript", "application/graphql"}
    | {"application/x-ndjson", "application/jsonl", "application/csv", "application/sql", "application/x-www-form"}
)


@dataclass(frozen=True)
class Parameter:
    location: str  # path, query, header or cookie
    name: str  # on the wire
    pointer: str  # the parameter object (its definition, when reached through a `$ref`)
    required: bool
    schema_pointer: str  # its schema, or the schema of its one media type
    media_type: str | None  # set when the parameter is declared with `content`: serialised as that type


@dataclass(frozen=True)
class Body:
    media_type: str
    kind: Kind
    pointer: str  # the media type object
    schema_pointer: str | None  # None when the media type declares no schema


@dataclass(frozen=True)
class Response:
    status: str  # `200`, `2XX` or `default`
    pointer: str  # the response object
    kind: Kind
    media_type: str | None
    schema_pointer: str | None

    @property
    def success(self) -> bool:
        return self.status.startswith("2")


@dataclass(frozen=True)
class Operation:
    pointer: str
    path: str
    method: str
    parameters: tuple[Parameter, ...]  # path ones in the path's order, then query, header, cookie
    bodies: tuple[Body, ...]  # in the order the description lists them
    body_required: bool
    responses: tuple[Response, ...]  # exact codes, then ranges, then `default`
    security: tuple[tuple[str, ...], ...]  # alternatives, each the schemes it needs together; () anonymous

    def located(self, location: str) -> list[Parameter]:
        return [p for p in self.parameters if p.location == location]

    @property
    def successes(self) -> list[Response]:
        return [r for r in self.responses if r.success]


@dataclass(frozen=True)
class Problem:
    pointer: str
    message: str
    hint: str
    also: str | None = None  # a second place the message concerns


@dataclass(frozen=True)
class Operations:
    operations: tuple[Operation, ...]
    problems: tuple[Problem, ...] = ()
    _by_pointer: dict[str, Operation] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_pointer.update({op.pointer: op for op in self.operations})

    def at(self, pointer: str) -> Operation | None:
        return self._by_pointer.get(pointer)

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.operations)


def build(root: Any) -> Operations:
    """The operations of the document `root` (a valid OpenAPI 3.0/3.1 tree), and the problems found."""
    projection = _Projection(root)
    return projection.read()


# What the projection hands openapi-python-client: `handle` -> (pointer, media type) of a schema place.
_Handle = tuple[str, str | None]


def _textual(media_type: str) -> bool:
    base = _base(media_type)
    return base.startswith("text/") or base.endswith("+xml") or base in TEXT_TYPES


def _json(media_type: str) -> bool:
    base = _base(media_type)
    return base == "application/json" or base.endswith("+json")


def _preference(media_type: str) -> int:
    """A response's media types are read in this order: JSON, text, the rest."""
    return 0 if _json(media_type) else 1 if _textual(media_type) else 2


class _Projection:
    """The document as openapi-python-client should read it, and the way back to the document."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.handles: dict[str, _Handle] = {}
        self.names: dict[str, str] = {}  # wire name -> its handle
        self.wire: dict[str, str] = {}  # handle -> wire name
        self.media_types: set[str] = set()
        self.places: list[tuple[str, str, str, str]] = []  # (pointer, path, method, projected path), in order
        self.parameter_pointers: dict[str, str] = {}  # schema handle -> the parameter object's pointer
        self.problems: list[Problem] = []

    # -- the projection --------------------------------------------------------------------------------

    def _schema(self, pointer: str, media_type: str | None = None) -> dict[str, Any]:
        handle = f"h{len(self.handles)}"
        self.handles[handle] = (pointer, media_type)
        return {"type": "string", "description": handle}

    def _name(self, wire: str) -> str:
        if wire not in self.names:
            self.names[wire] = f"p{len(self.names)}"
            self.wire[self.names[wire]] = wire
        return self.names[wire]

    def _definition(self, node: Any, at: str) -> tuple[Any, str]:
        """What `node` (at `at`) is once its `$ref`s are followed, and where that is."""
        for _ in range(64):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#")):
                break
            at = target_pointer(node["$ref"])
            node = jp.resolve(self.root, at, None)
        return node, at

    def _parameters(self, holder: dict[str, Any], at: str) -> list[dict[str, Any]]:
        projected = []
        for index, raw in enumerate(holder.get("parameters") or []):
            param, param_at = self._definition(raw, jp.join(at, "parameters", index))
            if not isinstance(param, dict):
                continue
            if "schema" in param:
                schema = self._schema(jp.join(param_at, "schema"))
            else:  # `content`: exactly one media type, whose schema describes the value
                media_type, _ = next(iter((param.get("content") or {"": None}).items()))
                schema = self._schema(jp.join(param_at, "content", str(media_type), "schema"), str(media_type))
            self.parameter_pointers[schema["description"]] = param_at
            projected.append(
                {
                    "name": self._name(str(param.get("name"))),
                    "in": str(param.get("in")),
                    "required": param.get("required") is True,
                    "schema": schema,
                }
            )
        return projected

    def _content(self, node: dict[str, Any], at: str, response: bool) -> dict[str, Any]:
        """A body's or response's media types, each with a schema handle. A response's come in order of
        preference, and one that openapi-python-client reads only in bodies (a form) is given to it
        as raw bytes under a key of its own: its settings map a media type the same way in both."""
        content: dict[str, Any] = {}
        media_types = [str(m) for m in node.get("content") or {}]
        for media_type in sorted(media_types, key=_preference) if response else media_types:
            media_at = jp.join(at, "content", media_type)
            key = media_type
            if response and _body_only(media_type):
                key = f"application/octet-stream; projected={len(content)}"
            else:
                self.media_types.add(media_type)
            content[key] = {"schema": self._schema(jp.join(media_at, "schema"), media_type)}
        return content

    def _operation(self, op: dict[str, Any], at: str, index: int) -> dict[str, Any]:
        projected: dict[str, Any] = {"operationId": f"op{index}", "parameters": self._parameters(op, at)}
        body, body_at = self._definition(op.get("requestBody"), jp.join(at, "requestBody"))
        if isinstance(body, dict):
            self.body_pointers[index] = body_at
            projected["requestBody"] = {
                "required": body.get("required") is True,
                "content": self._content(body, body_at, response=False),
            }
        responses = {}
        for code, raw in (op.get("responses") or {}).items():
            response, response_at = self._definition(raw, jp.join(at, "responses", str(code)))
            if isinstance(response, dict):
                self.response_pointers[(index, str(code))] = response_at
                responses[str(code)] = {
                    "description": self._schema(response_at)["description"],
                    "content": self._content(response, response_at, response=True),
                }
        projected["responses"] = responses
        return projected

    def document(self) -> dict[str, Any]:
        self.body_pointers: dict[int, str] = {}
        self.response_pointers: dict[tuple[int, str], str] = {}
        paths: dict[str, Any] = {}
        for path, item in (self.root.get("paths") or {}).items():
            item_at = jp.join("/paths", str(path))
            item, item_at = self._definition(item, item_at) if "$ref" in (item or {}) else (item, item_at)
            if not isinstance(item, dict):
                continue
            key = f"/{len(paths)}"
            projected: dict[str, Any] = {"parameters": self._parameters(item, item_at)}
            for method in item:
                if method in HTTP_METHODS and isinstance(item[method], dict):
                    op_at = jp.join(item_at, str(method))
                    projected[str(method)] = self._operation(item[method], op_at, len(self.places))
                    self.places.append((op_at, str(path), str(method), key))
            paths[key] = projected
        return {"openapi": "3.1.0", "info": {"title": "operations", "version": "0"}, "paths": paths}

    # -- reading it back ---------------------------------------------------------------------------------

    def read(self) -> Operations:
        from openapi_python_client import schema as oai
        from openapi_python_client.parser.errors import ParseError
        from openapi_python_client.parser.openapi import Endpoint
        from openapi_python_client.parser.properties import Parameters, Schemas
        from openapi_python_client.schema.untrusted_string import UntrustedString
        from openapi_python_client.strings import PythonIdentifier

        data = self.document()
        config = _config(self.media_types)
        openapi = oai.OpenAPI.model_validate(data)  # valid by construction: a failure here is a bug of ours
        operations = []
        items = {str(key.get_untrusted_value()): item for key, item in openapi.paths.items()}
        for index, (at, _, method, key) in enumerate(self.places):
            item = items[key]
            endpoint, _, _ = Endpoint.from_data(
                data=getattr(item, method),
                path=UntrustedString(key),
                method=method,
                tags=[PythonIdentifier("default", prefix="tag")],
                schemas=Schemas(),
                parameters=Parameters(),
                request_bodies={},
                responses={},
                config=config,
            )
            if not isinstance(endpoint, ParseError):
                endpoint, _, _ = Endpoint.add_parameters(
                    endpoint=endpoint, data=item, schemas=Schemas(), parameters=Parameters(), config=config
                )
            if isinstance(endpoint, ParseError):
                self.problems.append(self._explain(endpoint, at))
                continue
            self.problems += [self._explain(error, at) for error in endpoint.errors]
            built = self._operation_from(endpoint, index)
            if built is not None:
                operations.append(built)
        return Operations(tuple(operations), tuple(self.problems))

    def _handle(self, prop: Any) -> _Handle:
        return self.handles[str(prop.description.get_untrusted_value())]

    def _operation_from(self, endpoint: Any, index: int) -> Operation | None:
        at, path, method, _ = self.places[index]
        parameters = []
        for location in LOCATIONS:
            for prop in getattr(endpoint, f"{location}_parameters"):
                handle = str(prop.description.get_untrusted_value())
                schema_at, media_type = self.handles[handle]
                parameters.append(
                    Parameter(
                        location=location,
                        name=self.wire[str(prop.name.get_untrusted_value())],
                        pointer=self.parameter_pointers[handle],
                        required=bool(prop.required),
                        schema_pointer=schema_at,
                        media_type=media_type,
                    )
                )
        ordered = self._path_order(parameters, path, at)
        if ordered is None:
            return None
        bodies = []
        for body in endpoint.bodies:
            schema_at, media_type = self._handle(body.prop)
            assert media_type is not None
            kind = _body_kind(str(body.body_type), media_type)
            bodies.append(Body(media_type, kind, schema_at.rsplit("/", 1)[0], self._declared(schema_at)))
        responses = []
        for response in endpoint.responses:
            status = response.status_code.pattern
            schema_at, media_type = self._handle(response.prop)
            kind = _response_kind(response.source["return_type"], media_type)
            declared = self._declared(schema_at) if media_type is not None else None
            responses.append(Response(status, self.response_pointers[(index, status)], kind, media_type, declared))
        operation = jp.resolve(self.root, at)
        body_at = self.body_pointers.get(index)
        body = jp.resolve(self.root, body_at) if body_at is not None else {}
        return Operation(
            pointer=at,
            path=path,
            method=method,
            parameters=tuple(ordered),
            bodies=tuple(bodies),
            body_required=body.get("required") is True,
            responses=tuple(responses),
            security=_security(self.root, operation),
        )

    def _declared(self, schema_at: str) -> str | None:
        """`schema_at` when the description has a schema there (every projected place has one)."""
        return schema_at if jp.resolve(self.root, schema_at, None) is not None else None

    def _path_order(self, parameters: list[Parameter], path: str, at: str) -> list[Parameter] | None:
        """Path parameters in the order of the path's placeholders, each placeholder with its parameter;
        None (with the problems recorded) when they do not match."""
        placeholders = PLACEHOLDER.findall(path)
        in_path = [p for p in parameters if p.location == "path"]
        problems = []
        for param in in_path:
            if param.name not in placeholders:
                message = f"path parameter {param.name!r} is not in the path {path}"
                problems.append(Problem(param.pointer, message, "add `{" + param.name + "}` to the path, or remove it"))
        declared = {p.name for p in in_path}
        for name in placeholders:
            if name not in declared:
                message = f"the path {path} has `{{{name}}}` but no path parameter {name!r}"
                problems.append(Problem(at, message, "declare it under `parameters` with `in: path`"))
        if problems:
            self.problems += problems
            return None
        in_path.sort(key=lambda p: placeholders.index(p.name))
        return in_path + [p for p in parameters if p.location != "path"]

    def _explain(self, error: Any, at: str) -> Problem:
        """openapi-python-client's report, said of the place it concerns, with what to do."""
        detail = str(error.detail or error.header or "")
        data = error.data
        schema = getattr(data, "param_schema", None)
        handle = str(schema.description.get_untrusted_value()) if schema is not None else None
        if handle in self.parameter_pointers:
            param = jp.resolve(self.root, self.parameter_pointers[handle])
            name, where = param.get("name"), self.parameter_pointers[handle]
            if "must be required" in detail:
                message = f"path parameter {name!r} is optional: OpenAPI requires `required: true` for path parameters"
                hint = "add `required: true` (a path cannot leave a segment out; use a second path for that)"
                return Problem(where, message, hint)
            return Problem(where, f"parameter {name!r}: {self._words(detail)}", "correct the parameter")
        duplicate = re.search(r"named `(p\d+)` detected in `(\w+)`", detail)
        if duplicate:
            from openapi_python_client.schema import PathItem

            holder = at.rsplit("/", 1)[0] if isinstance(data, PathItem) else at
            return self._duplicate(holder, self.wire[duplicate.group(1)], duplicate.group(2))
        return Problem(at, f"openapi-python-client: {self._words(detail)}", "correct the place named")

    def _duplicate(self, holder: str, name: str, location: str) -> Problem:
        """The second declaration of a parameter its list declares twice, naming the first."""
        places = []
        for index, raw in enumerate(jp.resolve(self.root, holder).get("parameters") or []):
            param, _ = self._definition(raw, "")
            if isinstance(param, dict) and (str(param.get("in")), str(param.get("name"))) == (location, name):
                places.append(jp.join(holder, "parameters", index))
        first, second = [*places, holder, holder][:2]
        return Problem(second, f"{location} parameter {name!r} is declared twice", "remove one", also=first)

    def _words(self, detail: str) -> str:
        """A report with the handles put back as what they stand for."""
        detail = re.sub(r"\bp\d+\b", lambda m: repr(self.wire.get(m.group(0), m.group(0))), detail)
        return re.sub(r"\bh\d+\b", lambda m: self.handles.get(m.group(0), (m.group(0), None))[0], detail)


def _base(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def _body_only(media_type: str) -> bool:
    return _base(media_type) in ("application/x-www-form-urlencoded", "multipart/form-data")


def _config(media_types: set[str]) -> Any:
    """openapi-python-client's settings: a media type it cannot read is read as raw bytes
    (`application/octet-stream`); a string that is not a media type at all stays, and is reported."""
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.strings import get_content_type

    config = Config.from_sources(ConfigFile(post_hooks=[]), MetaType.NONE, "projection", "utf-8", False, None)
    for media_type in sorted(media_types):
        parsed = get_content_type(media_type, config)
        if parsed is not None and not (_json(parsed) or _body_only(parsed) or parsed == "application/octet-stream"):
            config.content_type_overrides[media_type] = "application/octet-stream"
    return config


def _body_kind(body_type: str, media_type: str) -> Kind:
    kinds: dict[str, Kind] = {"json": "json", "data": "form", "files": "multipart"}
    return kinds.get(body_type) or ("text" if _textual(media_type) else "binary")


def _response_kind(return_type: str, media_type: str | None) -> Kind:
    if media_type is None or return_type == "None":
        return "none"
    if return_type == "Any":
        return "json"
    return "text" if _textual(media_type) else "binary"


def _security(root: Any, operation: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    """The operation's security alternatives (its own `security`, else the document's); `security: []`
    means none. Each alternative names the schemes used together; an empty one allows no credential."""
    requirements = operation.get("security", root.get("security")) or []
    alternatives = [requirement for requirement in requirements if isinstance(requirement, dict)]
    return tuple(tuple(str(name) for name in requirement) for requirement in alternatives)
