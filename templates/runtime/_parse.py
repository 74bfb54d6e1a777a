"""Turning bodies into models, and request arguments into bodies."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from ._exceptions import ResponseValidationError

_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def encode_body(model: type[BaseModel], value: object) -> object:
    """A request body as JSON data: validated against its model, with only what the caller set, by wire name."""
    instance = value if isinstance(value, model) else model.model_validate(value)
    return instance.model_dump(mode="json", by_alias=True, exclude_unset=True)


def parse_response(response: httpx.Response, response_type: Any) -> Any:
    """The body as `response_type` (None for bodiless answers); anything else is ResponseValidationError."""
    if response_type is None:
        return None
    try:
        if isinstance(response_type, type) and issubclass(response_type, BaseModel):
            return response_type.model_validate_json(response.content)
        adapter = _ADAPTERS.get(response_type)
        if adapter is None:
            adapter = _ADAPTERS[response_type] = TypeAdapter(response_type)
        return adapter.validate_json(response.content)
    except ValidationError as err:
        raise ResponseValidationError(response, _summarise(err)) from None


def _summarise(err: ValidationError) -> str:
    problems = err.errors(include_url=False)
    first = problems[0]
    where = "/".join(str(p) for p in first.get("loc", ())) or "body"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{first.get('msg', 'invalid')} at {where}{more}"
