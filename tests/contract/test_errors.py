"""Every error answer as its own class with its fields, and answers that are not what the API describes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import ld_releases
import pytest

from tests.contract.harness import FLAG, PIPELINE, PROJECT, Api, Fake

GET_PATH = f"/api/v2/flags/{PROJECT}/{FLAG}/release"


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, ld_releases.BadRequestError),
        (401, ld_releases.AuthenticationError),
        (403, ld_releases.PermissionDeniedError),
        (404, ld_releases.NotFoundError),
        (409, ld_releases.ConflictError),
        (429, ld_releases.RateLimitError),
        (500, ld_releases.ServerError),
        (502, ld_releases.ServerError),
        (503, ld_releases.ServerError),
        (418, ld_releases.ApiError),
    ],
)
def test_each_error_status_is_its_own_class_with_its_fields(
    api: Api, fake: Fake, status: int, error_class: type[ld_releases.ApiError]
) -> None:
    fake.faults(
        {
            "status": status,
            "headers": {"X-Request-Id": f"req-{status}"},
            "body": {"code": f"code_{status}", "message": f"the service says {status}"},
        }
    )

    with pytest.raises(ld_releases.ApiError) as caught:
        api.releases.get(PROJECT, FLAG, max_retries=0)

    error = caught.value
    assert type(error) is error_class
    assert isinstance(error, ld_releases.LdReleasesError)
    assert error.status_code == status
    assert error.code == f"code_{status}"
    assert error.message == f"the service says {status}"
    assert error.request_id == f"req-{status}"
    assert isinstance(error.response, httpx.Response)
    assert error.response.status_code == status
    assert error.response.request.method == "GET"
    text = str(error)
    assert str(status) in text and GET_PATH in text
    assert f"the service says {status}" in text and f"code_{status}" in text and f"req-{status}" in text


def test_a_409_from_a_writing_call_is_a_conflict_error(api: Api, fake: Fake) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    fake.faults({"status": 409, "body": {"code": "conflict", "message": "the release changed meanwhile"}})

    with pytest.raises(ld_releases.ConflictError, match="the release changed meanwhile") as caught:
        api.releases.patch(PROJECT, FLAG, ld_releases.ReleasePatch().complete_phase(0))

    assert caught.value.code == "conflict"
    assert caught.value.request_id is None
    assert "request id" not in str(caught.value)


def test_rate_limit_error_carries_the_reset_time_and_remaining_counts(api: Api, fake: Fake) -> None:
    reset_ms = 1_900_000_000_123
    fake.faults(
        {
            "status": 429,
            "headers": {
                "X-Ratelimit-Reset": str(reset_ms),
                "X-Ratelimit-Global-Remaining": "0",
                "X-Ratelimit-Route-Remaining": "7",
                "X-Request-Id": "req-429",
            },
            "body": {"code": "rate_limited", "message": "slow down"},
        }
    )

    with pytest.raises(ld_releases.RateLimitError) as caught:
        api.releases.get(PROJECT, FLAG, max_retries=0)

    error = caught.value
    assert isinstance(error.reset_at, datetime)
    assert error.reset_at.utcoffset() == timedelta(0)
    assert error.reset_at == datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=reset_ms)
    assert error.global_remaining == 0
    assert error.route_remaining == 7
    assert (error.code, error.message, error.request_id) == ("rate_limited", "slow down", "req-429")


def test_rate_limit_error_without_rate_limit_headers_has_none(api: Api, fake: Fake) -> None:
    fake.faults({"status": 429})

    with pytest.raises(ld_releases.RateLimitError) as caught:
        api.releases.get(PROJECT, FLAG, max_retries=0)

    assert (caught.value.reset_at, caught.value.global_remaining, caught.value.route_remaining) == (None, None, None)


def test_the_last_rate_limit_answer_is_the_one_raised_when_retries_run_out(api: Api, fake: Fake) -> None:
    fake.faults(
        {"status": 429, "headers": {"Retry-After": "0", "X-Ratelimit-Route-Remaining": "2"}},
        {"status": 429, "headers": {"Retry-After": "0", "X-Ratelimit-Route-Remaining": "1"}},
        {"status": 429, "headers": {"Retry-After": "0", "X-Ratelimit-Route-Remaining": "0"}},
    )

    with pytest.raises(ld_releases.RateLimitError) as caught:
        api.releases.get(PROJECT, FLAG)

    assert caught.value.route_remaining == 0
    assert len(fake.requests()) == 3


def test_permission_denied_names_the_api_version_when_it_was_not_beta(api: Api, fake: Fake) -> None:
    body = {"code": "forbidden", "message": "Access denied"}
    fake.faults({"status": 403, "body": body}, {"status": 403, "body": body})

    with pytest.raises(ld_releases.PermissionDeniedError) as beta:
        api.releases.get(PROJECT, FLAG)
    with pytest.raises(ld_releases.PermissionDeniedError) as dated:
        api.releases.get(PROJECT, FLAG, ld_api_version="20240415")

    assert "LD-API-Version" not in str(beta.value)  # the version was right: no misleading hint
    assert "LD-API-Version: beta" in str(dated.value)
    assert "20240415" in str(dated.value)
    assert dated.value.message == "Access denied"  # the service's own words stay as they were


def test_the_real_401_and_403_of_the_service(api: Api) -> None:
    with pytest.raises(ld_releases.AuthenticationError) as unauthorised:
        api.client(api_key="not-the-token").releases.get(PROJECT, FLAG)
    with pytest.raises(ld_releases.PermissionDeniedError) as forbidden:
        api.releases.get(PROJECT, FLAG, ld_api_version="20191212")

    assert (unauthorised.value.status_code, unauthorised.value.code) == (401, "unauthorized")
    assert (forbidden.value.status_code, forbidden.value.code) == (403, "forbidden")


# -- garbage ----------------------------------------------------------------------------------------------


def release_body(api: Api) -> dict[str, Any]:
    """A release exactly as the fake sends it."""
    raw = api.releases.with_raw_response.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    body: dict[str, Any] = raw.http_response.json()
    return body


def test_a_success_body_that_is_not_json_is_a_response_validation_error_keeping_the_body(api: Api, fake: Fake) -> None:
    fake.faults({"status": 200, "raw": "<html>maintenance</html>"})

    with pytest.raises(ld_releases.ResponseValidationError) as caught:
        api.releases.get(PROJECT, FLAG)

    assert caught.value.body == b"<html>maintenance</html>"
    assert caught.value.status_code == 200
    assert GET_PATH in str(caught.value)
    assert len(fake.requests()) == 1  # an answer, not a failure to retry


def test_a_raw_response_with_a_body_that_is_not_json_raises_on_parse(api: Api, fake: Fake) -> None:
    fake.faults({"status": 200, "raw": "not json"})

    raw = api.releases.with_raw_response.get(PROJECT, FLAG)

    assert raw.status_code == 200
    with pytest.raises(ld_releases.ResponseValidationError) as caught:
        raw.parse()
    assert caught.value.body == b"not json"


def test_a_body_of_the_wrong_shape_is_a_response_validation_error(api: Api, fake: Fake) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    fake.faults({"remove": ["/phases/1/_id"]})

    with pytest.raises(ld_releases.ResponseValidationError) as caught:
        api.releases.get(PROJECT, FLAG)

    assert "phases/1/_id" in str(caught.value)
    assert "_id" not in caught.value.response.json()["phases"][1]
    # the fake's own openapi-core check saw the same
    [violation] = fake.violations(take=True)
    assert (violation["kind"], violation["method"]) == ("response", "GET")
    assert violation["message"] == "/phases/1: '_id' is a required property"


def test_a_body_with_a_wrong_type_is_a_response_validation_error(api: Api, fake: Fake) -> None:
    body = release_body(api)
    body["_version"] = "one"
    fake.faults({"status": 200, "body": body})

    with pytest.raises(ld_releases.ResponseValidationError, match="_version"):
        api.releases.get(PROJECT, FLAG)
    [violation] = fake.violations(take=True)
    assert violation["message"] == "/_version: 'one' is not of type 'integer'"


def test_a_truncated_body_is_an_api_connection_error(api: Api, fake: Fake) -> None:
    fake.faults({"truncate": True})

    with pytest.raises(ld_releases.ApiConnectionError) as caught:
        api.releases.get(PROJECT, FLAG, max_retries=0)

    assert not isinstance(caught.value, ld_releases.ApiTimeoutError)
    assert GET_PATH in str(caught.value)


def test_a_truncated_body_on_a_get_is_retried(api: Api, fake: Fake) -> None:
    release_body(api)
    fake.faults({"truncate": True})

    raw = api.releases.with_raw_response.get(PROJECT, FLAG)

    assert raw.retries_taken == 1
    assert raw.parse().release_pipeline_key == PIPELINE


@pytest.mark.parametrize(
    ("status", "error_class"),
    [(404, ld_releases.NotFoundError), (502, ld_releases.ServerError), (401, ld_releases.AuthenticationError)],
)
def test_an_error_status_with_an_html_body_is_still_the_right_error(
    api: Api, fake: Fake, status: int, error_class: type[ld_releases.ApiError]
) -> None:
    html = "<html><body><h1>Gateway trouble</h1></body></html>"
    fake.faults({"status": status, "raw": html})

    with pytest.raises(ld_releases.ApiError) as caught:
        api.releases.get(PROJECT, FLAG, max_retries=0)

    error = caught.value
    assert type(error) is error_class
    assert error.status_code == status
    assert error.code is None
    assert httpx.codes.get_reason_phrase(status).lower() in error.message.lower()  # the status line's reason
    assert "Gateway trouble" in error.message  # the start of the page, to tell what answered
    assert error.response.text == html
