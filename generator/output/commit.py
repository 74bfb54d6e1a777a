"""Committing every output of a run together, or none of them.

Each output is prepared first, beside its place: the package in the staging folder, each file as
`.NAME.<token>.ld-new` beside it. Then, under the lock beside the package and with Ctrl-C held
back, each is swapped with what its path held (`renameat2(RENAME_EXCHANGE)`: at every instant the
path holds the old or the new version), files first and the package last: the package's swap is
the commit point. A failure swaps back the ones done. The journal in the staging folder records
the identity (device and inode) of every old and new version, so a run that is killed midway is
settled by the next one: forward if its package was swapped in, back otherwise."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.output import ownership, staging
from generator.output.renames import exchange, move_new

JOURNAL = "journal.json"
Identity = tuple[int, int]


def identity(path: Path) -> Identity | None:
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


@dataclass
class Slot:
    """One output: its path, and where its new version waits (and its old one ends up)."""

    target: Path
    staged: Path
    new: Identity | None
    old: Identity | None = None

    @property
    def places(self) -> list[Path]:
        """Every path where a version of this output can be, however a swap was cut short."""
        return [self.target, *beside(self.staged)]


def prepared_path(target: Path, token: str) -> Path:
    """Where the new version of the output file `target` waits: beside it, so a rename swaps it in."""
    return target.with_name(f".{target.name}.{token}.ld-new")


def beside(staged: Path) -> list[Path]:
    """Where the versions of an output wait: the staged path, and the one a swap in steps parks at."""
    return [staged, staged.with_name(staged.name + ".aside")]


class Commit:
    """The outputs of one run, prepared in (or beside) `work`, committed together by `commit`."""

    def __init__(self, work: staging.Staging) -> None:
        self.work = work
        self.slots: list[Slot] = []
        self.prepared: list[Path] = []  # the files beside the outputs, removed by `close`
        self.committing = False

    def add_file(self, target: Path, text: str) -> None:
        staged = prepared_path(target, self.work.token)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.prepared.append(staged)
        self._write_journal()  # before the file exists: a killed run's files are found from here
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        self.slots.append(Slot(target, staged, identity(staged)))

    def add_folder(self, target: Path, staged: Path) -> None:
        _sync_tree(staged)
        self.slots.append(Slot(target, staged, identity(staged)))

    def commit(self) -> None:
        """Swap every output in, the last one being the commit point; on a failure, none is."""
        for slot in self.slots:
            slot.old = identity(slot.target)
        self.committing = True
        self._write_journal()
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            for done, slot in enumerate(self.slots, start=1):
                try:
                    _swap(slot)
                except BaseException:
                    for undone in reversed(self.slots[:done]):
                        settle(undone, keep_new=False)
                    raise
            for folder in sorted({slot.target.parent for slot in self.slots}):
                _sync(folder)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

    def close(self) -> None:
        """Remove what is left beside the outputs (the old versions after a commit, else the new)."""
        for path in self.prepared:
            for place in beside(path):
                staging.remove(place)

    def _write_journal(self) -> None:
        journal = {
            "committing": self.committing,
            "prepared": [str(path) for path in self.prepared],
            "slots": [_plain(slot) for slot in self.slots],
        }
        temporary = self.work.path / (JOURNAL + ".new")
        temporary.write_text(json.dumps(journal, indent=1), encoding="utf-8")
        os.replace(temporary, self.work.path / JOURNAL)


def commit_all(
    work: staging.Staging,
    files: list[tuple[Path, str]],
    package: tuple[Path, Path] | None,
    claim: Callable[[], None],
) -> None:
    """Prepare `files` (path, text) beside their places, take the `package` folder (its place, and
    where it was staged in `work`), then commit them all under the lock, once `claim` still agrees."""
    plan = Commit(work)
    try:
        for path, text in files:
            plan.add_file(path, text)
        if package is not None:
            plan.add_folder(*package)
        with staging.exclusive(work.anchor):
            claim()  # again: the run took a while, and nothing was locked meanwhile
            plan.commit()
    finally:
        plan.close()


def write_files(files: dict[str, tuple[Path, str]]) -> None:
    """Write the files of a run that makes no package (`normalize`: option -> path and text) together,
    as `generate` commits its outputs."""
    paths = {option: Path(os.path.abspath(path)) for option, (path, _) in files.items()}
    if len(set(paths.values())) < len(paths):
        message, hint = f"{' and '.join(paths)} name one file", "pass a different file for each"
        raise GeneratorFailure([Diagnostic(message, hint, file=str(next(iter(paths.values()))))])

    def claim() -> None:
        for option, path in paths.items():
            ownership.claim_file(path, option)

    anchor = next(iter(paths.values()))
    clean_dead(anchor)
    claim()
    with staging.naming(anchor.parent), staging.Staging(anchor) as work:
        commit_all(work, [(paths[option], text) for option, (_, text) in files.items()], None, claim)


def _plain(slot: Slot) -> dict[str, Any]:
    return {key: str(value) if isinstance(value, Path) else value for key, value in asdict(slot).items()}


def _swap(slot: Slot) -> None:
    if slot.old is None:
        move_new(slot.staged, slot.target)
    else:
        exchange(slot.staged, slot.target, slot.places[2])


def settle(slot: Slot, keep_new: bool) -> None:
    """Make `slot.target` hold its new version (or its old one, or nothing if it had none), wherever
    a swap stopped. A target that holds neither version is someone else's since: left alone."""
    wanted, unwanted = (slot.new, slot.old) if keep_new else (slot.old, slot.new)
    held = {place: identity(place) for place in slot.places}
    at_target = held[slot.target]
    if at_target is not None and at_target not in (slot.new, slot.old):
        return
    free = next((place for place in slot.places[1:] if held[place] is None), None)
    if wanted is None:
        if at_target == unwanted and free is not None:
            move_new(slot.target, free)
        return
    holder = next((place for place in slot.places if held[place] == wanted), None)
    if holder is None or holder == slot.target:
        return
    if at_target is None:
        move_new(holder, slot.target)
    elif free is not None:
        exchange(holder, slot.target, free)


@dataclass
class Journal:
    """What a run recorded in its staging folder: the files it prepared, and its slots once known."""

    committing: bool
    prepared: list[Path]
    slots: list[Slot]


def read_journal(anchor: Path, folder: Path) -> Journal | None:
    """The journal of the staging `folder` beside `anchor` (empty if it has none yet); None when it
    is not one this toolchain writes for that folder: every path in it must be one the run could own."""
    token = staging.token_of(anchor, folder)
    if token is None:
        return None
    try:
        text = (folder / JOURNAL).read_text(encoding="utf-8")
    except FileNotFoundError:
        return Journal(False, [], [])
    try:
        data = json.loads(text)
        slots = [
            Slot(Path(s["target"]), Path(s["staged"]), _identity(s["new"]), _identity(s["old"])) for s in data["slots"]
        ]
        journal = Journal(data["committing"] is True, [Path(path) for path in data["prepared"]], slots)
    except (KeyError, TypeError, ValueError):  # ValueError: not JSON, too
        return None
    package = (anchor, folder / "package")
    for slot in journal.slots:
        if (slot.target, slot.staged) != package and slot.staged != prepared_path(slot.target, token):
            return None
    suffix = f".{token}.ld-new"
    if not all(
        p.name.startswith(".") and p.name.endswith(suffix) and len(p.name) > len(suffix) + 1 for p in journal.prepared
    ):
        return None
    return journal


def recover(journal: Journal) -> None:
    """Settle the commit a dead run was making (forward if its last output, the commit point, was
    swapped in, else back), and remove what it prepared beside the outputs."""
    if journal.committing and journal.slots:
        last = journal.slots[-1]
        keep_new = identity(last.target) == last.new
        for slot in journal.slots:
            settle(slot, keep_new)
    for path in journal.prepared:
        for place in beside(path):
            staging.remove(place)


def _identity(value: Any) -> Identity | None:
    return (int(value[0]), int(value[1])) if value else None


def clean_dead(anchor: Path) -> list[Path]:
    """Settle and remove what dead runs left beside `anchor`; the staging folders removed."""
    removed: list[Path] = []
    if not anchor.parent.is_dir():
        return removed
    with staging.exclusive(anchor):
        for folder in staging.dead(anchor):
            journal = read_journal(anchor, folder)
            if journal is not None:  # else not provably ours: left alone
                recover(journal)
                staging.remove_folder(folder)
                removed.append(folder)
    return removed


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_tree(root: Path) -> None:
    """Flush every file and folder of the staged `root` to disk, so a swap never exposes empty files
    after a power cut."""
    for folder, _, files in os.walk(root):
        for name in files:
            _sync(Path(folder, name))
        _sync(Path(folder))
