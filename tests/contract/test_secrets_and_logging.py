"""The token stays secret (repr, errors, logs), and LD_RELEASES_LOG turns the client's logging on."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable

import ld_releases
import pytest
from ld_releases import ReleasePatch

from tests.contract.harness import FLAG, PIPELINE, PROJECT, TOKEN, Api, Fake

SECRET = "api-very-secret-0123456789"
"""A token the fake refuses: long and unique, so any leak of it is unmistakable."""


def test_repr_of_the_client_does_not_show_the_token(api: Api) -> None:
    client = api.client()

    assert TOKEN not in repr(client.target)
    assert TOKEN not in str(client.target)
    assert api.service_url in repr(client.target)  # it does say where it sends


def test_the_token_is_in_no_error_and_no_log_record(api: Api, fake: Fake, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ld_releases, and httpx/httpcore under it
    client = api.client(timeout=0.3)
    errors: list[Exception] = []

    def expect(error_class: type[Exception], call: Callable[[], object]) -> None:
        with pytest.raises(error_class) as caught:
            call()
        errors.append(caught.value)

    fake.faults({"status": 503, "headers": {"Retry-After": "0"}}, {"drop": True})
    expect(ld_releases.NotFoundError, lambda: client.releases.get(PROJECT, FLAG))  # after two retries
    fake.faults(*[{"status": 429, "headers": {"Retry-After": "0", "X-Ratelimit-Reset": "1"}}] * 3)
    expect(ld_releases.RateLimitError, lambda: client.releases.get(PROJECT, FLAG))
    expect(ld_releases.PermissionDeniedError, lambda: client.releases.get(PROJECT, FLAG, ld_api_version="1"))
    fake.faults({"status": 500, "raw": "<pre>oops</pre>"})
    expect(ld_releases.ServerError, lambda: client.releases.get(PROJECT, FLAG, max_retries=0))
    fake.faults({"delay": 1.0})
    expect(ld_releases.ApiTimeoutError, lambda: client.releases.get(PROJECT, FLAG, max_retries=0))
    fake.faults({"status": 200, "raw": "garbage"})
    expect(ld_releases.ResponseValidationError, lambda: client.releases.get(PROJECT, FLAG))
    client.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    fake.faults({"drop": True})
    expect(ld_releases.ApiConnectionError, lambda: client.releases.patch(PROJECT, FLAG, ReleasePatch()))
    wrong = api.client(api_key=SECRET, max_retries=0)
    expect(ld_releases.AuthenticationError, lambda: wrong.releases.get(PROJECT, FLAG))

    for error in errors:
        for text in (str(error), repr(error), *map(str, error.args)):
            assert TOKEN not in text and SECRET not in text, (type(error).__name__, text)
    ours = [r for r in caplog.records if r.name == "ld_releases"]
    assert sum(r.getMessage().startswith("retrying") for r in ours) == 4  # 503, drop, 429, 429
    assert len(ours) > 10  # one debug line per answer too
    for record in caplog.records:
        logged = f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        assert TOKEN not in logged and SECRET not in logged, record
    assert TOKEN not in caplog.text and SECRET not in caplog.text


SCRIPT = """
import asyncio, sys
import ld_releases

def sync_main():
    with ld_releases.Client() as client:
        try:
            client.releases.get("{project}", "{flag}")
        except ld_releases.NotFoundError:
            pass

async def async_main():
    async with ld_releases.AsyncClient() as client:
        try:
            await client.releases.get("{project}", "{flag}")
        except ld_releases.NotFoundError:
            pass

sync_main() if sys.argv[1] == "sync" else asyncio.run(async_main())
"""


def run_script(api: Api, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "LD_RELEASES_LOG"}
    environment.update(LD_API_KEY=TOKEN, LD_BASE_URL=api.service_url, **env)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT).format(project=PROJECT, flag=FLAG), api.kind],
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )


def test_ld_releases_log_debug_prints_requests_and_retries_to_stderr(api: Api, fake: Fake) -> None:
    fake.faults({"status": 503, "headers": {"Retry-After": "0"}})

    finished = run_script(api, LD_RELEASES_LOG="debug")

    lines = finished.stderr.splitlines()
    path = f"/api/v2/flags/{PROJECT}/{FLAG}/release"
    assert any(f"GET {path} -> 503" in line for line in lines), finished.stderr
    assert any(f"retrying GET {path}" in line and "503" in line for line in lines), finished.stderr
    assert any(f"GET {path} -> 404" in line for line in lines), finished.stderr
    assert all("ld_releases" in line for line in lines), finished.stderr
    assert TOKEN not in finished.stderr
    assert finished.stdout == ""
    assert len(fake.requests()) == 2


def test_without_ld_releases_log_nothing_is_printed(api: Api, fake: Fake) -> None:
    fake.faults({"status": 503, "headers": {"Retry-After": "0"}})

    finished = run_script(api)

    assert (finished.stdout, finished.stderr) == ("", "")
    assert len(fake.requests()) == 2  # it did retry, silently
