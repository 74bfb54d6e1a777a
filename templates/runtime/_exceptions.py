"""Every error the client raises, one class per kind of failure (the base is the package's own,
named after it, in `_package`):

<Package>Error
├── ApiError                      the service answered with an error status
│   ├── RedirectError             3xx: redirects are not followed (`location` says where to)
│   ├── BadRequestError           400
│   ├── AuthenticationError       401
│   ├── PermissionDeniedError     403
│   ├── NotFoundError             404
│   ├── ConflictError             409
│   ├── RateLimitError            429 (with the time the limit resets, when the service says)
│   └── ServerError               5xx
├── ApiConnectionError            no answer: connection refused, reset, DNS...
│   └── ApiTimeoutError           no answer in time (a read, the attempt's or the call's deadline)
├── ArgumentError                 an argument the call cannot send (also a TypeError and a ValueError)
├── MissingCredentialError        the operation needs a credential the client was not given
├── ResponseTooLargeError         an answer larger than `max_response_bytes` (not read further)
└── ResponseValidationError       an answer that is not what the API describes (keeps the raw body)

No message holds a credential the client was given: each is cut out (`<redacted>`) wherever the
text came from, the service's own error bodies included.

A package's extension may subclass one of the status classes (same name, in its own module): the
client then raises the subclass for that status.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import ClassVar

import httpx

from ._package import RATE_LIMIT_RESET_HEADERS, PackageError
from ._retry import reset_wait, retry_after_wait

_PACKAGE = __name__.rsplit(".", 1)[0]
_BY_STATUS: dict[int, type[ApiError]] = {}


class ApiError(PackageError):
    """The service answered with an error status; `code` and `message` come from its error body
    (`{code, message}`, or RFC 9457 problem details)."""

    status_codes: ClassVar[tuple[int, ...]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__.startswith(_PACKAGE + "."):  # the package's own classes, not a user's subclass
            _BY_STATUS.update(dict.fromkeys(cls.status_codes, cls))

    def __init__(
        self, response: httpx.Response, *, code: str | None, message: str, secrets: Sequence[str] = ()
    ) -> None:
        self.response = response
        self.status_code = response.status_code
        self.code = redact(code, secrets) if code is not None else None
        self.message = redact(message, secrets)
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


class RedirectError(ApiError):
    """3xx: the service sent the request elsewhere; redirects are not followed (`location`)."""

    status_codes = (300, 301, 302, 303, 304, 305, 307, 308)

    def __init__(
        self, response: httpx.Response, *, code: str | None, message: str, secrets: Sequence[str] = ()
    ) -> None:
        self.location = response.headers.get("Location")
        text = f"{message}; redirected to {self.location or 'nowhere said'}"
        super().__init__(response, code=code, message=text, secrets=secrets)


class BadRequestError(ApiError):
    """400: the request was malformed or refused as invalid."""

    status_codes = (400,)


class AuthenticationError(ApiError):
    """401: the credential is missing, wrong or revoked."""

    status_codes = (401,)


class PermissionDeniedError(ApiError):
    """403: the credential may not do this."""

    status_codes = (403,)


class NotFoundError(ApiError):
    """404: no such resource."""

    status_codes = (404,)


class ConflictError(ApiError):
    """409: the change conflicts with the current state."""

    status_codes = (409,)


class RateLimitError(ApiError):
    """429: too many requests. `reset_at` is when the limit resets, when the service says (by
    `Retry-After`, or a reset header the description declares)."""

    status_codes = (429,)

    def __init__(
        self, response: httpx.Response, *, code: str | None, message: str, secrets: Sequence[str] = ()
    ) -> None:
        now = time.time()
        wait = retry_after_wait(response.headers, now)
        if wait is None:
            wait = reset_wait(response.headers, RATE_LIMIT_RESET_HEADERS, now)
        self.reset_at = datetime.fromtimestamp(now + wait, tz=timezone.utc) if wait is not None else None
        super().__init__(response, code=code, message=message, secrets=secrets)


class ServerError(ApiError):
    """5xx: the service failed."""


class ApiConnectionError(PackageError):
    """The request got no answer (connection refused or reset, DNS failure, protocol error); the
    message names the host and how many attempts were made."""

    def __init__(self, message: str, *, request: httpx.Request, attempts: int = 1, secrets: Sequence[str] = ()) -> None:
        self.request = request
        self.attempts = attempts
        where = f"{request.url.scheme}://{request.url.netloc.decode('ascii', 'replace')}{request.url.path}"
        tries = f" (after {attempts} attempts)" if attempts > 1 else ""
        super().__init__(redact(f"{request.method} {where}: {message}{tries}", secrets))


class ApiTimeoutError(ApiConnectionError):
    """The request got no answer in time: the message says which limit was hit."""


class ArgumentError(PackageError, TypeError, ValueError):
    """An argument of a call that cannot be sent (wrong type, None or empty where a value is needed),
    named as the method's argument; raised before anything is sent."""


class MissingCredentialError(PackageError):
    """The operation needs a credential the client was not given (nothing was sent)."""


class ResponseTooLargeError(PackageError):
    """The answer's body was larger than `max_response_bytes`; it was not read further."""

    def __init__(self, response: httpx.Response, limit: int) -> None:
        self.response = response
        self.status_code = response.status_code
        self.limit = limit
        request = response.request
        super().__init__(
            f"{response.status_code} {request.method} {request.url.path}: the answer is larger than {limit} bytes "
            "(max_response_bytes); use with_streaming_response for large bodies"
        )


class ResponseValidationError(PackageError):
    """The answer is not what the API describes (not JSON, truncated, wrong shape); `body` keeps it raw."""

    def __init__(self, response: httpx.Response, detail: str, secrets: Sequence[str] = ()) -> None:
        self.response = response
        self.status_code = response.status_code
        self.body = response.content
        request = response.request
        text = f"{response.status_code} {request.method} {request.url.path}: unexpected response: {detail}"
        super().__init__(redact(text, secrets))


def redact(text: str, secrets: Sequence[str]) -> str:
    """`text` with every credential in `secrets` cut out, longest first (one may hold another)."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, "<redacted>")
    return text


def error_for(response: httpx.Response, secrets: Sequence[str] = ()) -> ApiError:
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
    status = response.status_code
    cls = _BY_STATUS.get(status, ServerError if status >= 500 else ApiError)
    return cls(response, code=code, message=message, secrets=secrets)
