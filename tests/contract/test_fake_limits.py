"""The fake service stays bounded and answers as the service would whatever arrives: a hostile client
over raw loopback sockets (huge, endless and broken bodies, stalled connections, bad faults)."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack
from urllib.parse import urlsplit

import httpx
import pytest
from ld_releases.testing import DEFAULT_FLAG, DEFAULT_PIPELINE, DEFAULT_PROJECT, RunningFake, fake_releases
from ld_releases.testing._app import LOG_SIZE, LOGGED_BODY_CHARS, MAX_BODY_BYTES
from ld_releases.testing._server import MAX_CONNECTIONS, SOCKET_TIMEOUT

RELEASE = f"/api/v2/projects/{DEFAULT_PROJECT}/flags/{DEFAULT_FLAG}/release"


@pytest.fixture
def fake() -> Iterator[RunningFake]:
    """A fake of its own (hostile requests are contract violations, not failures of these tests)."""
    with fake_releases(check=False) as running:
        yield running


def connect(fake: RunningFake) -> socket.socket:
    address = urlsplit(fake.url)
    return socket.create_connection((address.hostname, address.port), timeout=SOCKET_TIMEOUT + 5)


def head(fake: RunningFake, method: str, path: str, *lines: str) -> bytes:
    fields = [f"{method} {path} HTTP/1.1", f"Host: {urlsplit(fake.url).netloc}", f"Authorization: {fake.token}"]
    fields += ["LD-API-Version: beta", "Content-Type: application/json", *lines]
    return ("\r\n".join(fields) + "\r\n\r\n").encode()


def answer(connection: socket.socket) -> tuple[int, dict[str, str], object]:
    """The status, headers and JSON body of the one response on `connection`, read to its end."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    header, _, body = received.partition(b"\r\n\r\n")
    status_line, *fields = header.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (f.partition(":") for f in fields)}
    return int(status_line.split()[1]), headers, json.loads(body)


def test_a_body_over_the_limit_is_refused_413_before_it_is_read(fake: RunningFake) -> None:
    with connect(fake) as connection:
        connection.sendall(head(fake, "PUT", RELEASE, f"Content-Length: {100 * 1024 * 1024}") + b'{"release')
        status, headers, body = answer(connection)

    assert (status, headers["content-type"]) == (413, "application/json")
    assert body == {
        "code": "request_entity_too_large",
        "message": f"Request bodies are limited to {MAX_BODY_BYTES} bytes",
    }
    assert fake.requests() == []  # nothing of it was kept


def test_a_chunked_body_over_the_limit_is_refused_413(fake: RunningFake) -> None:
    chunk = b"x" * 65536
    with connect(fake) as connection:
        connection.sendall(head(fake, "PUT", RELEASE, "Transfer-Encoding: chunked"))
        for _ in range(MAX_BODY_BYTES // len(chunk) + 2):
            connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        connection.sendall(b"0\r\n\r\n")
        status, _, body = answer(connection)

    assert status == 413
    assert isinstance(body, dict) and body["code"] == "request_entity_too_large"


def test_a_broken_chunked_body_is_a_400_with_the_services_json_error(fake: RunningFake) -> None:
    with connect(fake) as connection:
        connection.sendall(head(fake, "PUT", RELEASE, "Transfer-Encoding: chunked") + b"zz\r\nnot hex\r\n0\r\n\r\n")
        status, headers, body = answer(connection)

    assert (status, headers["content-type"]) == (400, "application/json")
    assert isinstance(body, dict) and body["code"] == "invalid_request"
    assert body["message"].startswith("The request body could not be read")


def test_a_phase_index_of_5000_digits_is_refused_as_the_service_would(fake: RunningFake) -> None:
    fake.client.releases.create(DEFAULT_PROJECT, DEFAULT_FLAG, release_pipeline_key=DEFAULT_PIPELINE)
    patch = [{"op": "replace", "path": "/phases/" + "9" * 5000 + "/complete", "value": True}]

    with httpx.Client(base_url=fake.url, headers={"Authorization": fake.token, "LD-API-Version": "beta"}) as http:
        refused = http.patch(f"/api/v2/flags/{DEFAULT_PROJECT}/{DEFAULT_FLAG}/release", json=patch)

    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_request"
    assert fake.violations() == []  # the fake did not crash (a crash is recorded as a violation)


def test_the_request_log_keeps_the_latest_entries_and_cuts_long_bodies(fake: RunningFake) -> None:
    with httpx.Client(base_url=fake.url) as http:
        http.post("/nowhere", content=b"y" * (LOGGED_BODY_CHARS + 10))
        for number in range(LOG_SIZE):
            http.get(f"/nowhere/{number}")

    logged = fake.requests()
    assert len(logged) == LOG_SIZE
    assert (logged[0]["path"], logged[-1]["path"]) == ("/nowhere/0", f"/nowhere/{LOG_SIZE - 1}")

    fake.reset()
    with httpx.Client(base_url=fake.url) as http:
        http.post("/nowhere", content=b"y" * (LOGGED_BODY_CHARS + 10))
    assert [len(entry["body"]) for entry in fake.requests()] == [LOGGED_BODY_CHARS]


def test_stalled_connections_are_closed_and_one_too_many_is_answered_503(fake: RunningFake) -> None:
    with ExitStack() as stack:
        stalled = [stack.enter_context(connect(fake)) for _ in range(MAX_CONNECTIONS)]
        for connection in stalled:
            connection.sendall(b"GET /api/v2/")  # and never more
        time.sleep(0.5)

        with connect(fake) as extra:
            extra.sendall(head(fake, "GET", RELEASE))
            status, headers, body = answer(extra)
        assert (status, headers["retry-after"]) == (503, "1")
        assert isinstance(body, dict) and body["code"] == "service_unavailable"

        started = time.monotonic()
        closed = [connection.recv(1) for connection in stalled]  # b"": the fake hung up
        assert closed == [b""] * MAX_CONNECTIONS
        assert time.monotonic() - started < SOCKET_TIMEOUT + 3

    created = fake.client.releases.create(DEFAULT_PROJECT, DEFAULT_FLAG, release_pipeline_key=DEFAULT_PIPELINE)
    assert created.release_pipeline_key == DEFAULT_PIPELINE  # served again once the stalled ones are gone


@pytest.mark.parametrize(
    ("faults", "message"),
    [
        ({"status": 500}, "faults must be a JSON list of objects, got dict"),
        ([5], "fault 0 must be an object, got int"),
        ([{"status": 500}, {"stauts": 500}], "fault 1: unknown key 'stauts'"),
        ([{"status": "500"}], "fault 0: status has the wrong type (str)"),
        ([{"status": True}], "fault 0: status has the wrong type (bool)"),
        ([{"status": 5000}], "fault 0: status must be an HTTP status (100-599), got 5000"),
        ([{"delay": -1}], "fault 0: delay must be 0 to 60 seconds, got -1"),
        ([{"delay": 1e9}], "fault 0: delay must be 0 to 60 seconds"),
        ([{"headers": {"Retry-After": 1}}], "fault 0: headers must map names to strings"),
        ([{"remove": ["phases"]}], "fault 0: remove must list JSON Pointers"),
    ],
)
def test_a_bad_fault_is_refused_400_and_nothing_is_queued(fake: RunningFake, faults: object, message: str) -> None:
    with httpx.Client(base_url=fake.url) as http:
        refused = http.post("/_fake/faults", json=faults)

    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_fault"
    assert refused.json()["message"].startswith(message)
    if isinstance(faults, list):  # the same check in the test process
        with pytest.raises(ValueError, match=r"^fault"):
            fake.inject(*faults)
    created = fake.client.releases.create(DEFAULT_PROJECT, DEFAULT_FLAG, release_pipeline_key=DEFAULT_PIPELINE)
    assert created.release_pipeline_key == DEFAULT_PIPELINE  # no fault was queued
