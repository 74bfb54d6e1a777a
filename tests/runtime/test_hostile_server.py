"""The client against a hostile server process on loopback (hostile_server.py): answers that never
end, trickle, explode when decompressed, redirect, echo the token back or carry absurd headers. Every
call ends, within its limits, in one of the package's errors, and the token shows nowhere."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import httpx
import ld_releases
import pytest

from tests.processes import server_process

TOKEN = "api-0123456789abcdef-secret"


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    command = [sys.executable, str(Path(__file__).with_name("hostile_server.py"))]
    with server_process(command, stdout=subprocess.PIPE) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("LISTENING "), line
        yield line.split()[1]


def client(url: str, **settings: object) -> ld_releases.Client:
    return ld_releases.Client(api_key=TOKEN, base_url=url, **settings)  # type: ignore[arg-type]


def hits(url: str) -> dict[str, int]:
    counts: dict[str, int] = json.loads(httpx.get(url + "/_hits", timeout=5).content)
    return counts


def test_a_body_trickled_a_byte_at_a_time_ends_at_the_attempt_deadline(hostile: str) -> None:
    started = time.monotonic()
    with pytest.raises(ld_releases.ApiTimeoutError) as caught:
        client(hostile, attempt_deadline=1, max_retries=0).releases.get("trickle", "x")
    assert time.monotonic() - started < 10  # not the 10,000 s the trickle would take
    assert "attempt_deadline" in str(caught.value)


def test_retries_of_a_trickled_body_end_at_the_call_deadline_and_count_the_attempts(hostile: str) -> None:
    with pytest.raises(ld_releases.ApiTimeoutError) as caught:
        client(hostile, attempt_deadline=0.6, deadline=2.5, max_retries=10).releases.get("trickle", "x")
    assert caught.value.attempts >= 2
    assert "deadline" in str(caught.value)
    assert f"after {caught.value.attempts} attempts" in str(caught.value)


def test_a_server_that_never_answers_ends_at_the_call_deadline_not_the_read_timeouts(hostile: str) -> None:
    started = time.monotonic()
    with pytest.raises(ld_releases.ApiTimeoutError) as caught:
        client(hostile, timeout=30, deadline=1.5).releases.get("silent", "x")
    assert time.monotonic() - started < 10
    assert "the call's deadline of 1.5s (deadline)" in str(caught.value)


def test_a_per_call_deadline_overrides_the_clients(hostile: str) -> None:
    with pytest.raises(ld_releases.ApiTimeoutError) as caught:
        client(hostile, timeout=30).releases.get("silent", "x", deadline=1)
    assert "the call's deadline of 1s" in str(caught.value)


def test_headers_trickled_a_byte_at_a_time_end_at_the_attempt_deadline_on_the_async_client(hostile: str) -> None:
    async def call() -> None:
        async with ld_releases.AsyncClient(api_key=TOKEN, base_url=hostile, attempt_deadline=1, max_retries=0) as api:
            await api.releases.get("trickle-head", "x")

    started = time.monotonic()
    with pytest.raises(ld_releases.ApiTimeoutError):
        asyncio.run(call())
    assert time.monotonic() - started < 10


def test_an_endless_body_stops_at_the_size_cap_and_is_not_retried(hostile: str) -> None:
    before = hits(hostile).get("endless", 0)
    with pytest.raises(ld_releases.ResponseTooLargeError) as caught:
        client(hostile, max_response_bytes=1 << 20).releases.get("endless", "x")
    assert caught.value.limit == 1 << 20
    assert "max_response_bytes" in str(caught.value)
    assert hits(hostile)["endless"] == before + 1


def test_a_gzip_bomb_is_counted_after_decompression(hostile: str) -> None:
    with pytest.raises(ld_releases.ResponseTooLargeError):
        client(hostile, max_response_bytes=8 << 20).releases.get("bomb", "x")


def test_the_async_client_caps_bodies_too(hostile: str) -> None:
    async def call() -> None:
        async with ld_releases.AsyncClient(api_key=TOKEN, base_url=hostile, max_response_bytes=1 << 20) as api:
            await api.releases.get("endless", "x")

    with pytest.raises(ld_releases.ResponseTooLargeError):
        asyncio.run(call())


def test_a_body_that_does_not_decompress_is_a_response_validation_error(hostile: str) -> None:
    with pytest.raises(ld_releases.ResponseValidationError) as caught:
        client(hostile).releases.get("bad-gzip", "x")
    assert "could not be decoded" in str(caught.value)


def test_a_redirect_is_an_error_naming_its_location_and_is_not_followed(hostile: str) -> None:
    port = hostile.rsplit(":", 1)[1]
    before = hits(hostile).get("seen", 0)
    with pytest.raises(ld_releases.RedirectError) as caught:
        client(hostile).releases.delete("redirect", port)
    assert caught.value.location == f"http://127.0.0.1:{port}/api/v2/flags/seen/x/release"
    assert caught.value.location in str(caught.value)
    assert hits(hostile).get("seen", 0) == before


def test_a_users_http_client_that_follows_redirects_still_does_not_follow_ours(hostile: str) -> None:
    port = hostile.rsplit(":", 1)[1]
    before = hits(hostile).get("seen", 0)
    with httpx.Client(follow_redirects=True) as http, pytest.raises(ld_releases.RedirectError):
        client(hostile, http_client=http).releases.get("redirect", port)
    assert hits(hostile).get("seen", 0) == before  # the token never went anywhere else


def test_a_token_echoed_back_by_the_service_is_redacted_everywhere(hostile: str) -> None:
    with pytest.raises(ld_releases.BadRequestError) as caught:
        client(hostile).releases.get("echo", "x")
    error = caught.value
    shown = [str(error), repr(error), error.message, "".join(traceback.format_exception(error))]
    assert "<redacted>" in error.message  # the header was there, cut out
    assert all(TOKEN not in text for text in shown)


@pytest.mark.parametrize(
    ("behaviour", "argument"), [("huge-reset", "x"), *(("bad-retry-after", v) for v in ("negative", "nan", "unicode"))]
)
def test_absurd_rate_limit_headers_fall_back_to_the_backoff(hostile: str, behaviour: str, argument: str) -> None:
    before = hits(hostile).get(behaviour, 0)
    started = time.monotonic()
    with pytest.raises(ld_releases.RateLimitError):
        client(hostile, max_retries=1).releases.get(behaviour, argument)
    assert hits(hostile)[behaviour] == before + 2  # retried once
    assert time.monotonic() - started >= 0.3  # after a backoff, not at once (the first backoff is 0.375-0.5 s)


def test_a_refused_connection_names_the_host_and_the_attempts() -> None:
    with pytest.raises(ld_releases.ApiConnectionError) as caught:
        client("http://127.0.0.1:9", max_retries=1).releases.get("p", "f")
    assert type(caught.value) is ld_releases.ApiConnectionError
    assert "http://127.0.0.1:9/api/v2/flags/p/f/release" in str(caught.value)
    assert "after 2 attempts" in str(caught.value)


def test_a_timeout_of_zero_is_a_timeout(hostile: str) -> None:
    with pytest.raises(ld_releases.ApiTimeoutError):
        client(hostile, timeout=0, max_retries=0).releases.get("seen", "x")


@pytest.mark.parametrize("key", [TOKEN + "\n", TOKEN + "é", " " + TOKEN])
def test_a_malformed_key_is_refused_at_construction_without_showing_it(hostile: str, key: str) -> None:
    with pytest.raises(ValueError) as caught:
        ld_releases.Client(api_key=key, base_url=hostile)
    assert TOKEN not in str(caught.value)
    assert TOKEN not in "".join(traceback.format_exception(caught.value))


@pytest.mark.parametrize(
    "settings",
    [
        {"deadline": 0},
        {"deadline": "5"},
        {"attempt_deadline": -1},
        {"max_response_bytes": 0},
        {"max_response_bytes": 1.5},
    ],
)
def test_limits_are_checked_at_construction(hostile: str, settings: dict[str, object]) -> None:
    with pytest.raises((TypeError, ValueError)) as caught:
        client(hostile, **settings)
    assert next(iter(settings)) in str(caught.value)
