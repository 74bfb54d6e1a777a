"""What `help()` and `inspect.signature` show a user: models documented from their schemas, input
models' signatures in Python names, each method's arguments (enum values included), return and
errors, and the Client's resources; on ld_releases and on a client generated from another API."""

from __future__ import annotations

import inspect
import json
import pydoc
from pathlib import Path

import ld_releases
import pydantic
import pytest
import yaml

from generator.pipeline import generate
from tests.render.conftest import run_python

SHELF = """
openapi: 3.0.3
info: {title: Shelf, version: '1'}
servers: [{url: 'https://shelf.example'}]
paths:
  /books/{bookId}:
    put:
      operationId: shelveBook
      tags: [books]
      summary: Shelve a book
      parameters:
        - {name: bookId, in: path, required: true, schema: {type: string}, description: The book's id}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Shelving'}
      responses:
        '200':
          description: Shelved
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Shelving'}
components:
  schemas:
    Shelving:
      description: Where a book is kept.
      type: object
      required: [shelfNumber]
      properties:
        shelfNumber: {type: integer, description: Counted from the door}
        condition: {$ref: '#/components/schemas/Condition'}
    Condition:
      type: string
      enum: [new, worn]
"""


def test_update_phase_status_documents_each_argument_and_lists_the_statuses() -> None:
    doc = inspect.getdoc(ld_releases.Client(api_key="tok").releases.update_phase_status) or ""

    statuses = [s.value for s in ld_releases.PhaseStatus]
    assert "status: Status of the phase. One of: " + ", ".join(f"`{s}`" for s in statuses[:4]) in doc
    for argument in ("project_key: The project key", "flag_key: The flag key", "phase_id: The phase ID", "audiences:"):
        assert argument in doc
    assert "Returns `Release`" in doc
    assert "ArgumentError" in doc and "ApiError" in doc


def test_help_on_the_client_lists_its_resources_and_their_methods() -> None:
    text = pydoc.plain(pydoc.render_doc(ld_releases.Client))

    assert "releases: Releases, the operations tagged Releases (beta)" in text
    for method in ("`get`", "`create`", "`update_phase_status`"):
        assert method in text


@pytest.mark.parametrize("model", [ld_releases.AudienceConfigInput, ld_releases.CreateReleaseInput])
def test_input_models_sign_with_python_names_and_still_write_wire_names(
    model: type[pydantic.BaseModel],
) -> None:
    names = list(inspect.signature(model).parameters)

    python_names = list(model.model_fields)
    assert names[: len(python_names)] == python_names
    assert not {f.alias for f in model.model_fields.values() if f.alias} & set(names)


def test_an_input_model_is_built_by_python_name_and_sent_by_wire_name() -> None:
    audience = ld_releases.AudienceConfigInput(audience_id="a1", notify_member_ids=["m"])

    assert audience.model_dump(by_alias=True, exclude_unset=True) == {"audienceId": "a1", "notifyMemberIds": ["m"]}


def test_field_descriptions_are_visible_at_run_time() -> None:
    assert ld_releases.ReleasePhase.model_fields["id"].description == "The phase ID"


@pytest.fixture(scope="module")
def shelf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shelf")
    (root / "shelf.yaml").write_text(SHELF, encoding="utf-8")
    generate(spec=root / "shelf.yaml", output=root / "out")
    return root / "out"


def test_another_apis_client_is_documented_from_its_description(shelf: Path) -> None:
    code = """
import inspect, json, shelf
print(json.dumps({
    "model": inspect.getdoc(shelf.Shelving),
    "signature": list(inspect.signature(shelf.Shelving).parameters),
    "field": shelf.Shelving.model_fields["shelf_number"].description,
    "method": inspect.getdoc(shelf.resources.Books.shelve_book),
    "client": inspect.getdoc(shelf.Client),
}))
"""
    done = run_python(code, shelf)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)

    assert shown["model"] == "Where a book is kept."
    assert shown["signature"] == ["shelf_number", "condition", "extra_data"]
    assert shown["field"] == "Counted from the door"
    assert "book_id: The book's id" in shown["method"]
    assert "shelf_number: Counted from the door" in shown["method"]
    assert "One of: `new`, `worn`." in shown["method"]
    assert "Raises `ShelfError`'s subclasses" in shown["method"]
    assert "books: Books, the operations tagged books: `shelve_book`." in shown["client"]


def test_another_apis_client_refuses_a_bad_argument_by_its_python_name(shelf: Path) -> None:
    code = """
import shelf
client = shelf.Client(base_url="http://127.0.0.1:9")
book = client.books.shelve_book
calls = (lambda: book(None, shelf_number=1), lambda: book("b", shelf_number="x"))
for call in calls:
    try:
        call()
    except shelf.ArgumentError as err:
        print(type(err).__name__, err)
"""
    done = run_python(code, shelf)
    assert done.returncode == 0, done.stderr

    lines = done.stdout.splitlines()
    assert lines[0] == "ArgumentError argument 'book_id' must be given, not None"
    assert lines[1].startswith("ArgumentError argument 'shelf_number': Input should be a valid integer")


@pytest.mark.parametrize(
    "model",
    [ld_releases.Release, ld_releases.ReleasePhase, ld_releases.PhaseStatus, ld_releases.UpdatePhaseStatusInput],
)
def test_help_on_a_model_shows_its_schemas_description(model: type) -> None:
    spec = yaml.safe_load((Path(ld_releases.__file__).parent / "openapi.yaml").read_text(encoding="utf-8"))
    described = {name: schema.get("description") for name, schema in spec["components"]["schemas"].items()}

    assert described[model.__name__]
    assert inspect.getdoc(model) == " ".join(described[model.__name__].split())
