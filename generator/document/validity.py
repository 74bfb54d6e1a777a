"""Is the description valid OpenAPI? Its shape is checked against the OpenAPI schema right after its
fixes, before any rule reads it, so that rules only ever see a valid tree and every problem is
reported where the author wrote it. Then what the schema cannot say, with its JSON pointer: path
parameters that match the path and are required, defaults that fit their schemas. Every problem is
found in one pass; the harmless ones (nothing a client sends or accepts depends on them) come back as
`Harmless` defects for the normaliser to repair. openapi-spec-validator's own semantic checks run
last, on the normalised result."""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.document import pointer as jp
from generator.document.loading import Document, plain, to_yaml_node
from generator.document.walking import HTTP_METHODS, iter_root_schemas, iter_schemas

MAX_REPORTED = 20
REPAIR = "repair-harmless-defects"  # the rule id of the repairs, in diagnostics and the report
DROP = object()  # `Harmless.after` when the value is removed
KEEP = object()  # `Harmless.after` when nothing is changed: only said
HINTS = {
    "required": "add the missing field",
    "additionalProperties": "remove the field or correct its name (extension fields start with `x-`)",
    "unevaluatedProperties": "remove the field or correct its name (extension fields start with `x-`)",
    "type": "give it the type OpenAPI expects here",
    "enum": "use one of the values named",
    "const": "use the value named",
    "oneOf": "compare it with what the OpenAPI specification allows at this place",
    "anyOf": "compare it with what the OpenAPI specification allows at this place",
    "pattern": "change it to match the pattern named",
    "format": "write it in the format named",
    "minItems": "add items: the list is shorter than allowed",
    "maxItems": "remove items: the list is longer than allowed",
    "uniqueItems": "remove the repeated items",
    "minProperties": "add at least one entry",
    "minimum": "use a larger number",
    "exclusiveMinimum": "use a larger number",
    "maximum": "use a smaller number",
    "exclusiveMaximum": "use a smaller number",
    "minLength": "use a longer text",
    "maxLength": "use a shorter text",
    "propertyNames": "rename the entry to match what is named",
    "not": "remove what the message names: OpenAPI forbids it here",
    "dependentRequired": "add the fields the message names",
    "dependentSchemas": "add or remove the fields the message names",
}
OTHER_HINT = "change it to what the OpenAPI specification allows at this place (the message says what is wrong)"


@dataclass(frozen=True)
class Harmless:
    """A defect that changes nothing a client sends or accepts: the value at `pointer` is removed
    (`DROP`) or replaced by `after`, under the key `rename` when given. `diagnostic` says what is
    wrong and where, its hint how to fix the source; `repaired` says what the repair does."""

    diagnostic: Diagnostic
    repaired: str
    pointer: str
    after: Any = DROP
    rename: str | None = None

    def warning(self) -> Diagnostic:
        message = f"{self.diagnostic.message}; {self.repaired}"
        return dataclasses.replace(self.diagnostic, message=message, severity="warning")

    def refusal(self) -> Diagnostic:
        hint = f"{self.diagnostic.hint}; without --strict it is {self.repaired}, with a warning"
        return dataclasses.replace(self.diagnostic, hint=hint)


def _validator(doc: Document) -> Any:
    """openapi-spec-validator for the document's version, whose path object resolves references for
    the defaults' check (imported here: it is slow to load)."""
    from openapi_spec_validator.validation import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    cls = OpenAPIV31SpecValidator if _is_31(doc) else OpenAPIV30SpecValidator
    return cls(plain(doc.root))


def _is_31(doc: Document) -> bool:
    return str(doc.root.get("openapi")).startswith("3.1")


def _openapi_schema(doc: Document) -> dict[str, Any]:
    """The OpenAPI schema of the document's version, as openapi-spec-validator ships it."""
    from openapi_spec_validator.schemas import schema_v30, schema_v31

    return dict(schema_v31 if _is_31(doc) else schema_v30)


def _shape_validator(doc: Document) -> Any:
    """The python-jsonschema validator of the OpenAPI schema, whichever backend openapi-spec-validator
    would choose: jsonschema-rs (installed with schemathesis) gives neither nested errors nor the
    keyword that failed, so its messages would depend on what else is installed."""
    from jsonschema.validators import validator_for

    schema = _openapi_schema(doc)
    return validator_for(schema)(schema)


def _valid_shape(doc: Document, instance: Any) -> bool:
    """Whether the document is valid against the OpenAPI schema, asked of jsonschema-rs (pinned, so
    always there): two hundred times faster than python-jsonschema, which only then runs to say what
    is wrong and where. Formats are not asserted, as python-jsonschema does not."""
    import jsonschema_rs

    return bool(jsonschema_rs.validator_for(_openapi_schema(doc), validate_formats=False).is_valid(instance))


def check_shape(doc: Document, strict: bool = False) -> list[Harmless]:
    """Valid against the OpenAPI schema; path parameters and defaults as OpenAPI requires. Every
    problem is found in one pass and raised together when one is an error (with `strict`, every
    harmless defect is one); otherwise the harmless defects are returned, to be repaired."""
    validator = _validator(doc)
    from_operations = _operation_problems(doc)  # before the schema's errors: they say more, in the same places
    errors = [p for p in from_operations if isinstance(p, Diagnostic)]
    found: list[Diagnostic | Harmless] = [p for p in from_operations if isinstance(p, Harmless)]
    found += _shape_problems(doc, validator.schema, tuple(p.pointer or "" for p in errors))
    said = tuple(_pointer(p) for p in [*errors, *found])
    found += [p for p in _schema_problems(doc) if not _pointer(p).startswith(said)]
    broken = tuple(_pointer(p) for p in [*errors, *found] if isinstance(p, Diagnostic))
    found += [p for p in _default_problems(doc, validator.schema_path) if not _near(p, broken)]
    errors += [p for p in found if isinstance(p, Diagnostic)]
    harmless = _unique([p for p in found if isinstance(p, Harmless)])
    if errors or (strict and harmless):  # every problem, the harmless ones as what they are in this run
        raise GeneratorFailure(_capped(errors + [h.refusal() if strict else h.warning() for h in harmless]))
    return harmless


def _pointer(problem: Diagnostic | Harmless) -> str:
    return (problem.diagnostic.pointer if isinstance(problem, Harmless) else problem.pointer) or ""


def _near(problem: Diagnostic | Harmless, broken: tuple[str, ...]) -> bool:
    """Whether a place found broken lies in the schema of a default (checking it would repeat that error)."""
    schema_at = _pointer(problem).removesuffix("/default")
    return any(b.startswith(schema_at) for b in broken)


def _unique(found: list[Harmless]) -> list[Harmless]:
    """One repair per place: two passes may name one place, and a value cannot be removed twice."""
    return list({h.pointer: h for h in reversed(found)}.values())[::-1]


def _capped(problems: list[Diagnostic]) -> list[Diagnostic]:
    """At most MAX_REPORTED problems, and one line saying how many more there were."""
    if len(problems) <= MAX_REPORTED:
        return problems
    more = len(problems) - MAX_REPORTED
    last = problems[MAX_REPORTED]
    message = f"and {more} more problem{'s' if more > 1 else ''} like those above"
    summary = Diagnostic(message, "fix those above, then run again to see the rest", file=last.file)
    return [*problems[:MAX_REPORTED], summary]


def _shape_problems(doc: Document, instance: Any, said: tuple[str, ...]) -> list[Diagnostic | Harmless]:
    """Every error of the OpenAPI schema in `instance` (the document as plain data, made once for
    every check), at the innermost place that explains it."""
    found: list[Diagnostic | Harmless] = []
    if _valid_shape(doc, instance):
        return found
    leaves = [leaf for error in _shape_validator(doc).iter_errors(instance) for leaf in _innermost(error)]
    for leaf in sorted(leaves, key=lambda e: list(map(str, e.absolute_path))):
        at = jp.join("", *map(str, leaf.absolute_path))
        if said and at.startswith(said):
            continue
        extra = _extra_keys(leaf) if leaf.validator in ("additionalProperties", "unevaluatedProperties") else []
        found += [_unknown_field(doc, jp.join(at, str(key)), key, leaf) for key in extra]
        if not extra:
            found.append(_null_schema(doc, at, leaf) or _shape_diagnostic(doc, at, leaf))
    return found


def _null_schema(doc: Document, at: str, error: Any) -> Harmless | None:
    """Two ways of writing null that OpenAPI 3.0 lacks, each harmless: a media type's `schema: null`
    (no schema: any value, as when it is absent) is dropped, and a 3.0 schema `type: 'null'` (3.1's
    spelling) becomes 3.0's `nullable: true, enum: [null]`, which accepts null alone, as meant."""
    tokens = jp.split(at)
    if tokens[-1:] == ["schema"] and error.validator == "type" and error.instance is None:
        message = "not valid OpenAPI: `schema: null` is not a schema"
        hint = "remove `schema` (a media type without one takes any value), or give the schema"
        return Harmless(doc.diagnostic(at, message, hint, REPAIR), "dropped: any value", at)
    if not _is_31(doc) and tokens[-1:] == ["type"] and error.validator == "enum" and error.instance == "null":
        parent = jp.join("", *tokens[:-1])
        schema = {k: v for k, v in plain(jp.resolve(doc.root, parent)).items() if k != "type"}
        message = "not valid OpenAPI 3.0: `type: 'null'` is OpenAPI 3.1's; 3.0 writes `nullable: true`"
        hint = "write `nullable: true, enum: [null]`, or declare `openapi: 3.1.0` if the document is 3.1"
        after = to_yaml_node({**schema, "nullable": True, "enum": [None]})
        return Harmless(
            doc.diagnostic(at, message, hint, REPAIR), "read as `nullable: true, enum: [null]`", parent, after
        )
    return None


def _innermost(error: Any) -> list[Any]:
    """The errors that explain `error`: for a oneOf or anyOf, those of the form the value was most
    likely meant to be (not a Reference when it has no `$ref`, else the one failing deepest), down
    to errors of single keywords."""
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return [error]
    forms: dict[Any, list[Any]] = {}
    for sub in error.context:
        forms.setdefault(sub.relative_schema_path[0], []).append(sub)
    chosen = min(forms.values(), key=_unlikely)
    return [leaf for sub in chosen for leaf in _innermost(sub)]


def _unlikely(errors: list[Any]) -> tuple[bool, int, int]:
    not_a_reference = any(
        e.validator == "required" and "$ref" in e.validator_value and "$ref" not in e.instance for e in errors
    )
    return not_a_reference, -max(len(e.absolute_path) for e in errors), len(errors)


def _extra_keys(error: Any) -> list[Any]:
    """The fields an additionalProperties / unevaluatedProperties error refuses, extensions aside."""
    if not isinstance(error.instance, dict):
        return []
    if error.validator == "additionalProperties":
        known = error.schema.get("properties", {})
        patterns = error.schema.get("patternProperties", {})
        extra = [k for k in error.instance if k not in known and not any(re.search(p, str(k)) for p in patterns)]
    else:  # jsonschema names them in its message, each as its repr
        extra = [k for k in error.instance if repr(k) in error.message]
    return [k for k in extra if not str(k).startswith("x-")]


def _unknown_field(doc: Document, at: str, key: Any, error: Any) -> Diagnostic | Harmless:
    """An unknown field of a fixed-field object means nothing to OpenAPI: dropped, except a 3.0
    schema's `const`, which becomes the `enum` of one value that OpenAPI 3.0 spells it with. A key
    of a map (a path that does not start with `/`, a status code `20`) or a method in capitals would
    be an operation or a response lost: an error."""
    mapping = any(not pattern.startswith("^x-") for pattern in error.schema.get("patternProperties", {}))
    if mapping or str(key).lower() in HTTP_METHODS:
        message = f"not valid OpenAPI: `{key}` is not a key OpenAPI allows here"
        hint = "correct its name: a path starts with `/`, a method is lower case (`get`), a status is `200` or `2XX`"
        return doc.diagnostic(at, message, hint, "openapi")
    in_schema = "nullable" in error.schema.get("properties", {})  # 3.0's Schema Object
    if in_schema and key == "const" and "enum" not in error.instance:
        value = plain(error.instance[key])
        message = "not valid OpenAPI 3.0: `const` is a schema keyword only from OpenAPI 3.1 on"
        hint = f"write `enum: [{value!r}]` instead, or declare `openapi: 3.1.0` if the document is 3.1"
        diagnostic = doc.diagnostic(at, message, hint, REPAIR)
        return Harmless(diagnostic, f"read as `enum: [{value!r}]`", at, [error.instance[key]], "enum")
    message = f"not valid OpenAPI: `{key}` is not a field of this object"
    hint = f"remove it or correct its name (or rename it `x-{key}` to keep it as an extension)"
    return Harmless(doc.diagnostic(at, message, hint, REPAIR), "dropped", at)


def _shape_diagnostic(doc: Document, at: str, error: Any) -> Diagnostic:
    if error.validator in ("oneOf", "anyOf"):
        message = "matches none of the forms OpenAPI allows here"
    elif error.validator == "type":
        message = f"should be of type {error.validator_value}, not {_kind(error.instance)}"
    else:
        message = _short(error.message)
    return doc.diagnostic(at, f"not valid OpenAPI: {message}", HINTS.get(str(error.validator), OTHER_HINT), "openapi")


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _short(message: str, limit: int = 200) -> str:
    return message if len(message) <= limit else message[: limit - 3] + "..."


def _path_problems(doc: Document) -> list[Diagnostic | Harmless]:
    """Paths that differ only in their parameters' names: OpenAPI treats them as one. Different
    methods on them are fine (a DELETE on `/a/{id}`, a GET on `/a/{name}`): each operation keeps its
    own names. One method on both (Trello's GET `/cards/{filter}` and GET `/cards/{idCard}`) is
    ambiguous only to a server routing requests: each method sends what its operation describes and
    reads what it answers, so it is a warning, and `--strict` refuses it."""
    problems: list[Diagnostic | Harmless] = []
    seen: dict[str, dict[str, str]] = {}  # path shape -> method -> the first path having it
    for path, item in (doc.root.get("paths") or {}).items():
        shape = re.sub(r"\{[^{}]*\}", "{}", str(path))
        methods = seen.setdefault(shape, {})
        for method in [m for m in HTTP_METHODS if isinstance(item, dict) and m in item]:
            first = methods.setdefault(method, str(path))
            if first != str(path):
                message = (
                    f"paths {first} ({doc.where(jp.join('/paths', first, method))}) and {path} differ only in "
                    f"their parameters' names and both have {method.upper()}"
                )
                hint = f"OpenAPI treats them as one path: keep one {method.upper()}, or merge the two paths"
                at = jp.join("/paths", str(path), method)
                kept = "kept: each method sends its own path, the server decides which operation answers"
                problems.append(Harmless(doc.diagnostic(at, message, hint, REPAIR), kept, at, KEEP))
    return problems


def _operation_problems(doc: Document) -> list[Diagnostic | Harmless]:
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


def _schema_problems(doc: Document) -> list[Diagnostic | Harmless]:
    """Each schema valid against its JSON Schema dialect's meta-schema (what openapi-spec-validator's
    semantic pass checks, without its cost: it tracks what it has seen in lists, quadratic in size)."""
    from jsonschema.validators import validator_for
    from openapi_schema_validator import OAS30Validator, OAS31Validator
    from openapi_schema_validator._specifications import REGISTRY as OPENAPI_DIALECTS  # check_schema's own

    default = OAS31Validator if _is_31(doc) else OAS30Validator
    checkers: dict[Any, Any] = {}  # one per dialect: building one costs more than checking a schema
    problems: list[Diagnostic | Harmless] = []
    for at, schema in iter_root_schemas(doc.root):
        dialect = schema.get("$schema", doc.root.get("jsonSchemaDialect")) if isinstance(schema, dict) else None
        cls = validator_for({"$schema": dialect}, default=default) if _is_31(doc) and dialect else default
        if cls not in checkers:  # as `cls.check_schema` builds it, but keeping every error
            meta = validator_for(cls.META_SCHEMA, default=cls)
            checkers[cls] = meta(cls.META_SCHEMA, format_checker=cls.FORMAT_CHECKER, registry=OPENAPI_DIALECTS)
        for error in checkers[cls].iter_errors(plain(schema)):
            for leaf in _innermost(error):
                problems.append(_schema_problem(doc, jp.join(at, *map(str, leaf.absolute_path)), leaf))
    return problems


def _schema_problem(doc: Document, at: str, error: Any) -> Diagnostic | Harmless:
    """A meta-schema error; `examples` given as a mapping (OpenAPI's media-type form) is harmless: it
    only documents, and becomes the list of its values that JSON Schema wants; so is an `enum` that
    repeats a value, which accepts the same values listed once."""
    if jp.split(at)[-1:] == ["examples"] and error.validator == "type" and isinstance(error.instance, dict):
        values = [v["value"] if isinstance(v, dict) and "value" in v else v for v in error.instance.values()]
        message = "not a valid schema: a schema's `examples` is a list, not a mapping (that is a media type's)"
        hint = "write the examples as a list of values (`examples: [...]`)"
        return Harmless(doc.diagnostic(at, message, hint, REPAIR), "read as the list of its values", at, values)
    if jp.split(at)[-1:] == ["enum"] and error.validator == "uniqueItems" and isinstance(error.instance, list):
        unique = list({json.dumps(v, sort_keys=True): v for v in error.instance}.values())
        message = f"not a valid schema: its `enum` repeats values ({len(error.instance)} given, {len(unique)} differ)"
        hint = "list each value once"
        return Harmless(doc.diagnostic(at, message, hint, REPAIR), "read with each value once", at, unique)
    message = f"not a valid schema: {_short(error.message)}"
    return doc.diagnostic(at, message, HINTS.get(str(error.validator), OTHER_HINT), "openapi")


def _default_problems(doc: Document, spec: Any) -> list[Diagnostic | Harmless]:
    """Each schema's `default` validated against the schema itself (references resolved as the
    validator does). A default that does not fit is harmless: the client sends nothing in its place,
    so it is dropped."""
    from jsonschema.exceptions import UnknownType
    from openapi_schema_validator import OAS30Validator, OAS31Validator
    from referencing.exceptions import Unresolvable

    cls = OAS31Validator if _is_31(doc) else OAS30Validator
    problems: list[Diagnostic | Harmless] = []
    for at, schema in iter_schemas(doc.root):
        default = schema.get("default")
        if "default" not in schema or (default is None and schema.get("nullable") is True):
            continue
        try:
            with _schema_path(spec, doc.root, at).resolve() as resolved:
                checker = cls(resolved.contents, _resolver=resolved.resolver)
                error = next(iter(checker.iter_errors(plain(default))), None)
        except (UnknownType, Unresolvable):  # a broken schema: reported by the passes before
            continue
        if error is not None:
            message = f"default {_short(repr(plain(default)), 80)} does not fit its schema: {_short(error.message)}"
            hint = "change the default to a value the schema accepts, or remove it"
            at_default = jp.join(at, "default")
            problems.append(Harmless(doc.diagnostic(at_default, message, hint, REPAIR), "dropped", at_default))
    return problems


def _schema_path(spec: Any, root: Any, at: str) -> Any:
    """openapi-spec-validator's path object for the node at `at` (list positions as numbers)."""
    node, path = root, spec
    for token in jp.split(at):
        key: str | int = int(token) if isinstance(node, list) else token
        node, path = node[key], path / key
    return path
