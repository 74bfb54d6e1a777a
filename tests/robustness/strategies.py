"""Hypothesis strategies: hostile text and names, and random valid OpenAPI 3.0 and 3.1 descriptions
built from them. The descriptions are valid by construction (required path parameters, unique
operationIds, references that resolve) and free of name collisions by a deliberately cruder rule
than the generator's (`collision_key`), so any failure to generate one is a bug."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import strategies as st

# Pieces that have broken generated code somewhere: quotes that end literals, escapes, template
# syntax, line breaks of every kind, controls, bidi overrides, astral characters.
TEXT_PIECES = [
    '"', '"""', "'", "'''", "\\", "\\n", "\\x", "\\N{", "{{ 7*7 }}", "{% if x %}", "{#", "}}", "%}", "${x}",
    "\n", "\r", "\t", "\x0c", "\x00", "\x1b", "\u2028", "\u202e", "\x85", " ", "é", "😀", "日本",
    "`", "<script>", "# comment", "__import__('os').system('exit 1')", "\"); import os #", "a", "Z", "0",
    "words " * 20, "y" * 100, "https://example.com/a-long-hyphenated-path-" * 3,  # long enough to wrap or split
]  # fmt: skip
NAME_PIECES = [
    "class", "def", "None", "True", "import", "self", "str", "list", "id", "type", "copy", "model_config",
    "__init__", "__class__", "_", "1", "2nd", " ", "../", "/", "-", ".", "é", "$", "timeout", "fields",
    "Client", "BaseModel", "Field", "with_raw_response", "close", "foo", "Bar", "camelCase", "HTTPStatus",
]  # fmt: skip
SCHEMA_NAME_PIECES = [p for p in NAME_PIECES if re.fullmatch(r"[A-Za-z0-9._-]+", p)]  # what OpenAPI allows


def hostile_text(max_pieces: int = 8) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(TEXT_PIECES), max_size=max_pieces).map("".join)


def hostile_names(pieces: list[str] = NAME_PIECES) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), min_size=1, max_size=3).map("".join)


def collision_key(name: str) -> str:
    """Names with equal keys might become one Python name (a cruder rule than the generator's: its
    letters and digits, lower case, without a `model` suffix, numbers prefixed)."""
    key = re.sub(r"[^a-z0-9]", "", name.lower()).removesuffix("model")
    return "n" + key if key[:1].isdigit() else key


def _unique(names: st.SearchStrategy[str], size: int) -> st.SearchStrategy[list[str]]:
    """Names no two of which might collide; none without letters or digits (their fallback names are
    the generator's business: the corpus covers them), none named like the body argument."""
    named = names.filter(lambda n: collision_key(n) not in ("", "body"))
    return st.lists(named, min_size=1, max_size=size, unique_by=collision_key)


@st.composite
def _scalar_schema(draw: st.DrawFn, version: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["string", "integer", "number", "boolean", "enum", "date-time", "uuid"]))
    nullable = draw(st.booleans())
    schema: dict[str, Any]
    if kind == "enum":
        values = draw(st.lists(hostile_text(4), min_size=1, max_size=4, unique=True))
        schema = {"type": "string", "enum": values, "default": draw(st.sampled_from(values))}
    elif kind == "string":
        schema = {"type": "string", "description": draw(hostile_text())}
        if draw(st.booleans()):
            schema["default"] = draw(hostile_text())
    elif kind == "integer":
        schema = {"type": "integer", "default": draw(st.integers(-(2**63), 2**63 - 1))}
    elif kind == "number":
        schema = {"type": "number", "default": draw(st.floats(allow_nan=False, allow_infinity=False))}
    elif kind == "boolean":
        schema = {"type": "boolean"}
    else:
        schema = {"type": "string", "format": kind}
    if nullable and version == "3.0.3":
        schema["nullable"] = True
    elif nullable:  # the two ways 3.1 says it
        schema = draw(
            st.sampled_from([{**schema, "type": [schema["type"], "null"]}, {"anyOf": [schema, {"type": "null"}]}])
        )
    return schema


@st.composite
def descriptions(draw: st.DrawFn) -> dict[str, Any]:
    """A valid OpenAPI document with hostile titles, descriptions, enum values, defaults and names."""
    version = draw(st.sampled_from(["3.0.3", "3.1.0"]))
    schema_names = draw(_unique(hostile_names(SCHEMA_NAME_PIECES), 4))
    schemas: dict[str, Any] = {}
    for index, name in enumerate(schema_names):
        properties: dict[str, Any] = {}
        for prop in draw(_unique(hostile_names(), 4)):
            earlier = schema_names[:index]
            shape = draw(st.sampled_from(["scalar", "reference", "inline object"] if earlier else ["scalar"]))
            if shape == "reference":
                target = {"$ref": f"#/components/schemas/{draw(st.sampled_from(earlier))}"}
                properties[prop] = draw(st.sampled_from([target, {"type": "array", "items": target}]))
            elif shape == "inline object":  # hoisted to a component of its own
                inner = {name: draw(_scalar_schema(version)) for name in draw(_unique(hostile_names(), 2))}
                properties[prop] = {"type": "object", "description": draw(hostile_text()), "properties": inner}
            else:
                properties[prop] = draw(_scalar_schema(version))
        if draw(st.booleans()):  # a tree: the schema refers to itself
            properties["children" if "children" not in properties else "kids"] = {
                "type": "array",
                "items": {"$ref": f"#/components/schemas/{name}"},
            }
        schemas[name] = {"type": "object", "description": draw(hostile_text()), "properties": properties}
        if index and draw(st.booleans()):  # composition: the fields of an earlier schema, and its own
            base = {"$ref": f"#/components/schemas/{draw(st.sampled_from(schema_names[:index]))}"}
            schemas[name] = {"allOf": [base, schemas[name]]}
        required = draw(st.lists(st.sampled_from(sorted(properties)), unique=True)) if properties else []
        if required:
            (schemas[name]["allOf"][1] if "allOf" in schemas[name] else schemas[name])["required"] = required
    tags = draw(_unique(hostile_names(), 3))
    paths: dict[str, Any] = {}
    for index, op_id in enumerate(draw(_unique(hostile_names(), 5))):
        path_param = draw(st.sampled_from(["id", "key", "thingId", "item-id"]))
        path = f"/r{index}/{{{path_param}}}"
        parameters: list[dict[str, Any]] = [
            {"name": path_param, "in": "path", "required": True, "schema": {"type": "string"}}
        ]
        for name in draw(_unique(hostile_names(), 3)):
            if collision_key(name) != collision_key(path_param):
                location = draw(st.sampled_from(["query", "header"]))
                parameters.append({"name": name, "in": location, "required": draw(st.booleans())})
                parameters[-1]["schema"] = draw(_scalar_schema(version))
        method = draw(st.sampled_from(["get", "put", "post", "delete", "patch"]))
        ref = {"$ref": f"#/components/schemas/{draw(st.sampled_from(schema_names))}"}
        op: dict[str, Any] = {
            "operationId": op_id,
            "tags": [draw(st.sampled_from(tags))],
            "summary": draw(hostile_text()),
            "description": draw(hostile_text()),
            "parameters": parameters,
            "responses": {
                "200": {"description": draw(hostile_text()), "content": {"application/json": {"schema": ref}}}
            },
        }
        if method in ("put", "post", "patch"):
            body = draw(st.sampled_from([ref, {"type": "array", "items": ref}]))
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        paths[path] = {method: op}
    return {
        "openapi": version,
        "info": {"title": draw(hostile_text()), "version": "1.0.0", "description": draw(hostile_text())},
        "tags": [{"name": tag, "description": draw(hostile_text())} for tag in tags],
        "paths": paths,
        "components": {"schemas": schemas},
    }
