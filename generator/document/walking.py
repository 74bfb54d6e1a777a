"""Walking an OpenAPI 3.0/3.1 tree: its operations and every place a schema can stand."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from generator.document import pointer as jp

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
COMPONENT_SCHEMA_PREFIX = "#/components/schemas/"


def iter_operations(root: Any) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(pointer, path, method, operation) for every operation, in document order."""
    for path, item in (root.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in list(item):
            if method in HTTP_METHODS and isinstance(item[method], dict):
                yield jp.join("/paths", str(path), method), str(path), method, item[method]


def _subschemas(schema: dict[str, Any], at: str) -> Iterator[tuple[str, Any]]:
    for key in ("properties", "patternProperties", "$defs", "definitions"):
        for name, sub in (schema.get(key) or {}).items():
            yield jp.join(at, key, str(name)), sub
    for key in ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else"):
        if isinstance(schema.get(key), dict):
            yield jp.join(at, key), schema[key]
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        for index, sub in enumerate(schema.get(key) or []):
            yield jp.join(at, key, index), sub


def iter_schema_tree(schema: Any, at: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """`schema` and every schema nested in it, parents before children."""
    if not isinstance(schema, dict):
        return
    yield at, schema
    for sub_at, sub in _subschemas(schema, at):
        yield from iter_schema_tree(sub, sub_at)


def iter_root_schemas(root: Any) -> Iterator[tuple[str, Any]]:
    """Every schema that is not nested in another: components, parameters, bodies, responses, headers."""
    components = root.get("components") or {}
    for name, schema in (components.get("schemas") or {}).items():
        yield jp.join("/components/schemas", str(name)), schema
    for at, node in _schema_holders(root):
        if isinstance(node.get("schema"), dict):
            yield jp.join(at, "schema"), node["schema"]


def iter_schemas(root: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    for at, schema in iter_root_schemas(root):
        yield from iter_schema_tree(schema, at)


def _schema_holders(root: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Parameter, header and media-type objects: the things that hold a `schema` and examples."""
    components = root.get("components") or {}
    for kind in ("parameters", "headers"):
        for name, node in (components.get(kind) or {}).items():
            if isinstance(node, dict):
                yield jp.join("/components", kind, str(name)), node
    for name, response in (components.get("responses") or {}).items():
        yield from _response_holders(response, jp.join("/components/responses", str(name)))
    for name, body in (components.get("requestBodies") or {}).items():
        yield from _content_holders(body, jp.join("/components/requestBodies", str(name)))
    for path, item in (root.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        item_at = jp.join("/paths", str(path))
        for index, param in enumerate(item.get("parameters") or []):
            if isinstance(param, dict):
                yield jp.join(item_at, "parameters", index), param
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            op_at = jp.join(item_at, method)
            for index, param in enumerate(op.get("parameters") or []):
                if isinstance(param, dict):
                    yield jp.join(op_at, "parameters", index), param
            yield from _content_holders(op.get("requestBody"), jp.join(op_at, "requestBody"))
            for code, response in (op.get("responses") or {}).items():
                yield from _response_holders(response, jp.join(op_at, "responses", str(code)))


def _response_holders(response: Any, at: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(response, dict):
        return
    for name, header in (response.get("headers") or {}).items():
        if isinstance(header, dict):
            yield jp.join(at, "headers", str(name)), header
    yield from _content_holders(response, at)


def _content_holders(node: Any, at: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(node, dict):
        return
    for media_type, media in (node.get("content") or {}).items():
        if isinstance(media, dict):
            yield jp.join(at, "content", str(media_type)), media


def iter_examples(root: Any) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """(pointer, container, schema) for every example value and the schema it illustrates.

    `container[key]` for the last token of the pointer is the example itself, so rules can replace it.
    """
    for at, schema in iter_schemas(root):
        if "example" in schema:
            yield jp.join(at, "example"), schema, schema
        for index in range(len(schema.get("examples") or []) if isinstance(schema.get("examples"), list) else 0):
            yield jp.join(at, "examples", index), schema["examples"], schema
    for at, holder in _schema_holders(root):
        held = holder.get("schema")
        if not isinstance(held, dict):
            continue
        if "example" in holder:
            yield jp.join(at, "example"), holder, held
        for name, example in (holder.get("examples") or {}).items():
            if isinstance(example, dict) and "value" in example:
                yield jp.join(at, "examples", str(name), "value"), example, held


def target_pointer(ref: str) -> str:
    """The JSON pointer a local reference names (`#/components/schemas/My%20Pet` -> `/components/schemas/My Pet`)."""
    return unquote(ref[1:])


def resolve_ref(root: Any, node: Any) -> Any:
    """`node`, or what its local `$ref` leads to (a bounded number of hops, so a cycle cannot hang)."""
    for _ in range(64):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        ref = node["$ref"]
        if not ref.startswith("#"):
            return node
        node = jp.resolve(root, target_pointer(ref), None)
    return node
