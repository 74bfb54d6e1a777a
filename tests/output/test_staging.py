"""What a run leaves beside its outputs: a later run removes the staging folders of dead runs (real
processes, killed), never one a live run is using, nor anything it cannot prove is its own."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.diagnostics import GeneratorFailure
from generator.output.commit import JOURNAL, clean_dead
from generator.output.staging import MARKER, OWNER, exclusive, folder_for

ROOT = Path(__file__).resolve().parents[2]
HOLD = (
    "import sys\nfrom pathlib import Path\nfrom generator.output.staging import Staging\n"
    "work = Staging(Path(sys.argv[1]))\nprint(work.path, flush=True)\nsys.stdin.read()\nwork.close()\n"
)


def start_run(anchor: Path) -> tuple[subprocess.Popen[str], Path]:
    """A process that makes its staging folder beside `anchor` and holds it until its stdin closes."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(anchor)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    return process, Path(process.stdout.readline().strip())


def test_a_dead_runs_folder_is_removed_and_a_live_runs_is_kept(tmp_path: Path) -> None:
    anchor = tmp_path / "pkg"
    dead, dead_folder = start_run(anchor)
    dead.kill()
    dead.wait(timeout=30)
    live, live_folder = start_run(anchor)
    try:
        assert clean_dead(anchor) == [dead_folder]

        assert not dead_folder.exists()
        assert (live_folder / OWNER).is_file()
        assert clean_dead(anchor) == []
    finally:
        live.communicate("", timeout=30)
    assert live.returncode == 0
    assert os.listdir(tmp_path) == []  # the live run removed its own


def _marked(folder: Path) -> None:
    folder.mkdir()
    (folder / OWNER).write_text(json.dumps({"marker": MARKER, "pid": 1}))


def test_only_what_is_provably_ours_is_removed(tmp_path: Path) -> None:
    anchor = tmp_path / "pkg"
    token = "0123456789ab"
    unmarked = folder_for(anchor, token)  # named like ours, holding something else
    unmarked.mkdir()
    (unmarked / "notes.txt").write_text("mine\n")
    other_name = tmp_path / f".pkg.{token}.staging"
    _marked(other_name)
    linked = folder_for(anchor, "ba9876543210")
    linked.symlink_to(unmarked)
    empty = folder_for(anchor, "aaaaaaaaaaaa")  # a run killed while making its folder left it empty
    empty.mkdir()
    before = sorted(os.listdir(tmp_path))

    assert clean_dead(anchor) == [empty]

    assert sorted(os.listdir(tmp_path)) == sorted(set(before) - {empty.name})
    assert (unmarked / "notes.txt").read_text() == "mine\n"


def test_a_journal_naming_files_the_run_could_not_own_touches_nothing(tmp_path: Path) -> None:
    anchor = tmp_path / "pkg"
    victim = tmp_path / "precious.txt"
    victim.write_text("keep\n")
    folder = folder_for(anchor, "0123456789ab")
    _marked(folder)
    journal = {"committing": False, "prepared": [str(victim)], "slots": []}
    (folder / JOURNAL).write_text(json.dumps(journal))

    assert clean_dead(anchor) == []

    assert victim.read_text() == "keep\n"
    assert folder.is_dir()


def test_waiting_for_a_concurrent_run_has_a_deadline(tmp_path: Path) -> None:
    anchor = tmp_path / "pkg"
    fd = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with (
            pytest.raises(GeneratorFailure, match="another run has held the lock beside pkg") as failure,
            exclusive(anchor, wait=0.2),
        ):
            pass
    finally:
        os.close(fd)
    assert failure.value.diagnostics[0].file == str(tmp_path)


def test_a_run_killed_in_the_middle_of_its_staging_is_cleaned_up(tmp_path: Path) -> None:
    """The end of a run that SIGKILLs itself while rendering, as a real `generate` would be killed."""
    anchor = tmp_path / "pkg"
    code = (
        "import os, signal, sys\nfrom pathlib import Path\nfrom generator.output.staging import Staging\n"
        "work = Staging(Path(sys.argv[1]))\n(work.path / 'package').mkdir()\n"
        "(work.path / 'package' / 'models.py').write_text('half')\nos.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(anchor)], cwd=ROOT, timeout=60, check=False)
    assert done.returncode == -signal.SIGKILL
    [left] = os.listdir(tmp_path)

    assert clean_dead(anchor) == [tmp_path / left]
    assert os.listdir(tmp_path) == []
