"""Recognising the generator's own output, and reading it without following what is planted there."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.diagnostics import GeneratorFailure
from generator.output.ownership import claim_file, claim_folder
from generator.output.reading import read_file, read_inside
from generator.release import provenance
from generator.release.versions import read_previous

FILES = {"README.md": "# pkg\n", "pkg/__init__.py": "VERSION = 1\n", "pkg/resources/pets.py": "# pets\n"}


def stamped(folder: Path, files: dict[str, str] = FILES, listed: bool = True) -> Path:
    """A package as `generate` leaves it: its files and a stamp (listing them, or from before lists)."""
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    made = {"package": provenance.tree_digest(folder)}
    stamp = provenance.render({}, {**made, "files": sorted(files)} if listed else made)
    (folder / provenance.STAMP).write_text(stamp)
    return folder


def refusal(path: Path) -> str:
    with pytest.raises(GeneratorFailure) as failure:
        claim_folder(path)
    [diagnostic] = failure.value.diagnostics
    assert diagnostic.file == str(path)
    return diagnostic.render()


def test_an_absent_or_empty_folder_or_a_package_it_wrote_is_ours(tmp_path: Path) -> None:
    claim_folder(tmp_path / "absent")
    claim_folder(tmp_path)
    package = stamped(tmp_path / "pkg")
    (package / "pkg" / "__pycache__").mkdir()
    (package / "pkg" / "__pycache__" / "x.pyc").write_bytes(b"\0")  # caches go with the old package
    (package / "pkg" / "__init__.py").write_text("edited\n")  # still a file it wrote
    claim_folder(package)


def test_a_folder_without_the_stamp_is_refused(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "notes.txt").write_text("mine\n")
    (tmp_path / provenance.STAMP).write_text('{"about": "something else"}')

    message = refusal(tmp_path)

    assert "is not a package this generator wrote (no PROVENANCE.json stamp)" in message
    assert "it holds .git, PROVENANCE.json, notes.txt" in message
    assert "hint: pass a new or empty folder for --output" in message


def test_files_added_to_its_package_are_refused_by_name(tmp_path: Path) -> None:
    package = stamped(tmp_path / "pkg")
    (package / "pkg" / "local.py").write_text("mine\n")
    (package / "pkg" / "notes").mkdir()
    (package / "pkg" / "notes" / "todo.md").write_text("mine\n")  # in a folder of its own: named, not walked

    message = refusal(package)

    assert "holds files the generator did not write: pkg/local.py, pkg/notes; `generate` replaces" in message


def test_a_stamp_from_before_the_list_of_files_vouches_only_for_an_untouched_folder(tmp_path: Path) -> None:
    package = stamped(tmp_path / "pkg", listed=False)
    claim_folder(package)

    (package / "extra.txt").write_text("mine\n")

    assert "predates the list of generated files, and the folder changed since" in refusal(package)


@pytest.mark.parametrize("planted", ["link", "pipe"])
def test_links_and_special_files_in_the_output_are_refused(tmp_path: Path, planted: str) -> None:
    package = stamped(tmp_path / "pkg")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET\n")
    (package / "CHANGELOG.md").unlink(missing_ok=True)
    if planted == "link":
        (package / "CHANGELOG.md").symlink_to(secret)
    else:
        os.mkfifo(package / "CHANGELOG.md")

    message = refusal(package)

    kind = "a symbolic link" if planted == "link" else "a special file (a pipe, socket or device)"
    assert f"holds what the generator never writes: CHANGELOG.md ({kind})" in message
    assert "TOP SECRET" not in message and str(secret) not in message


def test_an_output_that_is_a_file_or_a_link_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("mine\n")
    (tmp_path / "link").symlink_to(stamped(tmp_path / "pkg"))

    assert "--output is a file, not a folder" in refusal(tmp_path / "file")
    assert "--output is a symbolic link, not a folder" in refusal(tmp_path / "link")
    with pytest.raises(GeneratorFailure, match="--normalized is a symbolic link, not a file"):
        claim_file(tmp_path / "link", "--normalized")
    with pytest.raises(GeneratorFailure, match="--report is a folder, not a file"):
        claim_file(tmp_path / "pkg", "--report")


def _hangs(read: Callable[[Path], object], path: Path) -> bool:
    """Whether `read(path)` blocks (a pipe opened for reading waits for a writer)."""
    done = threading.Event()

    def call() -> None:
        with contextlib.suppress(GeneratorFailure):
            read(path)
        done.set()

    threading.Thread(target=call, daemon=True).start()
    return not done.wait(5)


def test_reading_never_follows_a_link_nor_opens_a_pipe(tmp_path: Path) -> None:
    package = stamped(tmp_path / "pkg")
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "__init__.py").write_text("TOP SECRET\n")
    (package / "linked").symlink_to(secret)
    (package / "file-link").symlink_to(secret / "__init__.py")
    os.mkfifo(package / "pipe")

    assert read_inside(package, "pkg/__init__.py") == b"VERSION = 1\n"
    assert read_inside(package, "pkg/missing.py") is None
    for planted in ("linked/__init__.py", "file-link", "pipe"):
        with pytest.raises(GeneratorFailure, match="which the generator never writes: it is neither followed nor read"):
            read_inside(package, planted)
    with pytest.raises(GeneratorFailure, match="a symbolic link"):
        read_file(package / "file-link")
    with pytest.raises(GeneratorFailure, match="a symbolic link"):
        read_inside(package / "linked", "__init__.py")
    assert not _hangs(provenance.tree_digest, package)
    assert provenance.tree_digest(package) != provenance.tree_digest(stamped(tmp_path / "plain"))


def test_the_previous_release_is_never_read_through_a_link(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("TOP SECRET\n")
    files = {"API.json": "{}", "pkg/_version.py": '__version__ = "0.1.0"\n', "pkg/openapi.yaml": "openapi: 3.1.0\n"}
    package = stamped(tmp_path / "pkg", files)
    (package / "CHANGELOG.md").symlink_to(secret)

    with pytest.raises(GeneratorFailure) as failure:
        read_previous(package, "pkg")

    assert failure.value.diagnostics[0].file == str(package / "CHANGELOG.md")
    (package / "CHANGELOG.md").unlink()
    previous = read_previous(package, "pkg")
    assert previous is not None and previous.version == "0.1.0" and previous.changelog == ""
