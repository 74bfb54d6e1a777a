"""A hostile HTTP server for the client's loopback tests, run as its own process: it answers
`/api/v2/flags/<behaviour>/<argument>/release` as badly as `behaviour` says, byte by byte over a
raw socket, and `/_hits` with how many requests each behaviour got. Prints `LISTENING <url>`.

Bounded like any server we run: a request head of at most 64 KiB, a socket timeout on every
connection, and nothing it sends lasts longer than a minute."""

from __future__ import annotations

import json
import socket
import socketserver
import sys
import threading
import time
import zlib
from collections import Counter

HEAD_LIMIT = 64 * 1024
LIFETIME = 60.0
RELEASE = b'{"_links": {}, "name": "n", "releasePipelineKey": "p", "_version": 1, "phases": []}'

hits: Counter[str] = Counter()
lock = threading.Lock()


class Handler(socketserver.BaseRequestHandler):
    request: socket.socket

    def handle(self) -> None:
        self.request.settimeout(10)
        head = b""
        while b"\r\n\r\n" not in head and len(head) < HEAD_LIMIT:
            data = self.request.recv(4096)
            if not data:
                return
            head += data
        lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        parts = target.split("?", 1)[0].split("/")
        if target == "/_hits":
            return self.answer(200, json.dumps(hits).encode())
        behaviour, argument = (parts[4], parts[5]) if len(parts) > 5 else ("missing", "")
        with lock:
            hits[behaviour] += 1
        getattr(self, behaviour.replace("-", "_"), self.missing)(method, argument, "\r\n".join(lines[1:]))

    def answer(self, status: int, body: bytes, headers: str = "Content-Type: application/json\r\n") -> None:
        head = f"HTTP/1.1 {status} X\r\n{headers}Content-Length: {len(body)}\r\n\r\n"
        self.request.sendall(head.encode() + body)

    def missing(self, method: str, argument: str, headers: str) -> None:
        self.answer(404, b'{"code": "not_found", "message": "no such behaviour"}')

    def seen(self, method: str, argument: str, headers: str) -> None:
        self.answer(200, RELEASE)

    def echo(self, method: str, argument: str, headers: str) -> None:
        """The request's headers back in the error's message, as careless services do."""
        self.answer(400, json.dumps({"code": "bad_request", "message": headers}).encode())

    def trickle(self, method: str, argument: str, headers: str) -> None:
        """Headers at once, then the body one byte every 0.1 s."""
        self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
        self.drip(b" " * 100000)

    def trickle_head(self, method: str, argument: str, headers: str) -> None:
        """The status line and headers themselves one byte every 0.1 s."""
        self.drip(b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 10000 + b"\r\n\r\n")

    def drip(self, data: bytes) -> None:
        ends = time.monotonic() + LIFETIME
        for byte in data:
            if time.monotonic() > ends:
                return
            self.request.sendall(bytes([byte]))
            time.sleep(0.1)

    def silent(self, method: str, argument: str, headers: str) -> None:
        """Reads the request and never answers (until the client goes away)."""
        self.request.settimeout(LIFETIME)
        try:
            self.request.recv(1)
        except OSError:
            return

    def endless(self, method: str, argument: str, headers: str) -> None:
        """A chunked body that never ends."""
        self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        self.forever(lambda: b" " * 65536)

    def bomb(self, method: str, argument: str, headers: str) -> None:
        """gzip of endless zeros: a few KiB on the wire for every MiB decoded."""
        self.request.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        gzip = zlib.compressobj(9, zlib.DEFLATED, 31)
        zeros = b"\0" * (1 << 20)
        self.forever(lambda: gzip.compress(zeros) + gzip.flush(zlib.Z_SYNC_FLUSH))

    def forever(self, chunk: object) -> None:
        ends = time.monotonic() + LIFETIME
        try:
            while time.monotonic() < ends:
                data = chunk()  # type: ignore[operator]
                self.request.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        except OSError:
            return

    def bad_gzip(self, method: str, argument: str, headers: str) -> None:
        self.answer(200, b"this is not gzip", "Content-Type: application/json\r\nContent-Encoding: gzip\r\n")

    def redirect(self, method: str, argument: str, headers: str) -> None:
        """307 to the same server's `seen` (argument: the port to send it to)."""
        location = f"http://127.0.0.1:{argument}/api/v2/flags/seen/x/release"
        self.answer(307, b"", f"Location: {location}\r\n")

    def huge_reset(self, method: str, argument: str, headers: str) -> None:
        self.answer(429, b'{"code": "rate_limited", "message": "slow down"}', f"X-Ratelimit-Reset: {'9' * 5000}\r\n")

    def bad_retry_after(self, method: str, argument: str, headers: str) -> None:
        value = {"negative": "-5", "nan": "NaN", "unicode": "\u00e9"}[argument]
        self.answer(429, b'{"code": "rate_limited", "message": "slow down"}', f"Retry-After: {value}\r\n")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main() -> None:
    server = Server(("127.0.0.1", 0), Handler)
    print(f"LISTENING http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
