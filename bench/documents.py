"""Synthetic OpenAPI descriptions of any size, for the benchmarks (`bench/run.py`) and the large-document
test (`tests/robustness/test_large.py`): valid by construction, deterministic, and shaped like real
APIs: resources with get/put/patch/delete, bodies and responses by reference, and as many further
schemas as asked for, each with scalars, formats, an enum, nested objects, arrays and references."""

from __future__ import annotations

import json
from typing import Any


def _extra_schema(index: int) -> dict[str, Any]:
    """Schema `Extra{index}`: every kind of property, and references as real APIs have them: to one of
    ten shared schemas, and to the one before it within its group of ten (chains stay short: pydantic
    builds each model's schema with everything it refers to, so a chain through all of them makes
    importing the models quadratic)."""
    shared = [index % 10] if index >= 10 else []
    previous = [index - 1] if index % 10 else []
    earlier = [f"#/components/schemas/Extra{i}" for i in shared + previous]
    properties: dict[str, Any] = {
        "id": {"type": "string", "format": "uuid"},
        "name": {"type": "string", "description": f"The name of extra {index}."},
        "count": {"type": "integer", "format": "int64", "default": index},
        "ratio": {"type": "number"},
        "enabled": {"type": "boolean"},
        "createdAt": {"type": "string", "format": "date-time"},
        "state": {"type": "string", "enum": ["active", "paused", f"state-{index % 7}"]},
        "labels": {"type": "array", "items": {"type": "string"}},
        "settings": {"type": "object", "properties": {"level": {"type": "integer"}, "mode": {"type": "string"}}},
    }
    for number, ref in enumerate(earlier):
        properties[f"related{number}"] = {"$ref": ref}
        properties[f"relatedList{number}"] = {"type": "array", "items": {"$ref": ref}}
    return {"type": "object", "required": ["id", "name"], "description": f"Extra {index}.", "properties": properties}


def synthetic(operations: int, schemas: int = 0, version: str = "3.1.0") -> str:
    """A valid OpenAPI document (JSON) with `operations` operations over operations/4 resources, and
    `schemas` further schemas that the resources refer to."""
    paths: dict[str, Any] = {}
    components: dict[str, Any] = {f"Extra{i}": _extra_schema(i) for i in range(schemas)}
    for i in range(operations):
        resource, kind = divmod(i, 4)
        name = f"Thing{resource}"
        thing: dict[str, Any] = {
            "type": "object",
            "required": ["id", "name"],
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "count": {"type": "integer"},
                "createdAt": {"type": "integer", "format": "int64"},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
        }
        if schemas:
            thing["properties"]["extra"] = {"$ref": f"#/components/schemas/Extra{resource % schemas}"}
        components.setdefault(name, thing)
        ref = {"$ref": f"#/components/schemas/{name}"}
        ok = {"description": "ok", "content": {"application/json": {"schema": ref}}}
        item = paths.setdefault(
            f"/things{resource}/{{id}}",
            {"parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]},
        )
        method = ["get", "put", "patch", "delete"][kind]
        op: dict[str, Any] = {
            "operationId": f"{method}Thing{resource}",
            "tags": [f"group{resource // 25}"],
            "responses": {"200": ok},
        }
        if method in ("put", "patch"):
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref}}}
        item[method] = op
    doc = {
        "openapi": version,
        "info": {"title": f"Synthetic {operations}", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": components},
    }
    return json.dumps(doc, indent=1)
