"""Is the description valid OpenAPI? Its shape is checked against the OpenAPI schema right after its
fixes, before any rule reads it, so that rules only ever see a valid tree and every problem is
reported where the author wrote it. Then what the schema cannot say, with its JSON pointer: path
parameters that match the path and are required, defaults that fit their schemas. openapi-spec-
validator's own semantic checks run last, on the normalised result."""

from __future__ import annotations

import functools
import re
from typing import Any

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.document import pointer as jp
from generator.document.loading import Document, plain
from generator.document.walking import (
    iter_root_schemas,
    iter_schemas,
)

MAX_REPORTED = 20
HINTS = {
    "required": "add the missing field",
    "additionalProperties": "remove the field or correct its name (extension fields start with `x-`)",
    "type": "give it the type OpenAPI expects here",
    "enum": "use one of the values named",
    "const": "use the value named",
    "oneOf": "compare it with what the OpenAPI specification allows at this place",
    "anyOf": "compare it with what the OpenAPI specification allows at this place",
    "pattern": "change it to match the pattern named",
}


def _validator(doc: Document) -> Any:
    """openapi-spec-validator for the document's version (imported here: it is slow to load)."""
    from openapi_spec_validator.validation import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    cls = OpenAPIV31SpecValidator if str(doc.root.get("openapi")).startswith("3.1") else OpenAPIV30SpecValidator
    return cls(plain(doc.root))


@functools.cache
def _schema_validator(version_31: bool) -> Any:
    """The OpenAPI schema's validator on the `jsonschema` backend, always: openapi-spec-validator
    switches to jsonschema-rs whenever that happens to be installed, and its messages differ."""
    from openapi_spec_validator.schemas import schema_v30, schema_v31
    from openapi_spec_validator.schemas.backend.jsonschema import create_validator

    return create_validator(schema_v31 if version_31 else schema_v30)


def check_shape(doc: Document) -> None:
    """Valid against the OpenAPI schema; path parameters and defaults as OpenAPI requires."""
    validator = _validator(doc)
    problems = _operation_problems(doc)  # before the schema's errors: they say more, in the same places
    said = tuple(p.pointer or "" for p in problems)
    schema_validator = _schema_validator(str(doc.root.get("openapi")).startswith("3.1"))
    errors = sorted(schema_validator.iter_errors(validator.schema), key=lambda e: list(map(str, e.path)))
    for error in errors:
        diagnostic = _shape_diagnostic(doc, error)
        if not (diagnostic.pointer or "").startswith(said):
            problems.append(diagnostic)
    if not problems:
        problems = _schema_problems(doc)
    if not problems:
        problems = _default_problems(doc, validator.schema_path)
    if problems:
        raise GeneratorFailure(problems[:MAX_REPORTED])


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


def _path_problems(doc: Document) -> list[Diagnostic]:
    """No two paths that differ only in their parameters' names (OpenAPI: they are the same path)."""
    problems: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for path in doc.root.get("paths") or {}:
        shape = re.sub(r"\{[^{}]*\}", "{}", str(path))
        if shape in seen:
            first = jp.join("/paths", seen[shape])
            message = f"paths {seen[shape]} ({doc.where(first)}) and {path} differ only in their parameters' names"
            hint = "OpenAPI treats them as one path: merge them"
            problems.append(doc.diagnostic(jp.join("/paths", str(path)), message, hint, "openapi"))
        seen.setdefault(shape, str(path))
    return problems


def _operation_problems(doc: Document) -> list[Diagnostic]:
    """What reading the operations found (path parameters against their paths, duplicate parameters),
    and paths that differ only in their parameters' names. A tree too broken to read operations from
    has nothing to add here: the OpenAPI schema's errors say what is wrong with it."""
    from pydantic import ValidationError

    problems = _path_problems(doc)
    try:
        found = doc.operations().problems
    except (ValidationError, TypeError, AttributeError, KeyError):
        return problems
    for problem in found:
        message = problem.message + (f" (also {doc.where(problem.also)})" if problem.also else "")
        problems.append(doc.diagnostic(problem.pointer, message, problem.hint, "openapi"))
    return problems


def _schema_problems(doc: Document) -> list[Diagnostic]:
    """Each schema valid against its JSON Schema dialect's meta-schema (what openapi-spec-validator's
    semantic pass checks, without its cost: it tracks what it has seen in lists, quadratic in size)."""
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import validator_for
    from openapi_schema_validator import OAS30Validator, OAS31Validator

    version_31 = str(doc.root.get("openapi")).startswith("3.1")
    default = OAS31Validator if version_31 else OAS30Validator
    problems = []
    for at, schema in iter_root_schemas(doc.root):
        dialect = schema.get("$schema", doc.root.get("jsonSchemaDialect")) if isinstance(schema, dict) else None
        cls = validator_for({"$schema": dialect}, default=default) if version_31 and dialect else default
        try:
            cls.check_schema(plain(schema))
        except SchemaError as error:
            pointer = jp.join(at, *map(str, error.path))
            message = f"not a valid schema: {_short(error.message)}"
            problems.append(doc.diagnostic(pointer, message, HINTS.get(error.validator, "fix it"), "openapi"))
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
