"""A generated package imports without building its models: the client, its resources and errors
are there at once, the model classes on first use (by name, through `models`, or by a call)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.pipeline import generate
from tests.render.conftest import DATA, run_python

LOADED = "print(sorted(m for m in ('gallery.models', 'pydantic.main') if m in sys.modules))"


@pytest.fixture(scope="module")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gallery") / "gallery"
    generate(spec=DATA / "gallery.yaml", output=out)
    return out


def python(code: str, path: Path) -> list[str]:
    done = run_python(code, path)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_importing_another_apis_client_builds_no_model(gallery: Path) -> None:
    code = f"import gallery\ngallery.Client, gallery.AsyncClient, gallery.resources.Albums\n{LOADED}"
    assert python(code, gallery) == ["[]"]


def test_a_resource_module_is_imported_when_its_attribute_is_first_read(gallery: Path) -> None:
    code = (
        "import sys, gallery\n"
        "loaded = lambda: sorted(m for m in sys.modules if m.startswith('gallery.resources'))\n"
        "client = gallery.Client(api_key='k')\n"
        "print(loaded())\n"
        "albums = client.albums\n"
        "print(loaded(), albums is client.albums, type(albums) is gallery.resources.Albums)\n"
        "print('Albums' in dir(gallery.resources), 'resources' in dir(gallery))"
    )
    assert python(code, gallery) == [
        "[]",
        "['gallery.resources', 'gallery.resources.albums'] True True",
        "True True",
    ]


def test_its_models_come_by_name_through_models_and_in_dir(gallery: Path) -> None:
    code = (
        "import gallery\nfrom gallery import Album\n"
        "assert gallery.models.Album is Album is gallery.Album\n"
        "print('Album' in dir(gallery.models), 'Album' in dir(gallery), 'models' in dir(gallery))\n" + LOADED
    )
    assert python(code, gallery) == ["True True True", "['gallery.models', 'pydantic.main']"]


def test_an_unknown_name_is_an_attribute_error_naming_it(gallery: Path) -> None:
    code = "import gallery\ntry:\n    gallery.Albun\nexcept AttributeError as err:\n    print(err)"
    assert python(code, gallery) == ["module 'gallery' has no attribute 'Albun'"]


ENUM_DEFAULT = {
    "openapi": "3.0.3",
    "info": {"title": "Shelf", "version": "1"},
    "paths": {
        "/books": {
            "get": {
                "operationId": "listBooks",
                "tags": ["books"],
                "parameters": [
                    {"name": "condition", "in": "query", "schema": {"$ref": "#/components/schemas/Condition"}}
                ],
                "responses": {"204": {"description": "Listed"}},
            }
        }
    },
    "components": {"schemas": {"Condition": {"type": "string", "enum": ["new", "worn"], "default": "worn"}}},
}


def shelf(tmp_path: Path, described: dict[str, object]) -> Path:
    """The package generated from `described` (an API named Shelf), and the folder it is in."""
    (tmp_path / "shelf.yaml").write_text(yaml.safe_dump(described), encoding="utf-8")
    generate(spec=tmp_path / "shelf.yaml", output=tmp_path / "out")
    return tmp_path / "out"


def test_an_enum_default_is_still_its_member_and_builds_no_model(tmp_path: Path) -> None:
    """A default is evaluated when the module is imported, so its enum is imported then: from
    `_enums`, without building the models, and known by its public home, `models`."""
    out = shelf(tmp_path, ENUM_DEFAULT)
    code = (
        "import inspect, pickle, sys, shelf\n"
        "default = inspect.signature(shelf.resources.Books.list_books).parameters['condition'].default\n"
        "print('shelf.models' in sys.modules, 'pydantic.main' in sys.modules)\n"
        "print(default is shelf.models.Condition.WORN, repr(type(default)), type(default).__module__)\n"
        "print(pickle.loads(pickle.dumps(default)) is default)"
    )
    assert python(code, out) == [
        "False False",
        "True <enum 'Condition'> shelf.models",
        "True",
    ]


def test_an_enum_argument_is_checked_with_its_class_imported_on_the_call(tmp_path: Path) -> None:
    """No default: the resource imports no model, and the call's type check imports the enum alone."""
    described = {**ENUM_DEFAULT, "components": {"schemas": {"Condition": {"type": "string", "enum": ["new", "worn"]}}}}
    out = shelf(tmp_path, described)
    code = (
        "import sys, httpx, shelf\n"
        "sent = []\n"
        "answer = lambda request: sent.append(str(request.url.params)) or httpx.Response(204)\n"
        "http = httpx.Client(transport=httpx.MockTransport(answer))\n"
        "client = shelf.Client(base_url='https://shelf.test', http_client=http)\n"
        "print('shelf.models' in sys.modules)\n"
        "client.books.list_books(condition='worn')\n"
        "print('shelf.models' in sys.modules)\n"
        "client.books.list_books(condition=shelf.models.Condition.NEW)\n"
        "try:\n"
        "    client.books.list_books(condition=5)\n"
        "except shelf.ArgumentError as err:\n"
        "    print(err)\n"
        "print(sent)"
    )
    assert python(code, out) == [
        "False",
        "False",
        "argument 'condition' must be Condition or str or None, not int",
        "['condition=worn', 'condition=new']",
    ]
