"""Every operation against every status code the description documents for it, for the sync and the
async client, straight to the fake and through Prism. The cases come from spec/openapi.yaml: a status
added to the description fails `test_every_documented_status_has_a_case` until it has one.

Each status is provoked the way the service would give it where the fake can (a wrong token, another
API version, an unknown flag, a state the service refuses); the rest (429, and the 400s no request
from this client can cause) are queued faults, whose answers the fake checks against the description
like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ld_releases
import pytest
from ld_releases import PhaseStatus, Release, ReleasePatch
from ruamel.yaml import YAML

from tests.contract.conftest import SPEC
from tests.contract.harness import FLAG, PIPELINE, PROJECT, Api, Fake

RESET_AT_MS = 1_900_000_000_000


def documented() -> list[tuple[str, int]]:
    paths = YAML(typ="safe").load(SPEC.read_text(encoding="utf-8"))["paths"]
    return sorted(
        (str(operation["operationId"]), int(status))
        for item in paths.values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
        for status in operation["responses"]
    )


@dataclass
class Call:
    """One operation made on a client: `release` is the flag's release made beforehand (or None)."""

    client: Any
    release: Release | None
    flag: str = FLAG
    options: dict[str, Any] | None = None

    def __call__(self, operation: str) -> Any:
        releases, options = self.client.releases, {"max_retries": 0, **(self.options or {})}
        if operation == "createReleaseForFlag":
            return releases.create(PROJECT, self.flag, release_pipeline_key=PIPELINE, **options)
        if operation == "getReleaseByFlagKey":
            return releases.get(PROJECT, self.flag, **options)
        if operation == "deleteReleaseByFlagKey":
            return releases.delete(PROJECT, self.flag, **options)
        if operation == "patchReleaseByFlagKey":
            return releases.patch(PROJECT, self.flag, ReleasePatch().complete_phase(0), **options)
        if operation == "updatePhaseStatus":
            phase = self.release.phases[0].id if self.release else "000000000000000000000000"
            return releases.update_phase_status(PROJECT, self.flag, phase, status=PhaseStatus.STARTED, **options)
        raise AssertionError(f"no call for {operation}")


@dataclass
class Route:
    """Clients of one flavour sent straight to the fake (`prism_url` None) or through Prism, whose
    complaints fail the test (see `Api.client_via`)."""

    api: Api
    prism_url: str | None

    def client(self, **settings: Any) -> Any:
        if self.prism_url is None:
            return self.api.client(**settings)
        return self.api.client_via(self.prism_url, **settings)


Provoke = Callable[[Api, Fake, Route, str], Any]  # (api, fake, route, operation) -> the call's result


def _with_release(api: Api) -> Release:
    release: Release = api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    return release


def succeed(api: Api, fake: Fake, route: Route, operation: str) -> Any:
    client = route.client()
    release = None if operation == "createReleaseForFlag" else _with_release(api)
    return Call(client, release)(operation)


def bad_request(api: Api, fake: Fake, route: Route, operation: str) -> Any:
    """What the service refuses: a second release, a phase out of order, a phase that isn't there."""
    client = route.client()
    release = _with_release(api)
    if operation == "updatePhaseStatus":
        return client.releases.update_phase_status(
            PROJECT, FLAG, release.phases[1].id, status=PhaseStatus.STARTED, max_retries=0
        )
    if operation == "patchReleaseByFlagKey":
        return client.releases.patch(PROJECT, FLAG, ReleasePatch().complete_phase(7), max_retries=0)
    if operation == "createReleaseForFlag":
        return Call(client, release)(operation)
    fake.faults({"status": 400, "body": {"code": "invalid_request", "message": "injected 400"}})
    return Call(client, release)(operation)


def unauthorised(api: Api, fake: Fake, route: Route, operation: str) -> Any:
    return Call(route.client(api_key="not-the-token"), _with_release(api))(operation)


def forbidden(api: Api, fake: Fake, route: Route, operation: str) -> Any:
    return Call(route.client(), _with_release(api), options={"ld_api_version": "20240415"})(operation)


def not_found(api: Api, fake: Fake, route: Route, operation: str) -> Any:
    return Call(route.client(), _with_release(api), flag="no-such-flag")(operation)


def rate_limited(api: Api, fake: Fake, route: Route, operation: str) -> Any:
    client, release = route.client(), _with_release(api)
    fake.faults(
        {
            "status": 429,
            "headers": {"X-Ratelimit-Reset": str(RESET_AT_MS), "X-Ratelimit-Route-Remaining": "0"},
            "body": {"code": "rate_limited", "message": "You've exceeded the API rate limit."},
        }
    )
    return Call(client, release)(operation)


PROVOKE: dict[int, Provoke] = {
    200: succeed,
    204: succeed,
    400: bad_request,
    401: unauthorised,
    403: forbidden,
    404: not_found,
    429: rate_limited,
}
ERRORS: dict[int, tuple[type[ld_releases.ApiError], str]] = {
    400: (ld_releases.BadRequestError, "invalid_request"),
    401: (ld_releases.AuthenticationError, "unauthorized"),
    403: (ld_releases.PermissionDeniedError, "forbidden"),
    404: (ld_releases.NotFoundError, "not_found"),
    429: (ld_releases.RateLimitError, "rate_limited"),
}


def test_every_documented_status_has_a_case() -> None:
    statuses = {status for _, status in documented()}
    assert statuses <= set(PROVOKE), f"no way to provoke {sorted(statuses - set(PROVOKE))}"
    assert {s for s in statuses if s >= 400} <= set(ERRORS)
    assert len(documented()) == 30  # 5 operations x 6 statuses today; a new one needs a look here


@pytest.fixture(params=["direct", "prism"])
def route(request: pytest.FixtureRequest, api: Api) -> Route:
    prism_url = request.getfixturevalue("prism_url") if request.param == "prism" else None
    return Route(api, prism_url)


@pytest.mark.parametrize(("operation", "status"), documented())
def test_each_operation_answers_each_documented_status(
    api: Api, fake: Fake, route: Route, operation: str, status: int
) -> None:
    if status < 400:
        result = PROVOKE[status](api, fake, route, operation)
        if status == 204:
            assert result is None
            with pytest.raises(ld_releases.NotFoundError):
                api.releases.get(PROJECT, FLAG)
        else:
            assert isinstance(result, Release)
            assert result.release_pipeline_key == PIPELINE
            changes = operation in ("patchReleaseByFlagKey", "updatePhaseStatus")
            assert result.version == (2 if changes else 1)
    else:
        error_class, code = ERRORS[status]
        with pytest.raises(ld_releases.ApiError) as caught:
            PROVOKE[status](api, fake, route, operation)
        assert type(caught.value) is error_class
        assert (caught.value.status_code, caught.value.code) == (status, code)
        if isinstance(caught.value, ld_releases.RateLimitError):
            assert caught.value.reset_at is not None
            assert caught.value.reset_at.timestamp() * 1000 == RESET_AT_MS
