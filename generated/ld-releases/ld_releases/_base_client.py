# Copied verbatim from templates/ by the ld-releases toolchain: do not edit here.
"""The hand-written core every generated resource method delegates to.

`BaseClient` has no I/O: it holds the credentials and settings, builds requests, decides on retries
and maps answers to errors. `SyncAPIClient` and `AsyncAPIClient` only send, sleep and loop.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from ._exceptions import ApiConnectionError, ApiTimeoutError, MissingCredentialError, error_for
from ._logs import logger, setup_from_env
from ._package import ENVIRONMENT, USER_AGENT, PackageError
from ._parse import Expectations
from ._response import Mode, RawResponse, StreamedResponse, current_mode
from ._retry import RetryPolicy
from ._security import Credentials, Scheme, check_secret, place
from ._serialize import Body, cookie_header, query_pairs, simple

TimeoutTypes = float | httpx.Timeout | None
Self = TypeVar("Self", bound="BaseClient")
Security = Sequence[Sequence[str]]

_PATH_PARAM = re.compile(r"\{([^{}]+)\}")


def _from_environment(setting: str, given: str | None) -> str | None:
    """The setting as given, else from its environment variable; an empty one is not given."""
    if given is not None and given != "":
        return given
    return os.environ.get(ENVIRONMENT[setting]) or None if setting in ENVIRONMENT else None


def _check_timeout(timeout: object) -> TimeoutTypes:
    if timeout is None or isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(
            f"timeout must be seconds (a number), an httpx.Timeout or None, not {type(timeout).__name__}"
        )
    if not timeout >= 0:  # NaN too
        raise ValueError(f"timeout must be 0 or more seconds, not {timeout}")
    return float(timeout)


def _check_retries(max_retries: object) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int):
        raise TypeError(f"max_retries must be an int, not {type(max_retries).__name__}")
    if max_retries < 0:
        raise ValueError("max_retries must be 0 or more")
    return max_retries


class BaseClient:
    """Settings and decisions shared by the sync and async clients."""

    def __init__(
        self,
        *,
        settings: Mapping[str, str | None],
        per_scheme: Mapping[str, str] | None,
        schemes: Mapping[str, Scheme],
        credential_required: bool,
        base_url: str | None,
        hosts: Mapping[str, str],
        default_host: str,
        timeout: TimeoutTypes,
        max_retries: int,
    ) -> None:
        setup_from_env()
        given = {name: _from_environment(name, value) for name, value in settings.items()}
        checked = {
            name: check_secret(name, value) for name, value in given.items() if value is not None
        }
        scheme_secrets = {
            name: check_secret("credentials", value) for name, value in (per_scheme or {}).items()
        }
        unknown = sorted(set(scheme_secrets) - set(schemes))
        if unknown:
            raise ValueError(
                f"credentials name schemes the API does not have: {unknown} (it has {sorted(schemes)})"
            )
        self._credentials = Credentials(
            api_key=checked.get("api_key"),
            username=checked.get("username"),
            password=checked.get("password"),
            per_scheme=scheme_secrets,
        )
        if credential_required and not (checked or scheme_secrets):
            wanted = [
                f"{name}=..." + (f" (or {ENVIRONMENT[name]})" if name in ENVIRONMENT else "")
                for name in settings
            ]
            raise MissingCredentialError(f"no credential: pass {', '.join(wanted)}")
        self._schemes = schemes
        chosen = base_url or os.environ.get(ENVIRONMENT.get("base_url", ""), "") or default_host
        self.base_url = hosts.get(chosen, chosen).rstrip("/")
        if not self.base_url.startswith(("http://", "https://")):
            raise PackageError(f"base_url must be a URL or one of {sorted(hosts)}, got {chosen!r}")
        self.timeout = _check_timeout(timeout)
        self.max_retries = _check_retries(max_retries)
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
        styles: Mapping[str, tuple[str, bool]] | None,
        headers: Mapping[str, object] | None,
        cookies: Mapping[str, object] | None,
        body: Body | None,
        security: Security,
        accept: str | None,
        timeout: TimeoutTypes | None,
    ) -> httpx.Request:
        placed = place(security, self._schemes, self._credentials, f"{method.upper()} {path}")
        params: list[tuple[str, str | int | float | bool | None]] = [
            pair
            for name, value in (query or {}).items()
            for pair in query_pairs(name, value, *(styles or {}).get(name, ("form", True)))
        ]
        sent = {"User-Agent": USER_AGENT, **({"Accept": accept} if accept else {})}
        sent.update(
            {name: simple(value) for name, value in (headers or {}).items() if value is not None}
        )
        sent.update(placed.headers)
        jar = {name: simple(value) for name, value in (cookies or {}).items() if value is not None}
        jar.update(placed.cookies)
        if jar:
            sent["Cookie"] = cookie_header(jar)
        arguments: dict[str, Any] = {}
        if body is not None:
            arguments = body.httpx_arguments()
            if body.content_type is not None:
                sent["Content-Type"] = body.content_type
            if body.length is not None:
                sent["Content-Length"] = str(body.length)
        return http.build_request(
            method.upper(),
            self.base_url + expand_path(path, path_params or {}),
            params=[*params, *placed.query],
            headers=sent,
            timeout=timeout if timeout is not None else self.timeout,
            **arguments,
        )

    def _start_call(
        self,
        http: httpx.Client | httpx.AsyncClient,
        method: str,
        path: str,
        responses: Expectations,
        settings: dict[str, Any],
        max_retries: int | None,
        idempotent: bool | None,
    ) -> _Call:
        if settings.get("timeout") is not None:
            settings["timeout"] = _check_timeout(settings["timeout"])
        request = self._build_request(http, method, path, **settings)
        budget = self.max_retries if max_retries is None else _check_retries(max_retries)
        return _Call(self.retry_policy, request, responses, budget, idempotent, current_mode())


@dataclass
class _Call:
    """One call in flight. After each attempt it returns the result, or how long to wait before the
    next attempt, or raises the typed error: every decision, none of the I/O."""

    policy: RetryPolicy
    request: httpx.Request
    responses: Expectations
    budget: int
    idempotent: bool | None
    mode: Mode
    attempt: int = 0

    def streams(self, response: httpx.Response) -> bool:
        """Whether the body is left for the caller to read (a success, in streaming mode)."""
        return self.mode == "stream" and response.status_code < 300

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

    def after_response(self, response: httpx.Response, started: float) -> tuple[Any, float | None]:
        """(what the call returns, in its mode; None) or (None, the seconds to wait before the next attempt)."""
        request = self.request
        elapsed = (time.monotonic() - started) * 1000
        logger.debug(
            "%s %s -> %d (%.0f ms)", request.method, request.url.path, response.status_code, elapsed
        )
        if response.status_code < 300:
            if self.mode == "stream":
                return StreamedResponse(response, self.responses, self.attempt), None
            raw: RawResponse[Any] = RawResponse(response, self.responses, self.attempt)
            return (raw if self.mode == "raw" else raw.parse()), None
        wait = self.policy.after_response(
            request.method, response, self.attempt, self.budget, self.idempotent
        )
        if wait is None:
            raise error_for(response)
        self._log_retry(wait, str(response.status_code))
        return None, wait

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
        responses: Expectations,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        styles: Mapping[str, tuple[str, bool]] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: Body | None = None,
        security: Security = (),
        accept: str | None = None,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send one call, retrying as the policy says; what it returns depends on the wrapper it came
        through (the parsed value, a RawResponse, a StreamedResponse); an error answer raises."""
        settings = {
            "path_params": path_params,
            "query": query,
            "styles": styles,
            "headers": headers,
            "cookies": cookies,
            "body": body,
            "security": security,
            "accept": accept,
            "timeout": timeout,
        }
        call = self._start_call(
            self._http, method, path, responses, settings, max_retries, idempotent
        )
        while True:
            started = time.monotonic()
            try:
                response = self._http.send(call.request, stream=True)
                if not call.streams(response):
                    try:
                        response.read()
                    finally:
                        response.close()
            except httpx.TransportError as err:
                time.sleep(call.after_error(err))
                continue
            result, wait = call.after_response(response, started)
            if wait is None:
                return result
            time.sleep(wait)


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
        responses: Expectations,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        styles: Mapping[str, tuple[str, bool]] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: Body | None = None,
        security: Security = (),
        accept: str | None = None,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send one call, retrying as the policy says; what it returns depends on the wrapper it came
        through (the parsed value, a RawResponse, a StreamedResponse); an error answer raises."""
        settings = {
            "path_params": path_params,
            "query": query,
            "styles": styles,
            "headers": headers,
            "cookies": cookies,
            "body": body,
            "security": security,
            "accept": accept,
            "timeout": timeout,
        }
        call = self._start_call(
            self._http, method, path, responses, settings, max_retries, idempotent
        )
        while True:
            started = time.monotonic()
            try:
                response = await self._http.send(call.request, stream=True)
                if not call.streams(response):
                    try:
                        await response.aread()
                    finally:
                        await response.aclose()
            except httpx.TransportError as err:
                await asyncio.sleep(call.after_error(err))
                continue
            result, wait = call.after_response(response, started)
            if wait is None:
                return result
            await asyncio.sleep(wait)


def expand_path(template: str, values: Mapping[str, object]) -> str:
    """`/flags/{flagKey}` with `{"flagKey": "a/b"}` -> `/flags/a%2Fb`: every value is one path segment."""

    def segment(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        text = simple(value)
        if text == "":
            raise ValueError(f"path parameter {match.group(1)!r} must not be empty")
        return quote(text, safe="")

    return _PATH_PARAM.sub(segment, template)
