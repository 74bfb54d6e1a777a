"""The view model: everything the endpoint templates need, named and typed here in Python, so the
templates only lay text out. Built from the model of operations (`Document.operations()`: their
parameters, bodies, responses and security) and the index of the models datamodel-code-generator
emitted, whose classes annotate arguments and results. Values stay raw here (wire names, paths,
defaults, docs): the templates quote them, through their filters only. Every name comes from
`generator.names`; two operations, tags or parameters that would get one name are reported with both
places, and what the client cannot send is an error naming the operation."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.document import pointer as jp
from generator.document.loading import Document
from generator.document.operations import Body, Operation
from generator.document.walking import COMPONENT_SCHEMA_PREFIX, resolve_ref
from generator.names import (
    CLASS_NAMES,
    CLIENT_ATTRIBUTES,
    FILE_NAME_LENGTH,
    PARAMETER_NAMES,
    RESOURCE_ATTRIBUTES,
    pascal,
    snake,
    snake_scope,
)
from generator.render.models import ModelIndex

JSON_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
NAME_HINT = "set `x-python-name` on one of them (a fix can add it); the wire name stays as it is"
BODY_PREFERENCE = ("json", "form", "multipart", "text", "binary")
FILE_TYPES = "FileTypes"  # what a file field or a binary body takes (`_serialize.FileTypes`)
_NO_DEFAULT = object()
LIFECYCLE = ("post", "put", "get", "patch", "delete")  # the README's order of a resource's methods
RESOURCE_CLASS_SUFFIXES = ("", "WithRawResponse", "WithStreamingResponse")  # each also with `Async` before


@dataclass
class Param:
    python_name: str
    wire_name: str
    annotation: str
    required: bool
    description: str = ""
    default: Any = _NO_DEFAULT  # the description's default (raw), when it gives one
    enum: str | None = None  # the enum class the default is a member of
    example: Any = None  # a raw value for the README
    choices: list[Any] = field(default_factory=list)  # the values of the enum it takes, for its docstring
    checked: str | None = None  # the runtime types it is checked against before sending (source of a tuple)

    @property
    def has_default(self) -> bool:
        return self.default is not _NO_DEFAULT


@dataclass
class BodyView:
    kind: str  # json, form, multipart, text, binary
    media_type: str
    model: str | None  # the class the body is checked against
    fields: list[Param]  # flattened into keyword arguments
    whole: Param | None  # or the body as one argument
    file_fields: list[str]  # wire names of a multipart body's file fields
    content_type: Param | None  # for a declared media type with a wildcard (`image/*`)
    required: bool


@dataclass
class Outcome:
    status: str
    kind: str  # json, text, binary, none
    annotation: str | None
    media_type: str | None


@dataclass
class Method:
    name: str
    operation_id: str
    summary: str
    description: str
    deprecated: bool
    http_method: str
    path: str
    positional: list[Param]
    keyword: list[Param]
    path_params: list[Param]
    query_params: list[Param]
    header_params: list[Param]
    cookie_params: list[Param]
    styles: dict[str, tuple[str, bool]]  # query parameters not sent as exploded `form`
    body: BodyView | None
    outcomes: list[Outcome]
    accept: str | None
    security: tuple[tuple[str, ...], ...]
    idempotent: bool | None  # declared by `x-idempotent`; None: as the HTTP method implies
    models: list[str] = field(default_factory=list)  # the model classes its body uses when called
    enums: list[str] = field(default_factory=list)  # the enums of `_enums` its body uses when called

    @property
    def returns(self) -> str:
        kinds = {"text": "str", "binary": "bytes", "none": "None"}
        types = [o.annotation or kinds[o.kind] for o in self.outcomes] or ["None"]
        unique = list(dict.fromkeys(t for t in types if t != "None"))
        return " | ".join(unique + (["None"] if "None" in types else [])) if unique else "None"

    @property
    def parameters(self) -> list[Param]:
        return self.positional + self.keyword

    @property
    def checked_params(self) -> list[Param]:
        """The parameters whose type is checked before sending (a body is checked by its model)."""
        every = self.path_params + self.query_params + self.header_params + self.cookie_params
        return [p for p in every if p.checked]

    @property
    def lifecycle_rank(self) -> int:
        """Where the README shows it: what creates a resource first, what removes it last."""
        return LIFECYCLE.index(self.http_method) if self.http_method in LIFECYCLE else LIFECYCLE.index("get")


@dataclass
class Resource:
    attribute: str
    class_name: str
    module: str
    tag: str
    description: str = ""
    methods: list[Method] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)  # for annotations only (`TYPE_CHECKING`)
    default_imports: list[str] = field(default_factory=list)  # enums of defaults: needed at import
    default_models: list[str] = field(default_factory=list)  # those kept in `models` (`edit_models`)
    mixins: dict[str, str] = field(default_factory=dict)  # "" or "Async" -> hand-written mixin class
    mixin_imports: list[tuple[str, str]] = field(default_factory=list)  # (module, class)

    @property
    def argument_checks(self) -> list[str]:
        """The checks of `_arguments` its methods call before sending."""
        paths = any(m.path_params for m in self.methods)
        types = any(m.checked_params for m in self.methods)
        return [name for name, used in (("check_path", paths), ("check_types", types)) if used]


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
    if kind == "object":
        return "dict[str, Any]"
    return JSON_TYPES.get(str(kind), "Any")


RUNTIME_TYPES = {"str": "str", "int": "int", "float": "int, float", "bool": "bool", "None": "type(None)"}
RUNTIME_TYPES |= {"dict[str, Any]": "dict"}


def _checked(annotation: str, index: ModelIndex) -> str | None:
    """The runtime types a parameter annotated `annotation` is checked against (the source of a
    tuple for `isinstance`), or None where a plain check cannot say (a model, `Any`). An enum
    argument also takes its values' plain type; a list, any list or tuple (its items go as they are)."""
    types: list[str] = []
    for member in annotation.split(" | "):
        if member.startswith("list["):
            types.append("list, tuple")
        elif member in index.enums:
            plain = {type(v).__name__ for v in index.enum_values.get(member, [])} & {"str", "int"}
            types.append(", ".join([member, *sorted(plain)]))
        elif member in RUNTIME_TYPES:
            types.append(RUNTIME_TYPES[member])
        else:
            return None
    return f"({', '.join(types)},)"


def _choices(annotation: str, index: ModelIndex) -> list[Any]:
    """The values an argument typed by an enum (alone, in a list or with None) accepts."""
    enums = [name for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", annotation) if name in index.enums]
    return list(index.enum_values.get(enums[0], [])) if len(enums) == 1 else []


def _example(value: Any, fallback: Any) -> Any:
    """The description's example, unless it is a `<placeholder>` or not JSON (a YAML date)."""
    placeholder = isinstance(value, str) and value.startswith("<") and value.endswith(">")
    usable = value is not None and not placeholder and isinstance(value, (str, int, float, bool, list, dict))
    return value if usable else fallback


def _text(node: Any, key: str) -> str:
    value = node.get(key) if isinstance(node, dict) else None
    return str(value) if value is not None else ""


def _argument_names(doc: Document, op: Operation) -> list[str]:
    """Each parameter's argument name, in order: the operation's parameters are one scope, so
    `StartTime<` beside `StartTime` is `start_time_before`; parameters of one name in different
    places (OpenAPI tells them apart by `in`) keep it for the path one, and the others take their
    place after it (`segment_id`, `segment_id_query`)."""
    chosen = {}
    for i, parameter in enumerate(op.parameters):
        param = jp.resolve(doc.root, parameter.pointer)
        chosen[i] = str(param.get("x-python-name") or param.get("name"))
    names = list(snake_scope(chosen, reserved=PARAMETER_NAMES).values())
    counts = Counter(names)
    placed = [
        snake(f"{name} {p.location}", reserved=PARAMETER_NAMES) if counts[name] > 1 and p.location != "path" else name
        for name, p in zip(names, op.parameters, strict=True)
    ]
    return placed if len(set(placed)) == len(placed) else names  # else the clash is reported, as it is


def _param(doc: Document, param_at: str, schema_at: str, location: str, python_name: str, index: ModelIndex) -> Param:
    root = doc.root
    param = jp.resolve(root, param_at)
    wire = str(param.get("name"))
    schema = jp.resolve(root, schema_at, None)
    annotation = _schema_type(schema, index, root)
    resolved = resolve_ref(root, schema)
    view = Param(
        python_name=python_name,
        wire_name=wire,
        annotation=annotation,
        required=param.get("required") is True,
        description=_text(param, "description"),
        example=_example(param.get("example"), f"my-{snake(wire).replace('_', '-')}"),
        choices=_choices(annotation, index),
    )
    if isinstance(resolved, dict) and "default" in resolved and location != "path" and resolved["default"] is not None:
        view.default, view.enum = resolved["default"], annotation if annotation in index.enums else None
    elif not view.required:
        view.annotation, view.default = f"{annotation} | None", None
    view.checked = _checked(view.annotation, index)
    return view


def _style(doc: Document, param_at: str, media_type: str | None) -> tuple[str, bool] | None:
    """How a query parameter is written, when not as exploded `form` (JSON for one given by `content`)."""
    if media_type is not None:
        return ("json", True)
    param = jp.resolve(doc.root, param_at)
    style = str(param.get("style", "form"))
    explode = param.get("explode", style == "form") is True
    return None if (style, explode) == ("form", True) else (style, explode)


def _chosen_body(op: Operation) -> Body | None:
    """The body the method sends: the description's most structured media type (JSON first)."""
    return min(op.bodies, key=lambda b: BODY_PREFERENCE.index(b.kind), default=None)


def _binary(schema: Any) -> bool:
    """A string of raw bytes: `format: binary`, or (3.1) a `contentMediaType` without an encoding."""
    if not isinstance(schema, dict):
        return False
    return schema.get("format") == "binary" or ("contentMediaType" in schema and "contentEncoding" not in schema)


def _file_fields(doc: Document, schema_at: str | None) -> list[str]:
    """The properties of a multipart body that hold files (`format: binary`, or a 3.1 `contentMediaType`)."""
    schema = resolve_ref(doc.root, jp.resolve(doc.root, schema_at, None)) if schema_at else None
    found = []
    for wire, prop in ((schema or {}).get("properties") or {}).items() if isinstance(schema, dict) else []:
        prop = resolve_ref(doc.root, prop)
        items = resolve_ref(doc.root, prop.get("items")) if isinstance(prop, dict) else None
        for candidate in (prop, items):
            if isinstance(candidate, dict) and (
                candidate.get("format") == "binary"
                or ("contentMediaType" in candidate and "contentEncoding" not in candidate)
            ):
                found.append(str(wire))
                break
    return found


def _body(
    doc: Document, op: Operation, chosen: Body, taken: set[str], index: ModelIndex
) -> tuple[BodyView, list[Diagnostic]]:
    root = doc.root
    node = jp.resolve(root, op.pointer)
    media = jp.resolve(root, chosen.pointer)
    example = media.get("example") if isinstance(media, dict) else None
    name = snake(str(node.get("x-codegen-request-body-name", "body")), reserved=PARAMETER_NAMES)
    request_body = jp.resolve(root, chosen.pointer.rsplit("/", 2)[0])  # the media type is under `content`
    schema = resolve_ref(root, jp.resolve(root, chosen.schema_pointer, None)) if chosen.schema_pointer else None
    about = _text(request_body, "description") or _text(schema, "description") or f"The {chosen.media_type} body"
    view = BodyView(chosen.kind, chosen.media_type, None, [], None, [], None, op.body_required)
    if chosen.kind in ("text", "binary"):
        annotation = "str" if chosen.kind == "text" else FILE_TYPES
        view.whole = Param(name, name, annotation, op.body_required, about, example=_example(example, "..."))
        if "*" in chosen.media_type:
            view.content_type = Param("content_type", "content_type", "str", True, "The media type of the body")
        return view, []
    declared = jp.resolve(root, chosen.schema_pointer, None) if chosen.schema_pointer else None
    body_type = _schema_type(declared, index, root)
    fields = index.fields.get(body_type)
    files = _file_fields(doc, chosen.schema_pointer) if chosen.kind == "multipart" else []
    free = body_type == "dict[str, Any]"  # an object without properties: its fields are the caller's, as a mapping
    if chosen.kind in ("form", "multipart") and fields is None and not free:
        message = (
            f"operation {node.get('operationId')!r}: a {chosen.media_type} body must be an object with "
            f"properties (its fields are the form's fields), not {body_type}"
        )
        hint = "describe the body as an object schema (a fix can add its properties)"
        return view, [doc.diagnostic(chosen.pointer, message, hint, rule="render-bodies")]
    if fields and not taken & {f.python_name for f in fields}:
        # An object body's fields become keyword arguments, unless one would clash with a parameter (or it has none).
        view.model = body_type
        for f in fields:
            sample = example.get(f.wire_name) if isinstance(example, dict) else None
            annotation = FILE_TYPES if f.wire_name in files else f.annotation
            if f.wire_name in files and not f.required:
                annotation += " | None"
            param = Param(f.python_name, f.wire_name, annotation, f.required, f.description)
            param.choices = _choices(annotation, index)
            param.example = _example(sample, f"my-{f.python_name.replace('_', '-')}")
            if not f.required:
                param.default = None
            view.fields.append(param)
        view.file_fields = files
        return view, []
    if files:
        message = f"operation {node.get('operationId')!r}: a field of its multipart body clashes with a parameter"
        return view, [doc.diagnostic(chosen.pointer, message, NAME_HINT, rule="render-names")]
    view.model = body_type if body_type in index.roots or fields is not None else None
    root_type = index.roots.get(body_type)
    items = re.fullmatch(r"list\[(.+)\]", root_type or "")
    # A list body also takes any sequence of its items or of plain mappings, as JSON would be written.
    accepted = f"Sequence[{items.group(1)} | Mapping[str, Any]]" if items else root_type
    annotation = f"{body_type} | {accepted}" if accepted else body_type
    view.whole = Param(name, name, annotation, op.body_required, about, example=_example(example, "..."))
    if not op.body_required:
        view.whole.annotation, view.whole.default = f"{annotation} | None", None
    return view, []


def _outcomes(doc: Document, op: Operation, index: ModelIndex) -> list[Outcome]:
    """The successes a call can return; `default` too when the description documents no success."""
    responses = op.successes or [r for r in op.responses if r.status == "default"]
    outcomes = []
    for response in responses:
        annotation = None
        if response.kind == "json":
            schema = jp.resolve(doc.root, response.schema_pointer, None) if response.schema_pointer else None
            annotation = _schema_type(schema, index, doc.root)
        outcomes.append(Outcome(response.status, response.kind, annotation, response.media_type))
    return outcomes


def build_method(doc: Document, op: Operation, index: ModelIndex) -> tuple[Method, list[Diagnostic]]:
    """The method for one operation, and the problems with its arguments."""
    node = jp.resolve(doc.root, op.pointer)
    located: dict[str, list[tuple[Param, str]]] = {"path": [], "query": [], "header": [], "cookie": []}
    styles: dict[str, tuple[str, bool]] = {}
    for parameter, python_name in zip(op.parameters, _argument_names(doc, op), strict=True):
        view = _param(doc, parameter.pointer, parameter.schema_pointer, parameter.location, python_name, index)
        located[parameter.location].append((view, parameter.pointer))
        style = _style(doc, parameter.pointer, parameter.media_type) if parameter.location == "query" else None
        if style is not None:
            styles[parameter.name] = style
    params = {k: [p for p, _ in v] for k, v in located.items()}
    taken = {p.python_name for ps in params.values() for p in ps} | PARAMETER_NAMES
    chosen = _chosen_body(op)
    body, problems = _body(doc, op, chosen, taken, index) if chosen else (None, [])
    named = params["query"] + params["header"] + params["cookie"] + (body.fields if body else [])
    named += [body.content_type] if body and body.content_type else []
    positional = params["path"] + ([body.whole] if body and body.whole else [])
    outcomes = _outcomes(doc, op, index)
    media_types = [o.media_type for o in outcomes] + [r.media_type for r in op.responses if not r.success]
    method = Method(
        name=snake(str(node.get("x-python-name") or node.get("operationId")), reserved=RESOURCE_ATTRIBUTES),
        operation_id=str(node.get("operationId")),
        summary=_text(node, "summary"),
        description=_text(node, "description"),
        deprecated=node.get("deprecated") is True,
        http_method=op.method,
        path=op.path,
        positional=positional,
        keyword=[p for p in named if not p.has_default] + [p for p in named if p.has_default],
        path_params=params["path"],
        query_params=params["query"],
        header_params=params["header"],
        cookie_params=params["cookie"],
        styles=styles,
        body=body,
        outcomes=outcomes,
        accept=", ".join(dict.fromkeys(m for m in media_types if m)) or None,
        security=op.security,
        idempotent=node["x-idempotent"] if isinstance(node.get("x-idempotent"), bool) else None,
    )
    body_at = jp.join(op.pointer, "requestBody")
    arguments = [(p, f"{k} parameter {p.wire_name!r}", where) for k, ps in located.items() for p, where in ps]
    arguments += [(p, f"body field {p.wire_name!r}", body_at) for p in (body.fields if body else [])]
    arguments += [(body.whole, "the body", body_at)] if body and body.whole else []
    return method, problems + _argument_clashes(arguments, node, doc)


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
    """One resource per tag (an operation's first; a tag spelled in two cases, as SendGrid's
    `Segmenting Contacts`, is one), one method per operation, in document order; every name made
    safe, and two things that got one name reported with both places."""
    tags = {
        str(t.get("name")): (jp.join("/tags", i), t)
        for i, t in enumerate(doc.root.get("tags") or [])
        if isinstance(t, dict)
    }
    resources: dict[str, Resource] = {}
    first_at: dict[str, str] = {}  # where each resource and method was first claimed
    problems: list[Diagnostic] = []
    for op in doc.operations():
        node = jp.resolve(doc.root, op.pointer)
        tag_name = str((node.get("tags") or ["default"])[0])
        tag_at, tag = tags.get(tag_name, (jp.join(op.pointer, "tags", 0), {}))
        attribute = snake(
            str(tag.get("x-python-name") or tag_name), reserved=CLIENT_ATTRIBUTES, max_length=FILE_NAME_LENGTH
        )
        resource = resources.setdefault(
            attribute, Resource(attribute, "", attribute, tag_name, description=_text(tag, "description"))
        )
        if resource.tag.casefold() != tag_name.casefold():  # one tag spelled in two cases is one resource
            clash = _clash(
                doc, tag_at, first_at[attribute], f"tag {resource.tag!r}", f"tag {tag_name!r}", f"`client.{attribute}`"
            )
            problems += [clash] if clash not in problems else []
            continue
        first_at.setdefault(attribute, tag_at)
        method, found = build_method(doc, op, index)
        problems += found
        key = f"{attribute}.{method.name}"
        if key in first_at:
            first = f"operation {jp.resolve(doc.root, first_at[key]).get('operationId')!r}"
            second = f"operation {node.get('operationId')!r}"
            problems.append(_clash(doc, op.pointer, first_at[key], first, second, f"`client.{key}()`"))
        first_at.setdefault(key, op.pointer)
        resource.methods.append(method)
    if problems:
        raise GeneratorFailure(problems)
    for resource in resources.values():
        resource.class_name = _class_name(resource.attribute, index.names)
        _place_imports(resource, index)
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
    while {f"{prefix}{name}{suffix}" for prefix in ("", "Async") for suffix in RESOURCE_CLASS_SUFFIXES} & (
        models | CLASS_NAMES
    ):
        name += "Resource"
    return name


def _models_in(texts: list[str], index: ModelIndex) -> set[str]:
    return {name for text in texts for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)} & index.names


def _place_imports(resource: Resource, index: ModelIndex) -> None:
    """Where the resource module imports each model from, so importing it builds no model class:
    a method imports those its body uses when called (its answers, its body, the enums its arguments
    are checked against); annotations see them under `TYPE_CHECKING`;
    only the enum of a default is needed when the module is imported (defaults are evaluated then),
    from `_enums`. Enums come from there in method bodies too: checking an argument builds no model."""
    used: set[str] = set()
    defaults: set[str] = set()
    for method in resource.methods:
        body_model = method.body.model if method.body and method.body.model else ""
        called = [o.annotation or "" for o in method.outcomes if o.kind == "json"] + [body_model]
        called += [p.checked or "" for p in method.checked_params]  # an enum argument's check names its class
        needed = _models_in(called, index)
        method.models, method.enums = sorted(needed - index.apart), sorted(needed & index.apart)
        used |= _models_in([method.returns, body_model, *(p.annotation for p in method.parameters)], index)
        defaults |= _models_in([p.enum for p in method.parameters if p.enum], index)
    resource.default_imports, resource.default_models = sorted(defaults & index.apart), sorted(defaults - index.apart)
    for method in resource.methods:  # what the module imports, its methods have
        method.enums = [name for name in method.enums if name not in defaults]
    resource.imports = sorted(used - defaults)
