"""openapi-python-client as a parser: its `GeneratorData` (endpoints, their parameters and types)
feeds our view model. It sees only what we use it for: the operations and their parameters, with
the schemas those reach; bodies and responses are read from the document by the view, and models
come from datamodel-code-generator. So schemas it cannot parse (a recursive union, say) do not stop
a description it never needed them for. Any error or warning it reports is an error here, because
it means an operation would be silently dropped."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import GeneratorError

from generator import pointer as jp
from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.openapi import COMPONENT_SCHEMA_PREFIX, iter_operations, target_pointer


def config_for(source: Path) -> Config:
    return Config.from_sources(ConfigFile(post_hooks=[], field_prefix=""), MetaType.NONE, source, "utf-8", True, None)


def parse_endpoints(data: dict[str, Any], source: Path, spec: Path) -> GeneratorData:
    """Parse `data` (the normalised document, plain) written at `source`; problems name `spec`."""
    parsed = GeneratorData.from_dict(operations_only(data), config=config_for(source))
    if isinstance(parsed, GeneratorError):
        raise GeneratorFailure([_diagnostic(parsed, spec)])
    problems = list(parsed.errors)
    for collection in parsed.endpoint_collections_by_tag.values():
        problems.extend(collection.parse_errors)
    if problems:
        raise GeneratorFailure([_diagnostic(p, spec) for p in problems])
    return parsed


def operations_only(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of `data` without request bodies, response contents and the schemas only they reach."""
    data = copy.deepcopy(data)
    for _, _, _, op in iter_operations(data):
        op.pop("requestBody", None)
        op.pop("callbacks", None)
        op["responses"] = {"200": {"description": "(read from the document by the view)"}}
    components = data.get("components") or {}
    for kind in ("responses", "requestBodies", "callbacks", "links"):
        components.pop(kind, None)
    if "schemas" in components:
        reached = _schemas_reached(data)
        components["schemas"] = {k: v for k, v in components["schemas"].items() if k in reached}
    return data


def _schemas_reached(data: dict[str, Any]) -> set[str]:
    """Component schemas reached from anything left but the schemas themselves, through references."""
    schemas = data["components"]["schemas"]
    pending = [node for key, node in data.items() if key != "components"]
    pending += [node for key, node in data["components"].items() if key != "schemas"]
    reached: set[str] = set()
    while pending:
        for _, node in jp.walk(pending.pop()):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if isinstance(ref, str) and ref.startswith(COMPONENT_SCHEMA_PREFIX):
                name = jp.split(target_pointer(ref))[2]
                if name not in reached and name in schemas:
                    reached.add(name)
                    pending.append(schemas[name])
    return reached


def _diagnostic(error: GeneratorError, spec: Path) -> Diagnostic:
    text = f"{error.header}: {error.detail or ''}".strip()
    text = re.sub(r"<[\w.]*UntrustedString object at 0x[0-9a-f]+>", "(a name from the description)", text)
    return Diagnostic(
        message=f"openapi-python-client: {text}",
        hint="fix the operation or schema it names; a warning here means it would be dropped",
        file=str(spec),
        rule="render-endpoints",
    )
