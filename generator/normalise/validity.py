"""Is the description valid OpenAPI? Its shape is checked against the OpenAPI schema right after its
fixes, before any rule reads it, so that rules only ever see a valid tree and every problem is
reported where the author wrote it. Then what the schema cannot say, with its JSON pointer: path
parameters that match the path and are required, defaults that fit their schemas. openapi-spec-
validator's own semantic checks run last, on the normalised result."""

from __future__ import annotations

import re
from typing import Any

from generator import pointer as jp
from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.document import Document, plain
from generator.openapi import iter_path_parameters, iter_schemas

MAX_REPORTED = 20
HINTS = {
    "required": "add the missing field",
    "additionalProperties": "remove the field or correct its name (extension fields start with `x-`)",
    "type": "give it the type OpenAPI expects here",
    "enum": "use one of the values named",
    "const": "use the value named",
    "oneOf": "compare it with what the OpenAPI specification allows at this place",
    "anyOf": "compare it with what the OpenAPI specification allows at this place",
}


def _validator(doc: Document) -> Any:
    """openapi-spec-validator for the document's version (imported here: it is slow to load)."""
    from openapi_spec_validator.validation import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    cls = OpenAPIV31SpecValidator if str(doc.root.get("openapi")).startswith("3.1") else OpenAPIV30SpecValidator
    return cls(plain(doc.root))


def check_shape(doc: Document) -> None:
    """Valid against the OpenAPI schema; path parameters and defaults as OpenAPI requires."""
    validator = _validator(doc)
    problems = _path_parameter_problems(doc)  # before the schema's errors: they say more, in the same places
    said = tuple(p.pointer or "" for p in problems)
    errors = sorted(validator.schema_validator.iter_errors(validator.schema), key=lambda e: list(map(str, e.path)))
    for error in errors:
        diagnostic = _shape_diagnostic(doc, error)
        if not (diagnostic.pointer or "").startswith(said):
            problems.append(diagnostic)
    if not problems:
        problems = _default_problems(doc, validator.schema_path)
    if problems:
        raise GeneratorFailure(problems[:MAX_REPORTED])


def check_semantics(doc: Document) -> None:
    """openapi-spec-validator's checks beyond the schema, on the normalised document."""
    validator = _validator(doc)
    for error in validator.root_validator(validator.schema_path):
        raise GeneratorFailure(
            [doc.diagnostic("", f"not valid OpenAPI: {_short(error.message)}", "fix the description (or its fixes)")]
        )


def _shape_diagnostic(doc: Document, error: Any) -> Diagnostic:
    at = jp.join("", *map(str, error.absolute_path))
    if error.validator in ("oneOf", "anyOf"):
        message = "matches none of the forms OpenAPI allows here"
    elif error.validator == "type":
        message = f"should be of type {error.validator_value}, not {_kind(error.instance)}"
    else:
        message = _short(error.message)
    return doc.diagnostic(at, f"not valid OpenAPI: {message}", HINTS.get(error.validator, "fix it"), rule="openapi")


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _short(message: str, limit: int = 200) -> str:
    return message if len(message) <= limit else message[: limit - 3] + "..."


def _path_parameter_problems(doc: Document) -> list[Diagnostic]:
    """Every `{name}` of a path has a path parameter, and every path parameter is in the path and required."""
    problems = []
    for at, path, declared in iter_path_parameters(doc.root):
        in_path = re.findall(r"\{([^{}]+)\}", path)
        for name, (param_at, param) in declared.items():
            if name not in in_path:
                message = f"path parameter {name!r} is not in the path {path}"
                problems.append(
                    doc.diagnostic(param_at, message, "add `{" + name + "}` to the path, or remove it", "openapi")
                )
            elif param.get("required") is not True:
                message = f"path parameter {name!r} is optional: OpenAPI requires `required: true` for path parameters"
                hint = "add `required: true` (a path cannot leave a segment out; use a second path for that)"
                problems.append(doc.diagnostic(param_at, message, hint, "openapi"))
        for name in in_path:
            if name not in declared:
                message = f"the path {path} has `{{{name}}}` but no path parameter {name!r}"
                problems.append(doc.diagnostic(at, message, "declare it under `parameters` with `in: path`", "openapi"))
    return problems


def _default_problems(doc: Document, spec: Any) -> list[Diagnostic]:
    """Each schema's `default` validated against the schema itself (references resolved as the validator does)."""
    from openapi_schema_validator import OAS30Validator, OAS31Validator

    cls = OAS31Validator if str(doc.root.get("openapi")).startswith("3.1") else OAS30Validator
    problems = []
    for at, schema in iter_schemas(doc.root):
        default = schema.get("default")
        if "default" not in schema or (default is None and schema.get("nullable") is True):
            continue
        with _schema_path(spec, doc.root, at).resolve() as resolved:
            checker = cls(resolved.contents, _resolver=resolved.resolver)
            error = next(iter(checker.iter_errors(plain(default))), None)
        if error is not None:
            message = f"default {_short(repr(plain(default)), 80)} does not fit its schema: {_short(error.message)}"
            problems.append(
                doc.diagnostic(jp.join(at, "default"), message, "change the default, or remove it", "openapi")
            )
    return problems


def _schema_path(spec: Any, root: Any, at: str) -> Any:
    """openapi-spec-validator's path object for the node at `at` (list positions as numbers)."""
    node, path = root, spec
    for token in jp.split(at):
        key: str | int = int(token) if isinstance(node, list) else token
        node, path = node[key], path / key
    return path
