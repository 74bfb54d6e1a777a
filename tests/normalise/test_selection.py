"""Taking a part of a description (`--include-tag`, `--exclude-tag`, `--include-operation`): exactly
the operations named and what they reach, the fixes applied to what is kept, typos refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import GeneratorFailure
from generator.document.loading import load_yaml
from generator.normalise import normalise
from generator.normalise.selection import Selection

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM = ROOT / "spec" / "upstream" / "releases-beta.yaml"

SHOP = """
openapi: 3.1.0
info: {title: Shop, version: '1'}
tags: [{name: orders}, {name: users}, {name: admin}]
security: [{key: []}]
paths:
  /orders:
    parameters: [{$ref: '#/components/parameters/Page'}]
    get:
      operationId: listOrders
      tags: [orders]
      responses: {'200': {$ref: '#/components/responses/Orders'}}
    post:
      operationId: createOrder
      tags: [orders, admin]
      security: [{adminToken: []}]
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/NewOrder'}}}}
      responses: {'201': {description: made}}
  /users/{id}:
    get:
      operationId: getUser
      tags: [users]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: one
          content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}
components:
  parameters:
    Page: {name: page, in: query, schema: {type: integer}}
  responses:
    Orders:
      description: orders
      content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Order'}}}}
  schemas:
    Order:
      type: object
      properties:
        buyer: {$ref: '#/components/schemas/User'}
        payment:
          oneOf: [{$ref: '#/components/schemas/Card'}, {$ref: '#/components/schemas/Wire'}]
          discriminator: {propertyName: kind, mapping: {card: '#/components/schemas/Card', wire: Wire}}
    NewOrder: {type: object, properties: {item: {type: string}}}
    User: {type: object, properties: {name: {type: string}}}
    Card: {type: object, properties: {kind: {type: string}}}
    Wire: {type: object, properties: {kind: {type: string}}}
    Unused: {type: object}
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    adminToken: {type: http, scheme: bearer}
    unusedScheme: {type: http, scheme: basic}
"""


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    spec = tmp_path / "shop.yaml"
    spec.write_text(SHOP)
    return spec


def kept(spec: Path, selection: Selection, fixes: Path | None = None) -> dict[str, Any]:
    text = normalise(spec, fixes, selection).text()
    (spec.parent / "out.yaml").write_text(text)
    result: dict[str, Any] = load_yaml(spec.parent / "out.yaml")
    return result


def operation_ids(doc: dict[str, Any]) -> list[str]:
    return [op["operationId"] for item in doc["paths"].values() for key, op in item.items() if key != "parameters"]


def test_a_tag_keeps_its_operations_and_exactly_what_they_reach(shop: Path) -> None:
    doc = kept(shop, Selection(include_tags=("orders",)))

    assert operation_ids(doc) == ["listOrders", "createOrder"]
    assert list(doc["paths"]) == ["/orders"]
    components = doc["components"]
    # Order reaches User, Card, and Wire (named in the discriminator's mapping only by its name)
    assert sorted(components["schemas"]) == ["Card", "NewOrder", "Order", "User", "Wire"]
    assert list(components["parameters"]) == ["Page"] and list(components["responses"]) == ["Orders"]
    assert sorted(components["securitySchemes"]) == ["adminToken", "key"]  # the root's and the operation's
    assert [tag["name"] for tag in doc["tags"]] == ["orders", "admin"]


def test_an_excluded_tag_wins_and_an_operation_id_adds_to_the_tags(shop: Path) -> None:
    doc = kept(shop, Selection(include_tags=("orders",), exclude_tags=("admin",), include_operations=("getUser",)))

    assert operation_ids(doc) == ["listOrders", "getUser"]
    assert "NewOrder" not in doc["components"]["schemas"]
    assert list(doc["components"]["securitySchemes"]) == ["key"]
    assert [tag["name"] for tag in doc["tags"]] == ["orders", "users"]


def test_every_removal_is_in_the_report(shop: Path) -> None:
    report = normalise(shop, None, Selection(include_operations=("getUser",))).report()

    assert report["selection"] == "include-operation=getUser"
    removed = {change["pointer"]: change["before"] for change in report["changes"] if change["rule"] == "select"}
    assert removed["/paths/~1orders"] == "/orders"
    assert removed["/components/schemas/Unused"] == "schemas: Unused"
    assert removed["/components/securitySchemes/unusedScheme"] == "securitySchemes: unusedScheme"
    assert all(change["after"] is None for change in report["changes"] if change["rule"] == "select")


def test_no_selection_leaves_the_description_whole(shop: Path) -> None:
    whole = normalise(shop).report()

    assert "selection" not in whole
    assert not [change for change in whole["changes"] if change["rule"] == "select"]


def test_selecting_every_operation_of_our_description_changes_nothing() -> None:
    """The fixes add references to components nothing referred to before them: those stay."""
    selected = normalise(UPSTREAM, None, Selection(include_tags=("subpackage_releasesBeta",)))

    assert selected.text() == normalise(UPSTREAM).text()
    assert selected.fixes_left_out == []


def test_a_fix_whose_target_was_left_out_is_reported_and_a_stale_fix_still_fails(shop: Path) -> None:
    fixes = shop.with_name("shop.fixes.yaml")
    fixes.write_text(
        "fixes:\n"
        "  - id: user-summary\n    why: t\n"
        "    set: {at: '/paths/~1users~1{id}/get/summary', value: One user}\n"
        "  - id: order-summary\n    why: t\n"
        "    set: {at: /paths/~1orders/get/summary, value: Orders}\n"
    )
    selected = normalise(shop, fixes, Selection(include_tags=("orders",)))

    assert selected.fixes_left_out == ["user-summary"]
    assert selected.report()["fixes_left_out"] == ["user-summary"]
    assert "summary: Orders" in selected.text()

    fixes.write_text(fixes.read_text() + "  - id: stale\n    why: t\n    set: {at: /info/title, value: Shop}\n")
    with pytest.raises(GeneratorFailure, match="fix 'stale' changed nothing"):
        normalise(shop, fixes, Selection(include_tags=("orders",)))


@pytest.mark.parametrize(
    ("selection", "message", "hint"),
    [
        (Selection(include_tags=("order",)), "--include-tag 'order': no operation has it", "did you mean 'orders'"),
        (Selection(exclude_tags=("x",)), "--exclude-tag 'x': no operation has it", "'admin', 'orders', 'users'"),
        (Selection(include_operations=("getUsr",)), "--include-operation 'getUsr'", "did you mean 'getUser'"),
        (Selection(exclude_tags=("orders", "users")), "the selection keeps no operation", "name tags"),
    ],
)
def test_a_name_the_description_lacks_is_refused_with_what_it_has(
    shop: Path, selection: Selection, message: str, hint: str
) -> None:
    with pytest.raises(GeneratorFailure) as failure:
        normalise(shop, None, selection)

    rendered = str(failure.value)
    assert message in rendered and hint in rendered
    assert rendered.startswith(str(shop))


def test_the_command_line_takes_a_part_and_check_holds_it_to_the_same_part(shop: Path, tmp_path: Path) -> None:
    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "generator", *map(str, args)]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)

    package, report = tmp_path / "pkg", tmp_path / "report.json"
    part = ("--include-tag", "users", "--include-operation", "listOrders")
    assert run("generate", shop, "--output", package, "--report", report, *part).returncode == 0

    listed = run_python(package, "import shop; c = shop.Client(api_key='k'); print(dir(c.orders), dir(c.users))")
    assert json.loads(report.read_text())["selection"] == "include-tag=users; include-operation=listOrders"
    assert "'get_user'" in listed and "'list_orders'" in listed and "create_order" not in listed
    assert run("check", shop, "--output", package, "--report", report, *part).returncode == 0
    drift = run("check", shop, "--output", package, "--report", report)
    assert drift.returncode == 1 and "input: options changed" in drift.stderr

    typo = run("generate", shop, "--output", tmp_path / "other", "--include-tag", "user")
    assert typo.returncode == 1 and "did you mean 'users'" in typo.stderr and "Traceback" not in typo.stderr


def run_python(package: Path, code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=package, capture_output=True, text=True, check=True)
    return done.stdout
