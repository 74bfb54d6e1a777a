# Copied verbatim from templates/ by the ld-releases toolchain: do not edit here.
"""The hand-written core every generated resource method delegates to.

`BaseClient` has no I/O: it holds the credentials and settings, builds requests, decides on retries
and maps answers to errors. `SyncAPIClient` and `AsyncAPIClient` only send, read, sleep and loop.

Every call is bounded: each read by `timeout`, each attempt by `attempt_deadline` (the read timeout
is cut to what is left of it, and it is checked between the chunks of a body), the whole call by
`deadline` (a retry whose wait would end past it is not made), and every body read by
`max_response_bytes`, counted after decompression. Redirects are never followed: a 3xx is a
RedirectError, so a credential never travels to another origin.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from ._exceptions import (
    ApiConnectionError,
    ApiTimeoutError,
    MissingCredentialError,
    ResponseTooLargeError,
    ResponseValidationError,
    error_for,
    redact,
)
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


def _check_seconds(setting: str, value: object) -> float | None:
    """A deadline: more than 0 seconds, or None for none."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{setting} must be seconds (a number) or None, not {type(value).__name__}")
    if not value > 0:  # NaN too
        raise ValueError(f"{setting} must be more than 0 seconds, not {value}")
    return float(value)


def _check_size(setting: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"{setting} must be a number of bytes (an int) or None, not {type(value).__name__}"
        )
    if value <= 0:
        raise ValueError(f"{setting} must be more than 0 bytes, not {value}")
    return value


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
        deadline: float | None,
        attempt_deadline: float | None,
        max_response_bytes: int | None,
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
        try:
            httpx.URL(self.base_url)
        except httpx.InvalidURL as err:
            raise PackageError(f"base_url {chosen!r} is not a valid URL: {err}") from None
        self.timeout = _check_timeout(timeout)
        self.max_retries = _check_retries(max_retries)
        self.deadline = _check_seconds("deadline", deadline)
        self.attempt_deadline = _check_seconds("attempt_deadline", attempt_deadline)
        self.max_response_bytes = _check_size("max_response_bytes", max_response_bytes)
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
            params=[*params, *placed.query] or None,  # an empty list would parse the URL once more
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
        deadline: float | None,
    ) -> _Call:
        if settings.get("timeout") is not None:
            settings["timeout"] = _check_timeout(settings["timeout"])
        request = self._build_request(http, method, path, **settings)
        budget = self.max_retries if max_retries is None else _check_retries(max_retries)
        limits = _Limits(
            deadline=self.deadline if deadline is None else _check_seconds("deadline", deadline),
            attempt_deadline=self.attempt_deadline,
            max_response_bytes=self.max_response_bytes,
        )
        secrets = self._credentials.secrets()
        return _Call(
            self.retry_policy,
            request,
            responses,
            budget,
            idempotent,
            current_mode(),
            limits,
            secrets,
        )


@dataclass(frozen=True)
class _Limits:
    deadline: float | None
    attempt_deadline: float | None
    max_response_bytes: int | None


@dataclass
class _Call:
    """One call in flight. Before each attempt it gives the request with its timeouts cut to the time
    left; after it, the result, or how long to wait before the next attempt, or the typed error:
    every decision, none of the I/O."""

    policy: RetryPolicy
    request: httpx.Request
    responses: Expectations
    budget: int
    idempotent: bool | None
    mode: Mode
    limits: _Limits
    secrets: Sequence[str]
    attempt: int = 0
    started: float = field(default_factory=time.monotonic)
    attempt_started: float = 0.0

    def __post_init__(self) -> None:
        self._timeouts: dict[str, float | None] = dict(self.request.extensions.get("timeout", {}))

    def begin_attempt(self) -> httpx.Request:
        """The request for the next attempt, no read or connect allowed past the time left."""
        self.attempt_started = time.monotonic()
        left = self.time_left()
        if left is not None:
            self.request.extensions["timeout"] = {
                name: left if value is None else min(value, left)
                for name, value in self._timeouts.items()
            }
        return self.request

    def time_left(self) -> float | None:
        """Seconds left to this attempt (the attempt's or the call's deadline, whichever is first)."""
        ends = [
            end
            for end in (
                self.started + self.limits.deadline if self.limits.deadline is not None else None,
                self.attempt_started + self.limits.attempt_deadline
                if self.limits.attempt_deadline is not None
                else None,
            )
            if end is not None
        ]
        return max(min(ends) - time.monotonic(), 0.0) if ends else None

    def check_body(self, response: httpx.Response, size: int) -> None:
        """Between the chunks of a body: past the size cap is ResponseTooLargeError, past the time
        left a read timeout (retried like any other)."""
        limit = self.limits.max_response_bytes
        if limit is not None and size > limit:
            raise ResponseTooLargeError(response, limit)
        if self.time_left() == 0.0:
            raise httpx.ReadTimeout(
                "the answer did not arrive within the deadline", request=self.request
            )

    def streams(self, response: httpx.Response) -> bool:
        """Whether the body is left for the caller to read (a success, in streaming mode)."""
        return self.mode == "stream" and response.status_code < 300

    def after_error(self, error: httpx.TransportError) -> float:
        request = self.request
        if isinstance(error, httpx.LocalProtocolError):  # the request itself cannot go on the wire
            text = f"{request.method} {request.url.path}: the request could not be sent: {error}"
            raise PackageError(redact(text, self.secrets)) from None
        wait = self.policy.after_error(
            request.method, error, self.attempt, self.budget, self.idempotent
        )
        if wait is None or not self._fits(wait):
            raise self._no_answer(error, retry_left=wait is not None) from error
        self._log_retry(wait, type(error).__name__)
        return wait

    def after_response(self, response: httpx.Response) -> tuple[Any, float | None]:
        """(what the call returns, in its mode; None) or (None, the seconds to wait before the next attempt)."""
        request = self.request
        elapsed = (time.monotonic() - self.attempt_started) * 1000
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
        if wait is None or not self._fits(wait):
            raise error_for(response, self.secrets)
        self._log_retry(wait, str(response.status_code))
        return None, wait

    def _fits(self, wait: float) -> bool:
        """Whether a retry after `wait` seconds would still start within the call's deadline."""
        deadline = self.limits.deadline
        return deadline is None or time.monotonic() + wait < self.started + deadline

    def _no_answer(self, error: httpx.TransportError, *, retry_left: bool) -> ApiConnectionError:
        """The error that ends the call: a timeout says which limit was hit, and every one the attempts."""
        now, limits = time.monotonic(), self.limits
        timeout: str | None = None
        if limits.deadline is not None and now >= self.started + limits.deadline:
            timeout = f"no answer within the call's deadline of {limits.deadline:g}s (deadline)"
        elif (
            limits.attempt_deadline is not None
            and now >= self.attempt_started + limits.attempt_deadline
        ):
            timeout = f"no answer within the attempt's deadline of {limits.attempt_deadline:g}s (attempt_deadline)"
        elif isinstance(error, httpx.TimeoutException):
            timeout = f"no answer within the timeout ({type(error).__name__})"
        elif 0 in self._timeouts.values():
            timeout = f"a timeout of 0 s leaves no time to connect ({type(error).__name__})"
        text = timeout or f"connection failed ({type(error).__name__}: {error})"
        if retry_left:
            text += f"; no time is left for a retry within the call's deadline of {limits.deadline:g}s (deadline)"
        kind = ApiConnectionError if timeout is None else ApiTimeoutError
        return kind(text, request=self.request, attempts=self.attempt + 1, secrets=self.secrets)

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


def _read(response: httpx.Response, call: _Call) -> None:
    """Read the body within the call's size and time limits."""
    chunks, size = [], 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            call.check_body(response, size)
            chunks.append(chunk)
    except httpx.DecodingError as err:
        raise _undecodable(response, err, call) from None
    _keep(response, chunks)


async def _aread(response: httpx.Response, call: _Call) -> None:
    """Read the body within the call's size and time limits."""
    chunks, size = [], 0
    try:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            call.check_body(response, size)
            chunks.append(chunk)
    except httpx.DecodingError as err:
        raise _undecodable(response, err, call) from None
    _keep(response, chunks)


def _keep(response: httpx.Response, chunks: list[bytes]) -> None:
    # what httpx's own read() does once the stream is consumed (httpx is pinned below 1.0)
    response._content = b"".join(chunks)


def _undecodable(
    response: httpx.Response, error: httpx.DecodingError, call: _Call
) -> ResponseValidationError:
    _keep(response, [])
    return ResponseValidationError(
        response, f"the body could not be decoded ({error})", call.secrets
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
        deadline: float | None = None,
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
            self._http, method, path, responses, settings, max_retries, idempotent, deadline
        )
        while True:
            try:
                response = self._http.send(
                    call.begin_attempt(), stream=True, follow_redirects=False
                )
                if not call.streams(response):
                    try:
                        _read(response, call)
                    finally:
                        response.close()
            except httpx.TransportError as err:
                time.sleep(call.after_error(err))
                continue
            result, wait = call.after_response(response)
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
        deadline: float | None = None,
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
        import asyncio  # here: a sync client's import does not load it

        call = self._start_call(
            self._http, method, path, responses, settings, max_retries, idempotent, deadline
        )
        while True:
            request = call.begin_attempt()
            left = call.time_left()
            try:
                # the attempt as a whole, headers included, ends when its time does
                response = await asyncio.wait_for(self._attempt(request, call), left)
            except asyncio.TimeoutError:
                expired = httpx.ReadTimeout(
                    "the answer did not arrive within the deadline", request=request
                )
                await asyncio.sleep(call.after_error(expired))
                continue
            except httpx.TransportError as err:
                await asyncio.sleep(call.after_error(err))
                continue
            result, wait = call.after_response(response)
            if wait is None:
                return result
            await asyncio.sleep(wait)

    async def _attempt(self, request: httpx.Request, call: _Call) -> httpx.Response:
        response = await self._http.send(request, stream=True, follow_redirects=False)
        if not call.streams(response):
            try:
                await _aread(response, call)
            finally:
                await response.aclose()
        return response


def expand_path(template: str, values: Mapping[str, object]) -> str:
    """`/flags/{flagKey}` with `{"flagKey": "a/b"}` -> `/flags/a%2Fb`: every value is one path segment."""

    def segment(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        text = simple(value)
        if text == "":
            raise ValueError(f"path parameter {match.group(1)!r} must not be empty")
        return quote(text, safe="")

    return _PATH_PARAM.sub(segment, template)
