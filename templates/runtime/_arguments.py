"""The arguments of a generated method, checked before anything is sent, so a mistake is an
`ArgumentError` naming the method's own argument, not the wire name nor a pydantic error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ._exceptions import ArgumentError

if TYPE_CHECKING:
    from pydantic import BaseModel


def check_path(arguments: Mapping[str, object]) -> None:
    """Each path argument (by its Python name) must be given: None or an empty text would send `/None/` or `//`."""
    for name, value in arguments.items():
        if value is None:
            raise ArgumentError(f"argument {name!r} must be given, not None")
        if isinstance(value, (str, list, tuple, dict)) and not value:
            raise ArgumentError(f"argument {name!r} must not be empty")


def check_types(arguments: Mapping[str, tuple[object, tuple[type, ...]]]) -> None:
    """Each parameter (by its Python name) of a type it can be sent as: `flag_key=7` for a text is
    refused, not sent as `7`; a bool is not taken for a number."""
    for name, (value, types) in arguments.items():
        if isinstance(value, types) and not (isinstance(value, bool) and bool not in types):
            continue
        wanted = " or ".join(dict.fromkeys("None" if t is type(None) else t.__name__ for t in types))
        raise ArgumentError(f"argument {name!r} must be {wanted}, not {type(value).__name__}")


def validated_model(model: type[BaseModel], value: object, argument: str | None) -> BaseModel:
    """`value` as an instance of `model`; what does not fit is an `ArgumentError` naming the
    argument: the method's keyword (a body field's Python name), or `argument` for a whole body."""
    from pydantic import ValidationError  # here: keeps importing the package light

    try:
        return value if isinstance(value, model) else model.model_validate(value)
    except ValidationError as err:
        names = {field.alias or name: name for name, field in model.model_fields.items()}
        problems: dict[str, list[str]] = {}
        for error in err.errors(include_url=False, include_input=False):
            location = list(error["loc"])
            top = argument
            if top is None and location:
                first = str(location.pop(0))
                top = names.get(first, first)
            inner = ".".join(str(part) for part in location if not _union_tag(part))
            problems.setdefault(top or "the body", []).append(f"{error['msg']}{f' (at {inner})' if inner else ''}")
        text = "; ".join(f"argument {name!r}: {problem}" for name, found in problems.items() for problem in found)
        raise ArgumentError(text) from None


_SCALAR_TAGS = {"str", "int", "float", "bool", "bytes", "none", "list", "dict", "tuple", "set"}


def _union_tag(part: str | int) -> bool:
    """A part of pydantic's error location naming a member of a union (`str`, `str-enum[X]`,
    a model class), not a field or an index."""
    if isinstance(part, int):
        return False
    return part in _SCALAR_TAGS or not part.isidentifier() or part[:1].isupper()
