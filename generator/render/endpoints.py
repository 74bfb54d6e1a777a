"""openapi-python-client as a parser: its `GeneratorData` (endpoints, parameters, Python names,
escaped strings) feeds our templates. Any error or warning it reports is an error here, because it
means an operation or a schema would be silently dropped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import GeneratorError

from generator.diagnostics import Diagnostic, GeneratorFailure


def config_for(source: Path, output: Path | None = None) -> Config:
    return Config.from_sources(
        ConfigFile(post_hooks=[], field_prefix=""),
        MetaType.NONE,
        source,
        "utf-8",
        True,
        output,
    )


def parse_endpoints(data: dict[str, Any], source: Path) -> GeneratorData:
    parsed = GeneratorData.from_dict(data, config=config_for(source))
    if isinstance(parsed, GeneratorError):
        raise GeneratorFailure([_diagnostic(parsed, source)])
    problems = list(parsed.errors)
    for collection in parsed.endpoint_collections_by_tag.values():
        problems.extend(collection.parse_errors)
    if problems:
        raise GeneratorFailure([_diagnostic(p, source) for p in problems])
    return parsed


def _diagnostic(error: GeneratorError, source: Path) -> Diagnostic:
    return Diagnostic(
        message=f"openapi-python-client: {error.header}: {error.detail or ''}".strip(),
        hint="fix the operation or schema it names; a warning here means it would be dropped",
        file=str(source),
        rule="render-endpoints",
    )
