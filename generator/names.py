"""Every Python name the generator derives from a description (packages, modules, classes, methods,
arguments, fields, hosts) comes from here, so that one set of rules makes them safe: ASCII words
only (so `../`, spaces and quotes vanish), never a leading digit or underscore (no dunders, nothing
private), and a suffix whenever the name would shadow something: a keyword, or a name the generated
code itself relies on in that place. Two things of the description that end up with one name are
the caller's to report; nothing here makes a name unique by counting.

Punctuation is dropped, except where it is all that tells two names of one scope apart (`+1` and
`-1`, `StartTime` and `StartTime<`): `snake_scope` names a scope's members all at once, and only
the members whose plain names collide get their meaningful punctuation spelled (`plus_1`,
`minus_1`, `start_time_before`), so a name that collides with nothing keeps its plain spelling and
the result depends only on the set of names, never on their order. `.`, `_` and a `-` inside a word
are separators and carry nothing (`foo_bar` and `foo-bar` stay one name, the caller's to report)."""

from __future__ import annotations

import ast
import keyword
import re
import sys
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import TypeVar


def words(text: str) -> list[str]:
    """`releasePipelineKey` -> release, Pipeline, Key; `HTTPStatus2` -> HTTP, Status2; `../é x` -> x."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", text)
    return re.findall(r"[A-Za-z0-9]+", text)


def _guard(name: str, reserved: frozenset[str], suffix: str) -> str:
    while keyword.iskeyword(name) or name in reserved:
        name += suffix
    return name


FILE_NAME_LENGTH = 80  # names that become files (packages, resource modules) stay well below the 255 bytes


def snake(
    text: str, *, reserved: frozenset[str] = frozenset(), fallback: str = "value", max_length: int | None = None
) -> str:
    """A snake_case identifier: `_creationDate` -> `creation_date`, `class` -> `class_`, `1st` -> `n_1st`,
    `__init__` -> `init`; `reserved` names get a trailing underscore too. With `max_length`, whole
    words are kept while they fit (a single longer word is cut)."""
    name = "_".join(w.lower() for w in words(text)) or fallback
    if max_length is not None and len(name) > max_length:
        cut = name[: max_length + 1].rfind("_")
        name = name[:cut] if cut > 0 else name[:max_length]
    if name[0].isdigit():
        name = "n_" + name
    return _guard(name, reserved, "_")


PUNCTUATION_WORDS = {
    **{"<=": "at or before", ">=": "at or after", "!=": "not equal", "<": "before", ">": "after", "=": "equal"},
    **{"!": "not", "+": "plus", "-": "minus", "@": "at", "#": "number", "$": "dollar", "*": "star"},
    **{"%": "percent", "&": "and", "|": "or", "~": "tilde", "/": "slash"},
}
"""What punctuation means when it is the only difference between two names of one scope."""

_MEANINGFUL = re.compile(
    "|".join(re.escape(mark) if mark != "-" else r"(?<![A-Za-z0-9])-" for mark in PUNCTUATION_WORDS) + r"|\A_+"
)  # the table lists `<=` before `<`; a `-` after a letter or digit joins words, as in `foo-bar`; a
# leading `_` (`_metadata` beside `metadata`) is spelled too, one inside a name only separates words


def spelled(text: str) -> str:
    """`StartTime<` -> `StartTime before `, `-1` -> ` minus 1`, `_metadata` -> ` underscore metadata`:
    meaningful punctuation as words."""
    return _MEANINGFUL.sub(lambda m: f" {PUNCTUATION_WORDS.get(m.group(), 'underscore')} ", text)


Member = TypeVar("Member", bound=Hashable)


def snake_scope(
    texts: Mapping[Member, str], *, reserved: frozenset[str] = frozenset(), fallback: str = "value"
) -> dict[Member, str]:
    """The snake_case names of one scope's members (key -> text to name): plain `snake`, except that
    members whose plain names collide get their punctuation spelled (`+1`, `-1` -> `plus_1`,
    `minus_1`). Names that still collide are returned as they are, for the caller to report."""
    return _scoped(texts, lambda text: snake(text, reserved=reserved, fallback=fallback))


def pascal_scope(texts: Mapping[Member, str], *, reserved: frozenset[str] = frozenset()) -> dict[Member, str]:
    """`snake_scope` for class names: `_metadata` beside `metadata` -> `UnderscoreMetadata`, `Metadata`."""
    return _scoped(texts, lambda text: pascal(text, reserved=reserved))


def _scoped(texts: Mapping[Member, str], name: Callable[[str], str]) -> dict[Member, str]:
    plain = {key: name(text) for key, text in texts.items()}
    counts = Counter(plain.values())
    return {key: name(spelled(texts[key])) if counts[found] > 1 else found for key, found in plain.items()}


def pascal(
    text: str, *, reserved: frozenset[str] = frozenset(), fallback: str = "Schema", suffix: str = "Model"
) -> str:
    """A PascalCase class name: `phase-status` -> `PhaseStatus`, `1st` -> `Schema1st`; a reserved name
    (or `None`, `True`, `False`) gets `suffix` (`BaseModel` -> `BaseModelModel`)."""
    name = "".join(w[:1].upper() + w[1:] for w in words(text)) or fallback
    if name[0].isdigit():
        name = fallback + name
    return _guard(name, reserved, suffix)


# Shadowing these would break the generated package (each set says where).
STDLIB_AND_DEPENDENCIES = frozenset(sys.stdlib_module_names) | {"httpx", "pydantic", "pydantic_core"}
"""Import names a package must not take: it would hide the module its own code imports."""

PARAMETER_NAMES = frozenset({"self", "timeout", "max_retries", "deadline", "fields"})
"""What a generated method's signature and body use besides its parameters (`fields`: its body's)."""

FIELD_NAMES = frozenset(
    # pydantic's BaseModel attributes, and the types models annotate fields with (a field named `str`
    # with a default would be what a later `str` annotation means in the class body)
    {"copy", "construct", "dict", "json", "schema", "schema_json", "validate", "fields"}
    | {"parse_obj", "parse_raw", "parse_file", "from_orm", "update_forward_refs"}
    | {"model_config", "model_fields", "model_computed_fields", "model_extra", "model_fields_set"}
    | {"model_construct", "model_copy", "model_dump", "model_dump_json", "model_json_schema"}
    | {"model_parametrized_name", "model_post_init", "model_rebuild", "model_validate", "model_validate_json"}
    | {"model_validate_strings", "str", "int", "float", "bool", "bytes", "list", "dict", "set", "frozenset"}
    | {"tuple", "object", "date", "datetime", "time", "timedelta", "timezone", "decimal", "uuid"}
)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def _bound_by_templates() -> frozenset[str]:
    """The class-like names the package binds beside its models, read from the templates themselves
    (one source): every public class of the runtime, and every capitalised name a package template
    imports (its static `from ... import ...` lines)."""
    found: set[str] = set()
    for source in sorted((TEMPLATES / "runtime").glob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        found |= {n.name for n in tree.body if isinstance(n, ast.ClassDef) and not n.name.startswith("_")}
    for template in sorted((TEMPLATES / "package").glob("*.jinja")):
        for line in template.read_text(encoding="utf-8").splitlines():
            if line.startswith("from ") and "{" not in line and "(" not in line:
                node = ast.parse(line).body[0]
                if isinstance(node, ast.ImportFrom):
                    found |= {alias.name for alias in node.names if alias.name[:1].isupper()}
    return frozenset(found)


CLASS_NAMES = (
    _bound_by_templates()
    | {"Client", "AsyncClient", "HOSTS", "SECURITY_SCHEMES", "PackageError"}  # what the templates define
    # what datamodel-code-generator's models import (it would rename a clashing schema itself)
    | {"BaseModel", "RootModel", "ConfigDict", "Field", "Enum", "IntEnum", "StrEnum", "Annotated", "Optional"}
    | {"Union", "Literal", "List", "Dict", "Set", "Tuple", "Type", "AwareDatetime", "NaiveDatetime", "UUID"}
    | {"Decimal", "AnyUrl", "EmailStr", "IPv4Address", "IPv6Address", "Path", "Base64Str", "SecretStr"}
)
"""Model class names that would shadow a name of the package (a schema `Client` becomes `ClientModel`).
The package's base error class, named after the package, is checked when the package is written."""

CLIENT_ATTRIBUTES = frozenset(
    {
        *("close", "request", "base_url", "timeout", "max_retries", "retry_policy"),
        *("deadline", "attempt_deadline", "max_response_bytes"),
    }
)
"""`Client` attributes a resource (`client.<tag>`) must not replace."""

RESOURCE_ATTRIBUTES = frozenset({"with_raw_response", "with_streaming_response"})
"""Resource attributes an operation's method must not replace."""
