"""Reading the output folder without following anything planted in it: no symbolic link is followed
(not even on the way to a file), nothing but a regular file is opened, and nothing larger than any
generated file could be is read. What the generator never writes is refused, naming the path."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, GeneratorFailure

MAX_FILE_BYTES = 100 * 2**20  # generated files stay below a few MB, even for thousands of schemas
_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


@dataclass(frozen=True)
class Entry:
    """One thing below a folder: its path relative to it (with `/`), and what it is."""

    path: str
    kind: str  # "file", "folder", "link" or "special" (a pipe, socket or device)


def kind_of(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else "special"


DESCRIBED = {"link": "a symbolic link", "special": "a special file (a pipe, socket or device)"}


def refused(path: Path | str, kind: str) -> GeneratorFailure:
    """The failure for a link or special file found where the generator reads its own output."""
    return GeneratorFailure(
        [
            Diagnostic(
                f"{DESCRIBED[kind]}, which the generator never writes: it is neither followed nor read",
                "remove it (the generator writes plain files only), or generate into a new folder",
                file=str(path),
            )
        ]
    )


def entries(root: Path, descend: Callable[[Entry], bool] = lambda folder: True) -> list[Entry]:
    """Everything below the folder `root`, sorted as paths, never descending into a link (nor into a
    folder `descend` declines); [] when absent. A link or special file as `root` is refused."""
    if not _is_folder(None, root, root):
        return []
    fd = os.open(root, _DIRECTORY)
    try:
        return sorted(_walk(fd, "", descend), key=lambda entry: entry.path.split("/"))  # as paths sort: by part
    finally:
        os.close(fd)


def _walk(fd: int, prefix: str, descend: Callable[[Entry], bool]) -> Iterator[Entry]:
    with os.scandir(fd) as found:
        children = [Entry(prefix + item.name, kind_of(item.stat(follow_symlinks=False).st_mode)) for item in found]
    for entry in children:
        yield entry
        if entry.kind == "folder" and descend(entry):
            child = os.open(entry.path.rsplit("/", 1)[-1], _DIRECTORY, dir_fd=fd)
            try:
                yield from _walk(child, entry.path + "/", descend)
            finally:
                os.close(child)


def read_inside(root: Path, relative: str) -> bytes | None:
    """The bytes of `root/relative`, or None when it (or a folder on the way) does not exist.
    A link or special file anywhere on the way, `root` included, is refused."""
    if not _is_folder(None, root, root):
        return None
    fd = os.open(root, _DIRECTORY)
    try:
        *folders, name = relative.split("/")
        for index, folder in enumerate(folders):
            if not _is_folder(fd, folder, root.joinpath(*folders[: index + 1])):
                return None
            child = os.open(folder, _DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
        return _read_regular(fd, name, root / relative)
    finally:
        os.close(fd)


def read_file(path: Path) -> bytes | None:
    """The bytes of the output file `path` (refused if it is a link), or None when absent."""
    try:
        fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        return _read_regular(fd, path.name, path)
    finally:
        os.close(fd)


def _kind(dir_fd: int | None, name: str | Path) -> str | None:
    try:
        return kind_of(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        return None


def _is_folder(dir_fd: int | None, name: str | Path, shown: Path) -> bool:
    """Whether `name` is a folder; False when absent or a file; a link or special file is refused."""
    kind = _kind(dir_fd, name)
    if kind in DESCRIBED:
        raise refused(shown, str(kind))
    return kind == "folder"


def _read_regular(dir_fd: int, name: str, shown: Path) -> bytes | None:
    kind = _kind(dir_fd, name)
    if kind is None or kind == "folder":
        return None
    if kind != "file":
        raise refused(shown, kind)
    fd = os.open(name, _FILE, dir_fd=dir_fd)  # O_NOFOLLOW and O_NONBLOCK: swapped for a link or a pipe since
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise refused(shown, "special")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        message = f"larger than {MAX_FILE_BYTES // 2**20} MiB: larger than any file the generator writes"
        raise GeneratorFailure([Diagnostic(message, "remove it, or generate into a new folder", file=str(shown))])
    return data
