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


@pytest.fixture
def service(service_url: str) -> Iterator[httpx.Client]:
    """Control access to the fake; after each test, any contract violation it recorded fails the test."""
    with httpx.Client(base_url=service_url) as control:
        control.post("/_fake/reset").raise_for_status()
        yield control
        violations = control.get("/_fake/violations").json()
        assert violations == [], "the fake recorded contract violations:\n" + "\n".join(violations)


@pytest.fixture
def client(service: httpx.Client, service_url: str) -> Iterator[ld_releases.Client]:
    with ld_releases.Client(api_key=TOKEN, base_url=service_url) as client:
        yield client
