# Copied verbatim from templates/ by the ld-releases toolchain: do not edit here.
"""When to retry and how long to wait: pure decisions, no I/O, shared by the sync and async clients.

A request is retried on a connection error, a 408, 429 or 5xx answer, while retries are left. A
request that is not idempotent (POST, PATCH, or an operation that declares `x-idempotent: false`, like
creating a release) is retried only when the service cannot have applied it: a 429, or a connection
that failed before the request was sent. The wait is the service's when it
says (Retry-After in seconds or as an HTTP date, or a reset header its description declares), else
exponential backoff with jitter; a service wait longer than MAX_RETRY_WAIT means giving up at once.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass
from datetime import timezone
from email.utils import parsedate_to_datetime

import httpx

from ._constants import (
    IDEMPOTENT_METHODS,
    INITIAL_RETRY_DELAY,
    MAX_RETRY_DELAY,
    MAX_RETRY_WAIT,
    RETRYABLE_STATUSES,
)
from ._package import RATE_LIMIT_RESET_HEADERS

# Failures that happen before a single byte of the request left: safe to retry whatever the method.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    """`attempt` counts the retries already made (0 after the first try); `max_retries` is the budget."""

    initial_delay: float = INITIAL_RETRY_DELAY
    max_delay: float = MAX_RETRY_DELAY
    max_wait: float = MAX_RETRY_WAIT

    def after_response(
        self,
        method: str,
        response: httpx.Response,
        attempt: int,
        max_retries: int,
        idempotent: bool | None = None,
    ) -> float | None:
        """Seconds to wait before retrying after `response`, or None to stop here. `idempotent`
        overrides what the method implies (an operation may declare itself unsafe to repeat)."""
        status = response.status_code
        if attempt >= max_retries or status not in RETRYABLE_STATUSES:
            return None
        if status != 429 and not _idempotent(method, idempotent):
            return None
        told = service_wait(response.headers)
        if told is not None:
            return told if told <= self.max_wait else None
        return self.backoff(attempt)

    def after_error(
        self,
        method: str,
        error: Exception,
        attempt: int,
        max_retries: int,
        idempotent: bool | None = None,
    ) -> float | None:
        """Seconds to wait before retrying after a transport error, or None to stop here."""
        if attempt >= max_retries:
            return None
        if not _idempotent(method, idempotent) and not isinstance(error, NOT_SENT):
            return None
        return self.backoff(attempt)

    def backoff(self, attempt: int) -> float:
        """Exponential from `initial_delay`, capped at `max_delay`, with up to 25% jitter taken off."""
        return min(self.initial_delay * 2.0**attempt, self.max_delay) * (
            1.0 - 0.25 * random.random()
        )


def _idempotent(method: str, declared: bool | None) -> bool:
    return declared if declared is not None else method.upper() in IDEMPOTENT_METHODS


def service_wait(headers: httpx.Headers, now: float | None = None) -> float | None:
    """The wait the service asks for, in seconds: Retry-After first, then a reset header the
    description declares for its 429 answers. A value that cannot be read is no answer."""
    current = time.time() if now is None else now
    told = retry_after_wait(headers, current)
    return told if told is not None else reset_wait(headers, RATE_LIMIT_RESET_HEADERS, current)


# ASCII digits only (`isdigit` takes other scripts' digits too), and few enough to be a time: a longer
# number cannot be one, and converting it could overflow.
_SECONDS = re.compile(r"[0-9]{1,16}(\.[0-9]{1,6})?")
_WHOLE = re.compile(r"[0-9]{1,16}")


def retry_after_wait(headers: httpx.Headers, now: float) -> float | None:
    """`Retry-After` in seconds, or as an HTTP date (every HTTP date is GMT, the asctime form too)."""
    value = headers.get("Retry-After", "").strip()
    if not value or len(value) > 64:
        return None
    if _SECONDS.fullmatch(value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, when.replace(tzinfo=when.tzinfo or timezone.utc).timestamp() - now)


def reset_wait(headers: httpx.Headers, names: tuple[str, ...], now: float) -> float | None:
    """The first of `names` that holds a whole number: read by its size as epoch milliseconds,
    epoch seconds, or seconds from now (services spell their reset headers all three ways)."""
    for name in names:
        value = headers.get(name, "").strip()
        if not _WHOLE.fullmatch(value):
            continue
        number = int(value)
        if number >= 10**11:  # epoch milliseconds (after March 1973)
            return max(0.0, number / 1000.0 - now)
        if number >= 10**9:  # epoch seconds (after September 2001)
            return max(0.0, number - now)
        return float(number)
    return None
