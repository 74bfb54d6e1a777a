"""The hand-written core every generated resource method delegates to: building the request
(path, token, headers), sending it through httpx, and turning the answer into a model or a typed error."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from ._exceptions import (
    ApiConnectionError,
    ApiTimeoutError,
    LdReleasesError,
    ResponseValidationError,
    error_for,
)
from ._version import __version__

T = TypeVar("T")
TimeoutTypes = float | httpx.Timeout | None

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
_PATH_PARAM = re.compile(r"\{([^{}]+)\}")
_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


class SyncAPIClient:
    """Holds the token, the base URL and the httpx client; `request` is the one way out."""

    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str | None,
        hosts: Mapping[str, str],
        default_host: str,
        timeout: TimeoutTypes,
        http_client: httpx.Client | None,
    ) -> None:
        api_key = api_key if api_key is not None else os.environ.get("LD_API_KEY")
        if not api_key:
            raise LdReleasesError("no API key: pass api_key=... or set the LD_API_KEY environment variable")
        self._api_key = api_key
        base_url = base_url or os.environ.get("LD_BASE_URL") or default_host
        self.base_url = hosts.get(base_url, base_url).rstrip("/")
        self.timeout = timeout
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=timeout)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def close(self) -> None:
        """Close the connection pool (only when this client created it)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        response_type: Any,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        json_body: object = None,
        timeout: TimeoutTypes | None = None,
    ) -> Any:
        """Send one request; return the parsed success body (None when `response_type` is None)."""
        request = self._http.build_request(
            method.upper(),
            self.base_url + expand_path(path, path_params or {}),
            params={k: _query_value(v) for k, v in (query or {}).items() if v is not None},
            headers={**self._default_headers(), **(headers or {})},
            json=json_body,
            timeout=timeout if timeout is not None else self.timeout,
        )
        try:
            response = self._http.send(request)
        except httpx.TimeoutException as err:
            raise ApiTimeoutError(f"timed out ({type(err).__name__})", request=request) from err
        except httpx.TransportError as err:
            raise ApiConnectionError(f"connection failed: {type(err).__name__}: {err}", request=request) from err
        if response.status_code >= 400:
            raise error_for(response)
        return parse_response(response, response_type)

    def _default_headers(self) -> dict[str, str]:
        return {
            "Authorization": self._api_key,
            "Accept": "application/json",
            "User-Agent": f"ld-releases-python/{__version__}",
        }


def expand_path(template: str, values: Mapping[str, object]) -> str:
    """`/flags/{flagKey}` with `{"flagKey": "a/b"}` -> `/flags/a%2Fb`: every value is one path segment."""

    def segment(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        text = str(value.value if hasattr(value, "value") else value)
        if text == "":
            raise ValueError(f"path parameter {match.group(1)!r} must not be empty")
        return quote(text, safe="")

    return _PATH_PARAM.sub(segment, template)


def _query_value(value: object) -> str | int | float | bool:
    """Query values as httpx takes them: enum members by value, the rest as they are or as text."""
    value = getattr(value, "value", value)
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def encode_body(model: type[BaseModel], value: object) -> object:
    """A request body as JSON data: validated against its model, with only what the caller set, by wire name."""
    instance = value if isinstance(value, model) else model.model_validate(value)
    return instance.model_dump(mode="json", by_alias=True, exclude_unset=True)


def parse_response(response: httpx.Response, response_type: Any) -> Any:
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
