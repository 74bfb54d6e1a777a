"""Rendering: the normalised document -> models (datamodel-code-generator) and the view model of
its operations -> our templates -> one formatted package, swapped in for the output folder only
when every step succeeded."""

from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import provenance, release
from generator.normalise.fixes import fixes_path_for
from generator.output import replace_dir, write_text_atomic

if TYPE_CHECKING:
    from generator.render.package import PackageInfo

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def generate(
    *,
    spec: Path,
    output: Path,
    fixes: Path | None = None,
    normalized: Path | None = None,
    report: Path | None = None,
    package_name: str | None = None,
    distribution_name: str | None = None,
    package_version: str | None = None,
    templates: Path = TEMPLATES,
    previous: Path | None = None,
) -> bool:
    """Normalise `spec` and render a client package into `output`, atomically.

    The version follows from the release held in `previous` (default: `output`): its description
    and public API against the new ones decide the bump, and the package CHANGELOG gets an entry.
    Returns False, having done nothing, when the provenance stamp in `output` shows that the same
    inputs made exactly the outputs on disk."""
    if fixes is None and fixes_path_for(spec).is_file():
        fixes = fixes_path_for(spec)
    options = {"package_name": package_name, "distribution_name": distribution_name, "package_version": package_version}
    inputs = provenance.current_inputs(spec, fixes, templates, options)
    if provenance.up_to_date(provenance.read(output), inputs, output, normalized, report):
        return False

    # Imported here so that an up-to-date run never pays for loading the generators.
    from generator.normalise import normalise
    from generator.render.field_names import aliases, check_field_names, field_names
    from generator.render.format import format_tree
    from generator.render.models import index_models, run_datamodel_codegen
    from generator.render.package import PackageInfo, write_package
    from generator.render.view import build_resources

    result = normalise(spec, fixes)
    text = result.text()
    report_text = json.dumps(result.report(), indent=2) + "\n"
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        source = work / "openapi.yaml"
        source.write_text(text, encoding="utf-8")
        info = PackageInfo.from_document(result.document, package_name, distribution_name, package_version)
        fields = field_names(result.document)
        has_schemas = bool((result.document.root.get("components") or {}).get("schemas"))
        # datamodel-code-generator refuses a description without schemas: its models module is empty
        models = (
            run_datamodel_codegen(source, info.header, aliases(fields), spec) if has_schemas else info.header + "\n"
        )
        index = index_models(models)
        check_field_names(index, fields)
        resources = build_resources(result.document, index)
        staged = work / "package"
        write_package(staged, info, resources, models, index, templates, text)
        format_tree(staged)
        snapshot = release.snapshot(staged, info.package_name)
        version, changelog = _release(snapshot, staged, info, previous or output, result.document.root)
        if version != info.version:
            info = dataclasses.replace(info, version=version)
            shutil.rmtree(staged)
            write_package(staged, info, resources, models, index, templates, text)
            format_tree(staged)
        stored = json.dumps({"about": provenance.ABOUT, **snapshot}, indent=2, sort_keys=True) + "\n"
        (staged / release.SNAPSHOT).write_text(stored, encoding="utf-8")
        (staged / release.CHANGELOG).write_text(changelog, encoding="utf-8")
        stamp = provenance.render(inputs, provenance.outputs(staged, text, report_text))
        (staged / provenance.STAMP).write_text(stamp, encoding="utf-8")
        replace_dir(staged, output)
        if normalized is not None:
            write_text_atomic(normalized, text)
        if report is not None:
            write_text_atomic(report, report_text)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return True


def _release(
    snapshot: dict[str, Any], staged: Path, info: PackageInfo, previous_dir: Path, root: Any
) -> tuple[str, str]:
    """The version and CHANGELOG of the package being made, from the release in `previous_dir`."""
    from ruamel.yaml import YAML

    from generator.compare import compare
    from generator.document import plain

    before = release.read_previous(previous_dir, info.package_name)
    if before is None:
        return info.version, f"<!-- {provenance.ABOUT} -->\n# Changelog\n\n## {info.version}\n\nFirst release.\n"
    spec_diffs = compare(YAML(typ="safe").load(before.spec_text), plain(root))
    code_diffs = release.compare_snapshots(before.snapshot, snapshot)
    if not code_diffs and release.code_changed(previous_dir, staged, info.package_name):
        code_diffs = [release.UNSEEN_CODE_CHANGE]
    version = release.later(release.bumped(before.version, release.decide(spec_diffs, code_diffs)), info.version)
    if version == before.version:
        return version, before.changelog
    entry = release.changelog_entry(version, spec_diffs, code_diffs)
    head, _, rest = before.changelog.partition("\n## ")
    if not rest:
        return version, f"<!-- {provenance.ABOUT} -->\n# Changelog\n\n{entry}"
    return version, f"{head.rstrip()}\n\n{entry}\n## {rest}"
