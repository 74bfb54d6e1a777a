"""`generate`, stage by stage: settle what dead runs left, make sure every output path is ours to
replace, normalise the description, render the package into a staging folder, decide its release
(version and CHANGELOG) against the previous one, stamp its provenance, and commit every output
together only when all of that succeeded."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.normalise.fixes import fixes_path_for
from generator.normalise.selection import Selection
from generator.output import ownership
from generator.output.commit import clean_dead, commit_all
from generator.output.staging import Staging, naming
from generator.release import provenance
from generator.render import TEMPLATES

LOSS_HINT = "fix the schema it names to keep the constraint (`--strict` refuses the loss)"


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
    selection: Selection | None = None,
    strict: bool = False,
    warn: Callable[[Diagnostic], None] = lambda _: None,
) -> bool:
    """Normalise `spec` and render a client package into `output`, atomically.

        The version follows from the release held in `previous` (default: `output`): its description
        and public API against the new ones decide the bump, and the package CHANGELOG gets an entry.
        Returns False, having done nothing, when the provenance stamp in `output` shows that the same
        inputs made exactly the outputs on disk. `selection` keeps a part of the description. Warnings
    (harmless losses, also recorded in the report) go to `warn`; with `strict` they fail the run."""
    if fixes is None and fixes_path_for(spec).is_file():
        fixes = fixes_path_for(spec)
    options = recorded_options(package_name, distribution_name, package_version, selection)
    inputs = provenance.current_inputs(spec, fixes, templates, options)
    output, files = _output_paths(output, {"--normalized": normalized, "--report": report})
    normalized, report = files.get("--normalized"), files.get("--report")
    clean_dead(output)
    _claim(output, files)
    if provenance.up_to_date(provenance.read(output), inputs, output, normalized, report):
        return False

    # Imported here so that an up-to-date run never pays for loading the generators.
    from generator.normalise import normalise
    from generator.release import changelog, notes, snapshot, versions
    from generator.render import render_package, set_version

    result = normalise(spec, fixes, selection, strict)
    for repaired in result.warnings:
        warn(repaired)
    text = result.text()
    with naming(output.parent), Staging(output) as work:
        staged = work.path / "package"
        info, warnings = render_package(result, staged, templates, options, work.path)
        if strict and warnings:
            hint = "fix the schema it names, or generate without --strict to accept the loss"
            raise GeneratorFailure([Diagnostic(w, hint, str(spec), rule="strict") for w in warnings])
        for warning in warnings:
            warn(Diagnostic(warning, LOSS_HINT, str(spec), severity="warning"))
        record = result.report()
        if warnings:
            record["warnings"] = record.get("warnings", []) + warnings
        report_text = json.dumps(record, indent=2) + "\n"
        api = snapshot.snapshot(staged, info.package_name)
        behaviour = notes.read_notes(templates, info.package_name)
        version, log = versions.next_release(
            api, staged, info.package_name, info.version, previous or output, result.document.root, behaviour
        )
        set_version(staged, info, version, templates)
        counted = {notes.RECORDED: sorted(n.message for n in behaviour)} if behaviour else {}
        stored = json.dumps({"about": provenance.ABOUT, **api, **counted}, indent=2, sort_keys=True) + "\n"
        (staged / snapshot.SNAPSHOT).write_text(stored, encoding="utf-8")
        (staged / changelog.CHANGELOG).write_text(log, encoding="utf-8")
        stamp = provenance.render(inputs, provenance.outputs(staged, text, report_text))
        (staged / provenance.STAMP).write_text(stamp, encoding="utf-8")
        texts = {"--normalized": text, "--report": report_text}
        prepared = [(path, texts[option]) for option, path in files.items()]
        commit_all(work, prepared, (output, staged), lambda: _claim(output, files))
    return True


def recorded_options(
    package_name: str | None, distribution_name: str | None, package_version: str | None, selection: Selection | None
) -> dict[str, str | None]:
    """The options a provenance stamp records; a selection only when there is one."""
    options = {"package_name": package_name, "distribution_name": distribution_name, "package_version": package_version}
    return {**options, "selection": str(selection)} if selection else options


def _output_paths(output: Path, files: dict[str, Path | None]) -> tuple[Path, dict[str, Path]]:
    """The output paths made absolute (lexically: a link named as --output is refused, not followed);
    refused when they are not distinct, or a file would land inside the package folder."""
    output = Path(os.path.abspath(output))
    given = {option: Path(os.path.abspath(path)) for option, path in files.items() if path is not None}
    if not output.name:
        raise GeneratorFailure([Diagnostic("--output is the root folder", "pass a folder of its own", str(output))])
    for option, path in given.items():
        if path == output or path.is_relative_to(output):
            hint = f"pass a path outside {output} for {option}: generate replaces that whole folder"
            raise GeneratorFailure([Diagnostic(f"{option} lies inside --output", hint, file=str(path))])
    if len(set(given.values())) < len(given):
        hint = "pass different files for --normalized and --report"
        raise GeneratorFailure([Diagnostic("--normalized and --report are one file", hint, str(given["--report"]))])
    return output, given


def _claim(output: Path, files: dict[str, Path]) -> None:
    ownership.claim_folder(output)
    for option, path in files.items():
        ownership.claim_file(path, option)
