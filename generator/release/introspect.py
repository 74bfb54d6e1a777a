"""`python -m generator.release.introspect ROOT PACKAGE`: the public API of the package PACKAGE
found in ROOT, as JSON on stdout. Run in a process of its own, so that importing the package made
from a description never touches the generator's own process.

Recorded: the exports; for each exported model, its fields (type, required); the constructors of
`Client` and `AsyncClient`; for each resource class and each other class the package exports (not
an exception), its public methods: every parameter (kind, required, type) and the return type.
Types are the annotations as written (strings)."""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from typing import Any

from pydantic import BaseModel

FORMAT = 2  # raised whenever what is recorded changes, so that two snapshots compare like with like


def _signature(member: Any) -> dict[str, dict[str, Any]]:
    signature = inspect.signature(member)
    params = {
        p.name: {"kind": p.kind.name, "required": p.default is p.empty, "type": str(p.annotation)}
        for p in signature.parameters.values()
        if p.name != "self"
    }
    return params | {"->": {"kind": "RETURN", "required": True, "type": str(signature.return_annotation)}}


def _methods(cls: type) -> dict[str, dict[str, dict[str, Any]]]:
    return {
        f"{cls.__name__}.{name}": _signature(member)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def api(package_name: str) -> dict[str, Any]:
    package = importlib.import_module(package_name)
    resources = importlib.import_module(f"{package_name}.resources")
    found: dict[str, Any] = {"format": FORMAT, "exports": sorted(package.__all__), "methods": {}, "models": {}}
    for name in resources.__all__:
        found["methods"].update(_methods(getattr(resources, name)))
    for name in package.__all__:
        value = getattr(package, name)
        if not inspect.isclass(value) or issubclass(value, BaseException):
            continue
        if issubclass(value, BaseModel):
            found["models"][name] = {
                field: {"type": repr(info.annotation), "required": info.is_required()}
                for field, info in value.model_fields.items()
            }
        elif name in ("Client", "AsyncClient"):  # their settings
            found["methods"][f"{name}.__init__"] = _signature(value.__init__)
        elif value.__module__.startswith(f"{package_name}._"):
            found["methods"].update(_methods(value))
    return found


def main(argv: list[str]) -> None:
    root, package_name = argv
    sys.path.insert(0, root)
    print(json.dumps(api(package_name), indent=2, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1:])
