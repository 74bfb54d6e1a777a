"""Helpers for the contract tests: one call surface for both clients, the fake's control routes, Prism.

`Blocking` wraps a `Client` or an `AsyncClient` (and the resources reached from it) so that every call
returns its result: for the async client each coroutine is run to completion on one event loop. A
test is written once against `Api` and runs for both flavours.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import itertools
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import ld_releases
import pytest
from ld_releases.testing import DEFAULT_FLAG, DEFAULT_PIPELINE, DEFAULT_PROJECT, DEFAULT_TOKEN

from tests.processes import server_process

FLAVOURS = ["sync", "async"]
PROJECT, FLAG, PIPELINE, TOKEN = DEFAULT_PROJECT, DEFAULT_FLAG, DEFAULT_PIPELINE, DEFAULT_TOKEN
PRISM_HINT = "Prism is not installed: `nox -s contract` installs it (or set LD_PRISM to a `prism` executable)"


class Blocking:
    """`target` with every method call made synchronously (coroutines run on `loop`)."""

    def __init__(self, target: object, loop: asyncio.AbstractEventLoop | None) -> None:
        self.target = target
        self._loop = loop

    def _settle(self, value: Any) -> Any:
        if inspect.isawaitable(value):
            assert self._loop is not None, "an awaitable from the sync client"
            return self._loop.run_until_complete(value)
        return value

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.target, name)
        if type(value).__module__.startswith("ld_releases.resources"):
            return Blocking(value, self._loop)
        if inspect.ismethod(value) or inspect.isfunction(value):  # `with_raw_response` holds wrapped functions
            method: Callable[..., Any] = value

            def call(*args: Any, **kwargs: Any) -> Any:
                return self._settle(method(*args, **kwargs))

            return call
        return value

    def __enter__(self) -> Blocking:
        if self._loop is None:
            self.target.__enter__()  # type: ignore[attr-defined]
        else:
            self._settle(self.target.__aenter__())  # type: ignore[attr-defined]
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is None:
            self.target.__exit__(*exc)  # type: ignore[attr-defined]
        else:
            self._settle(self.target.__aexit__(*exc))  # type: ignore[attr-defined]


class Api:
    """Clients of one flavour (`sync` or `async`) pointed at the fake; each is closed at teardown."""

    def __init__(self, kind: str, service_url: str) -> None:
        self.kind = kind
        self.service_url = service_url
        self.loop = asyncio.new_event_loop() if kind == "async" else None
        self.prism_violations: list[str] = []  # `sl-violations` headers Prism added, see `client_via`
        self._opened: list[ld_releases.Client | ld_releases.AsyncClient | httpx.Client | httpx.AsyncClient] = []

    @functools.cached_property
    def default(self) -> Any:
        """The client most tests use: token TOKEN, the fake's URL, default settings (made on first use)."""
        return self.client()

    @property
    def client_class(self) -> type[ld_releases.Client] | type[ld_releases.AsyncClient]:
        return ld_releases.AsyncClient if self.kind == "async" else ld_releases.Client

    @property
    def releases(self) -> Any:
        """`client.releases` of the default client."""
        return self.default.releases

    def client(
        self, *, api_key: str | None = TOKEN, base_url: str | None = None, to_fake: bool = True, **settings: Any
    ) -> Any:
        """A new client of this flavour, sent to the fake unless `base_url` is given or `to_fake` is False."""
        url = self.service_url if base_url is None and to_fake else base_url
        created = self.client_class(api_key=api_key, base_url=url, **settings)
        self._opened.append(created)
        return Blocking(created, self.loop)

    def client_via(self, url: str, **settings: Any) -> Any:
        """A client sending to `url` (e.g. Prism in front of the fake); the `sl-violations` headers
        Prism adds to answers it found fault with are kept in `prism_violations`."""

        def record(response: httpx.Response) -> None:
            if "sl-violations" in response.headers:
                self.prism_violations.append(
                    f"{response.request.method} {response.request.url.path}: " + response.headers["sl-violations"]
                )

        async def record_async(response: httpx.Response) -> None:
            record(response)

        http: httpx.Client | httpx.AsyncClient = (
            httpx.AsyncClient(event_hooks={"response": [record_async]})
            if self.kind == "async"
            else httpx.Client(event_hooks={"response": [record]})
        )
        self._opened.append(http)
        return self.client(base_url=url, http_client=http, **settings)

    def run(self, value: Any) -> Any:
        """`value`, awaited when it is awaitable (for calls made on `.target` directly)."""
        if inspect.isawaitable(value):
            assert self.loop is not None, "an awaitable from the sync client"
            return self.loop.run_until_complete(value)
        return value

    def close(self) -> None:
        try:
            for opened in reversed(self._opened):
                self.run(opened.aclose() if isinstance(opened, httpx.AsyncClient) else opened.close())
        finally:
            if self.loop is not None:
                self.loop.close()


class Fake:
    """The fake service's control routes."""

    def __init__(self, control: httpx.Client) -> None:
        self.control = control

    def faults(self, *faults: dict[str, Any]) -> None:
        """Queue faults: each API request takes the next one."""
        self.control.post("/_fake/faults", json=list(faults)).raise_for_status()

    def requests(self) -> list[dict[str, Any]]:
        """Every API request that arrived since the reset, oldest first; headers as httpx.Headers."""
        answer = self.control.get("/_fake/requests")
        answer.raise_for_status()
        arrived: list[dict[str, Any]] = answer.json()
        for request in arrived:
            request["headers"] = httpx.Headers(request["headers"])
        return arrived

    def violations(self, *, take: bool = False) -> list[dict[str, str]]:
        """The contract violations the fake recorded; with `take`, forgotten too (expected ones)."""
        answer = self.control.request("DELETE" if take else "GET", "/_fake/violations")
        answer.raise_for_status()
        found: list[dict[str, str]] = answer.json()
        return found

    def bodies(self) -> list[Any]:
        """The JSON bodies of the requests that arrived (None for requests without one)."""
        return [json.loads(r["body"]) if r["body"] else None for r in self.requests()]


def gaps(requests: list[dict[str, Any]]) -> list[float]:
    """Seconds between the arrivals of consecutive requests."""
    times = [float(r["at"]) for r in requests]
    return [later - earlier for earlier, later in itertools.pairwise(times)]


@contextlib.contextmanager
def prism_proxy(spec: Path, service_url: str, log: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Prism proxying to `service_url`, its URL and process (the leader of its process group)."""
    prism = os.environ.get("LD_PRISM") or shutil.which("prism")
    if not prism:
        pytest.fail(PRISM_HINT)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [prism, "proxy", str(spec), service_url, "--errors", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("w") as output, server_process(command, stdout=output, stderr=subprocess.STDOUT) as process:
        deadline = time.monotonic() + 60
        while "Prism is listening" not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Prism did not start:\n{log.read_text()}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", process
