"""The generated client against the fake service over HTTP: every operation, as a user drives it."""

from __future__ import annotations

import httpx
import ld_releases
import pytest
from ld_releases import PhaseStatus, Release

from tests.contract.harness import FLAG, PIPELINE, PROJECT, TOKEN


def test_create_returns_a_release_with_every_phase_not_started(client: ld_releases.Client) -> None:
    release = client.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    assert isinstance(release, Release)
    assert release.release_pipeline_key == PIPELINE
    assert len(release.phases) == 2
    assert [p.complete or p.started for p in release.phases] == [False, False]
    assert release.phases[0].status is PhaseStatus.NOT_STARTED
    assert release.release_variation_id is None


def test_create_sends_only_what_was_given(client: ld_releases.Client, service: httpx.Client) -> None:
    release = client.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE, release_variation_id="var-1")

    assert release.release_variation_id == "var-1"


def test_get_returns_the_created_release(client: ld_releases.Client) -> None:
    created = client.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    fetched = client.releases.get(PROJECT, FLAG)

    assert fetched == created
    assert fetched.phases[1].audiences[1].name == "Production"


def test_update_phase_status_starts_the_first_phase(client: ld_releases.Client) -> None:
    release = client.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    first = release.phases[0]

    updated = client.releases.update_phase_status(PROJECT, FLAG, first.id, status=PhaseStatus.STARTED)

    assert updated.phases[0].started is True
    assert updated.phases[0].status is PhaseStatus.STARTED
    assert updated.phases[0].started_date is not None
    assert updated.version == release.version + 1


def test_update_phase_status_out_of_order_is_a_bad_request(client: ld_releases.Client) -> None:
    release = client.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    with pytest.raises(ld_releases.BadRequestError) as caught:
        client.releases.update_phase_status(PROJECT, FLAG, release.phases[1].id, status="Started")

    assert caught.value.status_code == 400
    assert caught.value.message == "Phase Production cannot start before Testing complete"


def test_patch_marks_a_phase_complete(client: ld_releases.Client) -> None:
    client.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    # Plain dicts, as the README shows; the signature only admits PatchOperation (reported), hence the ignore.
    operations = [{"op": "replace", "path": "/phases/0/complete", "value": True}]
    patched = client.releases.patch(PROJECT, FLAG, operations)

    assert patched.phases[0].complete is True
    assert patched.phases[0].completion_date is not None
    assert patched.phases[0].completed_by is not None and patched.phases[0].completed_by.token is not None


def test_delete_then_get_is_not_found(client: ld_releases.Client) -> None:
    client.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    assert client.releases.delete(PROJECT, FLAG) is None  # type: ignore[func-returns-value]

    with pytest.raises(ld_releases.NotFoundError) as caught:
        client.releases.get(PROJECT, FLAG)
    assert caught.value.status_code == 404
    assert caught.value.code == "not_found"


def test_missing_release_is_a_typed_error(client: ld_releases.Client) -> None:
    with pytest.raises(ld_releases.NotFoundError, match="has no active release"):
        client.releases.get(PROJECT, FLAG)


def test_headers_on_the_wire(client: ld_releases.Client, service: httpx.Client) -> None:
    client.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    sent = service.get("/_fake/requests").json()[-1]["headers"]

    assert sent["Authorization"] == TOKEN
    assert sent["Ld-Api-Version"] == "beta"
    assert sent["Content-Type"] == "application/json"


def test_wrong_token_is_an_authentication_error(service: httpx.Client, service_url: str) -> None:
    with (
        ld_releases.Client(api_key="wrong", base_url=service_url) as client,
        pytest.raises(ld_releases.AuthenticationError),
    ):
        client.releases.get(PROJECT, FLAG)


def test_other_api_version_is_permission_denied_and_says_why(client: ld_releases.Client) -> None:
    with pytest.raises(ld_releases.PermissionDeniedError, match="LD-API-Version: beta"):
        client.releases.get(PROJECT, FLAG, ld_api_version="20240415")


def test_the_fake_records_a_request_that_breaks_the_contract(service: httpx.Client) -> None:
    """The guard behind every other test: openapi-core really checks what reaches the fake."""
    answer = service.put(
        f"/api/v2/projects/{PROJECT}/flags/{FLAG}/release",
        json={"releaseVariationId": "no pipeline key"},
        headers={"Authorization": TOKEN, "LD-API-Version": "beta"},
    )

    assert answer.status_code == 400
    violations = service.get("/_fake/violations").json()
    assert [(v["kind"], v["method"]) for v in violations] == [("request", "PUT")]
    assert "releasePipelineKey" in violations[0]["message"]
    service.post("/_fake/reset").raise_for_status()
