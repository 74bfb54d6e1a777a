"""A server for the gallery description (`tests/data/gallery.yaml`) that records exactly what arrives
on the wire and checks every request and response against the description with openapi-core.

`python -m tests.clients.wire_server --port 0` prints `LISTENING <url>`, then serves:
- every gallery operation, answering a canned body of the documented kind (JSON, PNG bytes, text,
  or nothing; `DELETE ...?later=true` answers 202 with a job, else 204), or the status queued with
  `POST /_wire/next` (`{"status": 503}`) for the next request;
- `GET /_wire/requests`: what arrived, oldest first: method, path, query pairs, headers, cookies,
  the raw body (base64), form fields and multipart parts (name, filename, content type, content);
- `GET /_wire/violations`: what openapi-core found wrong (`request` or `response`).
Bodies over 8 MiB are refused (413) unread; each connection is read with a 10 s timeout.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import threading
from pathlib import Path
from typing import Any

from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

SPEC = Path(__file__).resolve().parents[1] / "data" / "gallery.yaml"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
MAX_BODY = 8 * 1024 * 1024
ALBUM = {"id": "a1", "title": "Holidays", "private": False}
PHOTO = {"id": "p1", "caption": "Sea", "size": 1024}


class _AtSpecHost(WerkzeugOpenAPIRequest):
    """openapi-core matches a request against the description's own server, not loopback."""

    @property
    def host_url(self) -> str:
        return "https://api.gallery.example"


class WireServer:
    def __init__(self, spec: Path) -> None:
        self.openapi = OpenAPI.from_file_path(str(spec))
        self.lock = threading.Lock()
        self.requests: list[dict[str, Any]] = []
        self.violations: list[dict[str, str]] = []
        self.next_status: list[int] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        request.max_content_length = MAX_BODY
        return self.answer(request)(environ, start_response)

    def answer(self, request: Request) -> Response:
        if request.path.startswith("/_wire/"):
            return self.control(request)
        if (request.content_length or 0) > MAX_BODY:
            return Response(status=413)
        raw = request.get_data(cache=True)
        with self.lock:
            self.requests.append(_record(request, raw))
            queued = self.next_status.pop(0) if self.next_status else None
        self._check(request, None)
        response = _fault(queued) if queued is not None else _canned(request)
        self._check(request, response)
        return response

    def _check(self, request: Request, response: Response | None) -> None:
        wrapped = _AtSpecHost(request)
        try:
            if response is None:
                self.openapi.validate_request(wrapped)
            elif response.status_code < 500:
                self.openapi.validate_response(wrapped, WerkzeugOpenAPIResponse(response))
        except Exception as problem:  # openapi-core's validation errors have no common public base
            kind = "request" if response is None else "response"
            detail = "; ".join(str(e) for e in getattr(problem, "schema_errors", []) or [problem])
            with self.lock:
                self.violations.append({"kind": kind, "path": request.path, "message": detail})

    def control(self, request: Request) -> Response:
        with self.lock:
            if request.path == "/_wire/requests":
                return _json(self.requests)
            if request.path == "/_wire/violations":
                return _json(self.violations)
            if request.path == "/_wire/next" and request.method == "POST":
                self.next_status.append(int(json.loads(request.get_data())["status"]))
                return Response(status=204)
            if request.path == "/_wire/reset" and request.method == "POST":
                self.requests.clear()
                self.violations.clear()
                self.next_status.clear()
                return Response(status=204)
        return Response(status=404)


def _record(request: Request, raw: bytes) -> dict[str, Any]:
    parts = []
    form: list[list[str]] = []
    if request.mimetype == "multipart/form-data":
        form = [[k, v] for k, v in request.form.items(multi=True)]
        for name, upload in request.files.items(multi=True):
            content = upload.read()
            parts.append({"name": name, "filename": upload.filename, "type": upload.mimetype, "content": content.hex()})
    elif request.mimetype == "application/x-www-form-urlencoded":
        form = [[k, v] for k, v in request.form.items(multi=True)]
    return {
        "method": request.method,
        "path": request.path,
        "query": [[k, v] for k, v in request.args.items(multi=True)],
        "headers": dict(request.headers.items()),
        "cookies": dict(request.cookies.items()),
        "body": base64.b64encode(raw).decode(),
        "form": form,
        "files": parts,
    }


def _json(value: Any, status: int = 200) -> Response:
    return Response(json.dumps(value), status=status, mimetype="application/json")


def _fault(status: int) -> Response:
    return Response(
        json.dumps({"code": "queued", "message": f"queued {status}"}), status=status, mimetype="application/json"
    )


def _canned(request: Request) -> Response:
    path, method = request.path, request.method
    if path == "/v1/albums":
        return _json([ALBUM]) if method == "GET" else _json(ALBUM, 201)
    if path.startswith("/v1/albums/") and path.endswith("/photos"):
        return _json(PHOTO, 201)
    if path.startswith("/v1/albums/"):
        return _json({"id": "job-1"}, 202) if request.args.get("later") == "true" else Response(status=204)
    if path.endswith("/content"):
        return Response(PNG, mimetype="image/png") if method == "GET" else Response(status=204)
    if path.endswith("/caption"):
        return Response("A day at the sea", mimetype="text/plain") if method == "GET" else Response(status=204)
    if path == "/v1/search":
        return _json([PHOTO])
    if path == "/v1/health":
        return _json({"status": "up"})
    return Response(status=404)


class _Handler(WSGIRequestHandler):
    timeout = 10  # seconds a connection may stay silent

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.clients.wire_server")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    server = make_server("127.0.0.1", args.port, WireServer(SPEC), threaded=True, request_handler=_Handler)
    print(f"LISTENING http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
