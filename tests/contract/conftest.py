"""The fake service as a real process on loopback, and a generated client pointed at it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import ld_releases
import pytest

from tests.contract.fake_service import TOKEN
from tests.contract.harness import FLAVOURS, Api, Fake

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def service_url() -> Iterator[str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.contract.fake_service",
            "--spec",
            str(ROOT / "spec" / "openapi.yaml"),
            "--port",
            "0",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("LISTENING "):
        process.kill()
        pytest.fail(f"the fake service did not start: {line!r}")
    try:
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def control(service_url: str) -> Iterator[httpx.Client]:
    """One connection pool to the fake's control routes for the whole run."""
    with httpx.Client(base_url=service_url) as control:
        yield control


@pytest.fixture
def service(control: httpx.Client) -> Iterator[httpx.Client]:
    """Control access to the fake; after each test, any contract violation it recorded fails the test."""
    control.post("/_fake/reset").raise_for_status()
    yield control
    violations = control.get("/_fake/violations").json()
    assert violations == [], "the fake recorded contract violations:\n" + "\n".join(violations)


@pytest.fixture
def client(service: httpx.Client, service_url: str) -> Iterator[ld_releases.Client]:
    with ld_releases.Client(api_key=TOKEN, base_url=service_url) as client:
        yield client


@pytest.fixture(params=FLAVOURS)
def api(request: pytest.FixtureRequest, service: httpx.Client, service_url: str) -> Iterator[Api]:
    """Both clients behind one synchronous call surface: each test using it runs for `sync` and `async`."""
    flavour = Api(request.param, service_url)
    try:
        yield flavour
    finally:
        flavour.close()


@pytest.fixture
def fake(service: httpx.Client) -> Fake:
    """The fake's control routes (queued faults, the requests that arrived)."""
    return Fake(service)
