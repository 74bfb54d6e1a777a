"""The generic rules, in the order they run. Per-spec fixes run before all of them."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from generator.document.loading import Document
from generator.normalise.changes import RuleLog
from generator.normalise.rules import (
    drop_meaningless_formats,
    drop_reserved_header_parameters,
    examples_match_schema,
    hoist_inline_schemas,
    link_operations,
    operation_ids,
    schema_names,
)

Rule = Callable[[Document, RuleLog], None]

# Order matters where rules build on each other: operation ids name hoisted schemas and links, hoisted
# names avoid the (renamed) component names, links find identifiers through the schemas' names, and
# examples are checked last, against the final schemas.
RULES: tuple[ModuleType, ...] = (
    drop_reserved_header_parameters,
    drop_meaningless_formats,
    operation_ids,
    schema_names,
    hoist_inline_schemas,
    link_operations,
    examples_match_schema,
)
