"""`generate`, stage by stage: normalise the description, render the package into a staging folder,
decide its release (version and CHANGELOG) against the previous one, stamp its provenance, and swap
every output in only when all of that succeeded."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from generator.normalise.fixes import fixes_path_for
from generator.output import replace_dir, write_text_atomic
from generator.release import provenance
from generator.render import TEMPLATES


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
    from generator.release import changelog, snapshot, versions
    from generator.render import render_package, set_version

    result = normalise(spec, fixes)
    text = result.text()
    report_text = json.dumps(result.report(), indent=2) + "\n"
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        staged = work / "package"
        info = render_package(result, staged, templates, options, work)
        api = snapshot.snapshot(staged, info.package_name)
        version, log = versions.next_release(
            api, staged, info.package_name, info.version, previous or output, result.document.root
        )
        set_version(staged, info, version, templates)
        stored = json.dumps({"about": provenance.ABOUT, **api}, indent=2, sort_keys=True) + "\n"
        (staged / snapshot.SNAPSHOT).write_text(stored, encoding="utf-8")
        (staged / changelog.CHANGELOG).write_text(log, encoding="utf-8")
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
