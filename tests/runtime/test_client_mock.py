"""The runtime's decisions on one request, through httpx.MockTransport (no network): what a call
sends, how an answer is read by its status, which error it raises, and that a credential never shows.
The loopback tests (tests/contract, tests/clients) cover the same ground against real servers."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import ld_releases
import pytest
from ld_releases._parse import Expect, expected
from ld_releases._retry import reset_wait, retry_after_wait

Handler = Callable[[httpx.Request], httpx.Response]
RELEASE = {
    "_links": {},
    "name": "n",
    "releasePipelineKey": "p",
    "releasePipelineDescription": "d",
    "_version": 1,
    "phases": [],
}


def client(handler: Handler, **settings: object) -> ld_releases.Client:
    transport = httpx.MockTransport(handler)
    return ld_releases.Client(
        api_key="tok", base_url="https://ld.test", http_client=httpx.Client(transport=transport), **settings
    )  # type: ignore[arg-type]


def test_a_call_sends_the_token_as_is_the_beta_header_and_what_it_accepts() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=RELEASE)

    release = client(answer).releases.get("proj", "fl/ag")

    assert release.version == 1
    (request,) = seen
    assert str(request.url) == "https://ld.test/api/v2/flags/proj/fl%2Fag/release"
    assert request.headers["Authorization"] == "tok"
    assert request.headers["LD-API-Version"] == "beta"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["User-Agent"] == f"ld-releases-python/{ld_releases.__version__}"


def test_a_json_body_holds_only_what_was_set_by_wire_name() -> None:
    bodies: list[object] = []

    def answer(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(200, json=RELEASE)

    client(answer).releases.create("proj", "flag", release_pipeline_key="pipe")

    assert bodies == [{"releasePipelineKey": "pipe"}]


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_an_error_naming_where_it_leads(status: int) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers={"Location": "https://elsewhere.test/x"})

    with pytest.raises(ld_releases.RedirectError) as caught:
        client(answer).releases.delete("proj", "flag")

    assert caught.value.location == "https://elsewhere.test/x"
    assert "redirected to https://elsewhere.test/x" in str(caught.value)


def test_the_launchdarkly_errors_are_the_extensions_subclasses() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"X-Ratelimit-Route-Remaining": "0", "Retry-After": "3600"}
        return httpx.Response(429, json={"code": "rate_limited", "message": "slow down"}, headers=headers)

    with pytest.raises(ld_releases.RateLimitError) as caught:
        client(answer, max_retries=0).releases.get("proj", "flag")

    assert caught.value.route_remaining == 0
    assert caught.value.reset_at is not None  # from Retry-After too
    assert isinstance(caught.value, ld_releases._exceptions.RateLimitError)


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("tok\n", id="a trailing line break"),
        pytest.param("tök", id="not ASCII"),
        pytest.param("a b", id="a space"),
    ],
)
def test_a_key_that_cannot_be_sent_is_refused_at_construction_without_showing_it(key: str) -> None:
    with pytest.raises(ValueError) as caught:
        ld_releases.Client(api_key=key)

    assert key.strip() not in str(caught.value) and repr(key) not in repr(caught.value)
    assert "api_key" in str(caught.value)


def test_a_key_of_the_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="api_key must be a str, not int"):
        ld_releases.Client(api_key=123)  # type: ignore[arg-type]


@pytest.mark.parametrize(("timeout", "error"), [("5", TypeError), (-1, ValueError), (float("nan"), ValueError)])
def test_settings_are_checked_at_construction(timeout: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="timeout"):
        ld_releases.Client(api_key="tok", timeout=timeout)  # type: ignore[arg-type]


def test_no_credential_at_all_is_refused_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LD_API_KEY", raising=False)

    with pytest.raises(ld_releases.MissingCredentialError, match=r"pass api_key=\.\.\. \(or LD_API_KEY\)"):
        ld_releases.Client()


@pytest.mark.parametrize(
    ("documented", "status", "kind"),
    [
        ({"200": Expect.json(dict), "2XX": Expect.text()}, 200, "json"),
        ({"200": Expect.json(dict), "2XX": Expect.text()}, 201, "text"),
        ({"204": Expect.nothing(), "default": Expect.binary()}, 202, "binary"),
        ({"201": Expect.json(dict)}, 200, "json"),  # the only success documented
    ],
)
def test_an_answer_is_read_as_documented_for_its_status(documented: dict[str, Expect], status: int, kind: str) -> None:
    found = expected(documented, status)

    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"Retry-After": "-1"}, None),
        ({"Retry-After": "nan"}, None),
        ({"Retry-After": "9" * 20}, None),
        ({"Retry-After": "٣".encode()}, None),  # an Arabic-Indic digit, as a server would send its bytes
    ],
)
def test_retry_after_is_read_or_ignored(headers: dict[str, str | bytes], wait: float | None) -> None:
    assert retry_after_wait(httpx.Headers(headers), now=1_000.0) == wait


@pytest.mark.parametrize(
    ("value", "wait"),
    [
        (str(1_700_000_000_000 + 2_500), 2.5),  # epoch milliseconds
        (str(1_700_000_000 + 4), 4.0),  # epoch seconds
        ("30", 30.0),  # seconds from now
        ("9" * 20, None),  # too long to be a time
        ("12a", None),
    ],
)
def test_a_reset_header_is_read_by_its_size(value: str, wait: float | None) -> None:
    found = reset_wait(httpx.Headers({"X-Reset": value}), ("X-Reset",), now=1_700_000_000.0)

    assert found == wait
