"""The hand-written core every generated resource method delegates to.

`BaseClient` has no I/O: it holds the token and settings, builds requests, decides on retries and
maps answers to errors. `SyncAPIClient` and `AsyncAPIClient` only send, sleep and loop.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Mapping
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from ._exceptions import ApiConnectionError, ApiTimeoutError, LdReleasesError, error_for
from ._logs import logger, setup_from_env
from ._response import RawResponse
from ._retry import RetryPolicy
from ._version import __version__

TimeoutTypes = float | httpx.Timeout | None
Self = TypeVar("Self", bound="BaseClient")

_PATH_PARAM = re.compile(r"\{([^{}]+)\}")


class BaseClient:
    """Settings and decisions shared by the sync and async clients."""

    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str | None,
        hosts: Mapping[str, str],
        default_host: str,
        timeout: TimeoutTypes,
        max_retries: int,
    ) -> None:
        setup_from_env()
        api_key = api_key if api_key is not None else os.environ.get("LD_API_KEY")
        if not api_key:
            raise LdReleasesError("no API key: pass api_key=... or set the LD_API_KEY environment variable")
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self._api_key = api_key
        chosen = base_url or os.environ.get("LD_BASE_URL") or default_host
        self.base_url = hosts.get(chosen, chosen).rstrip("/")
        if not self.base_url.startswith(("http://", "https://")):
            raise LdReleasesError(f"base_url must be a URL or one of {sorted(hosts)}, got {chosen!r}")
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_policy = RetryPolicy()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def _build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, object] | None,
        query: Mapping[str, object] | None,
        headers: Mapping[str, str] | None,
        json_body: object,
        timeout: TimeoutTypes | None,
    ) -> httpx.Request:
        return http.build_request(
            method.upper(),
            self.base_url + expand_path(path, path_params or {}),
            params={k: _query_value(v) for k, v in (query or {}).items() if v is not None},
            headers={**self._default_headers(), **(headers or {})},
            json=json_body,
            timeout=timeout if timeout is not None else self.timeout,
        )

    def _default_headers(self) -> dict[str, str]:
        return {
            "Authorization": self._api_key,
            "Accept": "application/json",
            "User-Agent": f"ld-releases-python/{__version__}",
        }

    def _retry_after_response(
        self, request: httpx.Request, response: httpx.Response, attempt: int, budget: int, idempotent: bool | None
    ) -> float | None:
        wait = self.retry_policy.after_response(request.method, response, attempt, budget, idempotent)
        if wait is not None:
            logger.info(
                "retrying %s %s in %.2fs after %d (retry %d of %d)",
                request.method,
                request.url.path,
                wait,
                response.status_code,
                attempt + 1,
                budget,
            )
        return wait

    def _retry_after_error(
        self, request: httpx.Request, error: Exception, attempt: int, budget: int, idempotent: bool | None
    ) -> float | None:
        wait = self.retry_policy.after_error(request.method, error, attempt, budget, idempotent)
        if wait is not None:
            logger.info(
                "retrying %s %s in %.2fs after %s (retry %d of %d)",
                request.method,
                request.url.path,
                wait,
                type(error).__name__,
                attempt + 1,
                budget,
            )
        return wait

    @staticmethod
    def _transport_error(request: httpx.Request, error: Exception) -> ApiConnectionError:
        if isinstance(error, httpx.TimeoutException):
            return ApiTimeoutError(f"timed out ({type(error).__name__})", request=request)
        return ApiConnectionError(f"connection failed ({type(error).__name__}: {error})", request=request)

    @staticmethod
    def _log_response(request: httpx.Request, response: httpx.Response, started: float) -> None:
        logger.debug(
            "%s %s -> %d (%.0f ms)",
            request.method,
            request.url.path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )


class SyncAPIClient(BaseClient):
    """Sends through an httpx.Client (its own, or the one given, which it then leaves open)."""

    def __init__(self, *, http_client: httpx.Client | None, **settings: Any) -> None:
        super().__init__(**settings)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=self.timeout)

    def close(self) -> None:
        """Close the connection pool (only when this client created it)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self: Self) -> Self:
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
        max_retries: int | None = None,
        idempotent: bool | None = None,
    ) -> RawResponse[Any]:
        """Send one call, retrying as the policy says; raise the typed error for an error answer."""
        request = self._build_request(
            self._http,
            method,
            path,
            path_params=path_params,
            query=query,
            headers=headers,
            json_body=json_body,
            timeout=timeout,
        )
        budget = self.max_retries if max_retries is None else max_retries
        attempt = 0
        while True:
            started = time.monotonic()
            try:
                response = self._http.send(request)
                response.read()
            except httpx.TransportError as err:
                wait = self._retry_after_error(request, err, attempt, budget, idempotent)
                if wait is None:
                    raise self._transport_error(request, err) from err
            else:
                self._log_response(request, response, started)
                if response.status_code < 400:
                    return RawResponse(response, response_type, attempt)
                wait = self._retry_after_response(request, response, attempt, budget, idempotent)
                if wait is None:
                    raise error_for(response)
            time.sleep(wait)
            attempt += 1


class AsyncAPIClient(BaseClient):
    """Sends through an httpx.AsyncClient (its own, or the one given, which it then leaves open)."""

    def __init__(self, *, http_client: httpx.AsyncClient | None, **settings: Any) -> None:
        super().__init__(**settings)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient(timeout=self.timeout)

    async def close(self) -> None:
        """Close the connection pool (only when this client created it)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: Self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def request(
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
        max_retries: int | None = None,
        idempotent: bool | None = None,
    ) -> RawResponse[Any]:
        """Send one call, retrying as the policy says; raise the typed error for an error answer."""
        request = self._build_request(
            self._http,
            method,
            path,
            path_params=path_params,
            query=query,
            headers=headers,
            json_body=json_body,
            timeout=timeout,
        )
        budget = self.max_retries if max_retries is None else max_retries
        attempt = 0
        while True:
            started = time.monotonic()
            try:
                response = await self._http.send(request)
                await response.aread()
            except httpx.TransportError as err:
                wait = self._retry_after_error(request, err, attempt, budget, idempotent)
                if wait is None:
                    raise self._transport_error(request, err) from err
            else:
                self._log_response(request, response, started)
                if response.status_code < 400:
                    return RawResponse(response, response_type, attempt)
                wait = self._retry_after_response(request, response, attempt, budget, idempotent)
                if wait is None:
                    raise error_for(response)
            await asyncio.sleep(wait)
            attempt += 1


def expand_path(template: str, values: Mapping[str, object]) -> str:
    """`/flags/{flagKey}` with `{"flagKey": "a/b"}` -> `/flags/a%2Fb`: every value is one path segment."""

    def segment(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        text = str(getattr(value, "value", value))
        if text == "":
            raise ValueError(f"path parameter {match.group(1)!r} must not be empty")
        return quote(text, safe="")

    return _PATH_PARAM.sub(segment, template)


def _query_value(value: object) -> str | int | float | bool:
    """Query values as httpx takes them: enum members by value, the rest as they are or as text."""
    value = getattr(value, "value", value)
    return value if isinstance(value, (str, int, float, bool)) else str(value)
