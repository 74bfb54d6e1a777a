"""`edit_models`: the enums datamodel-code-generator emits move to `_enums`, re-exported by `models`."""

from __future__ import annotations

import ast
import textwrap

from generator.render.model_source import edit_models

EMITTED = textwrap.dedent(
    '''\
    # header
    from __future__ import annotations

    from enum import Enum

    from pydantic import BaseModel


    class Condition(str, Enum):
        """How worn a book is."""

        NEW = "new"
        MINUS_1 = -1


    class Shelf(BaseModel):
        condition: Condition | None = None


    class Computed(Enum):
        FIRST = len("a")
    '''
)


def test_plain_enums_move_and_the_models_re_export_them() -> None:
    edited = edit_models(EMITTED, ast.parse(EMITTED), "# header")
    models, enums, names = edited.models, edited.enums, edited.enum_names
    assert names == ["Condition"]
    assert "class Condition" not in models and "from ._enums import Condition as Condition" in models
    assert "class Shelf(BaseModel)" in models and "class Computed(Enum)" in models  # not constants only: kept
    assert enums.startswith("# header\n") and '"""How worn a book is."""' in enums
    namespace: dict[str, object] = {"__package__": "shelf"}
    exec(compile(enums, "_enums.py", "exec"), namespace)
    condition = namespace["Condition"]
    assert [m.value for m in condition] == ["new", "-1"]  # type: ignore[attr-defined]
    assert condition.__module__ == "shelf.models"  # type: ignore[attr-defined]


def test_a_module_without_enums_has_no_enums_module() -> None:
    source = "from pydantic import BaseModel\n\n\nclass Shelf(BaseModel):\n    name: str\n"
    edited = edit_models(source, ast.parse(source), "# header")
    assert (edited.enums, edited.enum_names) == ("", [])
    assert "class Shelf(BaseModel):\n    name: str\n" in edited.models and "_enums" not in edited.models
