"""Check a generated package against the normalised description it was made from, in a fresh
interpreter: `python package_check.py PACKAGE_FOLDER NORMALISED_YAML`. Every model holds its
schema's wire names, enum values, defaults and descriptions exactly (descriptions up to whitespace:
docstrings are wrapped); every operation has one method whose docstring holds its summary, route
and description, and whose arguments carry the parameters' wire names and defaults. Prints
`checked N models, M methods`; any difference is an AssertionError naming it."""

from __future__ import annotations

import ast
import enum as enum_type
import importlib
import inspect
import sys
import textwrap
import typing
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML


def words(text: Any) -> list[str]:
    return str(text or "").split()


def field_docstrings(source: str) -> dict[str, dict[str, str]]:
    """class -> field -> the docstring written under it."""
    found: dict[str, dict[str, str]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            for item, after in zip(node.body, node.body[1:], strict=False):
                documented = isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                if isinstance(item, ast.AnnAssign) and documented and isinstance(after.value.value, str):  # type: ignore[attr-defined]
                    found.setdefault(node.name, {})[ast.unparse(item.target)] = after.value.value  # type: ignore[attr-defined]
    return found


def check_models(models: Any, schemas: dict[str, Any]) -> int:
    fields_doc = field_docstrings(inspect.getsource(models))
    for name, schema in schemas.items():
        cls = getattr(models, name, None)
        if cls is None:  # a collapsed root model (a plain type): only objects and enums are classes
            assert not schema.get("properties") and "enum" not in schema, name
            continue
        if "enum" in schema:  # an Enum, or a root model wrapping one and None (`enum: [null, ...]`)
            inner = typing.get_args(cls.model_fields["root"].annotation) if hasattr(cls, "model_fields") else [cls]
            [enum] = [e for e in inner if isinstance(e, type) and issubclass(e, enum_type.Enum)]
            assert {m.value for m in enum} == set(schema["enum"]) - {None}, name
            continue
        if not schema.get("properties"):
            continue
        by_wire = {(f.alias or n): (n, f) for n, f in cls.model_fields.items()}
        assert set(by_wire) == set(schema["properties"]), (name, set(by_wire), set(schema["properties"]))
        if words(schema.get("description")):
            assert words(inspect.getdoc(cls)) == words(schema["description"]), name
        for wire, prop in schema["properties"].items():
            python, info = by_wire[wire]
            if "default" in prop and wire not in schema.get("required", []):  # a required field has none
                assert info.default == prop["default"], (name, wire, info.default, prop["default"])
            if words(prop.get("description")):
                assert words(fields_doc[name][python]) == words(prop["description"]), (name, wire)
    return len(schemas)


def summary_part(doc: str | None) -> str:
    """A method's docstring before its `Args:` and `Returns` sections: summary, route, description."""
    return str(doc or "").split("\n\nArgs:\n")[0].split("\n\nReturns `")[0]


def query_arguments(method: Any) -> dict[str, str]:
    """The `query={wire: argument}` a method sends, read from its source."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "query" and isinstance(node.value, ast.Dict):
            return {
                ast.literal_eval(k): ast.unparse(v) for k, v in zip(node.value.keys, node.value.values, strict=True)
            }  # type: ignore[arg-type]
    return {}


def resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """What a local `$ref` points to (the node itself when it is none)."""
    if "$ref" not in node:
        return node
    for token in node["$ref"][2:].split("/"):
        doc = doc[token.replace("~1", "/").replace("~0", "~")]
    return doc


def check_methods(package: Any, doc: dict[str, Any]) -> int:
    resources = importlib.import_module(package.__name__ + ".resources")
    classes = [getattr(resources, n) for n in resources.__all__ if f"Async{n}" in resources.__all__]
    methods = [
        member
        for cls in classes
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    ]
    count = 0
    for path, item in doc["paths"].items():
        for verb, op in item.items():
            if not isinstance(op, dict) or verb == "parameters":
                continue
            route = f"`{verb.upper()} {path}`"
            found = [m for m in methods if route in (m.__doc__ or "")]
            assert len(found) == 1, (route, found)
            method = found[0]
            expected = words(op.get("summary")) + route.split() + words(op.get("description"))
            assert words(summary_part(inspect.getdoc(method))) == expected, (route, inspect.getdoc(method), expected)
            sent = query_arguments(method)
            signature = inspect.signature(method)
            documented = str(inspect.getdoc(method)).split("\n\nArgs:\n")[-1]
            for argument in [a for a in signature.parameters if a != "self"]:
                assert f"    {argument}:" in documented, (route, argument)
            for param in [resolve(doc, p) for p in op.get("parameters") or []]:
                if param["in"] != "query":
                    continue
                argument = signature.parameters[sent[param["name"]]]
                if "default" in param.get("schema", {}):
                    assert argument.default == param["schema"]["default"], (route, param["name"])
            count += 1
    return count


def main() -> None:
    folder, normalized = Path(sys.argv[1]), Path(sys.argv[2])
    doc = YAML(typ="safe").load(normalized.read_text(encoding="utf-8"))
    [name] = [p.name for p in folder.iterdir() if (p / "__init__.py").is_file()]
    sys.path.insert(0, str(folder))
    package = importlib.import_module(name)
    expected = words(str(doc["info"].get("title") or "API") + ": a typed Python")
    assert words(package.__doc__)[: len(expected)] == expected, package.__doc__
    models = check_models(package.models, doc.get("components", {}).get("schemas", {}))
    print(f"checked {models} models, {check_methods(package, doc)} methods")


if __name__ == "__main__":
    main()
