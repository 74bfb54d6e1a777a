"""The staging folder of a run, beside its first output (`.NAME.<token>.ld-staging`): everything is
prepared there (or beside the other outputs, under the same token) before anything is swapped in.

It is provably ours and provably alive or dead: it holds `owner.json` with our marker, and the run
keeps an exclusive lock on that file for as long as it lives; the kernel drops the lock when the
process ends, however it ends (even SIGKILL). A folder is made and marked, and removed, while the
run holds the lock beside the outputs (`exclusive`), under which clean-ups run too: so a folder of
ours that is unmarked, or has lost its marker, belongs to a run that died making or removing it. A
later run removes only such folders and marked ones whose lock it can take: never one that a live
run is using, nor anything it cannot prove is ours."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from generator.diagnostics import Diagnostic, GeneratorFailure

MARKER = "ld-releases generate: staging folder of a run (removed by a later run once this one is dead)"
SUFFIX = ".ld-staging"
OWNER = "owner.json"
LOCK_WAIT_SECONDS = 60.0  # a commit takes milliseconds; a concurrent run holds the lock no longer


class Staging:
    """A run's private folder beside `anchor`, marked and locked until `close`."""

    def __init__(self, anchor: Path) -> None:
        self.anchor = anchor
        anchor.parent.mkdir(parents=True, exist_ok=True)
        with exclusive(anchor):
            self.token = secrets.token_hex(6)
            self.path = folder_for(anchor, self.token)
            os.mkdir(self.path, 0o700)
            try:
                self._owner = os.open(self.path / OWNER, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            except BaseException:
                os.rmdir(self.path)
                raise
            try:
                fcntl.flock(self._owner, fcntl.LOCK_EX)
                with open(self._owner, "w", encoding="utf-8", closefd=False) as owner:
                    owner.write(json.dumps({"marker": MARKER, "pid": os.getpid()}))
            except BaseException:
                self._remove()
                raise

    def close(self) -> None:
        with exclusive(self.anchor):
            self._remove()

    def _remove(self) -> None:
        """Everything but the marker first, so a run killed meanwhile leaves a folder still marked."""
        try:
            remove_folder(self.path)
        finally:
            os.close(self._owner)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        try:
            self.close()
        except OSError:
            if kind is None:
                raise  # else the run's own error is the one to report; a later run removes the folder


def folder_for(anchor: Path, token: str) -> Path:
    return anchor.with_name(f".{anchor.name}.{token}{SUFFIX}")


def token_of(anchor: Path, folder: Path) -> str | None:
    """The token of `folder` if it is named as a staging folder of `anchor`, else None."""
    found = re.fullmatch(re.escape(f".{anchor.name}.") + "([0-9a-f]{12})" + re.escape(SUFFIX), folder.name)
    return found.group(1) if found else None


def remove(path: Path) -> None:
    """Remove `path` (a file, a link, never followed, or a folder of ours), if it is there."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def remove_folder(folder: Path) -> None:
    """Remove a staging folder, its marker last."""
    with os.scandir(folder) as found:
        names = sorted(item.name for item in found if item.name != OWNER)
    for name in names:
        remove(folder / name)
    remove(folder / OWNER)
    os.rmdir(folder)


def _dead_marked(folder: Path) -> int | None:
    """The descriptor of `folder`'s marker, locked by us, when its run is dead; None when it is alive
    or the folder is not marked."""
    try:
        fd = os.open(folder / OWNER, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        owner = json.loads(os.read(fd, 4096) or b"null")
        if isinstance(owner, dict) and owner.get("marker") == MARKER:
            return fd
    except (OSError, ValueError):
        pass  # locked: its run is alive
    os.close(fd)
    return None


def _unmarked_remains(folder: Path) -> bool:
    """Whether `folder` holds nothing, or only an empty marker: what a run killed while making or
    removing its folder leaves (both happen under the lock the caller holds)."""
    with os.scandir(folder) as found:
        items = list(found)
    if not items:
        return True
    marker = items[0]
    return (
        len(items) == 1 and marker.name == OWNER and marker.is_file(follow_symlinks=False) and not marker.stat().st_size
    )


def dead(anchor: Path) -> Iterator[Path]:
    """The staging folders beside `anchor` whose runs are dead, each locked by us while yielded;
    the caller holds `exclusive(anchor)`."""
    try:
        with os.scandir(anchor.parent) as found:
            names = sorted(
                item.name
                for item in found
                if token_of(anchor, Path(item.name)) is not None and item.is_dir(follow_symlinks=False)
            )
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in names:
        folder = anchor.parent / name
        fd = _dead_marked(folder)
        if fd is None:
            if _unmarked_remains(folder):
                yield folder
            continue
        try:
            yield folder
        finally:
            os.close(fd)


@contextlib.contextmanager
def exclusive(anchor: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the lock (on the folder of `anchor`) under which staging folders are made, committed
    and removed, waiting at most `wait` seconds for a concurrent run."""
    fd = os.open(anchor.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    message = f"another run has held the lock beside {anchor.name} for over {wait:.0f} s"
                    hint = "wait for the other `generate` to finish, then run again"
                    raise GeneratorFailure([Diagnostic(message, hint, file=str(anchor.parent))]) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def naming(folder: Path) -> Iterator[None]:
    """Name `folder` (where the outputs go) in an error that names no path: a full disk fails a
    write, which names no file, rather than the open that named it."""
    try:
        yield
    except OSError as err:
        if err.filename is None:
            raise OSError(err.errno, err.strerror, str(folder)) from None
        raise
