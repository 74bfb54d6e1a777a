"""OpenAPI links say how one operation's answer feeds the next call; stateful API testers
(Schemathesis) follow them to chain calls such as create -> get -> update phase -> delete, and
readers learn the workflow from them. Descriptions rarely carry them, so this rule derives them.

Each successful response of an operation other than DELETE (after which the resource it names is
gone, so no call on it follows) gets a link to every other operation whose required path parameters
it can all fill, by one of two conventions, tried in order:
- a path parameter of the same name in the linking request: `$request.path.projectKey`;
- for a parameter `<thing>Id`, the `_id` (or `id`) of the first object in the response body whose
  schema's name ends with `<Thing>`: `phaseId` <- `$response.body#/phases/0/_id` (a `ReleasePhase`).
Links already in the description are kept; a link is added under the target's operationId.
"""

from __future__ import annotations

from typing import Any

from generator.document import pointer as jp
from generator.document.loading import Document, to_yaml_node
from generator.document.operations import Operation
from generator.document.walking import COMPONENT_SCHEMA_PREFIX, resolve_ref
from generator.normalise.changes import RuleLog

ID = "link-operations"
_MAX_DEPTH = 6  # how deep into a response body an identifier is looked for


def apply(doc: Document, log: RuleLog) -> None:
    operations = [op for op in doc.operations() if "operationId" in jp.resolve(doc.root, op.pointer)]
    wanted = {op.pointer: [p.name for p in op.located("path")] for op in operations}
    for source in operations:
        if source.method == "delete":
            continue
        for response in source.successes:
            response_at = jp.join(source.pointer, "responses", response.status)
            if response.pointer != response_at:  # a shared response: its links would leak into every operation
                continue
            json_body = response.kind == "json" and response.schema_pointer is not None
            body = jp.resolve(doc.root, str(response.schema_pointer)) if json_body else None
            sources: dict[str, str | None] = {}  # each name looked for once per response, not once per target
            for target in operations:
                names = wanted[target.pointer]
                if target is source or not names:
                    continue
                for name in names:
                    if name not in sources:
                        sources[name] = _source_of(doc.root, name, wanted[source.pointer], body)
                filled = {name: sources[name] for name in names}
                if None not in filled.values():
                    _add_link(doc, log, response_at, target, filled)


def _add_link(doc: Document, log: RuleLog, response_at: str, target: Operation, filled: dict[str, Any]) -> None:
    response = jp.resolve(doc.root, response_at)
    links = response.setdefault("links", to_yaml_node({}))
    name = str(jp.resolve(doc.root, target.pointer)["operationId"])
    if name in links:
        return
    links[name] = to_yaml_node({"operationId": name, "parameters": filled})
    log.record(jp.join(response_at, "links", name), None, links[name])


def _source_of(root: Any, name: str, request_params: list[str], body: Any) -> str | None:
    if name in request_params:
        return f"$request.path.{name}"
    if body is not None and name.endswith("Id") and len(name) > 2:
        found = _find_identifier(root, body, name[:-2].lower(), "", _MAX_DEPTH)
        if found is not None:
            return f"$response.body#{found}"
    return None


def _find_identifier(root: Any, schema: Any, thing: str, at: str, depth: int) -> str | None:
    """JSON Pointer to the identifier of the first `<...Thing>` object in instances of `schema`,
    breadth first; arrays are entered at their first item."""
    frontier = [(schema, at)]
    for _ in range(depth):
        deeper = []
        for node, node_at in frontier:
            name = node.get("$ref", "") if isinstance(node, dict) else ""
            node = resolve_ref(root, node)
            if not isinstance(node, dict):
                continue
            properties = node.get("properties") or {}
            if str(name).startswith(COMPONENT_SCHEMA_PREFIX) and str(name).lower().endswith(thing):
                for key in ("_id", "id"):
                    if key in properties:
                        return jp.join(node_at, key)
            if isinstance(node.get("items"), dict):
                deeper.append((node["items"], jp.join(node_at, 0)))
            deeper.extend((sub, jp.join(node_at, str(key))) for key, sub in properties.items())
        frontier = deeper
    return None
