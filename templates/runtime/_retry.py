"""When to retry and how long to wait: pure decisions, no I/O, shared by the sync and async clients.

A request is retried on a connection error, a 408, 429 or 5xx answer, while retries are left. A
request that is not idempotent (POST, PATCH, or an operation that declares `x-idempotent: false`, like
creating a release) is retried only when the service cannot have applied it: a 429, or a connection
that failed before the request was sent. The wait is the service's when it
says (Retry-After in seconds or as an HTTP date, or X-Ratelimit-Reset in epoch milliseconds), else
exponential backoff with jitter; a service wait longer than MAX_RETRY_WAIT means giving up at once.
"""

from __future__ import annotations

import random
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

# Failures that happen before a single byte of the request left: safe to retry whatever the method.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    """`attempt` counts the retries already made (0 after the first try); `max_retries` is the budget."""

    initial_delay: float = INITIAL_RETRY_DELAY
    max_delay: float = MAX_RETRY_DELAY
    max_wait: float = MAX_RETRY_WAIT

    def after_response(
        self, method: str, response: httpx.Response, attempt: int, max_retries: int, idempotent: bool | None = None
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
        self, method: str, error: Exception, attempt: int, max_retries: int, idempotent: bool | None = None
    ) -> float | None:
        """Seconds to wait before retrying after a transport error, or None to stop here."""
        if attempt >= max_retries:
            return None
        if not _idempotent(method, idempotent) and not isinstance(error, NOT_SENT):
            return None
        return self.backoff(attempt)

    def backoff(self, attempt: int) -> float:
        """Exponential from `initial_delay`, capped at `max_delay`, with up to 25% jitter taken off."""
        return min(self.initial_delay * 2.0**attempt, self.max_delay) * (1.0 - 0.25 * random.random())


def _idempotent(method: str, declared: bool | None) -> bool:
    return declared if declared is not None else method.upper() in IDEMPOTENT_METHODS


def service_wait(headers: httpx.Headers, now: float | None = None) -> float | None:
    """The wait the service asks for, in seconds: Retry-After first, then X-Ratelimit-Reset."""
    current = time.time() if now is None else now
    retry_after = headers.get("Retry-After")
    if retry_after is not None:
        value = retry_after.strip()
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
        else:  # every HTTP-date is GMT, including the asctime form, which names no zone
            return max(0.0, when.replace(tzinfo=when.tzinfo or timezone.utc).timestamp() - current)
    reset = headers.get("X-Ratelimit-Reset")
    if reset is not None and reset.strip().isdigit():
        return max(0.0, int(reset.strip()) / 1000.0 - current)
    return None
