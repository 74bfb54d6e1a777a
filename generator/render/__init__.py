"""Rendering: the normalised document -> models (datamodel-code-generator) and endpoints
(openapi-python-client's parser and Jinja environment, our templates) -> one formatted package,
swapped in for the output folder only when every step succeeded."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from generator.document import plain
from generator.normalise import normalise
from generator.output import replace_dir, write_text_atomic
from generator.render.endpoints import parse_endpoints
from generator.render.format import format_tree
from generator.render.models import index_models, run_datamodel_codegen
from generator.render.package import PackageInfo, write_package
from generator.render.view import build_resources

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
) -> None:
    """Normalise `spec` and render a client package into `output`, atomically."""
    result = normalise(spec, fixes)
    text = result.text()
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        source = work / "openapi.yaml"
        source.write_text(text, encoding="utf-8")
        info = PackageInfo.from_document(result.document.root, package_name, distribution_name, package_version)
        models = run_datamodel_codegen(source, info.header)
        index = index_models(models)
        data = parse_endpoints(plain(result.document.root), source)
        resources = build_resources(result.document, data, index)
        staged = work / "package"
        write_package(staged, info, data, resources, models, index, templates)
        format_tree(staged)
        replace_dir(staged, output)
        if normalized is not None:
            write_text_atomic(normalized, text)
        if report is not None:
            write_text_atomic(report, json.dumps(result.report(), indent=2) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
