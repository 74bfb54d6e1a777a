"""The provenance stamp (`PROVENANCE.json` in the generated package): what the package was made from
(hashes of the description, its fixes, the templates and the generator's code; the tool versions) and
what was made (hashes of the package, the normalised document and the report).

It lets `generate` skip all work when nothing changed, and `check` say which input changed.
"""

from __future__ import annotations

import hashlib
import json
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

STAMP = "PROVENANCE.json"
TOOLS = ("openapi-python-client", "datamodel-code-generator", "ruff", "ruamel.yaml", "openapi-spec-validator", "jinja2")
GENERATOR = Path(__file__).resolve().parent
SKIPPED = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


def file_digest(path: Path | None) -> str | None:
    if path is None or not path.is_file():
        return None
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def text_digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def tree_digest(root: Path, exclude: frozenset[str] = frozenset()) -> str | None:
    """One hash over every file's relative path and bytes, in sorted order."""
    if not root.is_dir():
        return None
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not SKIPPED & set(relative.parts) and str(relative) not in exclude:
            digest.update(str(relative).encode() + b"\0" + path.read_bytes() + b"\0")
    return "sha256:" + digest.hexdigest()


def _tool_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def current_inputs(spec: Path, fixes: Path | None, templates: Path, options: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": {"file": spec.name, "hash": file_digest(spec)},
        "fixes": {"file": fixes.name if fixes else None, "hash": file_digest(fixes)},
        "templates": tree_digest(templates),
        "generator": tree_digest(GENERATOR),
        "options": {k: (str(v) if v is not None else None) for k, v in sorted(options.items())},
        "tools": {name: _tool_version(name) for name in TOOLS},
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
    }


def outputs(package: Path, normalized_text: str, report_text: str) -> dict[str, Any]:
    return {
        "package": tree_digest(package, frozenset({STAMP})),
        "normalized": text_digest(normalized_text),
        "report": text_digest(report_text),
    }


def render(inputs: dict[str, Any], made: dict[str, Any]) -> str:
    return json.dumps({"inputs": inputs, "outputs": made}, indent=2, sort_keys=True) + "\n"


def read(package: Path) -> dict[str, Any] | None:
    try:
        stamp = json.loads((package / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def changed_inputs(stamp: dict[str, Any] | None, inputs: dict[str, Any]) -> list[str]:
    """Which inputs differ from the ones the stamp records, in words."""
    if stamp is None:
        return ["no provenance stamp: the package was never generated here, or by an older toolchain"]
    recorded = stamp.get("inputs", {})
    changed = []
    for key, value in inputs.items():
        if recorded.get(key) != value:
            what = value.get("file") if isinstance(value, dict) and value.get("file") else key
            changed.append(f"{key} changed ({what})" if what != key else f"{key} changed")
    return changed


def up_to_date(
    stamp: dict[str, Any] | None, inputs: dict[str, Any], package: Path, normalized: Path | None, report: Path | None
) -> bool:
    """True when the inputs are those recorded and every output on disk is what was made from them."""
    if stamp is None or changed_inputs(stamp, inputs):
        return False
    made = stamp.get("outputs", {})
    if tree_digest(package, frozenset({STAMP})) != made.get("package"):
        return False
    if normalized is not None and file_digest(normalized) != made.get("normalized"):
        return False
    return report is None or file_digest(report) == made.get("report")
