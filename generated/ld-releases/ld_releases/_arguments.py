# Copied verbatim from templates/ by the ld-releases toolchain: do not edit here.
"""The arguments of a generated method, checked before anything is sent, so a mistake is an
`ArgumentError` naming the method's own argument, not the wire name nor a pydantic error."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ValidationError

from ._exceptions import ArgumentError


def check_path(arguments: Mapping[str, object]) -> None:
    """Each path argument (by its Python name) must be given: None or an empty text would send `/None/` or `//`."""
    for name, value in arguments.items():
        if value is None:
            raise ArgumentError(f"argument {name!r} must be given, not None")
        if isinstance(value, (str, list, tuple, dict)) and not value:
            raise ArgumentError(f"argument {name!r} must not be empty")


def validated_model(model: type[BaseModel], value: object, argument: str | None) -> BaseModel:
    """`value` as an instance of `model`; what does not fit is an `ArgumentError` naming the
    argument: the method's keyword (a body field's Python name), or `argument` for a whole body."""
    try:
        return value if isinstance(value, model) else model.model_validate(value)
    except ValidationError as err:
        names = {field.alias or name: name for name, field in model.model_fields.items()}
        problems = []
        for error in err.errors(include_url=False, include_input=False):
            location = [str(part) for part in error["loc"]]
            if argument is not None:
                location.insert(0, argument)
            elif location:
                location[0] = names.get(location[0], location[0])
            where = ".".join(location) or "the body"
            problems.append(f"argument {where!r}: {error['msg']}")
        raise ArgumentError("; ".join(problems)) from None
