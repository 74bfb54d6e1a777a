"""Arguments a call cannot send are refused before anything is sent, as `ArgumentError` (also a
TypeError and a ValueError) naming the method's Python argument, never its wire name nor a raw
pydantic error; through httpx.MockTransport, so a request that did go out would be seen."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import ld_releases
import pydantic
import pytest

Call = Callable[[ld_releases.Client], object]


def client(sent: list[httpx.Request]) -> ld_releases.Client:
    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    transport = httpx.MockTransport(answer)
    return ld_releases.Client(api_key="tok", base_url="https://ld.test", http_client=httpx.Client(transport=transport))


@pytest.mark.parametrize(
    ("call", "argument", "kind"),
    [
        (lambda c: c.releases.update_phase_status("p", "f", "ph", status=5), "status", TypeError),
        (lambda c: c.releases.create("p", "f", release_pipeline_key=7), "release_pipeline_key", TypeError),
        (lambda c: c.releases.get("p", None), "flag_key", ValueError),
        (lambda c: c.releases.get("", "f"), "project_key", ValueError),
        (lambda c: c.releases.delete("p", None), "flag_key", ValueError),
        (lambda c: c.releases.patch("p", "f", [{"op": 1}]), "patch", TypeError),
        (
            lambda c: c.releases.update_phase_status("p", "f", "ph", status="Started", audiences=[{"audienceId": 3}]),
            "audiences",
            TypeError,
        ),
        (lambda c: c.releases.get("p", 7), "flag_key", TypeError),
        (lambda c: c.releases.delete("p", "f", ld_api_version=2), "ld_api_version", TypeError),
    ],
    ids=[
        "enum-int",
        "str-int",
        "path-none",
        "path-empty",
        "delete-none",
        "whole-body",
        "nested",
        "path-int",
        "header-int",
    ],
)
def test_a_bad_argument_is_refused_before_sending_naming_the_python_argument(
    call: Call, argument: str, kind: type[Exception]
) -> None:
    sent: list[httpx.Request] = []

    with pytest.raises(ld_releases.ArgumentError) as caught:
        call(client(sent))

    assert sent == []
    assert f"argument {argument!r}" in str(caught.value)
    assert isinstance(caught.value, kind) and isinstance(caught.value, ld_releases.LdReleasesError)
    shown = caught.value.__cause__ or (None if caught.value.__suppress_context__ else caught.value.__context__)
    assert not isinstance(shown, pydantic.ValidationError)


def test_a_path_parameter_of_the_wrong_type_says_what_it_must_be() -> None:
    with pytest.raises(TypeError, match=r"^argument 'phase_id' must be str, not int$"):
        client([]).releases.update_phase_status("p", "f", 3, status="Started")  # type: ignore[arg-type]


def test_the_wire_name_is_not_the_one_reported() -> None:
    with pytest.raises(ld_releases.ArgumentError) as caught:
        client([]).releases.create("p", "f", release_pipeline_key=7)  # type: ignore[arg-type]

    assert "releasePipelineKey" not in str(caught.value)


def test_an_enum_argument_error_lists_the_accepted_values() -> None:
    with pytest.raises(TypeError, match="'NotStarted', 'ReadyToStart', 'Started', 'Paused' or 'Complete'"):
        client([]).releases.update_phase_status("p", "f", "ph", status=5)  # type: ignore[arg-type]


def test_a_nested_problem_says_where_in_the_argument() -> None:
    with pytest.raises(ValueError, match=r"argument 'patch': Field required \(at 0\.path\)"):
        client([]).releases.patch("p", "f", [{"op": "replace"}])


def test_good_arguments_are_sent() -> None:
    sent: list[httpx.Request] = []

    with pytest.raises(ld_releases.ServerError):
        client(sent).releases.update_phase_status("p", "f", "ph", status="Started", max_retries=0)

    assert [str(r.url) for r in sent] == ["https://ld.test/api/v2/projects/p/flags/f/release/phases/ph"]


def test_the_async_client_refuses_the_same_way() -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    async def call() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        async with ld_releases.AsyncClient(api_key="tok", base_url="https://ld.test", http_client=http) as c:
            await c.releases.get("p", None)  # type: ignore[arg-type]

    with pytest.raises(ld_releases.ArgumentError, match="argument 'flag_key' must be given, not None"):
        asyncio.run(call())

    assert sent == []
