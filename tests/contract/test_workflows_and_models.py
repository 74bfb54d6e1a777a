"""`advance`, `ReleasePatch` and the models: the hand-written parts, driven over HTTP."""

from __future__ import annotations

import copy
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import ld_releases
import pytest
from ld_releases import NoPhaseToStartError, PhaseStatus, Release, ReleasePatch, ReleasePhase

from tests.contract.harness import FLAG, PIPELINE, PROJECT, Api, Fake

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# -- advance ----------------------------------------------------------------------------------------------


def test_advance_on_a_new_release_starts_the_first_phase(api: Api, fake: Fake) -> None:
    created = api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    advanced = api.releases.advance(PROJECT, FLAG)

    assert isinstance(advanced, Release)
    assert advanced.phases[0].status is PhaseStatus.STARTED and advanced.phases[0].started is True
    assert advanced.phases[1].status is PhaseStatus.NOT_STARTED and not advanced.phases[1].started
    assert advanced.version == created.version + 1
    last = fake.requests()[-1]
    assert (last["method"], last["path"].rsplit("/", 1)[-1]) == ("PUT", created.phases[0].id)
    assert json.loads(last["body"]) == {"status": "Started"}


def test_advance_after_the_first_phase_completes_starts_the_second(api: Api) -> None:
    release = api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    api.releases.advance(PROJECT, FLAG)
    api.releases.update_phase_status(PROJECT, FLAG, release.phases[0].id, status="Complete")

    advanced = api.releases.advance(PROJECT, FLAG)

    assert advanced.phases[0].status is PhaseStatus.COMPLETE and advanced.phases[0].complete is True
    assert advanced.phases[1].status is PhaseStatus.STARTED and advanced.phases[1].started is True
    assert api.releases.get(PROJECT, FLAG) == advanced


@pytest.mark.parametrize("pipeline", [PIPELINE, "three-stage-pipeline"])
def test_advance_until_nothing_is_left_walks_a_release_through_every_phase(api: Api, fake: Fake, pipeline: str) -> None:
    created = api.releases.create(PROJECT, FLAG, release_pipeline_key=pipeline)
    phases = len(created.phases)
    seen = []

    with pytest.raises(NoPhaseToStartError) as done:
        for _ in range(phases + 2):  # one call per phase, one to complete the last, one to say so
            seen.append([p.status for p in api.releases.advance(PROJECT, FLAG).phases])

    complete, started, waiting = PhaseStatus.COMPLETE, PhaseStatus.STARTED, PhaseStatus.NOT_STARTED
    expected = [[complete] * n + [started] + [waiting] * (phases - n - 1) for n in range(phases)]
    assert seen == [*expected, [complete] * phases]
    assert all(phase.complete and phase.started for phase in done.value.release.phases)
    statuses = [json.loads(r["body"])["status"] for r in fake.requests() if "/phases/" in r["path"]]
    assert statuses == ["Started", *["Complete", "Started"] * (phases - 1), "Complete"]


def test_advance_start_only_completes_nothing(api: Api, fake: Fake) -> None:
    """For pipelines whose phases complete themselves: it starts the next phase, as `advance` did."""
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    started = api.releases.advance(PROJECT, FLAG, start_only=True)
    sent_before = len(fake.requests())

    with pytest.raises(ld_releases.BadRequestError, match="Phase Production cannot start before Testing complete"):
        api.releases.advance(PROJECT, FLAG, start_only=True)

    assert [p.status for p in started.phases] == [PhaseStatus.STARTED, PhaseStatus.NOT_STARTED]
    sent = [(r["method"], json.loads(r["body"]) if r["body"] else None) for r in fake.requests()[sent_before:]]
    assert sent == [("GET", None), ("PUT", {"status": "Started"})]  # Testing was not completed


def test_no_phase_to_start_names_each_phase_and_the_release(api: Api) -> None:
    release = api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    for phase in release.phases:
        api.releases.update_phase_status(PROJECT, FLAG, phase.id, status="Started")
        last = api.releases.update_phase_status(PROJECT, FLAG, phase.id, status="Complete")

    with pytest.raises(NoPhaseToStartError) as caught:
        api.releases.advance(PROJECT, FLAG)

    assert isinstance(caught.value, ld_releases.LdReleasesError)
    assert f"{PROJECT}/{FLAG}" in str(caught.value) and "(Testing: complete, Production: complete)" in str(caught.value)
    assert caught.value.release == last


def test_advance_passes_the_per_call_settings_on(api: Api, fake: Fake) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    fake.faults({"status": 503, "headers": {"Retry-After": "0"}})

    with pytest.raises(ld_releases.ServerError):
        api.releases.advance(PROJECT, FLAG, max_retries=0)

    assert [r["method"] for r in fake.requests()] == ["PUT", "GET"]


# -- ReleasePatch -----------------------------------------------------------------------------------------


def test_release_patch_builds_the_operations_in_order() -> None:
    patch = ReleasePatch().complete_phase(0).reopen_phase(1)

    assert isinstance(patch, list) and len(patch) == 2
    assert [op.model_dump(exclude_unset=True) for op in patch] == [
        {"op": "replace", "path": "/phases/0/complete", "value": True},
        {"op": "replace", "path": "/phases/1/complete", "value": False},
    ]


@pytest.mark.parametrize("method", ["complete_phase", "reopen_phase"])
def test_release_patch_refuses_a_negative_index(method: str) -> None:
    patch = ReleasePatch()

    with pytest.raises(ValueError, match="-1"):
        getattr(patch, method)(-1)

    assert patch == []


@pytest.mark.parametrize("index", [True, False, 1.0, "0", None])
@pytest.mark.parametrize("method", ["complete_phase", "reopen_phase"])
def test_release_patch_refuses_an_index_that_is_not_an_int(method: str, index: object) -> None:
    patch = ReleasePatch()

    with pytest.raises(TypeError):
        getattr(patch, method)(index)

    assert patch == []


def test_reopening_a_completed_phase_over_http(api: Api) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    api.releases.patch(PROJECT, FLAG, ReleasePatch().complete_phase(0).complete_phase(1))

    reopened = api.releases.patch(PROJECT, FLAG, ReleasePatch().reopen_phase(1))

    assert [p.complete for p in reopened.phases] == [True, False]
    assert reopened.phases[1].completion_date is None and reopened.phases[1].completed_by is None


# -- models -----------------------------------------------------------------------------------------------


def test_creation_date_datetime_is_aware_and_equals_the_epoch_milliseconds(api: Api) -> None:
    before = datetime.now(UTC)
    release = api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    started = api.releases.advance(PROJECT, FLAG)

    phase = release.phases[0]
    when = phase.creation_date_datetime
    assert when.tzinfo is not None and when.utcoffset() == timedelta(0)
    assert when == EPOCH + timedelta(milliseconds=phase.creation_date)
    assert round(when.timestamp() * 1000) == phase.creation_date
    assert before - timedelta(seconds=1) <= when <= datetime.now(UTC) + timedelta(seconds=1)  # milliseconds, not s
    started_at = started.phases[0].started_date_datetime
    assert started_at is not None and started_at.utcoffset() == timedelta(0)
    assert started_at == EPOCH + timedelta(milliseconds=started.phases[0].started_date or 0)
    assert started.phases[1].started_date_datetime is None


def test_a_datetime_keeps_the_milliseconds() -> None:
    phase = ReleasePhase.model_validate(
        {"_id": "p", "_name": "P", "complete": False, "_creationDate": 1_684_262_711_507, "_audiences": []}
    )

    assert phase.creation_date_datetime == datetime(2023, 5, 16, 18, 45, 11, 507000, tzinfo=UTC)


def future_release(body: dict[str, Any]) -> dict[str, Any]:
    """`body` as a newer service might send it: a status this client does not know, and new fields."""
    newer = copy.deepcopy(body)
    newer["rolloutPolicy"] = {"kind": "gradual", "steps": [1, 5, 25]}
    newer["phases"][0]["status"] = "AwaitingApproval"
    newer["phases"][0]["_approvers"] = ["member-1"]
    newer["phases"][1]["_audiences"][0]["_guardedRollout"] = {"metric": "errors"}
    newer["phases"][1]["_audiences"][0]["environment"]["_region"] = "eu-west-1"
    return newer


def test_unknown_status_values_and_fields_survive_a_round_trip(api: Api, fake: Fake) -> None:
    raw = api.releases.with_raw_response.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    newer = future_release(raw.http_response.json())
    fake.faults({"status": 200, "body": newer})

    release = api.releases.get(PROJECT, FLAG)

    assert release.phases[0].status == "AwaitingApproval"
    assert not isinstance(release.phases[0].status, PhaseStatus)
    assert release.phases[1].status is PhaseStatus.NOT_STARTED  # known values are still members
    assert release.model_dump(by_alias=True, exclude_unset=True) == newer
    assert json.loads(release.model_dump_json(by_alias=True, exclude_unset=True)) == newer
    assert Release.model_validate(release.model_dump(by_alias=True, exclude_unset=True)) == release


def test_a_release_round_trips_to_exactly_what_the_service_sent(api: Api) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE, release_variation_id="var-1")
    api.releases.advance(PROJECT, FLAG)
    raw = api.releases.with_raw_response.patch(PROJECT, FLAG, ReleasePatch().complete_phase(0))

    sent = raw.http_response.json()
    assert "_completedBy" in sent["phases"][0] and "_startedDate" in sent["phases"][0]
    assert raw.parse().model_dump(by_alias=True, exclude_unset=True) == sent


def test_a_started_phase_is_seen_as_started_within_a_second(api: Api) -> None:
    """started_date is epoch milliseconds from the service's clock, the same machine here."""
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    started = api.releases.advance(PROJECT, FLAG).phases[0].started_date_datetime

    assert started is not None
    assert abs(started.timestamp() - time.time()) < 1.0
