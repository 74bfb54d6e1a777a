"""The harness leaves nothing running: Prism, whose `prism` command is a wrapper that starts `node`,
ends whole with its fixture."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.contract.conftest import SPEC
from tests.contract.harness import prism_proxy
from tests.processes import members


def test_prism_and_the_node_it_started_end_with_the_proxy(service_url: str, tmp_path: Path) -> None:
    with prism_proxy(SPEC, service_url, tmp_path / "prism.log") as (url, process):
        running = members(process.pid)
        assert httpx.get(f"{url}/api/v2/flags/p/f/release", timeout=30).status_code == 401  # it proxies

    assert len(running) >= 2, running  # the wrapper and node: ending the wrapper alone is not enough
    assert members(process.pid) == []
