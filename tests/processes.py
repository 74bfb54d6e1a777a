"""Server processes the tests start. Each runs in a session (process group) of its own, so that ending
it ends everything it started (`prism` is a Python wrapper that starts `node`; ending the wrapper
alone left node running), and each group is recorded, so the run can show that none is left."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

STARTED_GROUPS: list[int] = []
GRACE = 10.0
"""Seconds a group has to end after SIGTERM before it is sent SIGKILL."""


@contextlib.contextmanager
def server_process(command: Sequence[str], **options: Any) -> Iterator[subprocess.Popen[str]]:
    """`command` running in a process group of its own, which is ended whole on leaving."""
    process: subprocess.Popen[str] = subprocess.Popen(list(command), start_new_session=True, text=True, **options)
    STARTED_GROUPS.append(process.pid)
    try:
        yield process
    finally:
        end_group(process)


def end_group(process: subprocess.Popen[str]) -> None:
    """SIGTERM to every process of `process`'s group; SIGKILL to those left after `GRACE` seconds."""
    for sent in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sent)
        deadline = time.monotonic() + GRACE
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=GRACE)
        while members(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if process.poll() is not None and not members(process.pid):
            return
    process.wait(timeout=GRACE)


def members(group: int) -> list[int]:
    """The live processes of process group `group` (zombies excluded: they are only waiting to be reaped)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it ended while we looked
            continue
        state, _parent, process_group = stat[stat.rindex(")") + 2 :].split()[:3]
        if int(process_group) == group and state != "Z":
            found.append(int(entry.name))
    return sorted(found)


def leftovers() -> dict[int, list[int]]:
    """Groups started by the tests that still have live processes, with their pids."""
    return {group: alive for group in STARTED_GROUPS if (alive := members(group))}
