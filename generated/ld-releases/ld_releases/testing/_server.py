# Copied verbatim from templates/ by the ld-releases toolchain: do not edit here.
"""Running the fake on loopback: in a thread of the test process (`fake_releases`), or as a process
of its own (`serve`, behind `python -m ld_releases.testing`).

Either way the server is bounded: a connection silent for `SOCKET_TIMEOUT` seconds is closed, and at
most `MAX_CONNECTIONS` are served at once (one more is answered 503 at once and closed)."""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from .._client import AsyncClient, Client
from ._app import PACKAGED_SPEC, FakeReleasesApp, Fault, RecordedRequest, Violation
from ._service import DEFAULT_TOKEN, ReleasesService

SOCKET_TIMEOUT = 10.0
"""Seconds a connection may stay silent (a stalled request line, header or body) before it is closed."""
MAX_CONNECTIONS = 64

_BUSY_BODY = json.dumps(
    {"code": "service_unavailable", "message": f"More than {MAX_CONNECTIONS} connections"}
)
_BUSY = (
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
    f"Connection: close\r\nContent-Length: {len(_BUSY_BODY)}\r\n\r\n{_BUSY_BODY}"
).encode()


class _Handler(WSGIRequestHandler):
    timeout = SOCKET_TIMEOUT


class _QuietHandler(_Handler):
    """No access log from a fake running inside someone's test process."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class ContractViolationError(AssertionError):
    """Requests or responses that did not match the API description went through the fake."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        lines = [f"{v['kind']} {v['method']} {v['path']}: {v['message']}" for v in violations]
        super().__init__("the fake Releases service saw contract violations:\n" + "\n".join(lines))


class _BoundedServer(ThreadedWSGIServer):
    """A thread per connection, at most `MAX_CONNECTIONS` of them."""

    def __init__(
        self, host: str, port: int, app: FakeReleasesApp, handler: type[WSGIRequestHandler]
    ) -> None:
        super().__init__(host, port, app, handler)
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.settimeout(1.0)
                request.sendall(_BUSY)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


@dataclass
class RunningFake:
    """A fake Releases service listening at `url`, and a `client` configured for it."""

    url: str
    token: str
    app: FakeReleasesApp
    client: Client
    _opened: list[Client] = field(default_factory=list)

    def new_client(self, **settings: Any) -> Client:
        """Another client for the fake (e.g. `max_retries=0`, or `api_key="wrong"`: any `Client`
        argument overrides the fake's); closed when the fake stops."""
        created = Client(**{"api_key": self.token, "base_url": self.url, **settings})
        self._opened.append(created)
        return created

    def async_client(self, **settings: Any) -> AsyncClient:
        """An `AsyncClient` for the fake (any `AsyncClient` argument overrides the fake's); use it as
        `async with`, which closes it."""
        return AsyncClient(**{"api_key": self.token, "base_url": self.url, **settings})

    def inject(self, *faults: Fault) -> None:
        """Queue faults: each following API request takes the next one (e.g. `{"status": 429}`)."""
        self.app.inject(*faults)

    def requests(self) -> list[RecordedRequest]:
        with self.app.lock:
            return list(self.app.requests)

    def violations(self) -> list[Violation]:
        with self.app.lock:
            return list(self.app.violations)

    def release(self, project_key: str, flag_key: str) -> dict[str, Any] | None:
        """The fake's own record of the flag's active release (None: no release), for assertions."""
        with self.app.service.lock:
            found = self.app.service.releases.get((project_key, flag_key))
            return None if found is None else dict(found)

    def reset(self) -> None:
        self.app.reset()

    def check(self) -> None:
        """Raise `ContractViolationError` if any request or response broke the API description."""
        violations = self.violations()
        if violations:
            raise ContractViolationError(violations)

    def _close_clients(self) -> None:
        for opened in [self.client, *self._opened]:
            opened.close()


@contextlib.contextmanager
def fake_releases(
    *,
    token: str = DEFAULT_TOKEN,
    service: ReleasesService | None = None,
    spec: Path = PACKAGED_SPEC,
    port: int = 0,
    check: bool = True,
) -> Iterator[RunningFake]:
    """Start the fake on a free loopback port (or `port`) in a background thread and yield it with a
    configured client. On leaving, with `check`, any contract violation fails: `ContractViolationError`."""
    app = FakeReleasesApp(service, spec=spec, token=token)
    server = _BoundedServer("127.0.0.1", port, app, _QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="fake-releases", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    fake = RunningFake(url=url, token=token, app=app, client=Client(api_key=token, base_url=url))
    try:
        yield fake
    finally:
        fake._close_clients()
        server.shutdown()
        server.server_close()
        thread.join()
    if check:
        fake.check()


def serve(
    *,
    host: str,
    port: int,
    token: str,
    spec: Path,
    verbose: bool,
    announce: Callable[[str], None] = lambda url: None,
) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM); the first line printed is `LISTENING <url>`, then
    `announce(url)` says the rest."""
    logging.getLogger("werkzeug").setLevel(logging.INFO if verbose else logging.ERROR)
    server = _BoundedServer(host, port, FakeReleasesApp(spec=spec, token=token), _Handler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"LISTENING http://{host}:{server.server_port}", flush=True)
    announce(f"http://{host}:{server.server_port}")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    server.server_close()
