"""The view model: everything the endpoint templates need, named and typed here in Python, so the
templates only lay text out. Built from the normalised document (operations, parameters, bodies,
responses, names, summaries, extensions) and the index of the models datamodel-code-generator
emitted, whose classes annotate arguments and results. Every name comes from `generator.names`;
two operations, tags or parameters that would get one name are reported with both places."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.document import pointer as jp
from generator.document.loading import Document
from generator.document.walking import COMPONENT_SCHEMA_PREFIX, iter_operations, resolve_ref
from generator.names import (
    CLASS_NAMES,
    CLIENT_ATTRIBUTES,
    FILE_NAME_LENGTH,
    PARAMETER_NAMES,
    RESOURCE_ATTRIBUTES,
    pascal,
    snake,
)
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


def _schema_type(schema: Any, index: ModelIndex, root: Any, depth: int = 0) -> str:
    """The annotation for a value of `schema`: a model class, a list, a scalar type, or Any."""
    if not isinstance(schema, dict) or depth > 16:
        return "Any"
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(COMPONENT_SCHEMA_PREFIX):
        name = ref[len(COMPONENT_SCHEMA_PREFIX) :]
        return name if name in index.names else _schema_type(resolve_ref(root, schema), index, root, depth + 1)
    declared = schema.get("type")
    types: list[Any] = declared if isinstance(declared, list) else [declared]
    kind = next((str(t) for t in types if t != "null"), None)
    if kind == "array":
        return f"list[{_schema_type(schema.get('items'), index, root, depth + 1)}]"
    return JSON_TYPES.get(str(kind), "Any")


def _json_media(node: Any) -> dict[str, Any] | None:
    for media_type, media in ((node or {}).get("content") or {}).items():
        if media_type == "application/json" or str(media_type).endswith("+json"):
            return dict(media) if isinstance(media, dict) else None
    return None


def _response_type(op: dict[str, Any], root: Any, index: ModelIndex) -> str | None:
    for code, response in (op.get("responses") or {}).items():
        if str(code).startswith("2"):
            media = _json_media(resolve_ref(root, response))
            return _schema_type(media.get("schema"), index, root) if media else None
    return None


def _example(value: Any, fallback: str) -> str:
    """A Python literal for docs: the description's example, unless it is a `<placeholder>`."""
    placeholder = isinstance(value, str) and value.startswith("<") and value.endswith(">")
    try:
        return python_literal(value if value is not None and not placeholder else fallback)
    except TypeError:  # a YAML date or timestamp: no JSON value, so no example
        return python_literal(fallback)


Declared = dict[tuple[str, str], tuple[str, dict[str, Any]]]  # (in, name) -> (pointer, parameter)


def _parameters(at: str, root: Any) -> Declared:
    """The parameters of the operation at `at`, then those of its path item it does not redefine."""
    item_at = at.rsplit("/", 1)[0]
    found: Declared = {}
    for list_at in (jp.join(at, "parameters"), jp.join(item_at, "parameters")):
        for index, param in enumerate(jp.resolve(root, list_at, None) or []):
            param = resolve_ref(root, param)
            if isinstance(param, dict):
                found.setdefault((str(param.get("in")), str(param.get("name"))), (jp.join(list_at, index), param))
    return found


def _param(param: dict[str, Any], index: ModelIndex, root: Any) -> Param:
    wire = str(param.get("name"))
    media: Any = next(iter((param.get("content") or {}).values()), {})
    schema = param.get("schema", media.get("schema") if isinstance(media, dict) else None)
    annotation = _schema_type(schema, index, root)
    resolved = resolve_ref(root, schema)
    raw = resolved.get("default") if isinstance(resolved, dict) and param.get("in") != "path" else None
    default = None
    if raw is not None:
        default = f"{annotation}({python_literal(raw)})" if annotation in index.enums else python_literal(raw)
    elif param.get("required") is not True:
        annotation, default = f"{annotation} | None", "None"
    return Param(
        python_name=snake(str(param.get("x-python-name") or wire), reserved=PARAMETER_NAMES),
        wire_name=python_literal(wire),
        annotation=annotation,
        default=default,
        example=_example(param.get("example"), f"my-{snake(wire).replace('_', '-')}"),
    )


def build_method(
    op: dict[str, Any], at: str, path: str, method_name: str, doc: Document, index: ModelIndex
) -> tuple[Method, list[Diagnostic]]:
    """The method for one operation, and the problems with its argument names."""
    root = doc.root
    declared = _parameters(at, root)
    in_path = re.findall(r"\{([^{}]+)\}", path)
    located: dict[str, list[tuple[Param, str]]] = {"path": [], "query": [], "header": []}
    in_order = sorted(declared.items(), key=lambda d: in_path.index(d[0][1]) if d[0][0] == "path" else 0)
    for (location, _), (pointer, param) in in_order:
        if location in located:  # cookies are not sent by the client
            located[location].append((_param(param, index, root), pointer))
    path_params, query_params, header_params = ([p for p, _ in located[k]] for k in ("path", "query", "header"))
    body_model: str | None = None
    body_fields: list[Param] = []
    body_param: Param | None = None
    media = _json_media(op.get("requestBody"))
    if media is not None:
        body_type = _schema_type(media.get("schema"), index, root)
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
        http_method=method_name,
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


def build_resources(doc: Document, index: ModelIndex) -> list[Resource]:
    """One resource per tag (an operation's first), one method per operation, in document order;
    every name made safe, and two things that got one name reported with both places."""
    tags = {
        str(t.get("name")): (jp.join("/tags", i), t)
        for i, t in enumerate(doc.root.get("tags") or [])
        if isinstance(t, dict)
    }
    resources: dict[str, Resource] = {}
    first_at: dict[str, str] = {}  # where each resource and method was first claimed
    problems: list[Diagnostic] = []
    for at, path, method_name, op in iter_operations(doc.root):
        tag_name = str((op.get("tags") or ["default"])[0])
        tag_at, tag = tags.get(tag_name, (jp.join(at, "tags", 0), {}))
        attribute = snake(
            str(tag.get("x-python-name") or tag_name), reserved=CLIENT_ATTRIBUTES, max_length=FILE_NAME_LENGTH
        )
        resource = resources.setdefault(attribute, Resource(attribute, "", attribute, tag_name))
        if resource.tag != tag_name:
            clash = _clash(
                doc, tag_at, first_at[attribute], f"tag {resource.tag!r}", f"tag {tag_name!r}", f"`client.{attribute}`"
            )
            problems += [clash] if clash not in problems else []
            continue
        first_at.setdefault(attribute, tag_at)
        method, clashes = build_method(op, at, path, method_name, doc, index)
        problems += clashes
        key = f"{attribute}.{method.name}"
        if key in first_at:
            first = f"operation {jp.resolve(doc.root, first_at[key]).get('operationId')!r}"
            second = f"operation {op.get('operationId')!r}"
            problems.append(_clash(doc, at, first_at[key], first, second, f"`client.{key}()`"))
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
        "give one of them its own `x-python-name` (a fix can add it)",
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
