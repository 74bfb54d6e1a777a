"""Edits to the source datamodel-code-generator emits, made with `ast` positions, for what its
options cannot say: datetime views of epoch-millisecond fields, and `union_mode` removed where
pydantic refuses it."""

from __future__ import annotations

import ast

EPOCH_MARKER = "x-epoch-millis"


def add_datetime_views(source: str) -> str:
    """Give every integer field marked `x-epoch-millis` a `<field>_datetime` property (an aware UTC
    datetime), so the wire value stays an int and round-trips exactly.

    Done on the emitted source, not in a datamodel-code-generator template: 0.89.0 renders field
    docstrings wrongly as soon as any custom BaseModel template is given."""
    lines = source.split("\n")  # not splitlines(): a docstring may hold a form feed or a line separator
    inserts: list[tuple[int, list[str]]] = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        added: list[str] = []
        for item in node.body:
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name) and _epoch_millis(item.annotation):
                added += _datetime_property(item.target.id, required=item.value is None)
        if added and node.end_lineno is not None:
            inserts.append((node.end_lineno, added))
    for line, added in sorted(inserts, reverse=True):
        lines[line:line] = added
    return "\n".join(lines).rstrip("\n") + "\n"


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


def drop_union_mode_on_optionals(source: str) -> str:
    """`Annotated[X | None, Field(union_mode=...)]`, which datamodel-code-generator 0.89.0 writes for
    every `anyOf: [X, {type: 'null'}]`, does not import: pydantic makes a nullable X, not a union, and
    refuses the constraint. With one type there is no order to keep, so the keyword goes."""
    lines = source.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def index(lineno: int | None, col: int | None) -> int:  # ast columns count UTF-8 bytes
        line = lines[(lineno or 1) - 1]
        return starts[(lineno or 1) - 1] + len(line.encode()[: col or 0].decode())

    cuts: list[tuple[int, int]] = []
    for node in ast.walk(ast.parse(source)):
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
                start, end = (
                    index(argument.lineno, argument.col_offset),
                    index(argument.end_lineno, argument.end_col_offset),
                )
                if position:  # `, union_mode=...`: from the end of the argument before it
                    previous = arguments[position - 1]
                    start = index(previous.end_lineno, previous.end_col_offset)
                elif position + 1 < len(arguments):  # `union_mode=..., `: up to the argument after it
                    end = index(arguments[position + 1].lineno, arguments[position + 1].col_offset)
                cuts.append((start, end))
    for start, end in sorted(cuts, reverse=True):
        source = source[:start] + source[end:]
    return source


def _union_members(kind: ast.expr) -> list[str]:
    """`X | None`, `Union[X, None]` and `Optional[X]` -> ["X", "None"]; anything else -> [itself]."""
    if isinstance(kind, ast.BinOp) and isinstance(kind.op, ast.BitOr):
        return _union_members(kind.left) + _union_members(kind.right)
    if isinstance(kind, ast.Subscript) and ast.unparse(kind.value) in ("Union", "Optional"):
        inner = kind.slice.elts if isinstance(kind.slice, ast.Tuple) else [kind.slice]
        return [ast.unparse(e) for e in inner] + (["None"] if ast.unparse(kind.value) == "Optional" else [])
    return [ast.unparse(kind)]


SIGNATURES = "use_python_names"  # `_signatures.use_python_names`, in the runtime


def use_python_signatures(source: str) -> str:
    """Have the models module give its classes signatures by Python names (`_signatures`): imported
    after the module's last import, called once every class is defined."""
    tree = ast.parse(source)
    imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    if not any(isinstance(node, ast.ClassDef) for node in tree.body) or not imports:
        return source
    lines = source.split("\n")
    last = imports[-1].end_lineno or 0
    lines[last:last] = ["", f"from ._signatures import {SIGNATURES}"]
    return "\n".join(lines).rstrip("\n") + f"\n\n{SIGNATURES}(globals())\n"
