"""Every error the client raises, one class per kind of failure:

LdReleasesError
├── ApiError                      the service answered with an error status
│   ├── BadRequestError           400
│   ├── AuthenticationError       401
│   ├── PermissionDeniedError     403 (says so when LD-API-Version was not `beta`)
│   ├── NotFoundError             404
│   ├── ConflictError             409
│   ├── RateLimitError            429 (with the reset time and remaining counts)
│   └── ServerError               5xx
├── ApiConnectionError            no answer: connection refused, reset, DNS...
│   └── ApiTimeoutError           no answer in time
└── ResponseValidationError       an answer that is not what the API describes (keeps the raw body)
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx


class LdReleasesError(Exception):
    """Base of every error raised by ld_releases."""


class ApiError(LdReleasesError):
    """The service answered with an error status; `code` and `message` come from its `{code, message}` body."""

    def __init__(self, response: httpx.Response, *, code: str | None, message: str) -> None:
        self.response = response
        self.status_code = response.status_code
        self.code = code
        self.message = message
        self.request_id = response.headers.get("X-Request-Id")
        super().__init__(self._describe())

    def _describe(self) -> str:
        request = self.response.request
        text = f"{self.status_code} {request.method} {request.url.path}: {self.message}"
        if self.code:
            text += f" (code {self.code})"
        if self.request_id:
            text += f" [request id {self.request_id}]"
        return text


class BadRequestError(ApiError):
    """400: the request was malformed or refused as invalid."""


class AuthenticationError(ApiError):
    """401: the access token is missing, wrong or revoked."""


class PermissionDeniedError(ApiError):
    """403: the token may not do this, or a beta resource was called without `LD-API-Version: beta`."""

    def _describe(self) -> str:
        text = super()._describe()
        sent = self.response.request.headers.get("LD-API-Version")
        if sent != "beta":
            text += f"; beta resources need the header LD-API-Version: beta (sent: {sent or 'none'})"
        return text


class NotFoundError(ApiError):
    """404: no such project, flag, release or phase."""


class ConflictError(ApiError):
    """409: the change conflicts with the current state (for instance, a release already exists)."""


class RateLimitError(ApiError):
    """429: too many requests. `reset_at` is when the limit resets, when the service says."""

    def __init__(self, response: httpx.Response, *, code: str | None, message: str) -> None:
        headers = response.headers
        self.reset_at = _reset_time(headers)
        self.global_remaining = _int_header(headers, "X-Ratelimit-Global-Remaining")
        self.route_remaining = _int_header(headers, "X-Ratelimit-Route-Remaining")
        super().__init__(response, code=code, message=message)


class ServerError(ApiError):
    """5xx: the service failed."""


class ApiConnectionError(LdReleasesError):
    """The request got no answer (connection refused or reset, DNS failure, protocol error)."""

    def __init__(self, message: str, *, request: httpx.Request) -> None:
        self.request = request
        super().__init__(f"{request.method} {request.url.path}: {message}")


class ApiTimeoutError(ApiConnectionError):
    """The request got no answer in time."""


class ResponseValidationError(LdReleasesError):
    """The answer is not what the API describes (not JSON, truncated, wrong shape); `body` keeps it raw."""

    def __init__(self, response: httpx.Response, detail: str) -> None:
        self.response = response
        self.status_code = response.status_code
        self.body = response.content
        request = response.request
        super().__init__(f"{response.status_code} {request.method} {request.url.path}: unexpected response: {detail}")


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def error_for(response: httpx.Response) -> ApiError:
    """The typed error for an error response; bodies that are not `{code, message}` still give one."""
    code: str | None = None
    message = response.reason_phrase or "error"
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    if isinstance(body, dict):
        code = body.get("code") if isinstance(body.get("code"), str) else None
        if isinstance(body.get("message"), str):
            message = body["message"]
        elif isinstance(body.get("title"), str):  # RFC 9457 problem details, from a proxy or gateway
            message = "; ".join(str(body[key]) for key in ("title", "detail") if isinstance(body.get(key), str))
    elif response.content:
        message = f"{message}: {response.text[:200]!r}"
    cls = _BY_STATUS.get(response.status_code, ServerError if response.status_code >= 500 else ApiError)
    return cls(response, code=code, message=message)


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name)
    return int(value) if value is not None and value.strip().lstrip("-").isdigit() else None


def _reset_time(headers: httpx.Headers) -> datetime | None:
    millis = _int_header(headers, "X-Ratelimit-Reset")
    if millis is None:
        return None
    return datetime.fromtimestamp(millis / 1000, tz=UTC)
