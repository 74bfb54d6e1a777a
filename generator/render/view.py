"""The view model: everything the endpoint templates need, named and typed here in Python, so the
templates only lay text out. Built from openapi-python-client's parsed endpoints (parameters and
their Python names, docstrings), the normalised document (extensions, bodies, responses) and the
index of the models datamodel-code-generator emitted."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from openapi_python_client.parser.openapi import Endpoint, GeneratorData

from generator import pointer as jp
from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.document import Document
from generator.openapi import COMPONENT_SCHEMA_PREFIX, iter_operations
from generator.render.models import ModelIndex

JSON_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
RESERVED = {"timeout", "max_retries", "raw", "self", "fields"}  # names the generated methods use themselves


def snake(text: str) -> str:
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    name = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower() or "x"
    if name[0].isdigit():
        name = "n_" + name
    return name + "_" if keyword.iskeyword(name) else name


def pascal(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.split(r"[^A-Za-z0-9]+", text) if w) or "Resource"


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
    endpoint: Endpoint  # for its escaped summary and description
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
            if isinstance(response, dict) and "$ref" in response:
                response = jp.resolve(root, response["$ref"][1:], {})
            media = _json_media(response)
            return _schema_type(media.get("schema"), index) if media else None
    return None


def _example(value: Any, fallback: str) -> str:
    """A Python literal for docs: the description's example, unless it is a `<placeholder>`."""
    placeholder = isinstance(value, str) and value.startswith("<") and value.endswith(">")
    return repr(value) if value is not None and not placeholder else repr(fallback)


def _param(prop: Any, example: Any = None) -> Param:
    default = getattr(prop, "default", None)
    wire = prop.name.get_untrusted_value() if hasattr(prop.name, "get_untrusted_value") else str(prop.name)
    raw = getattr(default, "raw_value", None) if default is not None else None
    annotation = prop.get_base_type_string().as_unembedded_code()
    return Param(
        python_name=snake(str(prop.python_name)),
        wire_name=repr(wire),
        annotation=annotation if prop.required or raw is not None else f"{annotation} | None",
        default=None if prop.required and raw is None else repr(raw),
        example=_example(example, f"my-{snake(wire).replace('_', '-')}"),
    )


def build_method(endpoint: Endpoint, op: dict[str, Any], path: str, root: Any, index: ModelIndex) -> Method:
    examples = {p.get("name"): p.get("example") for p in op.get("parameters") or [] if isinstance(p, dict)}
    path_params = [_param(p, examples.get(p.name)) for p in endpoint.path_parameters]
    query_params = [_param(p) for p in endpoint.query_parameters]
    header_params = [_param(p) for p in endpoint.header_parameters]
    body_model: str | None = None
    body_fields: list[Param] = []
    body_param: Param | None = None
    media = _json_media(op.get("requestBody"))
    if media is not None:
        body_type = _schema_type(media.get("schema"), index)
        body_example = media.get("example")
        taken = {p.python_name for p in path_params + query_params + header_params} | RESERVED
        fields = index.fields.get(body_type)
        if fields is not None and not taken & {f.python_name for f in fields}:
            # An object body's fields become keyword arguments, unless one would clash with a parameter.
            body_model = body_type
            for f in fields:
                sample = body_example.get(f.wire_name) if isinstance(body_example, dict) else None
                body_fields.append(
                    Param(
                        f.python_name,
                        repr(f.wire_name),
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
            name = snake(str(op.get("x-codegen-request-body-name", "body")))
            body_param = Param(name, repr(name), annotation, None, _example(body_example, "..."))
    optional = [p for p in query_params + header_params + body_fields if p.default is not None]
    required_kw = [p for p in query_params + header_params + body_fields if p.default is None]
    positional = path_params + ([body_param] if body_param else [])
    return Method(
        name=snake(str(op.get("x-python-name") or op.get("operationId"))),
        endpoint=endpoint,
        http_method=str(endpoint.method).lower(),
        path=repr(path),
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


def _route(path: str) -> str:
    """The path with its placeholders blanked: openapi-python-client renames them to snake case."""
    return re.sub(r"\{[^{}]*\}", "{}", path)


def build_resources(doc: Document, data: GeneratorData, index: ModelIndex) -> list[Resource]:
    """One resource per tag (as openapi-python-client groups them), one method per operation."""
    by_route = {(m, _route(p)): (at, p, op) for at, p, m, op in iter_operations(doc.root)}
    tags = {str(t.get("name")): t for t in doc.root.get("tags") or [] if isinstance(t, dict)}
    resources: list[Resource] = []
    problems: list[Diagnostic] = []
    for collection in data.endpoint_collections_by_tag.values():
        first = collection.endpoints[0] if collection.endpoints else None
        if first is None:
            continue
        route = (str(first.method).lower(), _route(first.path.get_untrusted_value()))
        tag_name = str((by_route[route][2].get("tags") or ["default"])[0])
        tag = tags.get(tag_name, {})
        attribute = snake(str(tag.get("x-python-name") or tag_name))
        resource = Resource(attribute, pascal(attribute), attribute, tag_name)
        for endpoint in collection.endpoints:
            at, path, op = by_route[(str(endpoint.method).lower(), _route(endpoint.path.get_untrusted_value()))]
            method = build_method(endpoint, op, path, doc.root, index)
            names = [p.python_name for p in method.positional + method.keyword]
            clashes = sorted({n for n in names if names.count(n) > 1} | (RESERVED & set(names)))
            if clashes:
                problems.append(
                    doc.diagnostic(
                        at,
                        f"operation {op.get('operationId')!r}: parameters and body fields share Python names {clashes}",
                        "rename one of them in the description (or a fix)",
                        rule="render-names",
                    )
                )
            resource.methods.append(method)
        taken = [m.name for m in resource.methods]
        for dup in sorted({n for n in taken if taken.count(n) > 1}):
            problems.append(
                doc.diagnostic(
                    "/paths",
                    f"two operations of tag {tag_name!r} are both named {dup!r}",
                    "set distinct x-python-name",
                    rule="render-names",
                )
            )
        used = set()
        for method in resource.methods:
            for text in [method.returns, method.body_model or ""] + [
                p.annotation for p in method.positional + method.keyword
            ]:
                used |= set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)) & index.names
        resource.imports = sorted(used)
        resources.append(resource)
    if problems:
        raise GeneratorFailure(problems)
    return sorted(resources, key=lambda r: r.attribute)
