"""Turning answers into what an operation returns: by the status the service answered, the model,
text, bytes or nothing its description documents for that status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import httpx

from ._exceptions import ResponseValidationError

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError

_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


@dataclass(frozen=True)
class Expect:
    """What one documented status carries: a JSON value of `type`, text, bytes, or nothing."""

    kind: Literal["json", "text", "binary", "none"]
    type: Any = None

    @classmethod
    def json(cls, type_: Any) -> Expect:
        return cls("json", type_)

    @classmethod
    def text(cls) -> Expect:
        return cls("text")

    @classmethod
    def binary(cls) -> Expect:
        return cls("binary")

    @classmethod
    def nothing(cls) -> Expect:
        return cls("none")


Expectations = Mapping[str, Expect]
"""By status as the description writes it: `200`, `2XX`, `default`."""


def expected(expectations: Expectations, status: int) -> Expect | None:
    """The documented answer for `status`: its own code, else its range, else `default`; a status the
    description does not name takes the only kind of success it documents, if there is one."""
    for key in (str(status), f"{status // 100}XX", "default"):
        if key in expectations:
            return expectations[key]
    kinds = set(expectations.values())
    return next(iter(kinds)) if len(kinds) == 1 else None


def parse_response(response: httpx.Response, expectations: Expectations) -> Any:
    """The body as documented for its status; anything else is ResponseValidationError."""
    expect = expected(expectations, response.status_code)
    if expect is None:
        if not response.content:
            return None
        documented = ", ".join(expectations) or "none"
        raise ResponseValidationError(response, f"status {response.status_code} is not documented ({documented})")
    if expect.kind == "none":
        return None
    if expect.kind == "text":
        return response.text
    if expect.kind == "binary":
        return response.content
    return parse_json(response, expect.type)


def parse_json(response: httpx.Response, type_: Any) -> Any:
    from pydantic import BaseModel, TypeAdapter, ValidationError  # here: keeps importing the package light

    try:
        if isinstance(type_, type) and issubclass(type_, BaseModel):
            return type_.model_validate_json(response.content)
        adapter = _ADAPTERS.get(type_)
        if adapter is None:
            adapter = _ADAPTERS[type_] = TypeAdapter(type_)
        return adapter.validate_json(response.content)
    except ValidationError as err:
        raise ResponseValidationError(response, _summarise(err)) from None


def _summarise(err: ValidationError) -> str:
    problems = err.errors(include_url=False)
    first = problems[0]
    where = "/".join(str(p) for p in first.get("loc", ())) or "body"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{first.get('msg', 'invalid')} at {where}{more}"
