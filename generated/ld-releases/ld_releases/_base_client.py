# Copied verbatim from templates/ by the ld-releases toolchain: do not edit here.
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
from dataclasses import dataclass
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
            raise LdReleasesError(
                "no API key: pass api_key=... or set the LD_API_KEY environment variable"
            )
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self._api_key = api_key
        chosen = base_url or os.environ.get("LD_BASE_URL") or default_host
        self.base_url = hosts.get(chosen, chosen).rstrip("/")
        if not self.base_url.startswith(("http://", "https://")):
            raise LdReleasesError(
                f"base_url must be a URL or one of {sorted(hosts)}, got {chosen!r}"
            )
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

    def _start_call(
        self,
        http: httpx.Client | httpx.AsyncClient,
        method: str,
        path: str,
        response_type: Any,
        path_params: Mapping[str, object] | None,
        query: Mapping[str, object] | None,
        headers: Mapping[str, str] | None,
        json_body: object,
        timeout: TimeoutTypes | None,
        max_retries: int | None,
        idempotent: bool | None,
    ) -> _Call:
        request = self._build_request(
            http,
            method,
            path,
            path_params=path_params,
            query=query,
            headers=headers,
            json_body=json_body,
            timeout=timeout,
        )
        budget = self.max_retries if max_retries is None else max_retries
        return _Call(self.retry_policy, request, response_type, budget, idempotent)


@dataclass
class _Call:
    """One call in flight. After each attempt it returns the result, or how long to wait before the
    next attempt, or raises the typed error: every decision, none of the I/O."""

    policy: RetryPolicy
    request: httpx.Request
    response_type: Any
    budget: int
    idempotent: bool | None
    attempt: int = 0

    def after_error(self, error: httpx.TransportError) -> float:
        request = self.request
        wait = self.policy.after_error(
            request.method, error, self.attempt, self.budget, self.idempotent
        )
        if wait is None:
            if isinstance(error, httpx.TimeoutException):
                raise ApiTimeoutError(
                    f"timed out ({type(error).__name__})", request=request
                ) from error
            raise ApiConnectionError(
                f"connection failed ({type(error).__name__}: {error})", request=request
            ) from error
        self._log_retry(wait, type(error).__name__)
        return wait

    def after_response(self, response: httpx.Response, started: float) -> RawResponse[Any] | float:
        request = self.request
        elapsed = (time.monotonic() - started) * 1000
        logger.debug(
            "%s %s -> %d (%.0f ms)", request.method, request.url.path, response.status_code, elapsed
        )
        if response.status_code < 400:
            return RawResponse(response, self.response_type, self.attempt)
        wait = self.policy.after_response(
            request.method, response, self.attempt, self.budget, self.idempotent
        )
        if wait is None:
            raise error_for(response)
        self._log_retry(wait, str(response.status_code))
        return wait

    def _log_retry(self, wait: float, cause: str) -> None:
        self.attempt += 1
        logger.info(
            "retrying %s %s in %.2fs after %s (retry %d of %d)",
            self.request.method,
            self.request.url.path,
            wait,
            cause,
            self.attempt,
            self.budget,
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
        call = self._start_call(
            self._http,
            method,
            path,
            response_type,
            path_params,
            query,
            headers,
            json_body,
            timeout,
            max_retries,
            idempotent,
        )
        while True:
            started = time.monotonic()
            try:
                response = self._http.send(call.request)
                response.read()
            except httpx.TransportError as err:
                time.sleep(call.after_error(err))
                continue
            outcome = call.after_response(response, started)
            if isinstance(outcome, RawResponse):
                return outcome
            time.sleep(outcome)


class AsyncAPIClient(BaseClient):
    """Sends through an httpx.AsyncClient (its own, or the one given, which it then leaves open)."""

    def __init__(self, *, http_client: httpx.AsyncClient | None, **settings: Any) -> None:
        super().__init__(**settings)
        self._owns_http = http_client is None
        self._http = (
            http_client if http_client is not None else httpx.AsyncClient(timeout=self.timeout)
        )

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
        call = self._start_call(
            self._http,
            method,
            path,
            response_type,
            path_params,
            query,
            headers,
            json_body,
            timeout,
            max_retries,
            idempotent,
        )
        while True:
            started = time.monotonic()
            try:
                response = await self._http.send(call.request)
                await response.aread()
            except httpx.TransportError as err:
                await asyncio.sleep(call.after_error(err))
                continue
            outcome = call.after_response(response, started)
            if isinstance(outcome, RawResponse):
                return outcome
            await asyncio.sleep(outcome)


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
