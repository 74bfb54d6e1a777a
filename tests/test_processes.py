"""A test run ended by SIGTERM (a CI job's timeout, `kill`) still ends the servers its fixtures
started: `tests/conftest.py` turns the signal into the interrupt pytest tears fixtures down after."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.processes import end_group, members

ROOT = Path(__file__).resolve().parents[1]

INNER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path

    import pytest

    from tests.processes import server_process


    @pytest.fixture(scope="session")
    def server():
        command = [sys.executable, "-c", "import time; time.sleep(120)"]
        with server_process(command) as process:
            yield process


    def test_waits(server):
        Path({started!r}).write_text(str(server.pid))
        time.sleep(120)
    """
)


def test_sigterm_ends_the_run_and_the_servers_its_fixtures_started(tmp_path: Path) -> None:
    started = tmp_path / "started"
    inner = tmp_path / "test_inner.py"
    inner.write_text(INNER.format(started=str(started)), encoding="utf-8")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "tests.conftest", "--rootdir", str(tmp_path), str(inner)]
    run = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    group = None
    try:
        deadline = time.monotonic() + 60
        while not started.exists() and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert started.exists(), run.communicate(timeout=10)[0]
        group = int(started.read_text())
        assert members(group)
        os.kill(run.pid, signal.SIGTERM)
        output = run.communicate(timeout=30)[0].decode()
        assert run.returncode != 0, output
        assert members(group) == [], output
    finally:
        end_group(run)  # type: ignore[arg-type]
        if group is not None:  # the server too, should the test fail
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
