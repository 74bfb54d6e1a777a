"""Recognising the generator's own output before replacing it: `generate` swaps the whole package
folder, so it refuses any folder that holds something it did not write. Its own output carries the
stamp (`PROVENANCE.json`, with the toolchain's `about` text), which lists every file it wrote;
caches that tools leave in a package (`__pycache__`, ...) are dropped with the old package."""

from __future__ import annotations

import os
from pathlib import Path

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.output.reading import DESCRIBED, Entry, entries, kind_of
from generator.release import provenance

SHOWN = 5  # names of foreign files in a message
NEW_FOLDER = "pass a new or empty folder for --output, or the folder a previous `generate` wrote"


def _refuse(path: Path, message: str, hint: str) -> GeneratorFailure:
    return GeneratorFailure([Diagnostic(message, hint, file=str(path))])


def _kind(path: Path) -> str | None:
    try:
        return kind_of(os.lstat(path).st_mode)
    except FileNotFoundError:
        return None


def _names(paths: list[str]) -> str:
    more = f" and {len(paths) - SHOWN} more" if len(paths) > SHOWN else ""
    return ", ".join(paths[:SHOWN]) + more


def claim_folder(output: Path) -> None:
    """Return when `output` is absent, empty, or a package this generator wrote (and nothing more);
    otherwise refuse, naming what is in the way and what to do."""
    kind = _kind(output)
    if kind is None:
        return
    if kind != "folder":
        what = DESCRIBED.get(kind, "a file")
        raise _refuse(output, f"--output is {what}, not a folder", "pass a folder path (absent, empty or generated)")
    with os.scandir(output) as items:
        top = sorted(item.name for item in items)
    if not top:
        return
    listed = _listed(output)
    if listed is None:
        message = f"is not a package this generator wrote (no {provenance.STAMP} stamp), and `generate` replaces "
        raise _refuse(output, message + f"the whole folder: it holds {_names(top)}", NEW_FOLDER)
    folders = {name.rsplit("/", 1)[0] for name in listed if "/" in name}
    folders |= {folder.rsplit("/", i)[0] for folder in folders for i in range(folder.count("/") + 1)}

    def ours(entry: Entry) -> bool:
        if provenance.SKIPPED & set(entry.path.split("/")):
            return True
        return entry.path in (folders if entry.kind == "folder" else listed)

    found = entries(output, descend=lambda folder: folder.path in folders)  # a foreign folder is named, not walked
    odd = [f"{entry.path} ({DESCRIBED[entry.kind]})" for entry in found if entry.kind in DESCRIBED]
    if odd:
        raise _refuse(output, f"holds what the generator never writes: {_names(odd)}", f"remove it, or {NEW_FOLDER}")
    foreign = [entry.path for entry in found if not ours(entry)]
    if foreign:
        message = f"holds files the generator did not write: {_names(foreign)}; `generate` replaces the whole folder"
        raise _refuse(output, message, f"move them out of the folder, or {NEW_FOLDER}")


def _listed(output: Path) -> set[str] | None:
    """The files the stamp in `output` says the generator wrote there; None without a stamp. A stamp
    from before the list of files vouches for the folder only while the folder is exactly as made."""
    stamp = provenance.read(output)
    if stamp is None:
        return None
    made = stamp.get("outputs", {})
    if isinstance(made.get("files"), list):
        return {str(name) for name in made["files"]} | {provenance.STAMP}
    if provenance.tree_digest(output, frozenset({provenance.STAMP})) == made.get("package"):
        return {entry.path for entry in entries(output) if entry.kind == "file"} | {provenance.STAMP}
    raise _refuse(
        output,
        f"its {provenance.STAMP} predates the list of generated files, and the folder changed since",
        "restore the folder as it was generated (git checkout), or move what you added out of it",
    )


def claim_file(path: Path, option: str) -> None:
    """Return when the output file `path` is absent or a regular file; refuse a link, folder or special file."""
    kind = _kind(path)
    if kind in (None, "file"):
        return
    what = "a folder" if kind == "folder" else DESCRIBED[str(kind)]
    raise _refuse(path, f"{option} is {what}, not a file", f"pass a file path for {option}")
