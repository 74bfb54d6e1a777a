"""Hypothesis in CI: the same examples on every run (derandomized), no example database, no
deadline, and no shrinking (a failing example is reported as found: shrinking a whole generation
takes minutes). Each property test sets its own `max_examples`, so the budget is fixed.
HYPOTHESIS_PROFILE=explore searches afresh and shrinks what it finds. And no server process a test
started may outlive the run, even one ended by SIGTERM (a CI timeout, `kill`)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys

import pytest
from hypothesis import HealthCheck, Phase, settings

from tests.processes import leftovers

settings.register_profile(
    "ci",
    database=None,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", database=None, derandomize=False, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config: pytest.Config) -> None:
    """SIGTERM ends the run as Ctrl-C does: pytest then tears every fixture down, servers included
    (by default SIGTERM ends Python at once, and the servers the fixtures started live on)."""
    signal.signal(signal.SIGTERM, _interrupted)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The run fails if a server process a test started outlived it (see `tests/processes.py`)."""
    left = leftovers()
    for group in left:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
    if left:
        sys.stderr.write(f"\nprocesses the tests started are still running (group: pids): {left}\n")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
