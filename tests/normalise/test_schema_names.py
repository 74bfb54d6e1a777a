from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from generator.diagnostics import GeneratorFailure
from generator.document.loading import Document
from generator.normalise.rules import schema_names as rule
from tests.normalise.conftest import yaml_data

NAMED = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Pet: {type: object, properties: {owner: {$ref: '#/components/schemas/Owner'}}}
    Owner: {type: object}
"""

BEFORE = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/pet-list'}}}}
components:
  schemas:
    pet-list: {type: array, items: {$ref: '#/components/schemas/Client'}}
    Client:
      oneOf: [{$ref: '#/components/schemas/Client'}, {$ref: '#/components/schemas/1st.kind'}]
      discriminator: {propertyName: kind, mapping: {a: Client, b: '#/components/schemas/1st.kind'}}
    1st.kind: {type: object, properties: {kind: {type: string}}}
"""

AFTER = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/PetList'}}}}
components:
  schemas:
    PetList: {type: array, items: {$ref: '#/components/schemas/ClientModel'}}
    ClientModel:
      oneOf: [{$ref: '#/components/schemas/ClientModel'}, {$ref: '#/components/schemas/Schema1stKind'}]
      discriminator: {propertyName: kind, mapping: {a: ClientModel, b: '#/components/schemas/Schema1stKind'}}
    Schema1stKind: {type: object, properties: {kind: {type: string}}}
"""

CHANGES = [
    ("/components/schemas/pet-list", "pet-list", "PetList"),
    ("/components/schemas/Client", "Client", "ClientModel"),
    ("/components/schemas/1st.kind", "1st.kind", "Schema1stKind"),
]


@pytest.mark.parametrize(
    ("before", "after", "changes"),
    [pytest.param(NAMED, NAMED, [], id="noop"), pytest.param(BEFORE, AFTER, CHANGES, id="fix")],
)
def test_schema_names(
    check_rule: Callable[..., Document], before: str, after: str, changes: list[tuple[str, Any, Any]]
) -> None:
    doc = check_rule(rule, before, after, changes)

    assert list(doc.root["components"]["schemas"]) == list(yaml_data(after)["components"]["schemas"])  # order kept


def test_two_schemas_that_would_be_one_class_are_an_error_naming_both(
    load_doc: Callable[[str], Document], run_rule: Callable[..., Any]
) -> None:
    doc = load_doc(
        """
        openapi: 3.1.0
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            Pet: {type: object}
            pet: {type: string}
        """
    )

    with pytest.raises(GeneratorFailure) as failure:
        run_rule(rule, doc)

    [diagnostic] = failure.value.diagnostics
    assert (diagnostic.line, diagnostic.pointer) == (8, "/components/schemas/pet")
    assert diagnostic.message == "schemas 'Pet' (line 7) and 'pet' would both be the model class 'Pet'"
    assert diagnostic.hint == "rename one of them (component names are not sent on the wire)"


def test_schemas_differing_only_in_a_leading_underscore_are_told_apart(
    load_doc: Callable[[str], Document], run_rule: Callable[..., Any]
) -> None:
    doc = load_doc(
        """
        openapi: 3.1.0
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            _metadata: {type: object, properties: {next: {$ref: '#/components/schemas/metadata'}}}
            metadata: {type: string}
        """
    )

    run_rule(rule, doc)

    schemas = doc.root["components"]["schemas"]
    assert list(schemas) == ["UnderscoreMetadata", "Metadata"]
    assert schemas["UnderscoreMetadata"]["properties"]["next"]["$ref"] == "#/components/schemas/Metadata"
