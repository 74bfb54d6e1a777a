"""Edits to the source datamodel-code-generator emits, for what its options cannot say: datetime
views of epoch-millisecond fields, `union_mode` removed where pydantic refuses it, signatures by
Python names, and the enums moved to a module of their own. All are found in one `ast` parse (a
large description's models take seconds to parse) and made by their positions in one pass."""

from __future__ import annotations

import ast
from dataclasses import dataclass

EPOCH_MARKER = "x-epoch-millis"
SIGNATURES = "use_python_names"  # `_signatures.use_python_names`, in the runtime
ENUMS = "_enums"  # the module the enums are defined in, re-exported by `models`


@dataclass(frozen=True)
class Edited:
    models: str  # the models module
    enums: str  # the `_enums` module, "" when there are none
    enum_names: list[str]  # the enums it defines


def edit_models(source: str, tree: ast.Module, header: str) -> Edited:
    """`source` (whose parse is `tree`) with every edit made; `header` starts the `_enums` module."""
    positions = _Positions(source)
    edits = [*_datetime_views(tree, positions), *_union_mode_cuts(tree, positions)]
    enums = [node for node in tree.body if isinstance(node, ast.ClassDef) and _plain_enum(node)]
    imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    names = [node.name for node in enums] if imports else []
    classes = any(isinstance(node, ast.ClassDef) for node in tree.body)
    if imports:
        added = [f"from .{ENUMS} import {name} as {name}" for name in names]
        added += [f"from ._signatures import {SIGNATURES}"] if classes else []
        at = positions.line_start(imports[-1].end_lineno)
        edits.append((at, at, "\n" + "".join(f"{line}\n" for line in added)))
    for node in enums if names else []:
        edits.append((positions.line_start(node.lineno - 1), positions.line_start(node.end_lineno), ""))
    pieces, done = [], 0
    for start, end, text in sorted(edits, key=lambda edit: (edit[0], edit[1])):  # joined once: linear
        pieces += [source[done:start], text]
        done = end
    source = "".join([*pieces, source[done:]]).rstrip("\n") + "\n"
    if imports and classes:
        source += f"\n\n{SIGNATURES}(globals())\n"
    moved = [positions.text(node.lineno - 1, node.end_lineno) for node in enums] if names else []
    return Edited(source, _enums_module(header, names, moved) if names else "", names)


class _Positions:
    """Offsets into the source from `ast` positions, whose columns count UTF-8 bytes. Lines are
    split at `\\n` only: a docstring may hold a form feed or a line separator."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines = source.split("\n")
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def line_start(self, lineno: int | None) -> int:
        """The offset of the start of the line after line `lineno` (1-based), capped at the end."""
        return min(self.starts[lineno or 0], len(self.source))

    def at(self, lineno: int | None, col: int | None) -> int:
        line = self.lines[(lineno or 1) - 1]
        return self.starts[(lineno or 1) - 1] + len(line.encode()[: col or 0].decode())

    def text(self, after: int, through: int | None) -> str:
        return self.source[self.line_start(after) : self.line_start(through)].rstrip("\n")


Edit = tuple[int, int, str]  # (start, end, replacement): an insertion where start == end


def _datetime_views(tree: ast.Module, positions: _Positions) -> list[Edit]:
    """Give every integer field marked `x-epoch-millis` a `<field>_datetime` property (an aware UTC
    datetime), so the wire value stays an int and round-trips exactly.

    Done on the emitted source, not in a datamodel-code-generator template: 0.89.0 renders field
    docstrings wrongly as soon as any custom BaseModel template is given."""
    edits: list[Edit] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        added: list[str] = []
        for item in node.body:
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name) and _epoch_millis(item.annotation):
                added += _datetime_property(item.target.id, required=item.value is None)
        if added:
            at = positions.line_start(node.end_lineno)
            edits.append((at, at, "".join(f"{line}\n" for line in added)))
    return edits


def _epoch_millis(annotation: ast.expr) -> bool:
    for node in ast.walk(annotation):
        if isinstance(node, ast.keyword) and node.arg == "json_schema_extra" and isinstance(node.value, ast.Dict):
            return any(isinstance(k, ast.Constant) and k.value == EPOCH_MARKER for k in node.value.keys)
    return False


def _datetime_property(name: str, *, required: bool) -> list[str]:
    value = f"datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=self.{name})"
    body = (
        [f"        return {value}"]
        if required
        else [f"        if self.{name} is None:", "            return None", f"        return {value}"]
    )
    return [
        "",
        "    @property",
        f"    def {name}_datetime(self) -> datetime{'' if required else ' | None'}:",
        f'        """`{name}` as a timezone-aware UTC datetime{"" if required else " (None when absent)"}."""',
        *body,
    ]


def _union_mode_cuts(tree: ast.Module, positions: _Positions) -> list[Edit]:
    """`Annotated[X | None, Field(union_mode=...)]`, which datamodel-code-generator 0.89.0 writes for
    every `anyOf: [X, {type: 'null'}]`, does not import: pydantic makes a nullable X, not a union, and
    refuses the constraint. With one type there is no order to keep, so the keyword goes."""
    cuts: list[Edit] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Subscript) and ast.unparse(node.value) == "Annotated"):
            continue
        kind, *extras = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        members = _union_members(kind)
        if "None" not in members or len([m for m in members if m != "None"]) != 1:
            continue
        for call in extras:
            arguments: list[ast.expr | ast.keyword] = [*getattr(call, "args", []), *getattr(call, "keywords", [])]
            for position, argument in enumerate(arguments):
                if not (isinstance(argument, ast.keyword) and argument.arg == "union_mode"):
                    continue
                start = positions.at(argument.lineno, argument.col_offset)
                end = positions.at(argument.end_lineno, argument.end_col_offset)
                if position:  # `, union_mode=...`: from the end of the argument before it
                    previous = arguments[position - 1]
                    start = positions.at(previous.end_lineno, previous.end_col_offset)
                elif position + 1 < len(arguments):  # `union_mode=..., `: up to the argument after it
                    end = positions.at(arguments[position + 1].lineno, arguments[position + 1].col_offset)
                cuts.append((start, end, ""))
    return cuts


def _union_members(kind: ast.expr) -> list[str]:
    """`X | None`, `Union[X, None]` and `Optional[X]` -> ["X", "None"]; anything else -> [itself]."""
    if isinstance(kind, ast.BinOp) and isinstance(kind.op, ast.BitOr):
        return _union_members(kind.left) + _union_members(kind.right)
    if isinstance(kind, ast.Subscript) and ast.unparse(kind.value) in ("Union", "Optional"):
        inner = kind.slice.elts if isinstance(kind.slice, ast.Tuple) else [kind.slice]
        return [ast.unparse(e) for e in inner] + (["None"] if ast.unparse(kind.value) == "Optional" else [])
    return [ast.unparse(kind)]


def _plain_enum(node: ast.ClassDef) -> bool:
    """`class X(str, Enum)` with a docstring and constant members only, undecorated. An enum is a
    handful of constants, yet a resource whose argument defaults to one needs it when imported:
    from `_enums` that builds none of the model classes. One holding more stays in `models`."""
    if node.decorator_list or node.keywords or "Enum" not in {ast.unparse(base) for base in node.bases}:
        return False
    for item in node.body:
        if isinstance(item, ast.Expr) and isinstance(item.value, ast.Constant):
            continue
        if not (isinstance(item, ast.Assign) and len(item.targets) == 1 and isinstance(item.targets[0], ast.Name)):
            return False
        try:
            ast.literal_eval(item.value)
        except ValueError:
            return False
    return True


def _enums_module(header: str, names: list[str], classes: list[str]) -> str:
    """The enums, known by their public home: their `__module__` is `models`, which re-exports them."""
    return "\n".join(
        [
            header,
            '"""The enums of the models, apart so that importing one builds no model (`models` re-exports them)."""',
            "",
            "from enum import Enum",
            "",
            *[f"\n{text}\n" for text in classes],
            "",
            "for _enum in (" + ", ".join(names) + ",):",
            '    _enum.__module__ = f"{__package__}.models"',
            "",
        ]
    )
