"""Names that differ only in punctuation (`+1` and `-1`, `StartTime` and `StartTime<`) get Python
names that spell the difference, whatever their order in the description, and still send their
wire names."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diagnostics import GeneratorFailure
from generator.pipeline import generate
from generator.render.view import NAME_HINT
from tests.render.conftest import run_python


def _ticks(reverse: bool) -> dict[str, Any]:
    parameters = [
        {"name": name, "in": "query", "schema": {"type": "string"}}
        for name in ("StartTime", "StartTime<", "StartTime>")
    ]
    properties = {"+1": {"type": "integer"}, "-1": {"type": "integer"}, "total": {"type": "integer"}}
    if reverse:
        parameters.reverse()
        properties = dict(reversed(properties.items()))
    return {
        "openapi": "3.0.3",
        "info": {"title": "Ticks", "version": "1"},
        "servers": [{"url": "https://ticks.example"}],
        "paths": {
            "/votes": {
                "get": {
                    "operationId": "countVotes",
                    "parameters": parameters,
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Votes"}}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Votes": {"type": "object", "properties": properties}}},
    }


SHOW = """
import httpx, inspect, json, ticks
seen = []
def answer(request):
    seen.append(request)
    return httpx.Response(200, json={"+1": 3, "-1": 1, "total": 4})
client = ticks.Client(base_url="https://ticks.example", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
votes = client.default.count_votes(start_time="t", start_time_before="b", start_time_after="a")
print(json.dumps({
    "arguments": sorted(inspect.signature(client.default.count_votes).parameters),
    "fields": sorted(ticks.Votes.model_fields),
    "query": sorted(seen[0].url.params.multi_items()),
    "read": [votes.plus_1, votes.minus_1, votes.total],
    "written": ticks.Votes(plus_1=5, minus_1=2).model_dump(by_alias=True, exclude_none=True),
}))
"""


@pytest.mark.parametrize("reverse", [False, True], ids=["document-order", "reversed"])
def test_punctuation_is_spelled_in_names_and_the_wire_keeps_it(tmp_path: Path, reverse: bool) -> None:
    spec = tmp_path / "ticks.yaml"
    spec.write_text(yaml.safe_dump(_ticks(reverse), sort_keys=False), encoding="utf-8")
    generate(spec=spec, output=tmp_path / "out")

    done = run_python(SHOW, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)

    assert shown["arguments"] == [
        "deadline",
        "max_retries",
        "start_time",
        "start_time_after",
        "start_time_before",
        "timeout",
    ]
    assert shown["fields"] == ["minus_1", "plus_1", "total"]
    assert shown["query"] == [["StartTime", "t"], ["StartTime<", "b"], ["StartTime>", "a"]]
    assert shown["read"] == [3, 1, 4]
    assert shown["written"] == {"+1": 5, "-1": 2}


def _refused(tmp_path: Path, spec: dict[str, Any]) -> list[str]:
    path = tmp_path / "ticks.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    with pytest.raises(GeneratorFailure) as failure:
        generate(spec=path, output=tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert {d.hint for d in failure.value.diagnostics} == {NAME_HINT}
    return [re.sub(r"\(line \d+\)", "(line N)", d.message) for d in failure.value.diagnostics]


def test_a_spelled_name_that_meets_a_plain_one_is_refused_naming_both(tmp_path: Path) -> None:
    spec = _ticks(reverse=False)
    spec["components"]["schemas"]["Votes"]["properties"]["plus_1"] = {"type": "integer"}

    assert _refused(tmp_path, spec) == [
        "properties '+1' (line N) and 'plus_1' of schema 'Votes' would both be the Python name 'plus_1'"
    ]


def test_a_spelled_argument_that_meets_a_plain_one_is_refused_naming_both(tmp_path: Path) -> None:
    """In one place; in two (a query and a header parameter), each takes its place after its name."""
    spec = _ticks(reverse=False)
    spec["paths"]["/votes"]["get"]["parameters"].append({"name": "start_time_after", "in": "query", "schema": {}})

    assert _refused(tmp_path, spec) == [
        "operation 'countVotes': query parameter 'StartTime>' (line N) and query parameter 'start_time_after' "
        "would both be the argument 'start_time_after'"
    ]
