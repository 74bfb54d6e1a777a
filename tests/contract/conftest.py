"""The fake service as a real process on loopback, and a generated client pointed at it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import ld_releases
import pytest

from tests.contract.harness import FLAVOURS, TOKEN, Api, Fake, prism_proxy
from tests.processes import server_process

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "openapi.yaml"


@pytest.fixture(scope="session")
def service_url() -> Iterator[str]:
    command = [sys.executable, "-m", "ld_releases.testing", "--spec", str(SPEC), "--port", "0", "--token", TOKEN]
    with server_process(command, cwd=ROOT, stdout=subprocess.PIPE) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("LISTENING "):
            pytest.fail(f"the fake service did not start: {line!r}")
        yield line.split()[1]


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
    violations = Fake(control).violations()
    assert violations == [], "the fake recorded contract violations:\n" + "\n".join(map(str, violations))


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
    assert flavour.prism_violations == [], "Prism found contract violations:\n" + "\n".join(flavour.prism_violations)


@pytest.fixture
def fake(service: httpx.Client) -> Fake:
    """The fake's control routes (queued faults, the requests that arrived)."""
    return Fake(service)


@pytest.fixture(scope="session")
def prism_url(service_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Stoplight Prism as a validating proxy in front of the fake: with `--errors`, a request or a
    response that breaks the description is answered with Prism's own error instead."""
    with prism_proxy(SPEC, service_url, tmp_path_factory.mktemp("prism") / "prism.log") as (url, _):
        yield url
