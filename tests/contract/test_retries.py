"""Timeouts, retries and the waits between attempts, measured by when each attempt reached the fake."""

from __future__ import annotations

import logging
import math
import os
import socket
import time
from collections.abc import Callable, Iterator
from email.utils import formatdate

import ld_releases
import pytest
from ld_releases import ReleasePatch

from tests.contract.harness import FLAG, PIPELINE, PROJECT, Api, Fake, gaps

SLACK = 0.3
"""How much later than asked an attempt may arrive: a sleep, a new request, a busy CI machine."""
EARLY = 0.05
"""How much earlier than asked an attempt may arrive (clock and rounding)."""


def now_ms() -> int:
    return int(time.time() * 1000)


# -- timeouts -------------------------------------------------------------------------------------------


def test_a_client_timeout_shorter_than_the_answer_is_an_api_timeout_error(api: Api, fake: Fake) -> None:
    client = api.client(timeout=0.25, max_retries=0)
    fake.faults({"delay": 1.5})

    started = time.monotonic()
    with pytest.raises(ld_releases.ApiTimeoutError) as caught:
        client.releases.get(PROJECT, FLAG)

    assert time.monotonic() - started < 1.0
    assert isinstance(caught.value, ld_releases.ApiConnectionError)
    message = str(caught.value)
    assert message.startswith(f"GET {api.service_url}/api/v2/flags/demo-project/demo-flag/release: no answer within")
    assert "the timeout" in message
    assert len(fake.requests()) == 1


def test_a_per_call_timeout_overrides_a_shorter_client_timeout(api: Api, fake: Fake) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    client = api.client(timeout=0.2, max_retries=0)
    fake.faults({"delay": 0.6})

    release = client.releases.get(PROJECT, FLAG, timeout=5.0)

    assert release.release_pipeline_key == PIPELINE
    assert len(fake.requests()) == 2


def test_a_per_call_timeout_overrides_a_longer_client_timeout(api: Api, fake: Fake) -> None:
    client = api.client(timeout=10.0, max_retries=0)
    fake.faults({"delay": 1.5})

    started = time.monotonic()
    with pytest.raises(ld_releases.ApiTimeoutError):
        client.releases.get(PROJECT, FLAG, timeout=0.25)

    assert time.monotonic() - started < 1.0


def test_a_get_that_times_out_once_is_retried(api: Api, fake: Fake) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    client = api.client(timeout=0.3)
    fake.faults({"delay": 1.5})

    raw = client.releases.with_raw_response.get(PROJECT, FLAG)

    assert raw.status_code == 200
    assert raw.retries_taken == 1
    assert raw.parse().release_pipeline_key == PIPELINE
    assert len(fake.requests()) == 3  # the create, the attempt that timed out, the retry


# -- waits the service asks for ---------------------------------------------------------------------------


def test_a_429_with_retry_after_seconds_is_retried_after_that_wait(api: Api, fake: Fake) -> None:
    fake.faults({"status": 429, "headers": {"Retry-After": "1"}})

    with pytest.raises(ld_releases.NotFoundError):  # the retry reaches the fake, which has no release
        api.releases.get(PROJECT, FLAG)

    arrived = fake.requests()
    assert len(arrived) == 2
    assert 1.0 - EARLY <= gaps(arrived)[0] <= 1.0 + SLACK


@pytest.mark.parametrize("ahead", [0.4, 1.0])
def test_a_429_with_only_x_ratelimit_reset_is_retried_when_the_limit_resets(api: Api, fake: Fake, ahead: float) -> None:
    """1.0 s is past the longest backoff (0.5 s), so only the reset time explains that wait."""
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    reset_ms = now_ms() + int(ahead * 1000)
    fake.faults({"status": 429, "headers": {"X-Ratelimit-Reset": str(reset_ms)}})

    raw = api.releases.with_raw_response.get(PROJECT, FLAG)

    assert raw.retries_taken == 1
    retry_at = fake.requests()[-1]["at"]
    assert reset_ms / 1000 - EARLY <= retry_at <= reset_ms / 1000 + SLACK


def test_a_429_with_a_reset_time_already_past_is_retried_at_once(api: Api, fake: Fake) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    fake.faults({"status": 429, "headers": {"X-Ratelimit-Reset": str(now_ms() - 5000)}})

    raw = api.releases.with_raw_response.get(PROJECT, FLAG)

    assert raw.retries_taken == 1
    assert gaps(fake.requests()[1:])[0] < 0.3  # no backoff (which waits 0.375 s at least)


def imf_fixdate(when: int) -> str:
    return formatdate(when, usegmt=True)  # Sun, 06 Nov 1994 08:49:37 GMT


def rfc850_date(when: int) -> str:
    return time.strftime("%A, %d-%b-%y %H:%M:%S GMT", time.gmtime(when))  # Sunday, 06-Nov-94 08:49:37 GMT


def asctime_date(when: int) -> str:
    parts = time.gmtime(when)
    return time.strftime(f"%a %b {parts.tm_mday:2d} %H:%M:%S %Y", parts)  # Sun Nov  6 08:49:37 1994


@pytest.fixture
def local_time_east_of_utc() -> Iterator[None]:
    """The process's local time zone set to UTC+9: an HTTP date is GMT whatever the machine's zone."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "JST-9"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.mark.usefixtures("local_time_east_of_utc")
@pytest.mark.parametrize(
    "http_date",
    [
        imf_fixdate,
        rfc850_date,
        asctime_date,  # names no zone, and means GMT all the same
    ],
)
def test_a_429_with_retry_after_as_an_http_date_is_retried_at_that_date(
    api: Api, fake: Fake, http_date: Callable[[int], str]
) -> None:
    """RFC 9110 5.6.7: a recipient must accept all three HTTP-date formats, each one meaning GMT."""
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    when = math.ceil(time.time() + 0.6)  # whole seconds: 0.6 to 1.6 s from now, past any first backoff (0.5 s)
    fake.faults({"status": 429, "headers": {"Retry-After": http_date(when)}})

    raw = api.releases.with_raw_response.get(PROJECT, FLAG)

    assert raw.retries_taken == 1
    assert when - EARLY <= fake.requests()[-1]["at"] <= when + SLACK


def test_retry_after_wins_over_x_ratelimit_reset(api: Api, fake: Fake) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    fake.faults({"status": 429, "headers": {"Retry-After": "0", "X-Ratelimit-Reset": str(now_ms() + 3_000)}})

    started = time.monotonic()
    api.releases.get(PROJECT, FLAG)

    assert time.monotonic() - started < 1.0


def test_a_service_wait_beyond_60_s_raises_rate_limit_error_at_once(api: Api, fake: Fake) -> None:
    fake.faults({"status": 429, "headers": {"Retry-After": "61"}})

    started = time.monotonic()
    with pytest.raises(ld_releases.RateLimitError):
        api.releases.get(PROJECT, FLAG)

    assert time.monotonic() - started < 1.0
    assert len(fake.requests()) == 1


def test_a_reset_time_beyond_60_s_raises_rate_limit_error_at_once(api: Api, fake: Fake) -> None:
    reset_ms = now_ms() + 120_000
    fake.faults({"status": 429, "headers": {"X-Ratelimit-Reset": str(reset_ms)}})

    with pytest.raises(ld_releases.RateLimitError) as caught:
        api.releases.get(PROJECT, FLAG)

    assert caught.value.reset_at is not None and caught.value.reset_at.timestamp() == reset_ms / 1000
    assert len(fake.requests()) == 1


# -- backoff and the retry budget -------------------------------------------------------------------------


def test_503_twice_then_success_backs_off_exponentially(api: Api, fake: Fake) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    fake.faults({"status": 503}, {"status": 503})

    raw = api.releases.with_raw_response.get(PROJECT, FLAG)

    assert raw.status_code == 200
    assert raw.retries_taken == 2
    first, second = gaps(fake.requests()[1:])
    assert 0.375 - EARLY <= first <= 0.5 + SLACK  # 0.5 s, less up to 25% jitter
    assert 0.75 - EARLY <= second <= 1.0 + SLACK  # doubled


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_an_exhausted_budget_raises_after_max_retries_plus_one_attempts(api: Api, fake: Fake, status: int) -> None:
    client = api.client(max_retries=3)
    fake.faults(*[{"status": status, "headers": {"Retry-After": "0"}}] * 6)

    with pytest.raises(ld_releases.ApiError) as caught:
        client.releases.get(PROJECT, FLAG)

    assert caught.value.status_code == status
    if status >= 500:
        assert isinstance(caught.value, ld_releases.ServerError)
    assert len(fake.requests()) == 4


def test_the_default_budget_is_two_retries(api: Api, fake: Fake) -> None:
    fake.faults(*[{"status": 503, "headers": {"Retry-After": "0"}}] * 5)

    with pytest.raises(ld_releases.ServerError):
        api.releases.get(PROJECT, FLAG)

    arrived = fake.requests()
    assert len(arrived) == 3
    assert max(gaps(arrived)) < 0.3  # Retry-After: 0 on a 503 is honoured too: no backoff


def test_per_call_max_retries_zero_makes_exactly_one_attempt(api: Api, fake: Fake) -> None:
    fake.faults(*[{"status": 503, "headers": {"Retry-After": "0"}}] * 3)

    with pytest.raises(ld_releases.ServerError):
        api.releases.get(PROJECT, FLAG, max_retries=0)

    assert len(fake.requests()) == 1


def test_per_call_max_retries_can_raise_the_clients_budget(api: Api, fake: Fake) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    client = api.client(max_retries=0)
    fake.faults(*[{"status": 503, "headers": {"Retry-After": "0"}}] * 2)

    raw = client.releases.with_raw_response.get(PROJECT, FLAG, max_retries=2)

    assert raw.retries_taken == 2


def test_a_put_answered_503_is_retried(api: Api, fake: Fake) -> None:
    """PUT is idempotent: update_phase_status is retried like a GET."""
    release = api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    fake.faults({"status": 503, "headers": {"Retry-After": "0"}})

    started = api.releases.update_phase_status(PROJECT, FLAG, release.phases[0].id, status="Started")

    assert started.phases[0].started is True
    assert [r["method"] for r in fake.requests()] == ["PUT", "PUT", "PUT"]
    assert fake.bodies()[1:] == [{"status": "Started"}] * 2  # the same body, sent again in full


# -- what is not idempotent -------------------------------------------------------------------------------


def test_a_create_answered_503_is_not_retried(api: Api, fake: Fake) -> None:
    """Create is a PUT, but a second create for the flag is refused: the description marks it
    `x-idempotent: false`, so a create the service may have applied is not sent again."""
    fake.faults({"status": 503, "headers": {"Retry-After": "0"}})

    with pytest.raises(ld_releases.ServerError):
        api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    assert [r["method"] for r in fake.requests()] == ["PUT"]


def test_a_create_answered_429_is_retried(api: Api, fake: Fake) -> None:
    fake.faults({"status": 429, "headers": {"Retry-After": "0"}})

    release = api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    assert release.release_pipeline_key == PIPELINE
    assert [r["method"] for r in fake.requests()] == ["PUT", "PUT"]


def test_a_patch_answered_503_is_not_retried(api: Api, fake: Fake) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    fake.faults({"status": 503, "headers": {"Retry-After": "0"}})

    with pytest.raises(ld_releases.ServerError):
        api.releases.patch(PROJECT, FLAG, ReleasePatch().complete_phase(0))

    assert [r["method"] for r in fake.requests()] == ["PUT", "PATCH"]
    assert api.releases.get(PROJECT, FLAG).phases[0].complete is False


def test_a_patch_answered_429_is_retried(api: Api, fake: Fake) -> None:
    release = api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    fake.faults({"status": 429, "headers": {"Retry-After": "0"}})

    patched = api.releases.patch(PROJECT, FLAG, ReleasePatch().complete_phase(0))

    assert patched.phases[0].complete is True
    assert patched.version == release.version + 1  # applied once
    assert [r["method"] for r in fake.requests()] == ["PUT", "PATCH", "PATCH"]
    assert fake.bodies()[1] == fake.bodies()[2] == [{"op": "replace", "path": "/phases/0/complete", "value": True}]


# -- connections ------------------------------------------------------------------------------------------


def test_a_dropped_connection_on_get_is_retried_and_succeeds(api: Api, fake: Fake) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    fake.faults({"drop": True})

    raw = api.releases.with_raw_response.get(PROJECT, FLAG)

    assert raw.retries_taken == 1
    assert raw.parse().release_pipeline_key == PIPELINE
    assert 0.375 - EARLY <= gaps(fake.requests()[1:])[0] <= 0.5 + SLACK


def test_a_dropped_connection_on_patch_is_not_retried(api: Api, fake: Fake) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    fake.faults({"drop": True})

    with pytest.raises(ld_releases.ApiConnectionError) as caught:
        api.releases.patch(PROJECT, FLAG, ReleasePatch().complete_phase(0))

    assert not isinstance(caught.value, ld_releases.ApiTimeoutError)
    assert caught.value.request.method == "PATCH"
    assert [r["method"] for r in fake.requests()] == ["PUT", "PATCH"]


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_a_refused_connection_is_an_api_connection_error(api: Api) -> None:
    client = api.client(base_url=closed_port_url(), max_retries=0)

    with pytest.raises(ld_releases.ApiConnectionError) as caught:
        client.releases.get(PROJECT, FLAG)

    assert not isinstance(caught.value, ld_releases.ApiTimeoutError)
    assert "ConnectError" in str(caught.value)


def test_a_refused_connection_is_retried_even_for_a_patch(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    """Nothing left the client, so a PATCH cannot have been applied: retrying it is safe."""
    caplog.set_level(logging.INFO, logger="ld_releases")
    client = api.client(base_url=closed_port_url(), max_retries=1)

    with pytest.raises(ld_releases.ApiConnectionError):
        client.releases.patch(PROJECT, FLAG, ReleasePatch().complete_phase(0))

    retries = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retrying")]
    assert len(retries) == 1
    assert "PATCH" in retries[0] and "ConnectError" in retries[0]
