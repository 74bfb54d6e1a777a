"""Two readings of the description besides openapi-core's: Stoplight Prism as a validating proxy, and
Schemathesis generating requests (stateful sequences along the OpenAPI links included) against the
fake. A wrong answer must fail the run by the word of both openapi-core and Prism."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.contract.conftest import ROOT, SPEC
from tests.contract.harness import FLAG, PROJECT, TOKEN, Fake
from tests.processes import server_process

HERE = Path(__file__).parent


def test_a_phase_without_id_fails_the_run_by_openapi_core_and_by_prism() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "pytest", str(HERE / "deliberately_wrong.py"), "-p", "no:cacheprovider", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert run.returncode == 1, run.stdout + run.stderr
    assert "2 failed, 2 errors" in run.stdout  # sync and async: the call fails, then both teardowns
    assert "the fake recorded contract violations" in run.stdout
    assert "/phases/0: '_id' is a required property" in run.stdout  # openapi-core, in the fake
    assert "Prism found contract violations" in run.stdout
    assert "Response body property phases.0 must have required property '_id'" in run.stdout  # Prism


def test_prism_refuses_a_request_the_description_forbids_before_the_fake_sees_it(prism_url: str, fake: Fake) -> None:
    answer = httpx.put(
        f"{prism_url}/api/v2/projects/{PROJECT}/flags/{FLAG}/release",
        json={"releaseVariationId": "no pipeline key"},
        headers={"Authorization": TOKEN, "LD-API-Version": "beta"},
    )

    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert "releasePipelineKey" in answer.text
    assert fake.requests() == []


@pytest.fixture
def fresh_service_url() -> Iterator[str]:
    """A fake of its own: Schemathesis leaves releases (and expected request violations) behind."""
    command = [sys.executable, "-m", "ld_releases.testing", "--spec", str(SPEC), "--token", TOKEN]
    with server_process(command, stdout=subprocess.PIPE) as process:
        assert process.stdout is not None
        yield process.stdout.readline().split()[1]


def test_schemathesis_with_every_check_and_the_stateful_links_finds_nothing(fresh_service_url: str) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "--config-file",
            str(HERE / "schemathesis.toml"),
            "run",
            str(SPEC),
            "--url",
            fresh_service_url,
            "--no-color",
        ],
        cwd=ROOT,
        env={**os.environ, "LD_FAKE_TOKEN": TOKEN},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = run.stdout + run.stderr

    assert run.returncode == 0, output
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        assert re.search(rf"✅\s+{phase}", output), f"phase {phase} did not pass:\n{output}"
    links = re.search(r"API Links:\s+(\d+) covered / (\d+) selected", output)
    assert links is not None and int(links.group(1)) >= 10, output  # the chains really ran
    with httpx.Client(base_url=fresh_service_url) as control:
        violations = Fake(control).violations()
    assert [v for v in violations if v["kind"] == "response"] == []
    assert any(v["kind"] == "request" for v in violations)  # negative cases reached the validator
