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
from generator.document.walking import COMPONENT_SCHEMA_PREFIX, iter_operations, resolve_ref
from generator.normalise.changes import RuleLog

ID = "link-operations"
_MAX_DEPTH = 6  # how deep into a response body an identifier is looked for


def apply(doc: Document, log: RuleLog) -> None:
    operations = [(at, path, method, op) for at, path, method, op in iter_operations(doc.root) if "operationId" in op]
    for source_at, source_path, method, source in operations:
        if method == "delete":
            continue
        source_params = _path_parameters(doc.root, source_path, source)
        for status, response in (source.get("responses") or {}).items():
            if not str(status).startswith("2") or not isinstance(resolve_ref(doc.root, response), dict):
                continue
            body = _json_schema(doc.root, resolve_ref(doc.root, response))
            for target_at, target_path, _, target in operations:
                if target_at == source_at:
                    continue
                wanted = _path_parameters(doc.root, target_path, target)
                filled = {name: _source_of(doc.root, name, source_params, body) for name in wanted}
                if not wanted or None in filled.values():
                    continue
                _add_link(doc, log, jp.join(source_at, "responses", str(status)), response, target, filled)


def _add_link(
    doc: Document, log: RuleLog, response_at: str, response: Any, target: dict[str, Any], filled: dict[str, Any]
) -> None:
    if "$ref" in response:  # a shared response: its links would leak into every operation using it
        return
    links = response.setdefault("links", to_yaml_node({}))
    name = str(target["operationId"])
    if name in links:
        return
    links[name] = to_yaml_node({"operationId": name, "parameters": filled})
    log.record(jp.join(response_at, "links", name), None, links[name])


def _path_parameters(root: Any, path: str, operation: dict[str, Any]) -> list[str]:
    """Names of the required path parameters of an operation (its own and its path item's)."""
    item = jp.resolve(root, jp.join("/paths", path), {}) or {}
    names = []
    for parameter in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
        parameter = resolve_ref(root, parameter)
        if isinstance(parameter, dict) and parameter.get("in") == "path" and parameter.get("name") not in names:
            names.append(str(parameter.get("name")))
    return names


def _json_schema(root: Any, response: dict[str, Any]) -> Any:
    for media, content in (response.get("content") or {}).items():
        if "json" in str(media) and isinstance(content, dict):
            return content.get("schema")
    return None


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
