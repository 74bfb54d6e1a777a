"""Versioning the generated package: the previous release (read from the output folder) against the
new one, at two levels (the normalised description, and the package's public Python API), decide
the bump; the version and the package CHANGELOG follow from it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.compare import Difference, Kind, bump_for, larger

SNAPSHOT = "API.json"
CHANGELOG = "CHANGELOG.md"
SPEC_COPY = "openapi.yaml"  # inside the import package: the description the package was made from

_SNAPSHOT_SCRIPT = r"""
import importlib, inspect, json, sys
sys.path.insert(0, sys.argv[1])
package = importlib.import_module(sys.argv[2])
from pydantic import BaseModel
api = {"exports": sorted(package.__all__), "methods": {}, "models": {}}
for name in package.__all__:
    value = getattr(package, name)
    if inspect.isclass(value) and issubclass(value, BaseModel):
        api["models"][name] = {
            field: {"type": repr(info.annotation), "required": info.is_required()}
            for field, info in value.model_fields.items()
        }
resources = importlib.import_module(sys.argv[2] + ".resources")
for name in resources.__all__:
    cls = getattr(resources, name)
    for attr, member in inspect.getmembers(cls, inspect.isfunction):
        if not attr.startswith("_"):
            signature = inspect.signature(member)
            params = {
                p.name: {"kind": p.kind.name, "required": p.default is p.empty, "type": str(p.annotation)}
                for p in signature.parameters.values() if p.name != "self"
            }
            returns = {"kind": "RETURN", "required": True, "type": str(signature.return_annotation)}
            api["methods"][f"{name}.{attr}"] = params | {"->": returns}
print(json.dumps(api, indent=2, sort_keys=True))
"""


def snapshot(package_root: Path, package_name: str) -> dict[str, Any]:
    """The public API of the package in `package_root`, read by importing it in a separate process."""
    done = subprocess.run(
        [sys.executable, "-c", _SNAPSHOT_SCRIPT, str(package_root), package_name],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        from generator.diagnostics import Diagnostic, GeneratorFailure

        lines = done.stderr.strip().splitlines()[-8:]
        message = "the generated package does not import:\n    " + "\n    ".join(lines)
        raise GeneratorFailure([Diagnostic(message, "fix the template or runtime file named above", str(package_root))])
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def compare_snapshots(old: dict[str, Any], new: dict[str, Any]) -> list[Difference]:
    """Differences of the Python API, named by where a user meets them (`Releases.get(flag_key)`)."""
    found: list[Difference] = []

    def add(where: str, kind: Kind, message: str) -> None:
        found.append(Difference(where, kind, message))

    old_exports, new_exports = set(old.get("exports", [])), set(new.get("exports", []))
    for name in sorted(old_exports - new_exports):
        add(name, "breaking", f"`{name}` is no longer exported")
    for name in sorted(new_exports - old_exports):
        add(name, "added", f"`{name}` added")
    for group in ("methods", "models"):
        old_items, new_items = old.get(group, {}), new.get(group, {})
        for name in sorted(set(old_items) - set(new_items)):
            add(name, "breaking", f"`{name}` removed")
        for name in sorted(set(new_items) - set(old_items)):
            add(name, "added", f"`{name}` added")
        for name in sorted(set(old_items) & set(new_items)):
            _compare_members(name, old_items[name], new_items[name], group, add)
    return sorted(set(found))


def _compare_members(name: str, old: dict[str, Any], new: dict[str, Any], group: str, add: Any) -> None:
    noun = "parameter" if group == "methods" else "field"
    for member in sorted(set(old) - set(new)):
        add(f"{name}({member})", "breaking", f"{noun} `{member}` of `{name}` removed")
    for member in sorted(set(new) - set(old)):
        required = new[member]["required"] and group == "methods"
        add(f"{name}({member})", "breaking" if required else "added", f"{noun} `{member}` of `{name}` added")
    for member in sorted(set(old) & set(new)):
        before, after = old[member], new[member]
        if before["type"] != after["type"]:
            add(
                f"{name}({member})",
                "breaking",
                f"type of `{name}.{member}` changed: {before['type']} -> {after['type']}",
            )
        if before.get("kind") != after.get("kind"):
            add(f"{name}({member})", "breaking", f"`{name}.{member}` changed from {before['kind']} to {after['kind']}")
        if not before["required"] and after["required"] and group == "methods":
            add(f"{name}({member})", "breaking", f"`{name}.{member}` is now required")
        elif before["required"] != after["required"]:
            add(
                f"{name}({member})",
                "added" if group == "methods" else "breaking",
                f"`{name}.{member}` required changed",
            )


UNSEEN_CODE_CHANGE = Difference(
    "", "changed", "the client's code changed (templates or generator) without changing its public API"
)


def code_changed(previous_dir: Path, staged: Path, package_name: str) -> bool:
    """Whether the package's files differ, leaving out those that only carry the version or history:
    a package whose bytes changed is never published again under the same version."""
    from generator.provenance import STAMP, tree_digest

    versioned = frozenset({STAMP, CHANGELOG, SNAPSHOT, "pyproject.toml", f"{package_name}/_version.py"})
    return tree_digest(previous_dir, versioned) != tree_digest(staged, versioned)


@dataclass(frozen=True)
class Previous:
    """The release the output folder holds, if any."""

    version: str
    snapshot: dict[str, Any]
    spec_text: str
    changelog: str


def read_previous(output: Path, package_name: str) -> Previous | None:
    version_file = output / package_name / "_version.py"
    snapshot_file, spec_file = output / SNAPSHOT, output / package_name / SPEC_COPY
    if not (version_file.is_file() and snapshot_file.is_file() and spec_file.is_file()):
        return None
    match = re.search(r'__version__ = "([^"]+)"', version_file.read_text(encoding="utf-8"))
    if match is None:
        return None
    changelog = output / CHANGELOG
    return Previous(
        version=match.group(1),
        snapshot=json.loads(snapshot_file.read_text(encoding="utf-8")),
        spec_text=spec_file.read_text(encoding="utf-8"),
        changelog=changelog.read_text(encoding="utf-8") if changelog.is_file() else "",
    )


def bumped(version: str, bump: str) -> str:
    """`0.3.1` bumped: major -> 1.0.0, minor -> 0.4.0, patch -> 0.3.2, none -> 0.3.1 (plain SemVer)."""
    parts = [int(p) for p in re.findall(r"\d+", version)[:3]] + [0, 0, 0]
    major, minor, patch = parts[:3]
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return f"{major}.{minor}.{patch}"


def later(a: str, b: str) -> str:
    key = [int(p) for p in re.findall(r"\d+", a)[:3]], [int(p) for p in re.findall(r"\d+", b)[:3]]
    return a if key[0] >= key[1] else b


def decide(spec_diffs: list[Difference], code_diffs: list[Difference]) -> str:
    return larger(bump_for(spec_diffs), bump_for(code_diffs))


MIGRATION = {
    "removed": "stop using it; it is gone from the API",
    "no longer exported": "import it from where it now lives, or stop using it",
    "is now required": "pass it on every call",
    "added": "pass it on every call (it is required)",
    "changed": "update the code that reads or passes it to the new type",
    "made required": "send it on every request",
    "renamed": "call the operation by its new name",
}


def _migration(message: str) -> str:
    for phrase, advice in MIGRATION.items():
        if phrase in message:
            return advice
    return "review the code that uses it"


def changelog_entry(version: str, spec_diffs: list[Difference], code_diffs: list[Difference]) -> str:
    """One entry, grouped as a user reads it: breaking (with what to do), added, fixed."""
    groups: dict[str, list[str]] = {"breaking": [], "added": [], "changed": []}
    for d in code_diffs:
        groups[d.kind].append(f"- {d.message}")  # code differences are named in their message
    for d in spec_diffs:
        groups[d.kind].append(f"- {d.message} (`{d.pointer}`)")
    lines = [f"## {version}", ""]
    titles = {"breaking": "Breaking", "added": "Added", "changed": "Fixed"}
    for kind, title in titles.items():
        if groups[kind]:
            lines += [f"### {title}", "", *sorted(set(groups[kind])), ""]
    breaking = [d for d in code_diffs + spec_diffs if d.kind == "breaking"]
    if breaking:
        lines += ["### Migration", ""]
        lines += sorted({f"- {d.message}: {_migration(d.message)}." for d in breaking})
        lines.append("")
    return "\n".join(lines)
