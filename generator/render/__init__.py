"""Rendering: the normalised document -> models (datamodel-code-generator) and the view model of
its operations -> our templates -> one formatted package in a staging folder."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.normalise import Result
    from generator.render.package import PackageInfo

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def render_package(
    result: Result, staged: Path, templates: Path, options: dict[str, str | None], work: Path
) -> tuple[PackageInfo, list[str]]:
    """Render the package for the normalised `result` into `staged` (formatted); its names and
    first version come from `options` or the document. `work` is a private scratch folder. Returns
    the package's names and version, and warnings: what the models could not express."""
    from generator.normalise import HEADER
    from generator.render.credentials import build_credentials
    from generator.render.field_names import aliases, check_field_names, field_names
    from generator.render.format import format_tree
    from generator.render.model_source import edit_models
    from generator.render.models import index_models, run_datamodel_codegen
    from generator.render.package import PackageInfo, write_package
    from generator.render.requirements import requirements
    from generator.render.view import build_resources

    text = result.text()
    body = text.removeprefix(HEADER)  # a JSON description without its comment line is JSON:
    source = work / ("openapi.json" if body.startswith("{") else "openapi.yaml")  # read as such, in seconds
    source.write_text(body, encoding="utf-8")
    info = PackageInfo.from_document(
        result.document, options["package_name"], options["distribution_name"], options["package_version"]
    )
    fields = field_names(result.document)
    has_schemas = bool((result.document.root.get("components") or {}).get("schemas"))
    # datamodel-code-generator refuses a description without schemas: its models module is empty
    spec = result.document.path
    models, warnings = (
        run_datamodel_codegen(source, info.header, aliases(fields), spec) if has_schemas else (info.header + "\n", [])
    )
    info = dataclasses.replace(info, requirements=requirements(models))
    tree = ast.parse(models)
    index = index_models(tree)
    edited = edit_models(models, tree, info.header)
    index.apart = set(edited.enum_names)
    check_field_names(index, fields)
    resources = build_resources(result.document, index)
    credentials = build_credentials(result.document)
    write_package(staged, info, resources, credentials, edited, index, templates, text)
    format_tree(staged)
    return info, warnings


def set_version(staged: Path, info: PackageInfo, version: str, templates: Path) -> None:
    """Give the staged package `version`: only the files that carry it are rendered again."""
    from generator.render.format import format_tree
    from generator.render.package import write_versioned

    if version != info.version:
        written = write_versioned(staged, dataclasses.replace(info, version=version), templates)
        format_tree(staged, tuple(path for path in written if path.endswith(".py")))
