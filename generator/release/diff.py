"""Comparing two normalised OpenAPI documents the way a client user feels the change.

Each difference is breaking (a client that worked may now fail), added (new, optional capability) or
changed (docs only). Direction matters: a request schema may accept more but not less; a response
schema may promise less variety but not more. The largest kind decides the version bump.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from generator.document import pointer as jp
from generator.document.operations import Operation
from generator.document.operations import build as build_operations
from generator.document.walking import resolve_ref

Kind = Literal["breaking", "added", "changed"]
Direction = Literal["request", "response"]
BUMPS = {"breaking": "major", "added": "minor", "changed": "patch"}
ORDER = ("major", "minor", "patch", "none")
DOC_KEYS = ("description", "summary", "title", "example", "examples")


@dataclass(frozen=True, order=True)
class Difference:
    pointer: str
    kind: Kind
    message: str

    def render(self) -> str:
        return f"{self.kind:<9} {self.pointer}  {self.message}"


def bump_for(differences: list[Difference]) -> str:
    """`major`, `minor`, `patch` or `none`: the largest bump any difference calls for."""
    return larger(*(BUMPS[d.kind] for d in differences)) if differences else "none"


def larger(*bumps: str) -> str:
    return min(bumps, key=ORDER.index) if bumps else "none"


def _state(required: bool) -> str:
    return "required" if required else "optional"


def _types(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type")
    if isinstance(declared, list):
        return {str(t) for t in declared}
    return {str(declared)} if declared else set()


class _Comparer:
    def __init__(self, old_root: Any, new_root: Any) -> None:
        self.old_root, self.new_root = old_root, new_root
        self.found: list[Difference] = []
        self.seen: set[tuple[int, int, str]] = set()

    def add(self, pointer: str, kind: Kind, message: str) -> None:
        self.found.append(Difference(pointer, kind, message))

    def docs(self, at: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        for key in DOC_KEYS:
            if old.get(key) != new.get(key):
                self.add(jp.join(at, key), "changed", f"{key} changed")

    def operations(self) -> None:
        old_ops = {(op.method, op.path): op for op in build_operations(self.old_root)}
        new_ops = {(op.method, op.path): op for op in build_operations(self.new_root)}
        for key in sorted(old_ops.keys() - new_ops.keys()):
            self.add(old_ops[key].pointer, "breaking", f"operation {key[0].upper()} {key[1]} removed")
        for key in sorted(new_ops.keys() - old_ops.keys()):
            self.add(new_ops[key].pointer, "added", f"operation {key[0].upper()} {key[1]} added")
        for key in sorted(old_ops.keys() & new_ops.keys()):
            self.operation(old_ops[key], new_ops[key])

    def operation(self, old_op: Operation, new_op: Operation) -> None:
        at = old_op.pointer
        old, new = jp.resolve(self.old_root, old_op.pointer), jp.resolve(self.new_root, new_op.pointer)
        self.docs(at, old, new)
        if old.get("operationId") != new.get("operationId") or old.get("x-python-name") != new.get("x-python-name"):
            self.add(jp.join(at, "operationId"), "breaking", "operation renamed (its method name changes)")
        self.parameters(at, old_op, new_op)
        self.request_body(jp.join(at, "requestBody"), old.get("requestBody"), new.get("requestBody"))
        self.responses(jp.join(at, "responses"), old.get("responses") or {}, new.get("responses") or {})

    def parameters(self, at: str, old_op: Operation, new_op: Operation) -> None:
        """The parameters each operation takes, its path item's included (the model merges them)."""
        old = {(p.location, p.name): p for p in old_op.parameters}
        new = {(p.location, p.name): p for p in new_op.parameters}
        for where, name in sorted(old.keys() - new.keys()):
            self.add(jp.join(at, "parameters"), "breaking", f"{where} parameter {name!r} removed")
        for where, name in sorted(new.keys() - old.keys()):
            required = new[(where, name)].required
            kind: Kind = "breaking" if required else "added"
            self.add(jp.join(at, "parameters"), kind, f"{_state(required)} {where} parameter {name!r} added")
        for key in sorted(old.keys() & new.keys()):
            p_at = jp.join(at, "parameters", f"{key[0]}:{key[1]}")
            was, now = old[key].required, new[key].required
            if was != now:
                self.add(p_at, "breaking" if now else "added", f"parameter {key[1]!r} made {_state(now)}")
            self.docs(p_at, jp.resolve(self.old_root, old[key].pointer), jp.resolve(self.new_root, new[key].pointer))
            old_schema = jp.resolve(self.old_root, old[key].schema_pointer, None)
            self.schema(
                jp.join(p_at, "schema"), old_schema, jp.resolve(self.new_root, new[key].schema_pointer, None), "request"
            )

    def request_body(self, at: str, old: Any, new: Any) -> None:
        old, new = resolve_ref(self.old_root, old), resolve_ref(self.new_root, new)
        if not isinstance(old, dict) and not isinstance(new, dict):
            return
        if not isinstance(new, dict):
            self.add(at, "breaking", "request body removed")
            return
        if not isinstance(old, dict):
            required = bool(new.get("required"))
            self.add(at, "breaking" if required else "added", f"{_state(required)} request body added")
            return
        if not old.get("required") and new.get("required"):
            self.add(at, "breaking", "request body made required")
        self.content(at, old, new, "request")

    def responses(self, at: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        for code in sorted(set(old) - set(new), key=str):
            self.add(jp.join(at, str(code)), "breaking", f"response {code} removed")
        for code in sorted(set(new) - set(old), key=str):
            self.add(jp.join(at, str(code)), "added", f"response {code} added")
        for code in sorted(set(old) & set(new), key=str):
            r_at = jp.join(at, str(code))
            o, n = resolve_ref(self.old_root, old[code]), resolve_ref(self.new_root, new[code])
            if isinstance(o, dict) and isinstance(n, dict):
                self.docs(r_at, o, n)
                self.content(r_at, o, n, "response")

    def content(self, at: str, old: dict[str, Any], new: dict[str, Any], direction: Direction) -> None:
        old_media, new_media = old.get("content") or {}, new.get("content") or {}
        for media in sorted(set(old_media) - set(new_media)):
            self.add(jp.join(at, "content", media), "breaking", f"{direction} content {media} removed")
        for media in sorted(set(new_media) - set(old_media)):
            self.add(jp.join(at, "content", media), "added", f"{direction} content {media} added")
        for media in sorted(set(old_media) & set(new_media)):
            m_at = jp.join(at, "content", media)
            old_schema, new_schema = old_media[media].get("schema"), new_media[media].get("schema")
            self.schema(jp.join(m_at, "schema"), old_schema, new_schema, direction)

    def schema(self, at: str, old: Any, new: Any, direction: Direction) -> None:
        ref = new.get("$ref") if isinstance(new, dict) else None
        if isinstance(ref, str) and ref.startswith("#/"):
            at = ref[1:]  # a shared schema is reported once, where it is defined
        old, new = resolve_ref(self.old_root, old), resolve_ref(self.new_root, new)
        if not isinstance(old, dict) or not isinstance(new, dict):
            if isinstance(old, dict) != isinstance(new, dict):
                self.add(at, "breaking", "schema removed" if isinstance(old, dict) else "schema added")
            return
        key = (id(old), id(new), direction)
        if key in self.seen:
            return
        self.seen.add(key)
        self.docs(at, old, new)
        self.types(at, old, new, direction)
        self.enum(at, old, new, direction)
        self.properties(at, old, new, direction)
        for sub in ("items", "additionalProperties"):
            if isinstance(old.get(sub), dict) or isinstance(new.get(sub), dict):
                self.schema(jp.join(at, sub), old.get(sub), new.get(sub), direction)
        for sub in ("allOf", "anyOf", "oneOf"):
            for index, (o, n) in enumerate(zip(old.get(sub) or [], new.get(sub) or [], strict=False)):
                self.schema(jp.join(at, sub, index), o, n, direction)
            if len(old.get(sub) or []) != len(new.get(sub) or []):
                self.add(jp.join(at, sub), "breaking", f"{sub} alternatives changed")

    def types(self, at: str, old: dict[str, Any], new: dict[str, Any], direction: Direction) -> None:
        was, now = _types(old), _types(new)
        if was != now:
            widened = bool(was) and (now > was if direction == "request" else now < was)
            message = f"type changed from {sorted(was)} to {sorted(now)}"
            self.add(jp.join(at, "type"), "added" if widened else "breaking", message)
        if old.get("format") != new.get("format"):
            message = f"format changed from {old.get('format')} to {new.get('format')}"
            self.add(jp.join(at, "format"), "breaking", message)

    def enum(self, at: str, old: dict[str, Any], new: dict[str, Any], direction: Direction) -> None:
        was, now = old.get("enum"), new.get("enum")
        if was is None and now is None:
            return
        was_set, now_set = set(map(str, was or [])), set(map(str, now or []))
        removed, added = sorted(was_set - now_set), sorted(now_set - was_set)
        if direction == "request":
            if removed or (was is None and now is not None):
                self.add(jp.join(at, "enum"), "breaking", f"values no longer accepted: {removed or 'any not listed'}")
            if added:
                self.add(jp.join(at, "enum"), "added", f"values accepted: {added}")
        else:
            if added or (was is not None and now is None):
                self.add(jp.join(at, "enum"), "breaking", f"new values in responses: {added or 'any'}")
            if removed:
                self.add(jp.join(at, "enum"), "added", f"values no longer sent: {removed}")

    def properties(self, at: str, old: dict[str, Any], new: dict[str, Any], direction: Direction) -> None:
        old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
        old_req, new_req = set(old.get("required") or []), set(new.get("required") or [])
        for name in sorted(set(old_props) - set(new_props)):
            self.add(jp.join(at, "properties", name), "breaking", f"{direction} field {name!r} removed")
        for name in sorted(set(new_props) - set(old_props)):
            required = name in new_req
            kind: Kind = "breaking" if required and direction == "request" else "added"
            self.add(jp.join(at, "properties", name), kind, f"{_state(required)} {direction} field {name!r} added")
        for name in sorted(set(old_props) & set(new_props)):
            p_at = jp.join(at, "properties", name)
            if (name in old_req) != (name in new_req):
                now_required = name in new_req
                breaking = now_required if direction == "request" else not now_required
                self.add(
                    p_at, "breaking" if breaking else "added", f"{direction} field {name!r} made {_state(now_required)}"
                )
            self.schema(p_at, old_props[name], new_props[name], direction)


def compare(old_root: Any, new_root: Any) -> list[Difference]:
    """Every difference between two normalised documents, in pointer order."""
    comparer = _Comparer(old_root, new_root)
    comparer.docs("/info", old_root.get("info") or {}, new_root.get("info") or {})
    comparer.operations()
    return sorted(set(comparer.found))


def iter_lines(differences: list[Difference]) -> Iterator[str]:
    for difference in differences:
        yield difference.render()
    yield bump_for(differences)
