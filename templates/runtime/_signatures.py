"""Models' signatures in Python names: pydantic shows a field's wire alias (`audienceId`) in
`inspect.signature` and `help()` whenever it validates by alias; the models take both, so the
signature shows the names users write (`audience_id`) and the wire aliases stay for the wire."""

from __future__ import annotations

import inspect
from collections.abc import Mapping

from pydantic import BaseModel, RootModel


def use_python_names(namespace: Mapping[str, object]) -> None:
    """Give every model class in `namespace` (a module's globals) a signature by field names."""
    for value in list(namespace.values()):
        if isinstance(value, type) and issubclass(value, BaseModel) and not issubclass(value, RootModel):
            aliases = {field.alias: name for name, field in value.model_fields.items() if field.alias}
            signature = inspect.signature(value)
            parameters = [p.replace(name=aliases.get(p.name, p.name)) for p in signature.parameters.values()]
            value.__signature__ = signature.replace(parameters=parameters)
