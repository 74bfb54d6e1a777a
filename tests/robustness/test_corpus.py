"""The corpus (tests/robustness/corpus/): broken descriptions are refused with exactly this message,
place and hint, exit code 1, no traceback, and the output folder left byte for byte as it was;
hostile and unusual ones generate a package holding exactly the identifiers and strings expected,
which imports without running anything from the description."""

from __future__ import annotations

import ast
import http.server
import json
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from generator.cli import main
from generator.pipeline import generate
from generator.release import provenance
from tests.render.conftest import tree

CORPUS = Path(__file__).with_name("corpus")
DEEP = "/components/schemas/Deep" + "/properties/next" * 49  # the first node below 100 levels
REFS_HINT = "  hint: bundle the description into one file first (for example `redocly bundle`), then generate from that"
NAME_HINT = "  hint: set `x-python-name` on one of them (a fix can add it); the wire name stays as it is"

REFUSED = {
    "yaml-syntax.yaml": [
        "{file}:4:11: error: YAML syntax error: mapping values are not allowed here",
        "  hint: fix the YAML at this line and column",
    ],
    "alias-bomb.yaml": [
        "{file}:9:7 (at /x-bomb/a4/7): error: YAML aliases expand the document by more than 100,000 nodes "
        "(an alias bomb?)",
        "  hint: write the repeated parts out, or share them with `$ref`",
    ],
    "too-deep.yaml": [
        "{file}:153:201 (at " + DEEP + "): error: the document nests deeper than 100 levels",
        "  hint: flatten it: move nested schemas to components and refer to them with `$ref`",
    ],
    "lone-surrogate.json": [
        "{file}:1:31 (at /info/title): error: a string holds a lone surrogate (an escape like `\\ud800` that is "
        "not half of a pair): not text",
        "  hint: remove it, or write the character it was meant to be",
    ],
    "swagger-2.yaml": [
        "{file}:1:1 (at /swagger): error: unsupported OpenAPI version '2.0': 3.0.x and 3.1.x are supported",
        "  hint: convert the description to OpenAPI 3.1 (or 3.0) first",
    ],
    "unquoted-version.yaml": [
        "{file}:1:1 (at /openapi): error: unsupported OpenAPI version 3.1: 3.0.x and 3.1.x are supported",
        "  hint: quote the version (`openapi: '3.1.0'`): unquoted, YAML reads it as a number",
    ],
    "ref-url.yaml": [
        "{file}:11:24 (at /paths/~1pets/get/responses/200/content/application~1json/schema/$ref): error: "
        "[references] `$ref: https://example.com/schemas.yaml#/Pet` points to a URL: references are never fetched",
        REFS_HINT,
    ],
    "ref-outside-folder.yaml": [
        "{file}:6:14 (at /components/schemas/Secret/$ref): error: [references] `$ref: ../../../../etc/passwd#/root` "
        "points to a file outside the description's folder: other files are never read",
        REFS_HINT,
    ],
    "ref-other-file.yaml": [
        "{file}:6:11 (at /components/schemas/Pet/$ref): error: [references] `$ref: pet.yaml` points to another "
        "file: other files are never read",
        REFS_HINT,
    ],
    "ref-unresolved.yaml": [
        "{file}:9:17 (at /components/schemas/Pet/properties/owner/$ref): error: [references] "
        "`$ref: #/components/schemas/Owner` points to nothing: /components/schemas/Owner is not in the document",
        "  hint: fix the reference, or add what it names",
    ],
    "ref-circular.yaml": [
        "{file}:6:11 (at /components/schemas/Pet/$ref): error: [references] circular `$ref`: /components/schemas/Pet "
        "-> /components/schemas/Animal -> /components/schemas/Pet never reaches a definition",
        "  hint: make one of them a real definition",
        "{file}:7:14 (at /components/schemas/Animal/$ref): error: [references] circular `$ref`: "
        "/components/schemas/Animal -> /components/schemas/Pet -> /components/schemas/Animal never reaches a "
        "definition",
        "  hint: make one of them a real definition",
    ],
    "missing-title.yaml": [
        "{file}:2:1 (at /info): error: [openapi] not valid OpenAPI: 'title' is a required property",
        "  hint: add the missing field",
    ],
    "missing-responses.yaml": [
        "{file}:5:5 (at /paths/~1pets/get): error: [openapi] not valid OpenAPI: 'responses' is a required property",
        "  hint: add the missing field",
    ],
    "schema-name-with-path.yaml": [
        "{file}:5:3 (at /components/schemas): error: [openapi] not valid OpenAPI: '../../evil' does not match "
        "'^[a-zA-Z0-9._-]+$'",
        "  hint: change it to match the pattern named",
    ],
    "invalid-schema.yaml": [
        "{file}:9:15 (at /components/schemas/Pet/properties/age/type): error: [openapi] not a valid schema: "
        "'integr' is not one of ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']",
        "  hint: use one of the values named",
    ],
    "duplicate-parameter.yaml": [
        "{file}:8:11 (at /paths/~1pets/get/parameters/1): error: [openapi] query parameter 'limit' is declared "
        "twice (also line 7)",
        "  hint: remove one",
    ],
    "duplicate-operation-id.yaml": [
        "{file}:10:7 (at /paths/~1owners/get/operationId): error: [operation-ids] duplicate operationId 'list': "
        "also used at /paths/~1pets/get (line 5)",
        "  hint: give each operation its own operationId",
    ],
    "optional-path-parameter.yaml": [
        "{file}:7:11 (at /paths/~1pets~1{petId}/get/parameters/0): error: [openapi] path parameter 'petId' is "
        "optional: OpenAPI requires `required: true` for path parameters",
        "  hint: add `required: true` (a path cannot leave a segment out; use a second path for that)",
    ],
    "undeclared-path-parameter.yaml": [
        "{file}:5:5 (at /paths/~1pets~1{petId}/get): error: [openapi] the path /pets/{petId} has `{petId}` but no "
        "path parameter 'petId'",
        "  hint: declare it under `parameters` with `in: path`",
    ],
    "several-errors.yaml": [
        "{file}:8:36 (at /paths/~1pets/get/parameters/0/required): error: [openapi] not valid OpenAPI: should be of "
        "type boolean, not a string",
        "  hint: give it the type OpenAPI expects here",
        "{file}:15:15 (at /components/schemas/Pet/properties/age/type): error: [openapi] not a valid schema: 'integr' "
        "is not one of ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']",
        "  hint: use one of the values named",
        "{file}:9:59 (at /paths/~1pets/get/parameters/1/schema/default): warning: [repair-harmless-defects] default "
        "'first' does not fit its schema: 'first' is not of type 'integer'; dropped",
        "  hint: change the default to a value the schema accepts, or remove it",
    ],
    "collide-schemas.yaml": [
        "{file}:7:5 (at /components/schemas/pet): error: [schema-names] schemas 'Pet' (line 6) and 'pet' would "
        "both be the model class 'Pet'",
        "  hint: rename one of them (component names are not sent on the wire)",
    ],
    "collide-properties.yaml": [
        "{file}:10:9 (at /components/schemas/Pet/properties/foo_bar): error: [render-names] properties 'foo-bar' "
        "(line 9) and 'foo_bar' of schema 'Pet' would both be the Python name 'foo_bar'",
        NAME_HINT,
    ],
    "collide-parameters.yaml": [
        "{file}:8:11 (at /paths/~1pets/get/parameters/1): error: [render-names] operation 'getPets': query "
        "parameter 'page-size' (line 7) and query parameter 'page_size' would both be the argument 'page_size'",
        NAME_HINT,
    ],
    "collide-operations.yaml": [
        "{file}:9:5 (at /paths/~1pets~1all/get): error: [render-names] operation 'getPets' (line 5) and operation "
        "'get_pets' would both be `client.default.get_pets()`",
        "  hint: give one of them its own `x-python-name` (a fix can add it)",
    ],
    "collide-tags.yaml": [
        "{file}:3:27 (at /tags/1): error: [render-names] tag 'Pet Store' (line 3) and tag 'pet-store' would both "
        "be `client.pet_store`",
        "  hint: give one of them its own `x-python-name` (a fix can add it)",
    ],
    "package-name-with-path.yaml": [
        "{file}:5:22 (at /info/x-python-package/name): error: [package] name '../../evil' is not a Python import name",
        "  hint: correct it, or pass --package-name",
    ],
}


DROPPED_DEFAULT = "  hint: change the default to a value the schema accepts, or remove it"
REPAIRED = {
    "collide-paths.yaml": [
        "{file}:9:5 (at /paths/~1pets~1{name}/get): warning: [repair-harmless-defects] paths /pets/{petId} (line 5) "
        "and /pets/{name} differ only in their parameters' names and both have GET; kept: each method sends its "
        "own path, the server decides which operation answers",
        "  hint: OpenAPI treats them as one path: keep one GET, or merge the two paths",
    ],
    "default-wrong-type.yaml": [
        "{file}:14:48 (at /components/schemas/Pet/properties/kind/default): warning: [repair-harmless-defects] "
        "default 'bird' does not fit its schema: 'bird' is not one of ['cat', 'dog']; dropped",
        DROPPED_DEFAULT,
        "{file}:7:60 (at /paths/~1pets/get/parameters/0/schema/default): warning: [repair-harmless-defects] default "
        "'ten' does not fit its schema: 'ten' is not of type 'integer'; dropped",
        DROPPED_DEFAULT,
    ],
    "harmless-defects.yaml": [
        "{file}:21:30 (at /components/schemas/Pet/properties/kind/const): warning: [repair-harmless-defects] not "
        "valid OpenAPI 3.0: `const` is a schema keyword only from OpenAPI 3.1 on; read as `enum: ['cat']`",
        "  hint: write `enum: ['cat']` instead, or declare `openapi: 3.1.0` if the document is 3.1",
        "{file}:22:30 (at /components/schemas/Pet/properties/name/examples): warning: [repair-harmless-defects] not "
        "valid OpenAPI: `examples` is not a field of this object; dropped",
        "  hint: remove it or correct its name (or rename it `x-examples` to keep it as an extension)",
        "{file}:6:7 (at /paths/~1pets/get/title): warning: [repair-harmless-defects] not valid OpenAPI: `title` is "
        "not a field of this object; dropped",
        "  hint: remove it or correct its name (or rename it `x-title` to keep it as an extension)",
        "{file}:9:60 (at /paths/~1pets/get/parameters/0/schema/default): warning: [repair-harmless-defects] default "
        "'ten' does not fit its schema: 'ten' is not of type 'integer'; dropped",
        DROPPED_DEFAULT,
    ],
}


@pytest.fixture
def existing(tmp_path: Path) -> Path:
    """An output folder holding a previous package (any files will do, with a stamp listing them: none may change)."""
    out = tmp_path / "out"
    (out / "pkg" / "resources").mkdir(parents=True)
    (out / "pkg" / "__init__.py").write_text("VERSION = 1\n")
    (out / "pkg" / "resources" / "pets.py").write_bytes(b"# previous\n\xe2\x9c\x93\n")
    (out / "README.md").write_text("previous\n")
    files = ["README.md", "pkg/__init__.py", "pkg/resources/pets.py"]
    (out / provenance.STAMP).write_text(provenance.render({}, {"files": files}))
    return out


@pytest.mark.parametrize(("name", "expected"), REFUSED.items(), ids=list(REFUSED))
def test_a_broken_description_is_refused_with_its_place_and_nothing_is_written(
    name: str, expected: list[str], existing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = CORPUS / name
    before = tree(existing)

    code = main(["generate", str(spec), "--output", str(existing)])

    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [line.replace("{file}", str(spec)) for line in expected]
    assert tree(existing) == before
    assert sorted(p.name for p in existing.parent.iterdir()) == ["out"]  # no staging folder left


@pytest.mark.parametrize(("name", "expected"), REPAIRED.items(), ids=list(REPAIRED))
def test_a_harmless_defect_is_repaired_with_a_warning_and_refused_under_strict(
    name: str, expected: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = CORPUS / name
    warnings = [line.replace("{file}", str(spec)) for line in expected]
    report = tmp_path / "report.json"

    code = main(["generate", str(spec), "--output", str(tmp_path / "out"), "--report", str(report)])

    assert code == 0
    assert capsys.readouterr().err.splitlines() == [*warnings, f"{tmp_path / 'out'}: generated"]
    assert json.loads(report.read_text())["warnings"] == [w.replace(str(spec), name) for w in warnings[::2]]

    strict = main(["generate", str(spec), "--output", str(tmp_path / "strict"), "--strict"])

    errors = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("  hint: ")]
    assert strict == 1
    assert errors == [w.replace(": warning: ", ": error: ").rsplit("; ", 1)[0] for w in warnings[::2]]
    assert not (tmp_path / "strict").exists()


def test_every_corpus_file_has_its_case() -> None:
    generated = {"hostile-strings.yaml", "hostile-names.yaml", "unusual-valid.yaml", "no-schemas.json"}
    generated |= {"paths-differ-in-names.yaml"}
    assert {p.name for p in CORPUS.iterdir()} == set(REFUSED) | set(REPAIRED) | generated


def test_a_url_reference_is_refused_without_a_request(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"Pet: {type: object}\n")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/schemas.yaml#/Pet"
        spec = tmp_path / "remote.yaml"
        spec.write_text((CORPUS / "ref-url.yaml").read_text().replace("https://example.com/schemas.yaml#/Pet", url))

        code = main(["generate", str(spec), "--output", str(tmp_path / "out")])
    finally:
        server.shutdown()

    assert code == 1
    assert f"`$ref: {url}` points to a URL: references are never fetched" in capsys.readouterr().err
    assert requests == []
    assert not (tmp_path / "out").exists()


def test_a_refusal_from_the_command_line_has_no_traceback(tmp_path: Path) -> None:
    spec = CORPUS / "ref-outside-folder.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(spec), "--output", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )

    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        line.replace("{file}", str(spec)) for line in REFUSED["ref-outside-folder.yaml"]
    ]


def run_in(folder: Path, package_root: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter, in `folder`, with `package_root` first on sys.path."""
    return subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(package_root)!r})\n{code}"],
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,
    )


def test_hostile_strings_are_held_exactly_and_nothing_runs_on_import(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    generate(spec=CORPUS / "hostile-strings.yaml", output=out)
    doc = YAML(typ="safe").load((CORPUS / "hostile-strings.yaml").read_text(encoding="utf-8"))
    get = doc["paths"]["/pets/{petId}"]["get"]
    pet = doc["components"]["schemas"]["Pet"]
    expected = {
        "package doc": f"{doc['info']['title']}: a typed Python client, sync and async.",
        "host": doc["servers"][0]["url"],
        "method doc": f"{get['summary']}\n\n`GET /pets/{{petId}}`\n\n{get['description']}",
        "note default": get["parameters"][1]["schema"]["default"],
        "kind default": get["parameters"][2]["schema"]["default"],
        "model doc": pet["description"],
        "name default": pet["properties"]["name"]["default"],
        "enum": pet["properties"]["kind"]["enum"],
        "field aliases": sorted(pet["properties"]),
    }

    done = run_in(
        tmp_path,
        out,
        "import inspect, json, pets_title_raw_line_two as p\n"
        "c = p.Client()\n"
        "help(p); help(p.models); help(c.pets)\n"
        "doc = c.pets.get_pet.__doc__.split('\\n\\n        Args:')[0].split('\\n')\n"
        "sig = inspect.signature(c.pets.get_pet).parameters\n"
        "print(json.dumps({\n"
        "  'package doc': p.__doc__.split('\\n\\n')[0], 'host': p.HOSTS['production'],\n"
        "  'method doc': '\\n'.join(doc[:1] + [line[8:] for line in doc[1:]]),\n"
        "  'note default': sig['note_quoted'].default, 'kind default': sig['kind'].default,\n"
        "  'model doc': inspect.getdoc(p.Pet), 'name default': p.Pet.model_fields['name'].default,\n"
        "  'enum': [k.value for k in p.PetKind],\n"
        "  'field aliases': sorted(f.alias or n for n, f in p.Pet.model_fields.items()),\n"
        "}))",
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == expected
    assert sent(out / "pets_title_raw_line_two" / "resources" / "pets.py", "get_pet") == {
        "path_params": ["petId"],
        "query": ['note "quoted"', "kind"],
    }
    assert not (tmp_path / "CANARY").exists()
    project = tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["description"] == f"A typed Python client for {doc['info']['title']}"


def sent(module: Path, method: str) -> dict[str, list[str]]:
    """The wire names a generated method puts in each part of its request, read from its source."""
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef) and node.name == method:
            return {
                k.arg: [
                    ast.literal_eval(key) for d in ast.walk(k.value) if isinstance(d, ast.Dict) for key in d.keys if key
                ]
                for call in ast.walk(node)
                if isinstance(call, ast.Call)
                for k in call.keywords
                if k.arg in ("path_params", "query", "headers")
            }
    raise AssertionError(f"no method {method} in {module}")


def test_hostile_names_become_safe_identifiers_and_every_file_stays_inside(tmp_path: Path) -> None:
    out = tmp_path / "out" / "pkg"
    generate(spec=CORPUS / "hostile-names.yaml", output=out)

    done = run_in(
        tmp_path,
        out,
        "import inspect, class_ as p\n"
        "c = p.Client()\n"
        "print(sorted(p.HOSTS), sorted(a for a in [*vars(c), *vars(type(c))] if not a.startswith('_')))\n"
        "print(list(inspect.signature(c.import_.with_raw_response_).parameters))\n"
        "print(list(inspect.signature(c.close_.init).parameters))\n"
        "print(sorted(n for n in p.__all__ if n[0].isupper() and not n.endswith('Error')))\n"
        "print(list(p.NoneModel.model_fields), list(p.ClientModel.model_fields))",
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "['etc'] ['attempt_deadline', 'base_url', 'close_', 'deadline', 'import_', 'max_response_bytes', "
        "'max_retries', 'retry_policy', 'timeout']",
        "['class_', 'timeout_', 'n_1st_place', 'dict', 'etc_passwd', 'timeout', 'max_retries', 'deadline']",
        "['body', 'timeout', 'max_retries', 'deadline']",  # a body field `self` cannot be an argument: the body is one
        "['AsyncClient', 'AsyncStreamingCall', 'BaseModelModel', 'Client', 'ClientModel', 'File', 'HOSTS', 'Init', "
        "'NoneModel', 'RawResponse', 'Schema1st', 'StreamedResponse', 'StreamingCall']",
        "['class_', 'dict_', 'n_1st', 'with_space', 'etc', 'model_config_', 'str_', 'self'] ['self', 'fields_']",
    ]
    assert sorted(str(p.relative_to(out)) for p in (out / "class_" / "resources").iterdir()) == [
        "class_/resources/__init__.py",
        "class_/resources/close_.py",
        "class_/resources/import_.py",
    ]
    assert [p.name for p in tmp_path.rglob("*") if not p.is_relative_to(out)] == ["out"]
    assert sent(out / "class_" / "resources" / "import_.py", "with_raw_response_") == {
        "path_params": ["class"],
        "query": ["timeout", "1st place", "__dict__"],
        "headers": ["../../etc/passwd"],
    }


def test_unusual_but_valid_descriptions_generate(tmp_path: Path) -> None:
    """Recursive schemas, YAML aliases, escaped and percent-encoded references, 3.1 type lists; and a
    description without schemas, whose title holds an emoji written as a JSON surrogate pair."""
    generate(spec=CORPUS / "unusual-valid.yaml", output=tmp_path / "unusual")
    generate(spec=CORPUS / "no-schemas.json", output=tmp_path / "none")

    done = run_in(
        tmp_path,
        tmp_path / "unusual",
        f"import inspect, sys, unusual as u\nsys.path.insert(0, {str(tmp_path / 'none')!r})\nimport no_schemas\n"
        "tree = u.Tree.model_validate([{'name': 'a', 'children': [{'name': 'b', 'parent': {'name': 'a'}}]}, []])\n"
        "print(tree.root[0].root.children[0].parent.name, u.Left.model_validate({'right': {'left': {}}}).right)\n"
        "c = u.Client()\n"
        "print(inspect.signature(c.default.get_node), inspect.signature(c.default.put_node).return_annotation)\n"
        "print(no_schemas.__doc__.split(':')[0], inspect.getdoc(no_schemas.Client().default.ping))",
    )

    assert done.returncode == 0, done.stderr
    per_call = (
        "timeout: 'TimeoutTypes | None' = None, max_retries: 'int | None' = None, deadline: 'float | None' = None"
    )
    lines = done.stdout.splitlines()
    assert lines[:7] == [
        "a left=Left(right=None)",
        f"(node_id: 'str', *, depth: 'GetNodeDepth' = <GetNodeDepth.DEEP: 'deep'>, {per_call}) -> 'Node' Node",
        "No schemas 😀 Ping 😀",
        "",
        "`GET /ping`",
        "",
        "Returns `None`: 204 none.",
    ]
    assert lines[7] == "" and lines[8].startswith("Raises `NoSchemasError`'s subclasses: `ArgumentError`")


def test_paths_differing_only_in_parameter_names_generate_each_with_its_own_names(tmp_path: Path) -> None:
    """`/orgs/{org}/attestations/{attestation_id}` (DELETE) beside `.../{subject_digest}` (GET): each
    method fills its own placeholders."""
    generate(spec=CORPUS / "paths-differ-in-names.yaml", output=tmp_path / "pkg")

    done = run_in(
        tmp_path,
        tmp_path / "pkg",
        "import httpx, attestations as a\n"
        "sent = []\n"
        "def answer(request):\n"
        "    sent.append(f'{request.method} {request.url.path}')\n"
        "    return httpx.Response(204 if request.method == 'DELETE' else 200)\n"
        "c = a.Client(base_url='https://api.test', http_client=httpx.Client(transport=httpx.MockTransport(answer)))\n"
        "c.default.delete_attestation('acme', 7)\n"
        "c.default.list_attestations(org='acme', subject_digest='sha256:ab')\n"
        "print(sent)",
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == str(
        ["DELETE /orgs/acme/attestations/7", "GET /orgs/acme/attestations/sha256:ab"]
    )
