"""The Python name of every model field is decided here, by `names.snake_scope` (one schema's
properties are one scope: `+1` and `-1` become `plus_1` and `minus_1`), and handed to
datamodel-code-generator as scoped aliases (`Class.wire` -> name): left to itself it would number
colliding fields (`foo_bar`, `foo_bar_1`, in document order), so a reordered description would
silently swap them. Two properties of one schema that get one name are an error naming both, and
`x-python-name` on a property chooses its name (the wire name stays as it is)."""

from __future__ import annotations

from generator.diagnostics import GeneratorFailure
from generator.document import pointer as jp
from generator.document.loading import Document
from generator.document.walking import resolve_ref
from generator.names import FIELD_NAMES, snake_scope
from generator.render.model_source import EPOCH_MARKER
from generator.render.models import ModelIndex

Expected = dict[str, dict[str, str]]  # class -> wire name -> Python name


def field_names(doc: Document) -> Expected:
    """The Python name of each property of each component schema; GeneratorFailure on a collision."""
    expected: Expected = {}
    problems = []
    for name, schema in ((doc.root.get("components") or {}).get("schemas") or {}).items():
        properties = schema.get("properties") if isinstance(schema, dict) else None
        if not isinstance(properties, dict):
            continue
        at = jp.join("/components/schemas", str(name), "properties")
        claimed: dict[str, str] = {}
        props = {str(wire): prop if isinstance(prop, dict) else {} for wire, prop in properties.items()}
        chosen = {wire: str(prop.get("x-python-name") or wire) for wire, prop in props.items()}
        pythons = snake_scope(chosen, reserved=FIELD_NAMES, fallback="field")
        for wire, prop in props.items():
            python = pythons[wire]
            target = resolve_ref(doc.root, prop)
            epoch = isinstance(target, dict) and target.get(EPOCH_MARKER) is True
            for claim in [python, f"{python}_datetime"] if epoch else [python]:
                if claim in claimed:
                    first = jp.join(at, claimed[claim])
                    problems.append(
                        doc.diagnostic(
                            jp.join(at, str(wire)),
                            f"properties {claimed[claim]!r} ({doc.where(first)}) and {str(wire)!r} of schema "
                            f"{name!r} would both be the Python name {claim!r}",
                            "set `x-python-name` on one of them (a fix can add it); the wire name stays as it is",
                            rule="render-names",
                        )
                    )
                claimed[claim] = str(wire)
            expected.setdefault(str(name), {})[str(wire)] = python
    if problems:
        raise GeneratorFailure(problems)
    return expected


def aliases(expected: Expected) -> dict[str, str]:
    """datamodel-code-generator's `--aliases` for the names it would not choose by itself."""
    return {
        f"{cls}.{wire}": python for cls, names in expected.items() for wire, python in names.items() if python != wire
    }


def check_field_names(index: ModelIndex, expected: Expected) -> None:
    """Fail loudly (a toolchain bug) if datamodel-code-generator named a field other than as decided."""
    for cls, fields in index.fields.items():
        for field in fields:
            wanted = expected.get(cls, {}).get(field.wire_name)
            if wanted is not None and wanted != field.python_name:
                raise RuntimeError(
                    f"datamodel-code-generator named {cls}.{field.wire_name} {field.python_name!r}, not {wanted!r}"
                )
