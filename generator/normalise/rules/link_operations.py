"""OpenAPI links say how one operation's answer feeds the next call; stateful API testers
(Schemathesis) follow them to chain calls such as create -> get -> update phase -> delete, and
readers learn the workflow from them. Descriptions rarely carry them, so this rule derives them.

Each successful response of an operation other than DELETE (after which the resource it names is
gone, so no call on it follows) gets a link to every related operation whose required path parameters
it can all fill, by one of two conventions, tried in order:
- a path parameter of the same name in the linking request: `$request.path.projectKey`;
- for a parameter `<thing>Id`, the `_id` (or `id`) of the first object in the response body whose
  schema's name ends with `<Thing>`: `phaseId` <- `$response.body#/phases/0/_id` (a `ReleasePhase`).

Related operations act on the same resource or on one directly above or below it. A resource is
named by its path's last literal segment and its parameters (`/flags/{p}/{f}/release` and
`/projects/{p}/flags/{f}/release` are one); the one above drops the last segment and the parameter
after it. Linking every operation to every other that takes the same parameters would add a link
per pair: 750,000 for a thousand operations, the normalised description passing 100 MiB.

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


Resource = tuple[str, frozenset[str]]


def resource(path: str) -> Resource:
    """`/projects/{projectKey}/flags/{flagKey}/release` -> (`release`, {projectKey, flagKey})."""
    segments = [s for s in path.split("/") if s]
    literals = [s for s in segments if not s.startswith("{")]
    return (literals[-1] if literals else "", frozenset(s.strip("{}") for s in segments if s.startswith("{")))


def parent(path: str) -> str:
    """The path of the resource above: `/things/{t}/parts/{p}` -> `/things/{t}`."""
    segments = [s for s in path.split("/") if s]
    if segments and segments[-1].startswith("{"):
        segments.pop()
    return "/" + "/".join(segments[:-1])


def _related(operations: list[Operation]) -> dict[str, list[Operation]]:
    """For each operation (by pointer), the others on its resource, the one above and those below,
    in document order: found through two indexes, never by comparing every pair."""
    on: dict[Resource, list[Operation]] = {}
    below: dict[Resource, list[Operation]] = {}
    for op in operations:
        on.setdefault(resource(op.path), []).append(op)
        below.setdefault(resource(parent(op.path)), []).append(op)
    order = {op.pointer: i for i, op in enumerate(operations)}
    related = {}
    for op in operations:
        found = {t.pointer: t for t in on[resource(op.path)] + below.get(resource(op.path), [])}
        found |= {t.pointer: t for t in on.get(resource(parent(op.path)), [])}
        related[op.pointer] = sorted((t for t in found.values() if t is not op), key=lambda t: order[t.pointer])
    return related


def apply(doc: Document, log: RuleLog) -> None:
    operations = [op for op in doc.operations() if "operationId" in jp.resolve(doc.root, op.pointer)]
    wanted = {op.pointer: [p.name for p in op.located("path")] for op in operations}
    related = _related(operations)
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
            for target in related[source.pointer]:
                names = wanted[target.pointer]
                if not names:
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
