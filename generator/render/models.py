"""Pydantic v2 models through datamodel-code-generator, and an index of what it emitted (read back
with `ast`), so that method signatures use exactly the classes, fields and types it produced."""

from __future__ import annotations

import ast
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.render.model_source import EPOCH_MARKER
from generator.tools import run_tool

DATAMODEL_OPTIONS = (
    "--input-file-type=openapi",
    "--output-model-type=pydantic_v2.BaseModel",
    "--target-python-version=3.10",
    "--disable-timestamp",
    "--use-annotated",
    "--field-constraints",
    "--snake-case-field",
    "--remove-special-field-name-prefix",
    "--collapse-root-models",
    "--allow-population-by-field-name",
    "--extra-fields=allow",
    "--use-union-operator",
    "--use-standard-collections",
    "--union-mode=left_to_right",
    "--capitalise-enum-members",
    "--use-subclass-enum",
    "--use-schema-description",
    "--use-field-description",
    "--use-attribute-docstrings",  # pydantic reads each field's docstring as its description
    "--use-double-quotes",
    "--formatters=builtin",  # pure Python: never a `ruff` that happens to be on PATH
    "--ignore-pyproject",
    f"--field-extra-keys={EPOCH_MARKER}",
    "--additional-imports=datetime.datetime,datetime.timedelta,datetime.timezone",  # unused ones are removed
)


@dataclass(frozen=True)
class ModelField:
    python_name: str
    wire_name: str
    annotation: str  # the bare type, `Annotated[...]` unwrapped
    required: bool
    description: str = ""


@dataclass
class ModelIndex:
    """Class name -> fields for BaseModels; class name -> root type for RootModels; enums by name,
    with their values (for the docstrings of the arguments they type)."""

    fields: dict[str, list[ModelField]] = field(default_factory=dict)
    roots: dict[str, str] = field(default_factory=dict)
    enums: set[str] = field(default_factory=set)
    enum_values: dict[str, list[object]] = field(default_factory=dict)
    apart: set[str] = field(default_factory=set)  # the enums defined in `_enums` (`edit_models`)

    @property
    def names(self) -> set[str]:
        return set(self.fields) | set(self.roots) | self.enums


def run_datamodel_codegen(normalized: Path, header: str, aliases: dict[str, str], spec: Path) -> tuple[str, list[str]]:
    """The models module's source as emitted (for `edit_models`), with the field names in `aliases`
    (`Class.wire` -> name), and the constraints it could not express (a field kept without, say, its
    `pattern`: a warning). Any other warning from the generator means a model or field would be
    dropped or wrong: an error, reported against `spec`.

    It runs in a private temporary folder with `--ignore-pyproject`: it would otherwise pick up the
    settings of any pyproject.toml above the output (ours sets a line length), and the same spec
    would give different bytes depending on where it is generated."""
    with tempfile.TemporaryDirectory(prefix="ld-releases-models.") as scratch:
        source, out = Path(scratch) / normalized.name, Path(scratch) / "models.py"  # its suffix says JSON or YAML
        shutil.copyfile(normalized, source)
        (Path(scratch) / "aliases.json").write_text(json.dumps(aliases, sort_keys=True), encoding="utf-8")
        command = [sys.executable, "-m", "datamodel_code_generator", f"--input={source}", f"--output={out}"]
        command += [*DATAMODEL_OPTIONS, f"--custom-file-header={header}", "--aliases=aliases.json"]
        done = run_tool(command, Path(scratch), "datamodel-code-generator")
        text = out.read_text(encoding="utf-8") if done.returncode == 0 and out.is_file() else ""
    losses, noise = _constraint_losses(done.stderr)
    if done.returncode != 0 or noise:
        raise GeneratorFailure(
            [
                Diagnostic(
                    message="datamodel-code-generator failed or warned:\n    "
                    + "\n    ".join(noise[-15:] or ["(no output)"]),
                    hint="fix the schema it names (a warning means a model would be dropped or wrong)",
                    file=str(spec),
                    rule="render-models",
                )
            ]
        )
    return text, losses


CONSTRAINT_LOST = re.compile(r"UserWarning: (.* is generated without (?:this constraint|these constraints)\.)$")


def _constraint_losses(stderr: str) -> tuple[list[str], list[str]]:
    """datamodel-code-generator's warnings that only lose a constraint, and every other output line.
    Python prints each warning as its message line and then the source line that raised it."""
    losses, noise = [], []
    lines = [line for line in stderr.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        lost = CONSTRAINT_LOST.search(line)
        if lost:
            losses.append(lost.group(1))
        elif not (index and CONSTRAINT_LOST.search(lines[index - 1]) and line.startswith(" ")):
            noise.append(line)
    return sorted(set(losses)), noise


def _unwrap(annotation: ast.expr) -> ast.expr:
    if isinstance(annotation, ast.Subscript) and ast.unparse(annotation.value) == "Annotated":
        inner = annotation.slice
        return inner.elts[0] if isinstance(inner, ast.Tuple) else inner
    return annotation


def _field_argument(annotation: ast.expr, name: str) -> str | None:
    """A constant argument of the `Field(...)` in a field's annotation (`alias`, `description`)."""
    for node in ast.walk(annotation):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "Field":
            for keyword in node.keywords:
                if keyword.arg == name and isinstance(keyword.value, ast.Constant):
                    return str(keyword.value.value)
    return None


def _docstring(node: ast.stmt | None) -> str | None:
    """The field docstring datamodel-code-generator writes under a field (`--use-field-description`)."""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
        return node.value.value.strip()
    return None


def index_models(tree: ast.Module) -> ModelIndex:
    """What the models module (parsed as `tree`, before `edit_models`, which adds no field) defines."""
    index = ModelIndex()
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {ast.unparse(b) for b in node.bases}
        if any("Enum" in b for b in bases):
            index.enums.add(node.name)
            index.enum_values[node.name] = [
                item.value.value
                for item in node.body
                if isinstance(item, ast.Assign) and isinstance(item.value, ast.Constant)
            ]
        elif any(b.startswith("RootModel") for b in bases):
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and ast.unparse(item.target) == "root":
                    index.roots[node.name] = ast.unparse(_unwrap(item.annotation))
        else:
            fields = []
            for item, following in zip(node.body, [*node.body[1:], None], strict=True):
                if (
                    isinstance(item, ast.AnnAssign)
                    and isinstance(item.target, ast.Name)
                    and item.target.id != "model_config"
                ):
                    name = item.target.id
                    fields.append(
                        ModelField(
                            python_name=name,
                            wire_name=_field_argument(item.annotation, "alias") or name,
                            annotation=ast.unparse(_unwrap(item.annotation)),
                            required=item.value is None,
                            description=_docstring(following) or _field_argument(item.annotation, "description") or "",
                        )
                    )
            index.fields[node.name] = fields
    return index
