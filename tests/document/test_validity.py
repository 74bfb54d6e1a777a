"""The validity check as an author meets it: every problem of a description in one run, each at the
innermost place that explains it with a hint saying what to do, and paths that differ only in their
parameters' names accepted unless one method is on both."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.document.loading import Document, load
from generator.document.validity import MAX_REPORTED, check_shape


@pytest.fixture
def doc_of(tmp_path: Path) -> Callable[[str], Document]:
    def _load(text: str) -> Document:
        path = tmp_path / "api.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return load(path)

    return _load


def refused(doc: Document, strict: bool = False) -> list[Diagnostic]:
    with pytest.raises(GeneratorFailure) as failure:
        check_shape(doc, strict)
    return failure.value.diagnostics


CONST_30 = """
openapi: 3.0.3
info: {title: Const, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  kind: {type: string, const: cat}
"""


def test_a_30_const_is_named_at_its_key_not_at_the_response_holding_it(doc_of: Callable[[str], Document]) -> None:
    """Before: `(at /paths/~1pets/get/responses/200): matches none of the forms`, hint "compare it..."."""
    [problem] = refused(doc_of(CONST_30), strict=True)

    assert problem.pointer == "/paths/~1pets/get/responses/200/content/application~1json/schema/properties/kind/const"
    assert (problem.line, problem.column) == (15, 40)
    assert problem.message == "not valid OpenAPI 3.0: `const` is a schema keyword only from OpenAPI 3.1 on"
    assert problem.hint.startswith("write `enum: ['cat']` instead")


def test_a_wrong_value_inside_a_oneof_is_named_at_the_value(doc_of: Callable[[str], Document]) -> None:
    """A parameter's schema is a Schema or a Reference: the error is the misspelt type, not the parameter."""
    [problem] = refused(
        doc_of("""
        openapi: 3.0.3
        info: {title: Typo, version: '1'}
        paths:
          /pets:
            get:
              parameters: [{name: limit, in: query, schema: {type: integr}}]
              responses: {'200': {description: ok}}
        """)
    )

    assert problem.pointer == "/paths/~1pets/get/parameters/0/schema/type"
    assert problem.message.startswith("not valid OpenAPI: 'integr' is not one of ['array', 'boolean', 'integer'")
    assert problem.hint == "use one of the values named"


def test_every_problem_is_reported_in_one_run_the_harmless_as_warnings(doc_of: Callable[[str], Document]) -> None:
    """Before: the shape error alone; the bad schema came in a second run, the bad default in a third."""
    doc = doc_of("""
    openapi: 3.0.3
    info: {title: Several, version: '1'}
    paths:
      /pets:
        get:
          parameters:
            - {name: limit, in: query, schema: {type: integer, default: ten}}
    components:
      schemas:
        Pet: {type: object, properties: {age: {type: integr}}}
    """)

    problems = [(p.severity, p.pointer) for p in refused(doc)]

    assert problems == [
        ("error", "/components/schemas/Pet/properties/age/type"),
        ("error", "/paths/~1pets/get"),  # no `responses`
        ("warning", "/paths/~1pets/get/parameters/0/schema/default"),
    ]
    assert [(p.severity, p.pointer) for p in refused(doc, strict=True)][-1] == ("error", problems[-1][1])


def test_an_unknown_key_that_would_lose_an_operation_or_a_response_stays_an_error(
    doc_of: Callable[[str], Document],
) -> None:
    """Only a fixed-field object's unknown field is harmless (dropped); these would drop an operation."""
    problems = refused(
        doc_of("""
        openapi: 3.1.0
        info: {title: Maps, version: '1'}
        paths:
          pets:
            get: {responses: {'200': {description: ok}}}
          /owners:
            GET: {responses: {'200': {description: ok}}}
        """)
    )

    assert [(p.severity, p.pointer, p.message) for p in problems] == [
        ("error", "/paths/pets", "not valid OpenAPI: `pets` is not a key OpenAPI allows here"),
        ("error", "/paths/~1owners/GET", "not valid OpenAPI: `GET` is not a key OpenAPI allows here"),
    ]


def test_no_hint_says_only_fix_it(doc_of: Callable[[str], Document]) -> None:
    problems = refused(
        doc_of("""
        openapi: 3.1.0
        info: {title: Hints, version: '1'}
        servers: []
        tags: [{name: a}, {name: a}]
        paths: {}
        components:
          schemas:
            Short: {type: string, minLength: -1}
        """)
    )

    assert problems and all(p.hint != "fix it" for p in problems)
    assert {p.pointer: p.hint for p in problems}["/components/schemas/Short/minLength"] == "use a larger number"


def test_more_problems_than_are_printed_are_counted(doc_of: Callable[[str], Document]) -> None:
    params = "\n".join(
        f"        - {{name: p{i}, in: query, required: 'no', schema: {{type: string}}}}"
        for i in range(MAX_REPORTED + 5)
    )
    problems = refused(
        doc_of(f"""
openapi: 3.1.0
info: {{title: Many, version: '1'}}
paths:
  /pets:
    get:
      parameters:
{params}
""")
    )

    assert len(problems) == MAX_REPORTED + 1
    assert problems[-1].message == "and 5 more problems like those above"
    assert problems[-1].hint == "fix those above, then run again to see the rest"


PATHS = """
openapi: 3.1.0
info: {title: Attestations, version: '1'}
paths:
  /orgs/{org}/attestations/{attestation_id}:
    delete:
      parameters:
        - {name: org, in: path, required: true, schema: {type: string}}
        - {name: attestation_id, in: path, required: true, schema: {type: integer}}
      responses: {'204': {description: deleted}}
  /orgs/{org}/attestations/{subject_digest}:
    METHOD:
      parameters:
        - {name: org, in: path, required: true, schema: {type: string}}
        - {name: subject_digest, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
"""


def test_paths_differing_only_in_parameter_names_with_different_methods_are_accepted(
    doc_of: Callable[[str], Document],
) -> None:
    """Before: refused, `paths ... differ only in their parameters' names` (3% of real descriptions)."""
    assert check_shape(doc_of(PATHS.replace("METHOD", "get"))) == []


def test_paths_differing_only_in_parameter_names_with_one_method_on_both_warn_and_strict_refuses(
    doc_of: Callable[[str], Document],
) -> None:
    """Trello's GET `/cards/{filter}` and GET `/cards/{idCard}`: ambiguous to a server routing them,
    not to a client, whose methods each send their own operation's path."""
    doc = doc_of(PATHS.replace("METHOD", "delete"))

    [kept] = check_shape(doc)
    [problem] = refused(doc, strict=True)

    at = "/paths/~1orgs~1{org}~1attestations~1{subject_digest}/delete"
    assert kept.pointer == problem.pointer == at
    assert problem.message == (
        "paths /orgs/{org}/attestations/{attestation_id} (line 6) and /orgs/{org}/attestations/{subject_digest} "
        "differ only in their parameters' names and both have DELETE"
    )
    assert kept.warning().message == problem.message + (
        "; kept: each method sends its own path, the server decides which operation answers"
    )
    assert problem.hint.startswith("OpenAPI treats them as one path: keep one DELETE, or merge the two paths")


CORPUS = Path(__file__).resolve().parents[1] / "robustness" / "corpus"


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir()))
def test_the_fast_validity_answer_agrees_with_python_jsonschema(name: str) -> None:
    """jsonschema-rs only decides whether python-jsonschema runs: on every description of the corpus
    of broken and unusual ones, both say valid or both find errors."""
    from generator.document import validity
    from generator.document.loading import plain

    try:
        doc = load(CORPUS / name)
    except GeneratorFailure:
        pytest.skip("not loadable: no shape to check")
    instance = plain(doc.root)

    errors = list(validity._shape_validator(doc).iter_errors(instance))

    assert validity._valid_shape(doc, instance) == (errors == [])
