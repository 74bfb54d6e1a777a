"""A client generated from a description nobody at LaunchDarkly wrote (`tests/data/gallery.yaml`),
imported in this process, and the wire-checking server for it as a process of its own."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.pipeline import generate
from tests.processes import server_process

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "tests" / "data" / "gallery.yaml"


@pytest.fixture(scope="session")
def gallery_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gallery") / "gallery"
    generate(spec=GALLERY, output=out)
    return out


@pytest.fixture(scope="session")
def gallery(gallery_dir: Path) -> Iterator[ModuleType]:
    """The generated package, imported (`import gallery`)."""
    sys.path.insert(0, str(gallery_dir))
    try:
        yield importlib.import_module("gallery")
    finally:
        sys.path.remove(str(gallery_dir))
        for name in [n for n in sys.modules if n == "gallery" or n.startswith("gallery.")]:
            del sys.modules[name]


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    command = [sys.executable, "-m", "tests.clients.wire_server", "--port", "0"]
    with server_process(command, cwd=ROOT, stdout=subprocess.PIPE) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("LISTENING "):
            pytest.fail(f"the wire server did not start: {line!r}")
        yield line.split()[1]


class Wire:
    """What arrived at the wire server, and its control routes."""

    def __init__(self, control: httpx.Client) -> None:
        self.control = control

    def requests(self) -> list[dict[str, Any]]:
        answer = self.control.get("/_wire/requests")
        answer.raise_for_status()
        found: list[dict[str, Any]] = answer.json()
        for request in found:
            request["headers"] = httpx.Headers(request["headers"])
        return found

    def last(self) -> dict[str, Any]:
        (request,) = self.requests()
        return request

    def fail_next(self, status: int) -> None:
        self.control.post("/_wire/next", json={"status": status}).raise_for_status()


@pytest.fixture
def wire(server_url: str) -> Iterator[Wire]:
    """The server, reset; after the test, anything openapi-core found wrong fails it."""
    with httpx.Client(base_url=server_url, timeout=10) as control:
        control.post("/_wire/reset").raise_for_status()
        yield Wire(control)
        violations = control.get("/_wire/violations").json()
    assert violations == [], violations


@pytest.fixture
def base_url(server_url: str) -> str:
    return server_url + "/v1"
