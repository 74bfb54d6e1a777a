"""The fake Releases service (`ld_releases.testing`) as its users meet it: started in-process with
`fake_releases()`, driven through the generated client, its state checked after every step."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import ld_releases
import pytest
from ld_releases import PhaseStatus, Release, ReleasePatch
from ld_releases.testing import (
    DEFAULT_FLAG,
    DEFAULT_FLAGS,
    DEFAULT_PHASE_IDS,
    DEFAULT_PIPELINE,
    DEFAULT_PIPELINES,
    DEFAULT_PROJECT,
    Audience,
    ContractViolationError,
    Phase,
    Pipeline,
    ReleasesService,
    RunningFake,
    consistency_problems,
    fake_releases,
)

P, F = DEFAULT_PROJECT, DEFAULT_FLAG
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake() -> Iterator[RunningFake]:
    with fake_releases() as running:
        yield running


@pytest.fixture
def client(fake: RunningFake) -> ld_releases.Client:
    return fake.new_client(max_retries=0)


def state(fake: RunningFake) -> dict[str, Any]:
    """The fake's own record of the release, asserted consistent."""
    release = fake.release(P, F)
    assert release is not None
    assert consistency_problems(release) == []
    return release


def statuses(release: Release) -> list[tuple[Any, bool, bool]]:
    return [(p.status, p.started, p.complete) for p in release.phases]


NOT_STARTED = (PhaseStatus.NOT_STARTED, False, False)
STARTED = (PhaseStatus.STARTED, True, False)
COMPLETE = (PhaseStatus.COMPLETE, True, True)


# -- seeds ------------------------------------------------------------------------------------------------


def test_the_seeds_are_exported_and_a_pipeline_has_phases_with_audiences() -> None:
    assert (DEFAULT_PROJECT, DEFAULT_FLAG) in DEFAULT_FLAGS
    pipeline = next(p for p in DEFAULT_PIPELINES if p.key == DEFAULT_PIPELINE)
    assert len(pipeline.phases) >= 2
    assert all(phase.audiences for phase in pipeline.phases)
    assert any(len(p.phases) >= 3 for p in DEFAULT_PIPELINES)


def test_a_new_release_follows_its_pipeline_with_every_phase_not_started(client: ld_releases.Client) -> None:
    pipeline = next(p for p in DEFAULT_PIPELINES if p.key == DEFAULT_PIPELINE)

    release = client.releases.create(P, F, release_pipeline_key=DEFAULT_PIPELINE)

    assert (release.name, release.version) == (pipeline.name, 1)
    assert [p.name for p in release.phases] == [p.name for p in pipeline.phases]
    assert [[a.environment.key for a in p.audiences if a.environment] for p in release.phases] == [
        [a.environment_key for a in p.audiences] for p in pipeline.phases
    ]
    assert statuses(release) == [NOT_STARTED] * len(pipeline.phases)
    assert all(p.started_date is None and p.completion_date is None for p in release.phases)
    assert len({p.id for p in release.phases} | {a.id for p in release.phases for a in p.audiences}) == 5


def test_a_release_takes_its_pipeline_s_phase_ids_or_fresh_ones(client: ld_releases.Client) -> None:
    """The README's examples name a phase of the seeded pipeline by its id, as users of the service do."""
    assert [p.id for p in client.releases.create(P, F, release_pipeline_key=DEFAULT_PIPELINE).phases] == list(
        DEFAULT_PHASE_IDS
    )
    anonymous = Pipeline("anonymous", "Anonymous", "Phases without ids", (Phase("Only", (Audience("test", "Test"),)),))
    service = ReleasesService(pipelines={"anonymous": anonymous})
    with fake_releases(service=service) as fake:
        first = fake.client.releases.create(P, F, release_pipeline_key="anonymous").phases[0].id
        second = fake.client.releases.create(P, "other-flag", release_pipeline_key="anonymous").phases[0].id
    assert first and second and first != second and {first, second}.isdisjoint(DEFAULT_PHASE_IDS)


@pytest.mark.parametrize(
    ("flag", "pipeline", "status", "message"),
    [
        (F, DEFAULT_PIPELINE, 400, f"Flag {P}/{F} already has an active release"),
        ("no-such-flag", DEFAULT_PIPELINE, 404, f"Unknown flag {P}/no-such-flag"),
        ("other-flag", "no-such-pipeline", 404, "Unknown release pipeline no-such-pipeline"),
    ],
)
def test_create_fails_as_the_service_would(
    client: ld_releases.Client, flag: str, pipeline: str, status: int, message: str
) -> None:
    client.releases.create(P, F, release_pipeline_key=DEFAULT_PIPELINE)

    with pytest.raises(ld_releases.ApiError) as caught:
        client.releases.create(P, flag, release_pipeline_key=pipeline)

    assert (caught.value.status_code, caught.value.message) == (status, message)
    assert client.releases.get(P, F).version == 1  # the first release is untouched


# -- phases -----------------------------------------------------------------------------------------------


def test_phases_start_and_complete_in_order_and_each_change_raises_the_version(
    fake: RunningFake, client: ld_releases.Client
) -> None:
    release = client.releases.create(P, F, release_pipeline_key=DEFAULT_PIPELINE)
    first, second = (p.id for p in release.phases)
    update = client.releases.update_phase_status

    with pytest.raises(ld_releases.BadRequestError, match="Phase Production cannot start before Testing complete"):
        update(P, F, second, status=PhaseStatus.STARTED)
    with pytest.raises(ld_releases.BadRequestError, match="A phase must start before it completes"):
        update(P, F, first, status=PhaseStatus.COMPLETE)
    assert state(fake)["_version"] == 1  # refusals change nothing

    steps = [
        (first, PhaseStatus.STARTED, [STARTED, NOT_STARTED]),
        (first, PhaseStatus.PAUSED, [(PhaseStatus.PAUSED, True, False), NOT_STARTED]),
        (first, PhaseStatus.STARTED, [STARTED, NOT_STARTED]),
        (first, PhaseStatus.COMPLETE, [COMPLETE, NOT_STARTED]),
        (second, PhaseStatus.STARTED, [COMPLETE, STARTED]),
        (second, PhaseStatus.COMPLETE, [COMPLETE, COMPLETE]),
    ]
    for version, (phase, status, expected) in enumerate(steps, start=2):
        release = update(P, F, phase, status=status)
        assert statuses(release) == expected
        assert release.version == version
        assert state(fake)["_version"] == version

    done = release.phases[0]
    assert done.started_date is not None and done.completion_date is not None
    assert done.started_date <= done.completion_date
    assert done.completed_by is not None and done.completed_by.token is not None
    assert [a.status for a in done.audiences] == ["complete"]


@pytest.mark.parametrize("status", ["NotStarted", "ReadyToStart", "Archived"])
def test_a_phase_cannot_be_set_back_or_to_an_unknown_status(client: ld_releases.Client, status: str) -> None:
    release = client.releases.create(P, F, release_pipeline_key=DEFAULT_PIPELINE)
    client.releases.update_phase_status(P, F, release.phases[0].id, status=PhaseStatus.STARTED)

    with pytest.raises(ld_releases.BadRequestError, match=f"A phase cannot be set to '{status}'"):
        client.releases.update_phase_status(P, F, release.phases[0].id, status=status)


def test_starting_a_phase_configures_its_audiences(fake: RunningFake, client: ld_releases.Client) -> None:
    release = client.releases.create(P, F, release_pipeline_key=DEFAULT_PIPELINE)
    audience = release.phases[0].audiences[0]
    config = ld_releases.AudienceConfigInput(audience_id=audience.id, notify_team_keys=["release-team"])

    started = client.releases.update_phase_status(
        P, F, release.phases[0].id, status=PhaseStatus.STARTED, audiences=[config]
    )

    assert started.phases[0].audiences[0].configuration is not None
    assert started.phases[0].audiences[0].configuration.notify_team_keys == ["release-team"]
    assert started.phases[0].audiences[0].status == "active"
    unknown = ld_releases.AudienceConfigInput(audience_id="nobody")
    with pytest.raises(ld_releases.BadRequestError, match="Phase Testing has no audience nobody"):
        client.releases.update_phase_status(P, F, release.phases[0].id, status="Complete", audiences=[unknown])
    assert statuses(client.releases.get(P, F))[0] == STARTED  # all or nothing


def test_the_legacy_patch_marks_phases_complete_and_incomplete(fake: RunningFake, client: ld_releases.Client) -> None:
    client.releases.create(P, F, release_pipeline_key=DEFAULT_PIPELINE)

    completed = client.releases.patch(P, F, ReleasePatch().complete_phase(0))
    assert statuses(completed) == [COMPLETE, NOT_STARTED]
    assert state(fake)["phases"][0]["_completedBy"]["token"]["serviceToken"] is True

    reopened = client.releases.patch(P, F, ReleasePatch().reopen_phase(0))
    assert statuses(reopened) == [STARTED, NOT_STARTED]
    assert reopened.phases[0].completion_date is None and reopened.phases[0].completed_by is None
    assert reopened.version == 3
    state(fake)

    with pytest.raises(ld_releases.BadRequestError, match="Phase Production cannot complete before Testing"):
        client.releases.patch(P, F, ReleasePatch().complete_phase(1))
    client.releases.patch(P, F, ReleasePatch().complete_phase(0).complete_phase(1))
    with pytest.raises(ld_releases.BadRequestError, match="Phase Testing cannot reopen after Production started"):
        client.releases.patch(P, F, ReleasePatch().reopen_phase(0))
    assert statuses(client.releases.get(P, F)) == [COMPLETE, COMPLETE]


def test_a_patch_applies_all_or_nothing_and_a_test_guards_the_version(
    fake: RunningFake, client: ld_releases.Client
) -> None:
    client.releases.create(P, F, release_pipeline_key=DEFAULT_PIPELINE)
    stale = [
        {"op": "replace", "path": "/phases/0/complete", "value": True},
        {"op": "test", "path": "/_version", "value": 7},
    ]

    with pytest.raises(ld_releases.BadRequestError, match="Test failed: /_version is not 7"):
        client.releases.patch(P, F, stale)
    assert statuses(client.releases.get(P, F)) == [NOT_STARTED, NOT_STARTED]

    only_a_test = client.releases.patch(P, F, [{"op": "test", "path": "/_version", "value": 1}])
    assert only_a_test.version == 1  # nothing changed, so no new version
    with pytest.raises(ld_releases.BadRequestError, match="Only `replace` of /phases/N/complete"):
        client.releases.patch(P, F, [{"op": "replace", "path": "/phase/0/complete", "value": True}])


def test_delete_answers_204_then_get_404(client: ld_releases.Client) -> None:
    client.releases.create(P, F, release_pipeline_key=DEFAULT_PIPELINE)

    deleted = client.releases.with_raw_response.delete(P, F)

    assert deleted.status_code == 204 and deleted.http_response.content == b""
    with pytest.raises(ld_releases.NotFoundError, match=f"Flag {P}/{F} has no active release"):
        client.releases.get(P, F)
    with pytest.raises(ld_releases.NotFoundError):
        client.releases.delete(P, F)


# -- the service around the releases ----------------------------------------------------------------------


def test_the_token_and_the_beta_header_are_enforced(fake: RunningFake) -> None:
    stranger = ld_releases.Client(api_key="someone-else", base_url=fake.url, max_retries=0)
    with stranger, pytest.raises(ld_releases.AuthenticationError, match="Invalid access token"):
        stranger.releases.get(P, F)
    with pytest.raises(ld_releases.PermissionDeniedError, match="send LD-API-Version: beta"):
        fake.client.releases.get(P, F, ld_api_version="20240415")
    assert fake.violations() == []  # refused before validation, as the service does


def test_injected_rate_limits_and_server_errors(fake: RunningFake, client: ld_releases.Client) -> None:
    fake.inject(
        {
            "status": 429,
            "headers": {"X-Ratelimit-Reset": "1900000000000"},
            "body": {"code": "rate_limited", "message": "slow down"},
        },
        {"status": 503},
    )

    with pytest.raises(ld_releases.RateLimitError) as limited:
        client.releases.get(P, F)
    with pytest.raises(ld_releases.ServerError) as failed:
        client.releases.get(P, F)

    assert limited.value.reset_at is not None and limited.value.reset_at.year == 2030
    assert (failed.value.status_code, failed.value.code) == (503, "injected_503")
    assert [r["method"] for r in fake.requests()] == ["GET", "GET"]


def test_undeclared_methods_get_405_with_allow_and_unknown_paths_404(fake: RunningFake) -> None:
    headers = {"Authorization": fake.token, "LD-API-Version": "beta"}
    with httpx.Client(base_url=fake.url, headers=headers) as http:
        wrong_method = http.post(f"/api/v2/flags/{P}/{F}/release")
        unknown = http.get("/api/v2/flags")

    assert wrong_method.status_code == 405
    assert wrong_method.headers["Allow"] == "DELETE, GET, PATCH"
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"


def test_concurrent_changes_lose_no_update(fake: RunningFake) -> None:
    """Eight clients flip phase 0 at once, each change guarded by a JSON Patch `test` of the version
    it read (retrying when another got there first): every change lands, each on its own version."""
    fake.client.releases.create(P, F, release_pipeline_key=DEFAULT_PIPELINE)
    versions: list[int] = []

    def flip(times: int) -> None:
        with ld_releases.Client(api_key=fake.token, base_url=fake.url, max_retries=0) as own:
            done = 0
            while done < times:
                seen = own.releases.get(P, F)
                patch = ReleasePatch().expect_version(seen.version)
                patch = patch.reopen_phase(0) if seen.phases[0].complete else patch.complete_phase(0)
                try:
                    versions.append(own.releases.patch(P, F, patch).version)
                except ld_releases.BadRequestError as err:
                    assert "Test failed: /_version" in err.message
                    continue
                done += 1

    threads = [threading.Thread(target=flip, args=(5,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(versions) == list(range(2, 2 + 40))
    assert state(fake)["_version"] == 41


def test_a_contract_violation_fails_on_leaving_unless_check_is_off() -> None:
    expected = r"response GET .*/phases/0: '_id' is a required property"
    with pytest.raises(ContractViolationError, match=expected), fake_releases() as fake:
        fake.client.releases.create(P, F, release_pipeline_key=DEFAULT_PIPELINE)
        fake.inject({"remove": ["/phases/0/_id"]})
        with pytest.raises(ld_releases.ResponseValidationError):
            fake.client.releases.get(P, F)

    with fake_releases(check=False) as lenient:
        lenient.inject({"remove": ["/_version"]})
        with pytest.raises(ld_releases.ResponseValidationError):
            lenient.client.releases.create(P, F, release_pipeline_key=DEFAULT_PIPELINE)
        assert len(lenient.violations()) == 1


def test_the_async_client_drives_the_same_fake(fake: RunningFake) -> None:
    async def scenario() -> Release:
        async with fake.async_client() as client:
            await client.releases.create(P, F, release_pipeline_key=DEFAULT_PIPELINE)
            return await client.releases.advance(P, F)

    assert statuses(asyncio.run(scenario()))[0] == STARTED


def test_consistency_problems_names_what_is_wrong() -> None:
    phase = {"_name": "Testing", "started": True, "complete": True, "status": "Started", "_startedDate": 1}
    later = {"_name": "Production", "started": True, "complete": False, "status": "Started", "_startedDate": 2}
    problems = consistency_problems({"phases": [{**phase, "complete": False}, later]})
    assert problems == ["Production: started before the phases ahead of it completed"]
    assert consistency_problems({"phases": [phase]}) == ["Testing: complete=True, status=Started, completion fields"]


def test_it_runs_as_a_process() -> None:
    helped = subprocess.run(
        [sys.executable, "-m", "ld_releases.testing", "--help"], capture_output=True, text=True, check=True
    )
    assert "--port" in helped.stdout and "LISTENING <url>" in helped.stdout

    process = subprocess.Popen(
        [sys.executable, "-m", "ld_releases.testing", "--port", "0", "--token", "t0ken"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split()[1]
        with ld_releases.Client(api_key="t0ken", base_url=url) as client:
            assert client.releases.create(P, F, release_pipeline_key=DEFAULT_PIPELINE).version == 1
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_the_package_readme_downstream_test_passes(tmp_path: Path) -> None:
    readme = (ROOT / "generated" / "ld-releases" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Testing your release automation offline", 1)[1]
    example = next(block for block in re.findall(r"```python\n(.*?)```", section, re.S) if "def test_" in block)
    (tmp_path / "test_downstream.py").write_text(example, encoding="utf-8")

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path / "test_downstream.py")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
