from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.document.loading import Document, dumps, load, plain
from generator.normalise.changes import Change, ChangeLog
from generator.normalise.fixes import apply_fixes

SPEC = """
openapi: 3.1.0
info: {title: Things API, version: '1'}
tags:
  - {name: internal_things, description: 'Send /thing/0/name to rename.'}
paths:
  /things:
    get:
      operationId: listThings
      tags: [internal_things]
      parameters: []
      responses:
        '200': {description: ok}
    post:
      operationId: createThing
      tags: [internal_things]
      description: 'Patch /thing/1/name later.'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Status'}
components:
  schemas:
    Status: {type: string}
    Thing:
      type: object
      properties:
        status: {$ref: '#/components/schemas/Status', description: the status}
        history: {type: array, items: {$ref: '#/components/schemas/Status'}}
"""

RunFixes = Callable[[str], tuple[Document, list[Change]]]


@pytest.fixture
def fixes_file(tmp_path: Path) -> Path:
    return tmp_path / "api.fixes.yaml"


@pytest.fixture
def run_fixes(tmp_path: Path, fixes_file: Path) -> RunFixes:
    """Apply the fixes text to SPEC; the document must change exactly as the records say."""

    def _run(fixes: str) -> tuple[Document, list[Change]]:
        spec = tmp_path / "api.yaml"
        spec.write_text(textwrap.dedent(SPEC), encoding="utf-8")
        fixes_file.write_text(textwrap.dedent(fixes), encoding="utf-8")
        doc = load(spec)
        original = plain(doc.root)
        log = ChangeLog()
        apply_fixes(doc, fixes_file, log)
        assert plain(doc.root) == replay(original, log.changes)
        return doc, log.changes

    return _run


def replay(data: Any, changes: list[Change]) -> Any:
    """Write each change's `after` at its pointer (appending at a list's end)."""
    for change in changes:
        *parents, last = [t.replace("~1", "/").replace("~0", "~") for t in change.pointer[1:].split("/")]
        node = data
        for token in parents:
            node = node[int(token)] if isinstance(node, list) else node[token]
        if isinstance(node, list) and int(last) == len(node):
            node.append(change.after)
        else:
            node[int(last) if isinstance(node, list) else last] = change.after
    return data


STATUS = "#/components/schemas/Status"
OPEN = [{"$ref": STATUS}, {"type": "string"}]
ACTIONS = [
    pytest.param(
        """
        fixes:
          - {id: new-key, why: w, set: {at: /info/contact, value: {name: Team}}}
          - {id: replace, why: w, set: {at: /info/title, value: Things}}
        """,
        [
            Change("fix:new-key", "/info/contact", None, {"name": "Team"}),
            Change("fix:replace", "/info/title", "Things API", "Things"),
        ],
        id="set",
    ),
    pytest.param(
        """
        fixes:
          - id: not-found
            why: w
            merge: {at: /paths/~1things/get/responses, value: {'200': {description: ok}, '404': {description: gone}}}
        """,
        [Change("fix:not-found", "/paths/~1things/get/responses/404", None, {"description": "gone"})],
        id="merge",
    ),
    pytest.param(
        """
        fixes:
          - id: q
            why: w
            append: {at: /paths/~1things/get/parameters, value: {name: q, in: query, schema: {type: string}}}
        """,
        [
            Change(
                "fix:q",
                "/paths/~1things/get/parameters/0",
                None,
                {"name": "q", "in": "query", "schema": {"type": "string"}},
            )
        ],
        id="append",
    ),
    pytest.param(
        r"""
        fixes:
          - {id: plural, why: w, replace-text: {at: '', pattern: '/thing/(\d+)/', with: '/things/\1/'}}
        """,
        [
            Change(
                "fix:plural", "/tags/0/description", "Send /thing/0/name to rename.", "Send /things/0/name to rename."
            ),
            Change(
                "fix:plural",
                "/paths/~1things/post/description",
                "Patch /thing/1/name later.",
                "Patch /things/1/name later.",
            ),
        ],
        id="replace-text",
    ),
    pytest.param(
        """
        fixes:
          - {id: tag, why: w, rename-tag: {from: internal_things, to: Things}}
        """,
        [
            Change("fix:tag", "/tags/0/name", "internal_things", "Things"),
            Change("fix:tag", "/paths/~1things/get/tags/0", "internal_things", "Things"),
            Change("fix:tag", "/paths/~1things/post/tags/0", "internal_things", "Things"),
        ],
        id="rename-tag",
    ),
    pytest.param(
        """
        fixes:
          - {id: open, why: w, open-enum: {schema: Status, values: [active, paused]}}
        """,
        [
            Change("fix:open", "/components/schemas/Status/enum", None, ["active", "paused"]),
            Change(
                "fix:open",
                "/paths/~1things/post/responses/200/content/application~1json/schema",
                {"$ref": STATUS},
                {"anyOf": OPEN},
            ),
            Change(
                "fix:open",
                "/components/schemas/Thing/properties/status",
                {"$ref": STATUS, "description": "the status"},
                {"description": "the status", "anyOf": OPEN},
            ),
            Change("fix:open", "/components/schemas/Thing/properties/history/items", {"$ref": STATUS}, {"anyOf": OPEN}),
        ],
        id="open-enum",
    ),
    pytest.param(
        """
        fixes:
          - {id: old, why: w, each-operation: true, set: {at: /deprecated, value: true}}
        """,
        [
            Change("fix:old", "/paths/~1things/get/deprecated", None, True),
            Change("fix:old", "/paths/~1things/post/deprecated", None, True),
        ],
        id="each-operation",
    ),
]


@pytest.mark.parametrize(("fixes", "changes"), ACTIONS)
def test_action(run_fixes: RunFixes, fixes: str, changes: list[Change]) -> None:
    _doc, recorded = run_fixes(fixes)
    assert recorded == changes


def test_each_operation_gives_every_operation_its_own_copy(run_fixes: RunFixes) -> None:
    doc, _ = run_fixes("""
        fixes:
          - {id: slow, why: w, each-operation: true, merge: {at: /responses, value: {'429': {description: slow}}}}
        """)
    ops = doc.root["paths"]["/things"]
    assert ops["get"]["responses"]["429"] is not ops["post"]["responses"]["429"]
    assert "&id" not in dumps(doc.root)


FINE = "set: {at: /info/title, value: Things}"


def failure(run_fixes: RunFixes, broken: str, first: str = FINE) -> Diagnostic:
    """Apply a fix that works, then the broken fix `broken` (whose entry starts on line 5)."""
    with pytest.raises(GeneratorFailure) as raised:
        run_fixes(f"fixes:\n  - id: fine\n    why: it applies\n    {first}\n{broken}")
    [diagnostic] = raised.value.diagnostics
    return diagnostic


def check_names_the_fix(diagnostic: Diagnostic, fixes_file: Path, rule: str = "fix:broken") -> None:
    assert (diagnostic.file, diagnostic.line, diagnostic.column, diagnostic.rule) == (str(fixes_file), 5, 5, rule)
    assert f"{fixes_file}:5:5: error: [{rule}]" in str(GeneratorFailure([diagnostic]))


def broken(action: str) -> str:
    return f"  - id: broken\n    why: it does not apply\n    {action}\n"


@pytest.mark.parametrize(
    ("action", "message"),
    [
        pytest.param("set: {at: /nope/x, value: 1}", "target '/nope/x' is missing", id="set"),
        pytest.param("merge: {at: /nope, value: {a: 1}}", "target '/nope' is missing", id="merge"),
        pytest.param("append: {at: /nope, value: 1}", "target '/nope' is missing", id="append"),
        pytest.param("replace-text: {at: /nope, pattern: a, with: b}", "target '/nope' is missing", id="replace-text"),
        pytest.param("open-enum: {schema: Nope, values: [a]}", "'/components/schemas/Nope' is missing", id="open-enum"),
        pytest.param(
            "each-operation: true\n    append: {at: /parameters, value: 1}",
            "target '/paths/~1things/post/parameters' is missing",
            id="each-operation",
        ),
    ],
)
def test_missing_target_fails_naming_the_fix(run_fixes: RunFixes, fixes_file: Path, action: str, message: str) -> None:
    diagnostic = failure(run_fixes, broken(action))
    check_names_the_fix(diagnostic, fixes_file)
    assert message in diagnostic.message


OPEN_ENUM = "open-enum: {schema: Status, values: [active, paused]}"


@pytest.mark.parametrize(
    ("action", "first"),
    [
        pytest.param("set: {at: /info/version, value: '1'}", FINE, id="set"),
        pytest.param("merge: {at: /info, value: {version: '1'}}", FINE, id="merge"),
        pytest.param("append: {at: /paths/~1things/get/tags, value: internal_things}", FINE, id="append"),
        pytest.param("replace-text: {at: /info, pattern: nowhere, with: x}", FINE, id="replace-text"),
        pytest.param(
            "replace-text: {at: /info/version, pattern: '1', with: '1'}",
            FINE,
            id="replace-text-same",
        ),
        pytest.param("rename-tag: {from: absent, to: x}", FINE, id="rename-tag"),
        pytest.param(OPEN_ENUM, OPEN_ENUM, id="open-enum"),
        pytest.param(
            "each-operation: true\n    set: {at: /responses/200/description, value: ok}", FINE, id="each-operation"
        ),
    ],
)
def test_fix_that_changes_nothing_fails(run_fixes: RunFixes, fixes_file: Path, action: str, first: str) -> None:
    diagnostic = failure(run_fixes, broken(action), first)
    check_names_the_fix(diagnostic, fixes_file)
    assert diagnostic.message == "fix 'broken' changed nothing"


NEEDS = "a fix needs an `id`, a `why` and exactly one action"


@pytest.mark.parametrize(
    ("entry", "message", "rule"),
    [
        pytest.param("  - {id: broken, set: {at: /info/x, value: 1}}\n", NEEDS, "fix:broken", id="no-why"),
        pytest.param("  - {why: w, set: {at: /info/x, value: 1}}\n", NEEDS, "fix:#1", id="no-id"),
        pytest.param("  - {id: broken, why: w}\n", NEEDS, "fix:broken", id="no-action"),
        pytest.param(
            "  - {id: broken, why: w, set: {at: /info/x, value: 1}, merge: {at: /info, value: {y: 2}}}\n",
            NEEDS,
            "fix:broken",
            id="two-actions",
        ),
        pytest.param(
            "  - {id: broken, why: w, set: {at: /info/x}}\n", "`set` needs value", "fix:broken", id="missing-key"
        ),
        pytest.param(
            "  - {id: fine, why: w, set: {at: /info/x, value: 1}}\n",
            "duplicate fix id 'fine'",
            "fix:fine",
            id="duplicate-id",
        ),
        pytest.param(
            "  - {id: broken, why: w, each-operations: true, set: {at: /deprecated, value: true}}\n",
            "each-operations",
            "fix:broken",
            id="unknown-key",
        ),
    ],
)
def test_malformed_entry_fails_naming_the_fix(
    run_fixes: RunFixes, fixes_file: Path, entry: str, message: str, rule: str
) -> None:
    diagnostic = failure(run_fixes, entry)
    check_names_the_fix(diagnostic, fixes_file, rule)
    assert message in diagnostic.message


@pytest.mark.parametrize(
    "action",
    ["set: {at: info/x, value: 1}", "merge: {at: /info, value: [1]}"],
    ids=["relative-pointer", "merge-list"],
)
def test_malformed_arguments_fail_naming_the_fix(run_fixes: RunFixes, fixes_file: Path, action: str) -> None:
    check_names_the_fix(failure(run_fixes, broken(action)), fixes_file)


def test_fixes_file_must_hold_a_fixes_list(run_fixes: RunFixes, fixes_file: Path) -> None:
    with pytest.raises(GeneratorFailure) as raised:
        run_fixes("- {id: a, why: w, set: {at: /info/x, value: 1}}\n")
    [diagnostic] = raised.value.diagnostics
    assert (diagnostic.file, diagnostic.line) == (str(fixes_file), 1)
    assert "`fixes` list" in diagnostic.message


def test_open_enum_opens_references_in_schemas_whose_name_extends_it(run_fixes: RunFixes) -> None:
    doc, _ = run_fixes("""
        fixes:
          - id: history
            why: w
            merge:
              at: /components/schemas
              value: {StatusHistory: {type: array, items: {$ref: '#/components/schemas/Status'}}}
          - {id: open-status, why: w, open-enum: {schema: Status, values: [active, paused]}}
        """)
    assert plain(doc.root["components"]["schemas"]["StatusHistory"]["items"]) == {"anyOf": OPEN}
