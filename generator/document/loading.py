"""Reading and writing OpenAPI documents with ruamel.yaml's round-trip mode, so comments, key order
and quoting survive normalisation, and every diagnostic can point at a line and column."""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarfloat import ScalarFloat

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.document import json_source
from generator.document import pointer as jp
from generator.document.json_source import JsonMarks
from generator.document.limits import MAX_DEPTH, TreeProblem, check_tree

if TYPE_CHECKING:
    from generator.document.operations import Operations


class _Representer(RoundTripRepresenter):
    """ruamel's round trip, except that a float always comes back as the same number."""


def _represent_float(representer: RoundTripRepresenter, value: ScalarFloat) -> ScalarNode:
    """ruamel re-creates a float's text in the author's style, but not always its value
    (`-9.102500260168194e-214` came back as ...193); then the shortest exact text is written."""
    node = RoundTripRepresenter.represent_scalar_float(representer, value)
    if math.isfinite(value) and float(node.value) != float(value):
        node.value = repr(float(value))
    return node


_Representer.add_representer(ScalarFloat, _represent_float)


class _Emitter(RoundTripEmitter):
    """ruamel's emitter, except that a double-quoted string is never split over lines: its heuristics
    for escaping the line break can drop the backslash (after an escaped backslash, say), and the
    string then comes back with a space in it."""

    def write_double_quoted(self, text: Any, split: Any = True) -> None:
        super().write_double_quoted(text, split=False)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Representer = _Representer
    yaml.Emitter = _Emitter
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


@dataclass
class Document:
    """A loaded description: its tree, the file it came from, and the model of its operations."""

    path: Path
    root: CommentedMap
    _operations: Operations | None = field(default=None, repr=False, compare=False)
    marks: JsonMarks | None = field(default=None, repr=False, compare=False)  # a JSON source's places

    def operations(self) -> Operations:
        """The typed model of the operations (built on first use, again after `edited`)."""
        if self._operations is None:
            from generator.document.operations import build

            self._operations = build(self.root)
        return self._operations

    def edited(self) -> None:
        """Say that the tree changed where the model of operations reads it."""
        self._operations = None

    def locate(self, pointer: str) -> tuple[int | None, int | None]:
        """1-based line and column of the node at `pointer` (or of its nearest located ancestor)."""
        if self.marks is not None:
            return self.marks.locate(pointer)
        node: Any = self.root
        line: int | None = None
        col: int | None = None
        for token in jp.split(pointer):
            key = _key(node, token) if isinstance(node, CommentedMap) else None
            if key is not None:
                with contextlib.suppress(KeyError, TypeError):
                    line, col = node.lc.key(key)
                node = node[key]
            elif isinstance(node, CommentedSeq) and token.isdigit() and int(token) < len(node):
                with contextlib.suppress(KeyError, TypeError, IndexError):
                    line, col = node.lc.item(int(token))
                node = node[int(token)]
            else:
                break
        if line is None:
            return None, None
        return line + 1, col + 1 if col is not None else None

    def where(self, pointer: str) -> str:
        """`line 12`, for naming a second place in a message; the pointer when it has no line."""
        line, _ = self.locate(pointer)
        return f"line {line}" if line is not None else pointer or "/"

    def diagnostic(self, pointer: str, message: str, hint: str, rule: str | None = None) -> Diagnostic:
        line, col = self.locate(pointer)
        return Diagnostic(
            message=message, hint=hint, file=str(self.path), line=line, column=col, pointer=pointer, rule=rule
        )


def _key(node: CommentedMap, token: str) -> Any:
    """The key of `node` that `token` names (an unquoted `200:` is an int key), or None."""
    if token in node:
        return token
    return next((key for key in node if str(key) == token), None)


def load_yaml(path: Path) -> Any:
    """Parse a YAML (or JSON) file; a missing file or a syntax error is a GeneratorFailure."""
    return _load(path)[0]


def _load(path: Path) -> tuple[Any, JsonMarks | None]:
    """The tree of a YAML or JSON file, and for plain JSON (read by the fast reader) its places."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise GeneratorFailure([Diagnostic("file not found", "check the path", file=str(path))]) from None
    except OSError as err:
        raise GeneratorFailure(
            [Diagnostic(f"cannot read the file: {err}", "pass a UTF-8 YAML or JSON file", file=str(path))]
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise GeneratorFailure([_not_utf8(path, data, err)]) from None
    marks = None
    try:
        try:
            root, marks = json_source.parse(text), json_source.JsonMarks(text)
        except json_source.NotPlainJson:
            root = _yaml().load(text)
        check_tree(root)
    except TreeProblem as problem:
        where = Document(path, root, marks=marks)
        raise GeneratorFailure([where.diagnostic(problem.pointer, problem.message, problem.hint)]) from None
    except RecursionError:
        raise GeneratorFailure(
            [Diagnostic(f"the document nests too deeply to parse (over {MAX_DEPTH} levels)", "flatten it", str(path))]
        ) from None
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise GeneratorFailure(
            [
                Diagnostic(
                    message=f"YAML syntax error: {err.problem or err.context}",
                    hint="fix the YAML at this line and column",
                    file=str(path),
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                )
            ]
        ) from None
    except YAMLError as err:
        raise GeneratorFailure([Diagnostic(f"YAML error: {err}", "fix the YAML", file=str(path))]) from None
    return root, marks


def _not_utf8(path: Path, data: bytes, err: UnicodeDecodeError) -> Diagnostic:
    """Where the text stops being UTF-8: line and column (in characters, as an editor counts them),
    and the offending bytes."""
    line_start = data.rfind(b"\n", 0, err.start) + 1
    column = len(data[line_start : err.start].decode("utf-8")) + 1
    bad = " ".join(f"{byte:02x}" for byte in data[err.start : err.end])
    return Diagnostic(
        message=f"not UTF-8 text: byte{'s' if err.end - err.start > 1 else ''} {bad} ({err.reason})",
        hint="save the file as UTF-8 (YAML and JSON descriptions must be UTF-8)",
        file=str(path),
        line=data.count(b"\n", 0, err.start) + 1,
        column=column,
    )


def load(path: Path) -> Document:
    """Parse an OpenAPI 3.0 or 3.1 description; anything else is a GeneratorFailure naming the file."""
    root, marks = _load(path)
    if not isinstance(root, CommentedMap) or ("openapi" not in root and "swagger" not in root):
        raise GeneratorFailure(
            [
                Diagnostic(
                    message="not an OpenAPI document: the top level has no `openapi` version",
                    hint="pass an OpenAPI 3.0 or 3.1 description (YAML or JSON)",
                    file=str(path),
                    line=1,
                    column=1,
                )
            ]
        )
    doc = Document(path=path, root=root, marks=marks)
    version = root.get("openapi", root.get("swagger"))
    if not (isinstance(version, str) and re.fullmatch(r"3\.[01]\.\d+", version)):
        pointer = "/openapi" if "openapi" in root else "/swagger"
        hint = "quote the version (`openapi: '3.1.0'`): unquoted, YAML reads it as a number"
        if isinstance(version, str):
            hint = "convert the description to OpenAPI 3.1 (or 3.0) first"
        raise GeneratorFailure(
            [doc.diagnostic(pointer, f"unsupported OpenAPI version {version!r}: 3.0.x and 3.1.x are supported", hint)]
        )
    return doc


def dumps(root: Any) -> str:
    """Deterministic YAML text for `root`."""
    buffer = io.StringIO()
    _yaml().dump(root, buffer)
    return buffer.getvalue()


def serialise(doc: Document) -> str:
    """The document's text in its source's syntax: YAML through the round trip (comments, order and
    quoting kept), JSON through the standard library (what YAML 1.2 reads too, seconds faster)."""
    if doc.marks is None:
        return dumps(doc.root)
    return _NOT_FOR_YAML.sub(_escaped, json.dumps(plain(doc.root), indent=2, ensure_ascii=False)) + "\n"


# What a YAML reader would not take as it is inside a string (it folds U+2028 and NEL as line
# breaks, and refuses what YAML 1.1 cannot print), escaped as JSON and YAML both read it; not
# everything non-ASCII, since YAML readers refuse JSON's surrogate pairs for characters beyond U+FFFF.
_NOT_FOR_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _escaped(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


def plain_data(text: str) -> Any:
    """The data of a text `serialise` wrote (after its comment lines), as plain values."""
    try:
        return plain(json_source.parse(text))
    except json_source.NotPlainJson:
        return YAML(typ="safe").load(text)


def plain(node: Any) -> Any:
    """`node` as plain JSON-compatible data (for reports, validators and generators)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def to_yaml_node(value: Any) -> Any:
    """A fresh copy of `value` as ruamel round-trip nodes: inserted parts dump in block style like the
    rest, and a value inserted in several places is never one shared node (which would dump as anchors)."""
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = to_yaml_node(v)
        return out
    if isinstance(value, list):
        return CommentedSeq(to_yaml_node(v) for v in value)
    return value
