"""Fixes particular to one description, declared in a file next to it (`NAME.fixes.yaml` beside
`NAME.yaml`) and applied before the generic rules, to the description as published.

A fixes file is a list of entries, each `id`, `why` and exactly one action:

    set:          {at: POINTER, value: ANY}                the parent of POINTER must exist
    merge:        {at: POINTER, value: MAPPING}            POINTER must be a mapping
    append:       {at: POINTER, value: ANY}                POINTER must be a list
    replace-text: {at: POINTER, pattern: REGEX, with: S}   in every string under POINTER
    rename-tag:   {from: NAME, to: NAME}                   in `tags` and in every operation
    open-enum:    {schema: NAME, values: [...]}            an enum that still accepts other strings

An entry with `each-operation: true` applies its action to every operation, POINTER being relative to
the operation. Fixes are strict: a target that is missing, or a fix that changes nothing (upstream
fixed the quirk, or the file drifted from the description), fails the run with the fix's location;
unless a selection (`--include-tag`, ...) removed its target, in which case it is reported as left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.document import pointer as jp
from generator.document.loading import Document, load_yaml, to_yaml_node
from generator.document.walking import COMPONENT_SCHEMA_PREFIX, iter_operations
from generator.normalise.changes import ChangeLog, RuleLog

FIXES_SUFFIX = ".fixes.yaml"


class FixError(Exception):
    """A fix that cannot apply; turned into a diagnostic pointing at the fix."""


def fixes_path_for(spec: Path) -> Path:
    return spec.with_name(spec.name.rsplit(".", 1)[0] + FIXES_SUFFIX)


def _tokens(at: Any) -> list[str]:
    if not isinstance(at, str) or (at and not at.startswith("/")):
        raise FixError(f"`at` must be a JSON pointer starting with '/', got {at!r}")
    return jp.split(at)


def _parent(root: Any, at: str) -> tuple[Any, Any]:
    tokens = _tokens(at)
    if not tokens:
        raise FixError("the target is the whole document; name a place inside it")
    parent = jp.resolve(root, jp.join("", *tokens[:-1]), None)
    if isinstance(parent, dict):
        return parent, tokens[-1]
    if isinstance(parent, list) and tokens[-1].isdigit() and int(tokens[-1]) < len(parent):
        return parent, int(tokens[-1])
    raise FixError(f"target {at!r} is missing from the description")


def _target(root: Any, at: str, kind: type) -> Any:
    _tokens(at)
    node = jp.resolve(root, at, None)
    if not isinstance(node, kind):
        what = "missing from the description" if node is None else f"not a {'mapping' if kind is dict else 'list'}"
        raise FixError(f"target {at!r} is {what}")
    return node


def _set(root: Any, base: str, spec: dict[str, Any], log: RuleLog) -> None:
    at = base + spec["at"]
    parent, key = _parent(root, at)
    before = parent.get(key) if isinstance(parent, dict) else parent[key]
    if before != spec["value"]:
        parent[key] = to_yaml_node(spec["value"])
        log.record(at, before, spec["value"])


def _merge(root: Any, base: str, spec: dict[str, Any], log: RuleLog) -> None:
    at = base + spec["at"]
    node = _target(root, at, dict)
    if not isinstance(spec["value"], dict):
        raise FixError("`merge` needs a mapping as its value")
    for key, value in spec["value"].items():
        if node.get(key) != value:
            log.record(jp.join(at, str(key)), node.get(key), value)
            node[key] = to_yaml_node(value)


def _append(root: Any, base: str, spec: dict[str, Any], log: RuleLog) -> None:
    at = base + spec["at"]
    node = _target(root, at, list)
    if spec["value"] not in node:
        node.append(to_yaml_node(spec["value"]))
        log.record(jp.join(at, len(node) - 1), None, spec["value"])


def _replace_text(root: Any, base: str, spec: dict[str, Any], log: RuleLog) -> None:
    at = base + spec["at"]
    pattern = re.compile(spec["pattern"])
    _tokens(at)
    top = jp.resolve(root, at, None)
    if top is None:
        raise FixError(f"target {at!r} is missing from the description")
    for where, node in list(jp.walk(top, at)):
        if isinstance(node, str) and pattern.search(node):
            new = pattern.sub(spec["with"], node)
            if new != node:
                parent, key = _parent(root, where)
                parent[key] = type(node)(new) if type(node) is not str else new
                log.record(where, node, new)


def _rename_tag(root: Any, base: str, spec: dict[str, Any], log: RuleLog) -> None:
    old, new = spec["from"], spec["to"]
    for index, tag in enumerate(root.get("tags") or []):
        if isinstance(tag, dict) and tag.get("name") == old:
            tag["name"] = new
            log.record(jp.join("/tags", index, "name"), old, new)
    for at, _path, _method, op in iter_operations(root):
        tags = op.get("tags") or []
        for index, tag in enumerate(tags):
            if tag == old:
                tags[index] = new
                log.record(jp.join(at, "tags", index), old, new)


def _open_enum(root: Any, base: str, spec: dict[str, Any], log: RuleLog) -> None:
    """The component lists the known values; every reference to it also admits any other string, so
    validators and clients accept values the service adds later."""
    name = spec["schema"]
    at = jp.join("/components/schemas", name)
    schema = _target(root, at, dict)
    if schema.get("type") != "string":
        raise FixError(f"open-enum needs a string schema, and {at} is not one")
    if schema.get("enum") != spec["values"]:
        log.record(jp.join(at, "enum"), schema.get("enum"), spec["values"])
        schema["enum"] = to_yaml_node(spec["values"])
    ref = COMPONENT_SCHEMA_PREFIX + name
    for where, node in list(jp.walk(root)):
        inside_itself = where == at or where.startswith(at + "/")
        if isinstance(node, dict) and node.get("$ref") == ref and not inside_itself:
            parent, key = _parent(root, where)
            if isinstance(parent, list) and jp.split(where)[-2] == "anyOf":
                continue  # already opened
            opened = {k: v for k, v in node.items() if k != "$ref"}
            opened["anyOf"] = [{"$ref": ref}, {"type": "string"}]
            parent[key] = to_yaml_node(opened)
            log.record(where, node, opened)


ACTIONS: dict[str, Callable[[Any, str, dict[str, Any], RuleLog], None]] = {
    "set": _set,
    "merge": _merge,
    "append": _append,
    "replace-text": _replace_text,
    "rename-tag": _rename_tag,
    "open-enum": _open_enum,
}
REQUIRED_KEYS = {
    "set": ("at", "value"),
    "merge": ("at", "value"),
    "append": ("at", "value"),
    "replace-text": ("at", "pattern", "with"),
    "rename-tag": ("from", "to"),
    "open-enum": ("schema", "values"),
}


def _entry_problem(entry: Any, seen: set[str]) -> str | None:
    """What is wrong with the shape of one entry, if anything."""
    actions = [k for k in entry if k in ACTIONS] if isinstance(entry, dict) else []
    if not isinstance(entry, dict) or len(actions) != 1 or "why" not in entry or "id" not in entry:
        return f"a fix needs an `id`, a `why` and exactly one action ({', '.join(ACTIONS)})"
    unknown = sorted(set(entry) - {"id", "why", "each-operation", actions[0]})
    if unknown:
        keys = ", ".join(map(str, unknown))
        return f"unknown key(s) {keys}: a fix has `id`, `why`, one action and optionally `each-operation`"
    if str(entry["id"]) in seen:
        return f"duplicate fix id {entry['id']!r}"
    spec = entry[actions[0]]
    missing = [k for k in REQUIRED_KEYS[actions[0]] if not isinstance(spec, dict) or k not in spec]
    if missing:
        return f"`{actions[0]}` needs {', '.join(missing)} ({actions[0]}: {{{', '.join(REQUIRED_KEYS[actions[0]])}}})"
    return None


def _apply_entry(root: Any, entry: dict[str, Any], log: RuleLog) -> None:
    action = next(k for k in entry if k in ACTIONS)
    bases = [at for at, *_ in iter_operations(root)] if entry.get("each-operation") else [""]
    for base in bases:
        ACTIONS[action](root, base, entry[action], log)


def _applies_to(whole: Any, entry: dict[str, Any]) -> bool:
    """Whether `entry` changes something in `whole` (and changes it, as the fixes before it did)."""
    log = ChangeLog()
    try:
        _apply_entry(whole, entry, log.for_rule("whole"))
    except (FixError, re.error):
        return False
    return bool(log.changes)


def apply_fixes(doc: Document, fixes_file: Path, log: ChangeLog, whole: Any = None) -> list[str]:
    """Apply every fix in `fixes_file` in order; raise one GeneratorFailure listing every fix that failed.
    `whole` is the description before a selection took a part of it (plain data, edited here too): a
    fix that fails or changes nothing in the part but applies to the whole is returned, not refused."""
    fixes = load_yaml(fixes_file)
    entries = fixes.get("fixes") if isinstance(fixes, dict) else None
    if not isinstance(entries, list):
        hint = "see generator/normalise/fixes.py for the format"
        raise GeneratorFailure(
            [Diagnostic("a fixes file is a mapping with a `fixes` list", hint, str(fixes_file), 1, 1)]
        )
    problems: list[Diagnostic] = []
    left_out: list[str] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        line, col = (n + 1 for n in entries.lc.item(index)) if hasattr(entries, "lc") else (None, None)
        fix_id = str(entry.get("id", f"#{index}")) if isinstance(entry, dict) else f"#{index}"

        def problem(
            message: str, hint: str, fix_id: str = fix_id, line: int | None = line, col: int | None = col
        ) -> None:
            problems.append(Diagnostic(message, hint, str(fixes_file), line, col, rule=f"fix:{fix_id}"))

        shape = _entry_problem(entry, seen)
        if shape is not None:
            problem(shape, "write the entry as the format in generator/normalise/fixes.py says")
            continue
        seen.add(fix_id)
        rule_log = log.for_rule(f"fix:{fix_id}")
        failure = None
        try:
            _apply_entry(doc.root, entry, rule_log)
        except (FixError, re.error) as err:
            failure = str(err)
        if whole is not None and _applies_to(whole, entry) and (failure or rule_log.count == 0):
            left_out.append(fix_id)
        elif failure:
            problem(failure, "the description changed under this fix: update or remove the fix")
        elif rule_log.count == 0:
            problem(
                f"fix {fix_id!r} changed nothing",
                "upstream seems to have fixed this quirk, or the fix no longer matches: remove or update it",
            )
    if problems:
        raise GeneratorFailure(problems)
    return left_out
