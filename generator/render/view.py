"""The view model: everything the endpoint templates need, named and typed here in Python, so the
templates only lay text out. Built from openapi-python-client's parsed endpoints (parameters, their
types and defaults), the normalised document (names, summaries, extensions, bodies, responses) and
the index of the models datamodel-code-generator emitted. Every name comes from `generator.names`;
two operations, tags or parameters that would get one name are reported with both places."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from openapi_python_client.parser.openapi import Endpoint, GeneratorData

from generator import pointer as jp
from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.document import Document
from generator.names import CLASS_NAMES, CLIENT_ATTRIBUTES, PARAMETER_NAMES, RESOURCE_ATTRIBUTES, pascal, snake
from generator.openapi import COMPONENT_SCHEMA_PREFIX, iter_operations, resolve_ref
from generator.render.literals import python_literal
from generator.render.models import ModelIndex

JSON_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
NAME_HINT = "set `x-python-name` on one of them (a fix can add it); the wire name stays as it is"


@dataclass
class Param:
    python_name: str
    wire_name: str  # a Python string literal
    annotation: str
    default: str | None  # a Python literal; None when required
    example: str  # a Python literal for the README


@dataclass
class Method:
    name: str
    summary: str
    description: str
    http_method: str
    path: str  # a Python string literal
    route: str  # the same path, raw, for docs
    positional: list[Param]
    keyword: list[Param]
    path_params: list[Param]
    query_params: list[Param]
    header_params: list[Param]
    body_model: str | None
    body_fields: list[Param]  # flattened into keyword arguments
    body_param: Param | None  # the whole body as one argument
    response_type: str | None
    idempotent: bool | None  # declared by `x-idempotent`; None: as the HTTP method implies

    @property
    def returns(self) -> str:
        return self.response_type or "None"


@dataclass
class Resource:
    attribute: str
    class_name: str
    module: str
    tag: str
    methods: list[Method] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)
    mixins: dict[str, str] = field(default_factory=dict)  # "" or "Async" -> hand-written mixin class
    mixin_imports: list[tuple[str, str]] = field(default_factory=list)  # (module, class)


def _schema_type(schema: Any, index: ModelIndex) -> str:
    if not isinstance(schema, dict):
        return "Any"
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(COMPONENT_SCHEMA_PREFIX):
        name = ref[len(COMPONENT_SCHEMA_PREFIX) :]
        return name if name in index.names else "Any"
    if schema.get("type") == "array":
        return f"list[{_schema_type(schema.get('items'), index)}]"
    return JSON_TYPES.get(str(schema.get("type")), "Any")


def _json_media(node: Any) -> dict[str, Any] | None:
    for media_type, media in ((node or {}).get("content") or {}).items():
        if media_type == "application/json" or str(media_type).endswith("+json"):
            return dict(media) if isinstance(media, dict) else None
    return None


def _response_type(op: dict[str, Any], root: Any, index: ModelIndex) -> str | None:
    for code, response in (op.get("responses") or {}).items():
        if str(code).startswith("2"):
            media = _json_media(resolve_ref(root, response))
            return _schema_type(media.get("schema"), index) if media else None
    return None


def _example(value: Any, fallback: str) -> str:
    """A Python literal for docs: the description's example, unless it is a `<placeholder>`."""
    placeholder = isinstance(value, str) and value.startswith("<") and value.endswith(">")
    try:
        return python_literal(value if value is not None and not placeholder else fallback)
    except TypeError:  # a YAML date or timestamp: no JSON value, so no example
        return python_literal(fallback)


Declared = dict[tuple[str, str], tuple[str, dict[str, Any]]]  # (in, name) -> (pointer, parameter)


def _parameters(op: dict[str, Any], at: str, root: Any) -> Declared:
    """The parameters of the operation at `at`, and those of its path item it does not redefine."""
    item_at = at.rsplit("/", 1)[0]
    found: Declared = {}
    for list_at in (jp.join(item_at, "parameters"), jp.join(at, "parameters")):
        for index, param in enumerate(jp.resolve(root, list_at, None) or []):
            param = resolve_ref(root, param)
            if isinstance(param, dict):
                found[(str(param.get("in")), str(param.get("name")))] = (jp.join(list_at, index), param)
    return found


def _params(props: list[Any], location: str, declared: Declared, at: str) -> list[tuple[Param, str]]:
    """Each of openapi-python-client's parameters as a Param, with the pointer of its declaration."""
    params = []
    for prop in props:
        wire = prop.name.get_untrusted_value() if hasattr(prop.name, "get_untrusted_value") else str(prop.name)
        pointer, spec = declared.get((location, wire), (at, {}))
        default = getattr(prop, "default", None)
        raw = getattr(default, "raw_value", None) if default is not None else None
        annotation = prop.get_base_type_string().as_unembedded_code()
        param = Param(
            python_name=snake(str(spec.get("x-python-name") or wire), reserved=PARAMETER_NAMES),
            wire_name=python_literal(wire),
            annotation=annotation if prop.required or raw is not None else f"{annotation} | None",
            default=None if prop.required and raw is None else python_literal(raw),
            example=_example(
                spec.get("example") if location == "path" else None, f"my-{snake(wire).replace('_', '-')}"
            ),
        )
        params.append((param, pointer))
    return params


def build_method(
    endpoint: Endpoint, op: dict[str, Any], at: str, path: str, doc: Document, index: ModelIndex
) -> tuple[Method, list[Diagnostic]]:
    """The method for one operation, and the problems with its argument names."""
    root = doc.root
    declared = _parameters(op, at, root)
    located = {
        location: _params(props, location, declared, at)
        for location, props in (
            ("path", endpoint.path_parameters),
            ("query", endpoint.query_parameters),
            ("header", endpoint.header_parameters),
        )
    }
    path_params, query_params, header_params = ([p for p, _ in located[k]] for k in ("path", "query", "header"))
    body_model: str | None = None
    body_fields: list[Param] = []
    body_param: Param | None = None
    media = _json_media(op.get("requestBody"))
    if media is not None:
        body_type = _schema_type(media.get("schema"), index)
        body_example = media.get("example")
        taken = {p.python_name for p in path_params + query_params + header_params} | PARAMETER_NAMES
        fields = index.fields.get(body_type)
        if fields is not None and not taken & {f.python_name for f in fields}:
            # An object body's fields become keyword arguments, unless one would clash with a parameter.
            body_model = body_type
            for f in fields:
                sample = body_example.get(f.wire_name) if isinstance(body_example, dict) else None
                body_fields.append(
                    Param(
                        f.python_name,
                        python_literal(f.wire_name),
                        f.annotation,
                        None if f.required else "None",
                        _example(sample, f"my-{f.python_name.replace('_', '-')}"),
                    )
                )
        else:
            body_model = body_type if body_type in index.roots or fields is not None else None
            root_type = index.roots.get(body_type)
            items = re.fullmatch(r"list\[(.+)\]", root_type or "")
            # A list body also takes any sequence of its items or of plain mappings, as JSON would be written.
            accepted = f"Sequence[{items.group(1)} | Mapping[str, Any]]" if items else root_type
            annotation = f"{body_type} | {accepted}" if accepted else body_type
            name = snake(str(op.get("x-codegen-request-body-name", "body")), reserved=PARAMETER_NAMES)
            body_param = Param(name, python_literal(name), annotation, None, _example(body_example, "..."))
    optional = [p for p in query_params + header_params + body_fields if p.default is not None]
    required_kw = [p for p in query_params + header_params + body_fields if p.default is None]
    positional = path_params + ([body_param] if body_param else [])
    method = Method(
        name=snake(str(op.get("x-python-name") or op.get("operationId")), reserved=RESOURCE_ATTRIBUTES),
        summary=str(op.get("summary") or ""),
        description=str(op.get("description") or ""),
        http_method=str(endpoint.method).lower(),
        path=python_literal(path),
        route=path,
        positional=positional,
        keyword=required_kw + optional,
        path_params=path_params,
        query_params=query_params,
        header_params=header_params,
        body_model=body_model,
        body_fields=body_fields,
        body_param=body_param,
        response_type=_response_type(op, root, index),
        idempotent=op["x-idempotent"] if isinstance(op.get("x-idempotent"), bool) else None,
    )
    body_at = jp.join(at, "requestBody")
    arguments = [(p, f"{k} parameter {p.wire_name}", where) for k, params in located.items() for p, where in params]
    arguments += [(p, f"body field {p.wire_name}", body_at) for p in body_fields]
    arguments += [(body_param, "the body", body_at)] if body_param else []
    return method, _argument_clashes(arguments, op, doc)


def _argument_clashes(arguments: list[tuple[Param, str, str]], op: dict[str, Any], doc: Document) -> list[Diagnostic]:
    """Two parameters (or a parameter and the body) that became one argument name."""
    seen: dict[str, tuple[str, str]] = {}
    problems = []
    for param, label, pointer in arguments:
        if param.python_name not in seen:
            seen[param.python_name] = (label, pointer)
            continue
        first, first_at = seen[param.python_name]
        problems.append(
            doc.diagnostic(
                pointer,
                f"operation {op.get('operationId')!r}: {first} ({doc.where(first_at)}) and {label} would both be "
                f"the argument {param.python_name!r}",
                NAME_HINT,
                rule="render-names",
            )
        )
    return problems


def _route(path: str) -> str:
    """The path with its placeholders blanked: openapi-python-client renames them to snake case."""
    return re.sub(r"\{[^{}]*\}", "{}", path)


def build_resources(doc: Document, data: GeneratorData, index: ModelIndex) -> list[Resource]:
    """One resource per tag (an operation's first), one method per operation, in document order;
    every name made safe, and two things that got one name reported with both places."""
    endpoints = {
        (str(e.method).lower(), _route(e.path.get_untrusted_value())): e
        for collection in data.endpoint_collections_by_tag.values()
        for e in collection.endpoints
    }
    tags = {
        str(t.get("name")): (jp.join("/tags", i), t)
        for i, t in enumerate(doc.root.get("tags") or [])
        if isinstance(t, dict)
    }
    resources: dict[str, Resource] = {}
    first_at: dict[str, str] = {}  # where each resource, method and route was first claimed
    problems: list[Diagnostic] = []
    for at, path, method_name, op in iter_operations(doc.root):
        route = f"{method_name} {_route(path)}"
        if route in first_at:
            problems.append(_clash(doc, at, first_at[route], first_at[route], at, "one path to OpenAPI"))
            continue
        first_at[route] = at
        tag_name = str((op.get("tags") or ["default"])[0])
        tag_at, tag = tags.get(tag_name, (jp.join(at, "tags", 0), {}))
        attribute = snake(str(tag.get("x-python-name") or tag_name), reserved=CLIENT_ATTRIBUTES)
        resource = resources.setdefault(attribute, Resource(attribute, "", attribute, tag_name))
        if resource.tag != tag_name:
            clash = _clash(
                doc, tag_at, first_at[attribute], f"tag {resource.tag!r}", f"tag {tag_name!r}", f"`client.{attribute}`"
            )
            problems += [clash] if clash not in problems else []
            continue
        first_at.setdefault(attribute, tag_at)
        method, clashes = build_method(endpoints[(method_name, _route(path))], op, at, path, doc, index)
        problems += clashes
        key = f"{attribute}.{method.name}"
        if key in first_at:
            problems.append(_clash(doc, at, first_at[key], first_at[key], at, f"`client.{key}()`"))
        first_at.setdefault(key, at)
        resource.methods.append(method)
    if problems:
        raise GeneratorFailure(problems)
    for resource in resources.values():
        resource.class_name = _class_name(resource.attribute, index.names)
        resource.imports = _imports(resource, index)
    return sorted(resources.values(), key=lambda r: r.attribute)


def _clash(doc: Document, at: str, first_at: str, first: str, second: str, name: str) -> Diagnostic:
    return doc.diagnostic(
        at,
        f"{first} ({doc.where(first_at)}) and {second} would both be {name}",
        "give one of them its own `x-python-name` (a fix can add it)" if "client." in name else "remove one of them",
        rule="render-names",
    )


def _class_name(attribute: str, models: set[str]) -> str:
    """The resource's class name: never one of the models it imports, nor a name the package uses."""
    name = pascal(attribute, fallback="Resource", suffix="Resource")
    while {name, f"Async{name}", f"{name}WithRawResponse", f"Async{name}WithRawResponse"} & (models | CLASS_NAMES):
        name += "Resource"
    return name


def _imports(resource: Resource, index: ModelIndex) -> list[str]:
    used: set[str] = set()
    for method in resource.methods:
        for text in [method.returns, method.body_model or ""] + [
            p.annotation for p in method.positional + method.keyword
        ]:
            used |= set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)) & index.names
    return sorted(used)
