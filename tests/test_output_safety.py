"""`python -m generator generate` pointed where a hostile user points it: it replaces only a package
it wrote, never reads through a link planted in one, reports a full disk or a read-only folder as
the input problem it is, commits every output together, cleans what killed runs left, and answers
Ctrl-C with one line. Runs are real processes, killed and interrupted with real signals."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli import INTERRUPTED, main
from generator.output import commit
from generator.output.commit import clean_dead
from generator.output.staging import SUFFIX

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "tests" / "data" / "pet-store.yaml"
SECRET = "TOP SECRET: the production token"


def generator(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", *map(str, args)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def outputs(folder: Path) -> tuple[str, ...]:
    return ("--output", str(folder / "pkg"), "--normalized", str(folder / "n.yaml"), "--report", str(folder / "r.json"))


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every file below `folder` with its bytes (a link by its target, never followed)."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(folder))] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[str(path.relative_to(folder))] = path.read_bytes()
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a package generated from the pet store, with its normalised document and report."""
    folder = tmp_path_factory.mktemp("generated")
    done = generator("generate", SPEC, *outputs(folder))
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def previous(generated: Path, tmp_path: Path) -> Path:
    shutil.copytree(generated, tmp_path / "work", symlinks=True)
    return tmp_path / "work"


def test_a_folder_it_did_not_write_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (project / "notes.md").write_text("my notes\n")
    shutil.copy(SPEC, project / "pet-store.yaml")
    before = snapshot(tmp_path)

    done = generator("generate", project / "pet-store.yaml", "--output", project)

    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{project}: error: is not a package this generator wrote (no PROVENANCE.json stamp), and `generate` "
        "replaces the whole folder: it holds .git, notes.md, pet-store.yaml",
        "  hint: pass a new or empty folder for --output, or the folder a previous `generate` wrote",
    ]
    assert snapshot(tmp_path) == before


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    target.write_text("mine\n")

    done = generator("generate", SPEC, "--output", target)

    assert done.returncode == 1
    assert done.stderr.startswith(f"{target}: error: --output is a file, not a folder\n")
    assert snapshot(tmp_path) == {"pkg": b"mine\n"}


def test_its_own_package_with_a_file_added_is_refused_naming_it(previous: Path) -> None:
    (previous / "pkg" / "pet_store" / "local.py").write_text("mine\n")
    before = snapshot(previous)

    done = generator("generate", SPEC, *outputs(previous), "--package-version", "0.2.0")

    assert done.returncode == 1
    assert "holds files the generator did not write: pet_store/local.py" in done.stderr
    assert snapshot(previous) == before


def plant_link(package: Path, name: str) -> None:
    """Replace the package's file `name` by a link to a secret."""
    secret = package.parent.parent / "secret.txt"
    secret.write_text(SECRET)
    (package / name).unlink()
    (package / name).symlink_to(secret)


def test_a_link_planted_in_the_package_is_refused_and_never_read(previous: Path) -> None:
    plant_link(previous / "pkg", "CHANGELOG.md")
    before = snapshot(previous)

    done = generator("generate", SPEC, *outputs(previous), "--package-version", "0.2.0")

    assert done.returncode == 1
    assert "holds what the generator never writes: CHANGELOG.md (a symbolic link)" in done.stderr
    assert SECRET not in done.stderr + done.stdout
    assert snapshot(previous) == before


def test_check_reports_a_link_without_reading_what_it_points_to(previous: Path) -> None:
    plant_link(previous / "pkg", "README.md")

    done = generator("check", SPEC, *outputs(previous))

    assert done.returncode == 1
    assert f"{previous / 'pkg'}/README.md: a symbolic link, not followed (the spec produces a file here)" in done.stderr
    assert SECRET not in done.stderr + done.stdout


@pytest.mark.parametrize("where", ["--output", "--normalized"])
def test_a_parent_that_is_a_file_is_an_input_problem_and_nothing_is_written(previous: Path, where: str) -> None:
    blocker = previous / "blocker"
    blocker.write_text("mine\n")
    paths = dict(zip(outputs(previous)[::2], outputs(previous)[1::2], strict=True))
    paths[where] = str(blocker / "inside")
    before = snapshot(previous)

    done = generator("generate", SPEC, *[part for pair in paths.items() for part in pair], "--package-version", "0.2.0")

    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{blocker / 'inside'}: error: cannot write or read it: Not a directory",
        "  hint: a part of the path is a file, not a folder: pass another path",
    ]
    assert snapshot(previous) == before


def test_a_file_output_inside_the_package_folder_is_refused(previous: Path) -> None:
    done = generator("generate", SPEC, "--output", previous / "pkg", "--normalized", previous / "pkg" / "n.yaml")

    assert done.returncode == 1
    assert done.stderr.startswith(f"{previous / 'pkg' / 'n.yaml'}: error: --normalized lies inside --output\n")


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (("--output", "/"), "/: error: --output is the root folder"),
        (
            ("--output", "{tmp}/pkg", "--normalized", "{tmp}/x", "--report", "{tmp}/x"),
            "{tmp}/x: error: --normalized and",
        ),
    ],
    ids=["root", "one-file"],
)
def test_outputs_that_cannot_be_written_apart_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], expected: str
) -> None:
    code = main(["generate", str(SPEC), *(arg.format(tmp=tmp_path) for arg in extra)])

    assert code == 1
    assert capsys.readouterr().err.startswith(expected.format(tmp=tmp_path))
    assert os.listdir(tmp_path) == []


def test_a_full_disk_at_the_commit_is_an_input_problem_and_every_output_stays_old(
    previous: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(previous)

    def full(root: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as a write fails: no path in it

    monkeypatch.setattr(commit, "_sync_tree", full)

    code = main(["generate", str(SPEC), *outputs(previous), "--package-version", "0.2.0"])

    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{previous}: error: cannot write or read it: No space left on device",
        "  hint: the disk is full: free some space, then run again",
    ]
    assert snapshot(previous) == before


def _namespaces_work(tmp_path: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = ["unshare", "--user", "--map-root-user", "--mount", "mount", "-t", "tmpfs", "tmpfs", str(tmp_path)]
    return subprocess.run(probe, capture_output=True, timeout=30, check=False).returncode == 0


@pytest.mark.parametrize("disk", ["full", "read-only"])
def test_a_full_or_read_only_filesystem_is_an_input_problem(previous: Path, tmp_path: Path, disk: str) -> None:
    """On a real filesystem of its own: a small tmpfs in a user and mount namespace (where allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not _namespaces_work(mount):
        pytest.skip("no user and mount namespaces here to mount a tmpfs in")
    seen = tmp_path / "seen"
    fill = (
        f'cat /dev/zero > "{mount}/filler" 2>/dev/null || true' if disk == "full" else f'mount -o remount,ro "{mount}"'
    )
    script = (
        f'mount -t tmpfs -o size=2m tmpfs "{mount}" && cp -a "{previous}/." "{mount}/" && {fill} && '
        f'{sys.executable} -m generator generate "{SPEC}" {" ".join(outputs(mount))} --package-version 0.2.0; '
        f'echo $? > "{tmp_path}/code"; rm -f "{mount}/filler"; cp -a "{mount}/." "{seen}/"'
    )
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert (tmp_path / "code").read_text().strip() == "1", done.stderr
    [message, hint] = done.stderr.splitlines()
    reason = "No space left on device" if disk == "full" else "Read-only file system"
    assert message.startswith(str(mount)) and message.endswith(f": error: cannot write or read it: {reason}")
    assert hint.startswith("  hint: the disk is full" if disk == "full" else "  hint: the filesystem is read-only")
    assert snapshot(seen) == snapshot(previous)  # and no staging left


@contextlib.contextmanager
def started(args: tuple[str, ...], folder: Path) -> Iterator[subprocess.Popen[str]]:
    """A `generate` in its own process group, once its staging folder exists (it is rendering)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "generate", str(SPEC), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not any(name.endswith(SUFFIX) for name in os.listdir(folder)):
            assert process.poll() is None and time.monotonic() < deadline, "the run never staged anything"
            time.sleep(0.01)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_a_killed_run_leaves_the_outputs_as_they_were_and_the_next_run_removes_its_staging(previous: Path) -> None:
    before, names = snapshot(previous), sorted(os.listdir(previous))
    with started((*outputs(previous), "--package-version", "0.2.0"), previous) as run:
        assert clean_dead(previous / "pkg") == []  # a live run's folder is kept
        os.killpg(run.pid, signal.SIGKILL)  # it and whatever it runs
        run.wait(timeout=60)
    assert len(os.listdir(previous)) == len(names) + 1

    done = generator("generate", SPEC, *outputs(previous))  # up to date: it only cleans

    assert done.returncode == 0, done.stderr
    assert done.stderr == f"{previous / 'pkg'}: up to date, nothing written\n"
    assert sorted(os.listdir(previous)) == names
    assert snapshot(previous) == before


def test_ctrl_c_during_a_run_prints_one_line_and_leaves_the_outputs_as_they_were(previous: Path) -> None:
    before, names = snapshot(previous), sorted(os.listdir(previous))
    with started((*outputs(previous), "--package-version", "0.2.0"), previous) as run:
        os.kill(run.pid, signal.SIGINT)
        _, err = run.communicate(timeout=60)
        assert run.returncode == 130
        assert err.splitlines() == [INTERRUPTED]
    assert sorted(os.listdir(previous)) == names
    assert snapshot(previous) == before


@pytest.mark.parametrize("module", ["generator.cli", "argparse", "generator.diagnostics", "generator.normalise"])
def test_ctrl_c_while_starting_prints_one_line(tmp_path: Path, module: str) -> None:
    """SIGINT arrives while `module` is being imported: from an audit hook in a sitecustomize."""
    (tmp_path / "sitecustomize.py").write_text(
        "import os, signal, sys\n"
        "def hook(event, args):\n"
        f"    if event == 'import' and args[0] == {module!r}:\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "sys.addaudithook(hook)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}

    done = generator("generate", SPEC, "--output", tmp_path / "pkg", env=env)

    assert done.returncode == 130
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("interrupted"), done.stderr
    assert not (tmp_path / "pkg").exists()


def test_normalize_refuses_to_write_through_a_link(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    (tmp_path / "o.yaml").symlink_to(secret)

    done = generator("normalize", SPEC, "--output", tmp_path / "o.yaml")

    assert done.returncode == 1
    assert done.stderr.startswith(f"{tmp_path / 'o.yaml'}: error: --output is a symbolic link, not a file\n")
    assert secret.read_text() == SECRET
    assert sorted(os.listdir(tmp_path)) == ["o.yaml", "secret.txt"]
