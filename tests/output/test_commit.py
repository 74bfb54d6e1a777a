"""Committing the outputs of a run together: killed at every point of the commit (a real process,
SIGKILLed just before each of its changes to the filesystem), the package path holds the old or the
new package, and the next run settles all outputs to old or new together, leaving nothing beside."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.output import commit
from generator.output.commit import clean_dead
from tests.output.commit_run import NEW, commit_new

ROOT = Path(__file__).resolve().parents[2]
OLD = {"a.txt": "old a\n", "sub/b.txt": "old b\n"}
OUTPUTS = ["n.yaml", "pkg", "r.json"]


def make_old(root: Path) -> None:
    for name, text in OLD.items():
        (root / "pkg" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "pkg" / name).write_text(text)
    (root / "n.yaml").write_text("old n\n")
    (root / "r.json").write_text("old r\n")


def versions(root: Path) -> tuple[str, str, str]:
    """Which version each output holds: "old", "new", "missing", or "mixed" (never acceptable)."""
    package = root / "pkg"
    if package.exists():
        files = {str(p.relative_to(package)): p.read_text() for p in package.rglob("*") if p.is_file()}
        found = {"old": OLD, "new": NEW}
        held = next((name for name, expected in found.items() if files == expected), "mixed")
    else:
        held = "missing"
    texts = {"old n\n": "old", "new n\n": "new", "old r\n": "old", "new r\n": "new"}
    n, r = (texts.get((root / f).read_text(), "mixed") if (root / f).exists() else "missing" for f in OUTPUTS[::2])
    return held, n, r


def run(root: Path, kill_at: int, steps: bool) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "tests.output.commit_run", str(root), str(kill_at), *(["steps"] if steps else [])]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("steps", [False, True], ids=["renameat2", "renames-in-steps"])
def test_a_commit_killed_at_any_point_is_settled_old_or_new_together(tmp_path: Path, steps: bool) -> None:
    whole = tmp_path / "whole"
    make_old(whole)
    done = run(whole, 0, steps)
    assert done.returncode == 0, done.stderr
    assert versions(whole) == ("new", "new", "new")
    assert sorted(os.listdir(whole)) == OUTPUTS
    # where the kernel swaps in one step, the package path is never empty; in steps, the journal covers it
    possible = {"old", "new", "missing"} if steps else {"old", "new"}

    settled_as = set()
    for kill_at in range(1, int(done.stdout) + 1):
        root = tmp_path / str(kill_at)
        make_old(root)
        killed = run(root, kill_at, steps)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        held = versions(root)
        assert held[0] in possible and {held[1], held[2]} <= possible, (kill_at, held)

        clean_dead(root / "pkg")  # what the next run does first

        settled = versions(root)
        assert settled in {("old", "old", "old"), ("new", "new", "new")}, (kill_at, held, settled)
        assert sorted(os.listdir(root)) == OUTPUTS, kill_at
        settled_as.add(settled[0])
    assert settled_as == {"old", "new"}  # the kills spanned the commit


def test_a_failed_swap_puts_back_the_outputs_already_swapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_old(tmp_path)
    real = commit.exchange

    def failing_for_the_package(one: Path, other: Path, parking: Path) -> None:
        if other.name == "pkg":
            raise OSError(errno.EIO, "Input/output error", str(other))
        real(one, other, parking)

    monkeypatch.setattr(commit, "exchange", failing_for_the_package)

    with pytest.raises(OSError, match="Input/output error"):
        commit_new(tmp_path)

    assert versions(tmp_path) == ("old", "old", "old")
    assert sorted(os.listdir(tmp_path)) == OUTPUTS


def test_ctrl_c_during_the_commit_waits_until_every_output_is_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_old(tmp_path)
    real = commit.exchange

    def interrupted_midway(one: Path, other: Path, parking: Path) -> None:
        if other.name == "n.yaml":
            os.kill(os.getpid(), signal.SIGINT)
        real(one, other, parking)

    monkeypatch.setattr(commit, "exchange", interrupted_midway)

    with pytest.raises(KeyboardInterrupt):
        commit_new(tmp_path)

    assert versions(tmp_path) == ("new", "new", "new")
    assert sorted(os.listdir(tmp_path)) == OUTPUTS
