"""What goes on the wire and what comes back raw: headers, request bodies, `with_raw_response`."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import ld_releases
import pytest
from ld_releases import AudienceConfigInput, PhaseStatus, RawResponse, Release, ReleasePatch

from tests.contract.harness import FLAG, PIPELINE, PROJECT, TOKEN, Api, Fake


def every_operation(api: Api, **per_call: str) -> None:
    """Call each of the five operations once, in an order the fake accepts."""
    release = api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE, **per_call)
    api.releases.get(PROJECT, FLAG, **per_call)
    api.releases.update_phase_status(PROJECT, FLAG, release.phases[0].id, status="Started", **per_call)
    api.releases.patch(PROJECT, FLAG, ReleasePatch().complete_phase(0), **per_call)
    api.releases.delete(PROJECT, FLAG, **per_call)


def test_every_operation_sends_the_token_as_is_the_beta_version_and_a_user_agent(api: Api, fake: Fake) -> None:
    every_operation(api)

    arrived = fake.requests()
    phase_id = arrived[2]["path"].rsplit("/", 1)[-1]
    assert [(r["method"], r["path"]) for r in arrived] == [
        ("PUT", f"/api/v2/projects/{PROJECT}/flags/{FLAG}/release"),
        ("GET", f"/api/v2/flags/{PROJECT}/{FLAG}/release"),
        ("PUT", f"/api/v2/projects/{PROJECT}/flags/{FLAG}/release/phases/{phase_id}"),
        ("PATCH", f"/api/v2/flags/{PROJECT}/{FLAG}/release"),
        ("DELETE", f"/api/v2/flags/{PROJECT}/{FLAG}/release"),
    ]
    for request in arrived:
        headers = request["headers"]
        assert headers.get_list("Authorization") == [TOKEN], request  # exactly the token, no "Bearer"
        assert headers.get_list("LD-API-Version") == ["beta"], request
        assert headers["User-Agent"] == f"ld-releases-python/{ld_releases.__version__}", request
        assert headers["Accept"] == "application/json", request


def test_the_api_version_can_be_overridden_per_call(api: Api, fake: Fake) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    with pytest.raises(ld_releases.PermissionDeniedError):
        api.releases.get(PROJECT, FLAG, ld_api_version="20240415")
    api.releases.get(PROJECT, FLAG)  # the override was for that call only

    assert [r["headers"]["LD-API-Version"] for r in fake.requests()] == ["beta", "20240415", "beta"]


def test_the_api_version_override_reaches_the_wire_for_every_operation(api: Api, fake: Fake) -> None:
    """A version the fake refuses, sent by each operation: each is answered 403 and says what was sent."""
    release = api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    calls: list[Callable[[], object]] = [
        lambda: api.releases.get(PROJECT, FLAG, ld_api_version="2"),
        lambda: api.releases.delete(PROJECT, FLAG, ld_api_version="2"),
        lambda: api.releases.patch(PROJECT, FLAG, ReleasePatch().complete_phase(0), ld_api_version="2"),
        lambda: api.releases.create(PROJECT, "other-flag", release_pipeline_key=PIPELINE, ld_api_version="2"),
        lambda: api.releases.update_phase_status(
            PROJECT, FLAG, release.phases[0].id, status="Started", ld_api_version="2"
        ),
    ]
    for call in calls:
        with pytest.raises(ld_releases.PermissionDeniedError, match="sent: 2"):
            call()

    assert [r["headers"]["LD-API-Version"] for r in fake.requests()] == ["beta", "2", "2", "2", "2", "2"]


def test_request_bodies_carry_wire_names_and_only_what_was_given(api: Api, fake: Fake) -> None:
    release = api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    api.releases.update_phase_status(PROJECT, FLAG, release.phases[0].id, status=PhaseStatus.STARTED)
    api.releases.delete(PROJECT, FLAG)
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE, release_variation_id="var-1")

    assert fake.bodies() == [
        {"releasePipelineKey": PIPELINE},
        {"status": "Started"},
        None,
        {"releasePipelineKey": PIPELINE, "releaseVariationId": "var-1"},
    ]
    assert fake.requests()[0]["headers"]["Content-Type"] == "application/json"


def test_release_patch_sends_exactly_the_json_patch_it_describes(api: Api, fake: Fake) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    patched = api.releases.patch(PROJECT, FLAG, ReleasePatch().complete_phase(0).reopen_phase(1))

    sent = fake.requests()[-1]
    assert sent["method"] == "PATCH"
    assert json.loads(sent["body"]) == [
        {"op": "replace", "path": "/phases/0/complete", "value": True},
        {"op": "replace", "path": "/phases/1/complete", "value": False},
    ]
    assert [p.complete for p in patched.phases] == [True, False]


def test_a_patch_given_as_plain_dicts_is_sent_as_given(api: Api, fake: Fake) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    operations = [
        {"op": "test", "path": "/_version", "value": 1},
        {"op": "replace", "path": "/phases/0/complete", "value": True},
        {"op": "replace", "path": "/phases/1/complete", "value": True},
    ]

    patched = api.releases.patch(PROJECT, FLAG, operations)

    assert fake.bodies()[-1] == operations
    assert [p.complete for p in patched.phases] == [True, True]


def test_raw_responses_give_status_headers_and_the_same_model(api: Api, fake: Fake) -> None:
    created_raw = api.releases.with_raw_response.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    raw = api.releases.with_raw_response.get(PROJECT, FLAG)
    plain = api.releases.get(PROJECT, FLAG)

    assert isinstance(raw, RawResponse)
    assert created_raw.status_code == 200 and raw.status_code == 200
    assert raw.headers["Content-Type"] == "application/json"
    assert int(raw.headers["Content-Length"]) == len(raw.http_response.content)
    assert raw.retries_taken == 0
    parsed = raw.parse()
    assert isinstance(parsed, Release)
    assert parsed == plain == created_raw.parse()
    assert raw.parse() is parsed  # parsed once
    assert parsed.model_dump(by_alias=True, exclude_unset=True) == raw.http_response.json()

    deleted = api.releases.with_raw_response.delete(PROJECT, FLAG)
    assert deleted.status_code == 204
    assert deleted.parse() is None
    assert len(fake.requests()) == 4


def test_raw_responses_of_the_writing_operations_parse_to_what_the_service_sent(api: Api) -> None:
    release = api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    started = api.releases.with_raw_response.update_phase_status(PROJECT, FLAG, release.phases[0].id, status="Started")
    patched = api.releases.with_raw_response.patch(PROJECT, FLAG, ReleasePatch().complete_phase(0))

    assert started.status_code == 200 and patched.status_code == 200
    assert started.parse().phases[0].status is PhaseStatus.STARTED
    assert started.parse().version == release.version + 1
    assert patched.parse().phases[0].complete is True
    assert patched.parse() == api.releases.get(PROJECT, FLAG)


def test_each_flavour_really_is_that_client(api: Api) -> None:
    """The guard behind the parity: the async runs go through AsyncClient and an httpx.AsyncClient."""
    client = api.default.target
    if api.kind == "async":
        assert type(client) is ld_releases.AsyncClient and isinstance(client._http, httpx.AsyncClient)
    else:
        assert type(client) is ld_releases.Client and isinstance(client._http, httpx.Client)


@pytest.mark.parametrize(
    ("flag", "segment"),
    [("a b", b"a%20b"), ("a/b", b"a%2Fb"), ("a?b#c", b"a%3Fb%23c"), ("é", b"%C3%A9"), ("50%", b"50%25")],
)
def test_path_parameters_are_each_one_escaped_segment(api: Api, fake: Fake, flag: str, segment: bytes) -> None:
    fake.faults({"status": 404})  # answered before the fake routes it, so any key will do

    with pytest.raises(ld_releases.NotFoundError) as caught:
        api.releases.get(PROJECT, flag)

    sent = caught.value.response.request.url.raw_path
    assert sent == f"/api/v2/flags/{PROJECT}/".encode() + segment + b"/release"
    assert fake.requests()[0]["path"] == f"/api/v2/flags/{PROJECT}/{flag}/release"  # as the server decodes it


def test_an_empty_path_parameter_is_refused_before_sending(api: Api, fake: Fake) -> None:
    with pytest.raises(ValueError, match="argument 'flag_key' must not be empty"):
        api.releases.get(PROJECT, "")

    assert fake.requests() == []


def test_audiences_reach_the_wire_by_their_wire_names_with_only_what_was_set(api: Api, fake: Fake) -> None:
    release = api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    audience = release.phases[0].audiences[0]

    api.releases.advance(
        PROJECT, FLAG, audiences=[AudienceConfigInput(audience_id=audience.id, notify_member_ids=["member-1"])]
    )

    assert fake.bodies()[-1] == {
        "status": "Started",
        "audiences": [{"audienceId": audience.id, "notifyMemberIds": ["member-1"]}],
    }
