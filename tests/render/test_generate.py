"""`generate` end to end: any OpenAPI document in, an importable, typed, deterministic package out."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.diagnostics import GeneratorFailure
from generator.pipeline import generate
from generator.render import TEMPLATES
from generator.render.package import write_inside
from tests.render.conftest import DATA, UPSTREAM, run_python, tree


@pytest.fixture(scope="module")
def pet_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pets") / "pet-store"
    generate(spec=DATA / "pet-store.yaml", output=out)
    return out


def test_any_document_gives_an_importable_package_named_after_its_title(pet_store: Path) -> None:
    assert (pet_store / "pet_store" / "py.typed").is_file()
    assert 'name = "pet-store"' in (pet_store / "pyproject.toml").read_text()

    done = run_python(
        "import inspect, pet_store\n"
        "c = pet_store.Client(base_url='production')\n"
        "print(c.base_url)\n"
        "print(inspect.signature(c.pets.list_pets))\n"
        "print(inspect.signature(c.pets.create_pet))\n"
        "print(inspect.signature(c.pets.show_pet_by_id))",
        pet_store,
    )

    assert done.returncode == 0, done.stderr
    per_call = (
        "timeout: 'TimeoutTypes | None' = None, max_retries: 'int | None' = None, deadline: 'float | None' = None"
    )
    assert done.stdout.splitlines() == [
        "https://store.example",
        f"(*, limit: 'int | None' = None, kind: 'ListPetsKind | None' = None, {per_call}) -> 'list[Pet]'",
        f"(*, name: 'str', tag: 'str | None' = None, {per_call}) -> 'Pet'",
        f"(pet_id: 'str', *, {per_call}) -> 'Pet'",
    ]


def test_wire_names_become_python_names_and_x_python_name_names_the_one_that_would_collide(pet_store: Path) -> None:
    done = run_python(
        "from pet_store import Pet\n"
        "pet = Pet.model_validate({'id': 1, '_id': 'x', 'name': 'Rex', 'owner': {'email': 'a@b'}})\n"
        "print(pet.id, pet.legacy_id, pet.owner.email)\n"
        "print(pet.model_dump(by_alias=True, exclude_unset=True))",
        pet_store,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["1 x a@b", "{'id': 1, '_id': 'x', 'name': 'Rex', 'owner': {'email': 'a@b'}}"]


def test_releases_models_use_the_names_a_user_would_guess(tmp_path: Path) -> None:
    out = tmp_path / "ld-releases"
    generate(spec=UPSTREAM, output=out)
    wire = {
        "_links": {},
        "name": "n",
        "releasePipelineKey": "p",
        "releasePipelineDescription": "d",
        "_version": 3,
        "phases": [{"_id": "a", "_name": "A", "complete": False, "_creationDate": 5, "_audiences": []}],
    }

    done = run_python(
        "from ld_releases import Release\n"
        f"r = Release.model_validate({wire!r})\n"
        "print(r.version, r.links, r.phases[0].id, r.phases[0].name, r.phases[0].creation_date)\n"
        f"assert r.model_dump(by_alias=True, exclude_unset=True) == {wire!r}",
        out,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["3", "{}", "a", "A", "5"]


def test_a_second_run_is_byte_identical(tmp_path: Path) -> None:
    generate(spec=UPSTREAM, output=tmp_path / "one")
    generate(spec=UPSTREAM, output=tmp_path / "two")

    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_output_does_not_depend_on_where_it_is_generated(tmp_path: Path) -> None:
    """A pyproject.toml above the output (with other formatter settings) must not change a byte."""
    (tmp_path / "nested").mkdir()
    settings = "[tool.ruff]\nline-length = 60\n[tool.black]\nline-length = 60\n"
    (tmp_path / "nested" / "pyproject.toml").write_text(settings)
    generate(spec=UPSTREAM, output=tmp_path / "plain")
    generate(spec=UPSTREAM, output=tmp_path / "nested" / "pkg")

    assert tree(tmp_path / "plain") == tree(tmp_path / "nested" / "pkg")


def test_every_generated_file_says_it_is_generated(tmp_path: Path) -> None:
    generate(spec=UPSTREAM, output=tmp_path / "pkg")

    for name, content in tree(tmp_path / "pkg").items():
        if name.endswith(("py.typed",)):
            continue
        text = content.decode()
        # JSON holds no comments: there the header is the `about` key
        head = json.loads(text)["about"] if name.endswith(".json") else text.splitlines()[0]
        assert "do not edit" in head, f"{name} has no generated-file header: {head!r}"


def test_runtime_templates_are_plain_python() -> None:
    for source in (TEMPLATES / "runtime").glob("*.py"):
        text = source.read_text()
        assert "{{" not in text and "{%" not in text, f"{source} holds template tags"
        compile(text, str(source), "exec")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return tree(folder) if folder.exists() else {}


def test_a_broken_spec_leaves_the_previous_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    generate(spec=UPSTREAM, output=out)
    before = _snapshot(out)
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get: [\n")

    with pytest.raises(GeneratorFailure) as failure:
        generate(spec=broken, output=out)

    assert failure.value.diagnostics[0].file == str(broken)
    assert failure.value.diagnostics[0].line == 6
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.yaml", "pkg"]  # no staging left behind


def test_a_bad_template_names_the_template_and_leaves_the_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    generate(spec=UPSTREAM, output=out)
    before = _snapshot(out)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    resource = templates / "package" / "resource.py.jinja"
    lines = resource.read_text().splitlines()
    lines[20] = lines[20] + " {% if %}"
    resource.write_text("\n".join(lines) + "\n")

    with pytest.raises(GeneratorFailure) as failure:
        generate(spec=UPSTREAM, output=out, templates=templates)

    diagnostic = failure.value.diagnostics[0]
    assert diagnostic.file is not None and diagnostic.file.endswith("resource.py.jinja")
    assert diagnostic.line == 21
    assert _snapshot(out) == before


def test_a_template_that_renders_invalid_python_is_caught(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    client = templates / "package" / "_client.py.jinja"
    client.write_text(
        client.read_text().replace("        api_key: str | None = None,", "        api_key: str | None = None,,")
    )

    with pytest.raises(GeneratorFailure, match=r"_client\.py:\d+: api_key: str \| None = None,,"):
        generate(spec=UPSTREAM, output=tmp_path / "pkg", templates=templates)
    assert not (tmp_path / "pkg").exists()


def test_the_package_readme_shows_a_compiling_example_for_every_operation(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    generate(spec=UPSTREAM, output=out)
    blocks = re.findall(r"```python\n(.*?)```", (out / "README.md").read_text(), flags=re.S)
    called = set()
    for block in blocks:
        for node in ast.walk(ast.parse(block)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                called.add(ast.unparse(node.func))

    expected = {f"client.releases.{m}" for m in ("get", "delete", "patch", "create", "update_phase_status")}
    assert expected <= called


def test_a_body_whose_field_clashes_with_a_parameter_is_passed_whole(tmp_path: Path) -> None:
    """`PUT /things/{id}` with a body that has an `id` too: flattening would clash, so the body is one argument."""
    out = tmp_path / "things"
    generate(spec=DATA / "clashing-body.yaml", output=out)

    done = run_python(
        "import inspect, things\nprint(inspect.signature(things.Client().default.put_thing))",
        out,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("(id: 'str', body: 'Thing', *, timeout:")


def _with_extensions(tmp_path: Path, extras: str) -> Path:
    """Our templates plus extensions for the pet store: a module, a subpackage, an extras file."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    extensions = templates / "extensions" / "pet_store"
    (extensions / "kennel").mkdir(parents=True)
    (extensions / "_greeting.py").write_text('__all__ = ["greet"]\n\n\ndef greet() -> str:\n    return "woof"\n')
    (extensions / "kennel" / "__init__.py").write_text("import no_such_optional_dependency\n")
    (extensions / "kennel" / "_beds.py").write_text("BEDS = 3\n")
    (extensions / "extras.toml").write_text(extras)
    return templates


def test_extension_subpackages_are_copied_unexported_and_their_extras_declared(tmp_path: Path) -> None:
    templates = _with_extensions(tmp_path, 'kennel = ["no-such-optional-dependency>=1,<2"]\n')
    out = tmp_path / "pets"

    generate(spec=DATA / "pet-store.yaml", output=out, templates=templates)

    assert (out / "pet_store" / "kennel" / "_beds.py").read_text().endswith("BEDS = 3\n")
    pyproject = (out / "pyproject.toml").read_text()
    assert '[project.optional-dependencies]\nkennel = ["no-such-optional-dependency>=1,<2"]\n' in pyproject
    done = run_python("import pet_store\nprint(pet_store.greet(), hasattr(pet_store, 'kennel'))", out)
    assert done.returncode == 0, done.stderr  # the subpackage's missing dependency is not imported
    assert done.stdout.split() == ["woof", "False"]


def test_an_extras_file_that_is_not_a_table_of_lists_names_the_file(tmp_path: Path) -> None:
    templates = _with_extensions(tmp_path, 'kennel = "no-such-optional-dependency"\n')

    with pytest.raises(GeneratorFailure) as failure:
        generate(spec=DATA / "pet-store.yaml", output=tmp_path / "pets", templates=templates)

    [diagnostic] = failure.value.diagnostics
    assert diagnostic.file == str(templates / "extensions" / "pet_store" / "extras.toml")
    assert diagnostic.message == "extra 'kennel' is not a list of requirement strings"


def test_nothing_is_written_outside_the_package_folder(tmp_path: Path) -> None:
    staged = tmp_path / "staged"

    with pytest.raises(RuntimeError, match="outside"):
        write_inside(staged, staged / "resources" / ".." / ".." / "evil.py", "import os\n")

    assert not (tmp_path / "evil.py").exists()
