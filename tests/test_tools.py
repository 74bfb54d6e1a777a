"""A tool the pipeline runs that hangs ends the run with a message naming it, and leaves no process."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from generator.diagnostics import GeneratorFailure
from generator.tools import run_tool


def test_a_tool_past_its_deadline_is_stopped_and_named(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(GeneratorFailure) as caught:
        run_tool([sys.executable, "-c", "import time; time.sleep(60)"], tmp_path, "the sleeper", deadline=0.5)
    assert time.monotonic() - started < 30
    assert "the sleeper did not finish within 0.5 s" in str(caught.value)


def test_a_tool_within_its_deadline_gives_its_output(tmp_path: Path) -> None:
    done = run_tool([sys.executable, "-c", "print('hello')"], tmp_path, "the greeter")
    assert (done.returncode, done.stdout) == (0, "hello\n")
