"""The public Python API of a generated package (exports, method signatures, model fields), recorded
as `API.json` beside it, and the differences between two such snapshots, named where a user meets them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.release.diff import Difference, Kind
from generator.tools import run_tool

SNAPSHOT = "API.json"
GENERATOR_ROOT = Path(__file__).resolve().parents[2]  # where `python -m generator...` is found


def snapshot(package_root: Path, package_name: str) -> dict[str, Any]:
    """The public API of the package in `package_root`, read by importing it in a separate process."""
    command = [sys.executable, "-m", "generator.release.introspect", str(package_root), package_name]
    done = run_tool(command, GENERATOR_ROOT, "the API snapshot (importing the generated package)")
    if done.returncode != 0:
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
