"""The retry policy's decisions, without I/O: which answers and errors are retried, and how long to wait."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest
from ld_releases._retry import RetryPolicy, service_wait

NOW = 1_700_000_000.0
POLICY = RetryPolicy(initial_delay=0.5, max_delay=8.0, max_wait=60.0)


def answer(status: int, method: str = "GET", **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, request=httpx.Request(method, "https://x.test/a"))


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param({"Retry-After": "3"}, 3.0, id="seconds"),
        pytest.param({"Retry-After": "1.5"}, 1.5, id="fractional-seconds"),
        pytest.param(
            {"Retry-After": format_datetime(datetime.fromtimestamp(NOW + 7, UTC), usegmt=True)},
            7.0,
            id="http-date",
        ),
        pytest.param({"X-Ratelimit-Reset": str(int((NOW + 0.25) * 1000))}, 0.25, id="reset-epoch-ms"),
        pytest.param({"X-Ratelimit-Reset": str(int((NOW - 5) * 1000))}, 0.0, id="reset-in-the-past"),
        pytest.param(
            {"Retry-After": "2", "X-Ratelimit-Reset": str(int((NOW + 9) * 1000))}, 2.0, id="retry-after-first"
        ),
        pytest.param({"Retry-After": "soon"}, None, id="garbage"),
        pytest.param({}, None, id="none"),
    ],
)
def test_service_wait(headers: dict[str, str], expected: float | None) -> None:
    wait = service_wait(httpx.Headers(headers), now=NOW)
    if expected is None:
        assert wait is None
    else:
        assert wait == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize(
    ("status", "method", "retried"),
    [
        (429, "GET", True),
        (429, "PATCH", True),  # the service refused it: nothing was applied
        (503, "GET", True),
        (503, "PUT", True),
        (503, "PATCH", False),  # it may have been applied
        (500, "POST", False),
        (408, "DELETE", True),
        (404, "GET", False),
        (400, "GET", False),
    ],
)
def test_which_answers_are_retried(status: int, method: str, retried: bool) -> None:
    wait = POLICY.after_response(method, answer(status, method), attempt=0, max_retries=2)
    assert (wait is not None) is retried


def test_no_retry_once_the_budget_is_spent() -> None:
    assert POLICY.after_response("GET", answer(503), attempt=2, max_retries=2) is None
    assert POLICY.after_response("GET", answer(503), attempt=0, max_retries=0) is None


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    for attempt, full in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]:
        waits = [POLICY.backoff(attempt) for _ in range(200)]
        assert all(0.75 * full <= w <= full for w in waits), attempt
        assert len(set(waits)) > 1  # jittered, so clients spread out


def test_a_service_wait_beyond_the_cap_means_giving_up() -> None:
    assert POLICY.after_response("GET", answer(429, **{"Retry-After": "61"}), attempt=0, max_retries=2) is None
    assert POLICY.after_response("GET", answer(429, **{"Retry-After": "59"}), attempt=0, max_retries=2) == 59.0


@pytest.mark.parametrize(
    ("error", "method", "retried"),
    [
        (httpx.ConnectError("refused"), "PATCH", True),  # never sent
        (httpx.ConnectTimeout("slow"), "POST", True),
        (httpx.ReadTimeout("slow"), "GET", True),
        (httpx.ReadTimeout("slow"), "PATCH", False),  # sent, maybe applied
        (httpx.RemoteProtocolError("dropped"), "PATCH", False),
        (httpx.RemoteProtocolError("dropped"), "DELETE", True),
    ],
)
def test_which_errors_are_retried(error: Exception, method: str, retried: bool) -> None:
    assert (POLICY.after_error(method, error, attempt=0, max_retries=1) is not None) is retried
