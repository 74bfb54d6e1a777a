# Copied verbatim from templates/ by the ld-releases toolchain: do not edit here.
"""The fake service as a WSGI application: routes taken from the API description, every request and
response checked against it with openapi-core, faults injected on demand.

A request that does not match the description is answered 400, as the service would, and recorded as
a `request` violation; a response that does not match is recorded as a `response` violation and sent
as it is, so that the client (or a validating proxy) sees exactly what went wrong. Routes under
`/_fake/` control the fake from another process:

    POST /_fake/reset        forget releases, recorded requests, violations and queued faults
    POST /_fake/faults       queue faults (a JSON list of `Fault`s); each API request takes the next
    GET  /_fake/requests     the API requests that arrived (`RecordedRequest`s), oldest first
    GET  /_fake/violations   the contract violations recorded (`Violation`s)
    DELETE /_fake/violations the same, and forget them (for tests that provoke one on purpose)

Its limits: a request body of more than `MAX_BODY_BYTES` is answered 413; the request log and the
violations keep the latest `LOG_SIZE` entries, each logged body cut to `LOGGED_BODY_CHARS`; a body that
cannot be read (a broken chunked encoding) is answered 400; a fault that is not a `Fault` is refused.
"""

from __future__ import annotations

import io
import json
import math
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypedDict

from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import get_input_stream

from ._service import DEFAULT_TOKEN, ApiFailure, ReleasesService

PACKAGED_SPEC = Path(__file__).resolve().parent.parent / "openapi.yaml"
CONTROL_PREFIX = "/_fake/"
MAX_BODY_BYTES = 1024 * 1024
"""The largest request body the fake reads; the service's own bodies are a few kilobytes."""
LOG_SIZE = 1000
"""How many recorded requests (and violations) the fake keeps: the latest."""
LOGGED_BODY_CHARS = 64 * 1024
MAX_FAULT_DELAY = 60.0

WSGIEnvironment = dict[str, Any]
StartResponse = Callable[..., Any]


class Fault(TypedDict, total=False):
    """What the next API request gets instead of (or besides) its normal answer.

    `status` (+ `headers`, `body`): answer that status; the body defaults to `{code, message}`.
    `delay`: seconds to wait before answering (combines with the others).
    `drop`: close the connection without answering.  `raw`: answer this text, not JSON.
    `truncate`: announce a longer body than is sent.  `remove`: JSON Pointers to delete from the
    normal answer's body (a deliberately wrong response, e.g. `["/phases/0/_id"]`).
    """

    status: int
    headers: dict[str, str]
    body: Any
    delay: float
    drop: bool
    raw: str
    truncate: bool
    remove: list[str]


class Violation(TypedDict):
    kind: str  # "request": the client sent what the description forbids; "response": the fake did
    method: str
    path: str
    message: str


class RecordedRequest(TypedDict):
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: str
    at: float  # time.time() of arrival


_FAULT_KINDS: dict[str, tuple[type, ...]] = {
    "status": (int,),
    "headers": (dict,),
    "body": (object,),
    "delay": (int, float),
    "drop": (bool,),
    "raw": (str,),
    "truncate": (bool,),
    "remove": (list,),
}


def checked_faults(faults: object) -> list[Fault]:
    """`faults` if it is a list of `Fault`s, else `ValueError` saying which value is wrong (none is queued)."""
    if not isinstance(faults, list):
        raise ValueError(f"faults must be a JSON list of objects, got {type(faults).__name__}")
    for number, fault in enumerate(faults):
        where = f"fault {number}"
        if not isinstance(fault, dict):
            raise ValueError(f"{where} must be an object, got {type(fault).__name__}")
        for key, value in fault.items():
            kinds = _FAULT_KINDS.get(key)
            if kinds is None:
                raise ValueError(f"{where}: unknown key {key!r}; known: {', '.join(_FAULT_KINDS)}")
            if not _is(value, kinds):
                raise ValueError(f"{where}: {key} has the wrong type ({type(value).__name__})")
        if "status" in fault and not 100 <= fault["status"] <= 599:
            raise ValueError(
                f"{where}: status must be an HTTP status (100-599), got {fault['status']}"
            )
        if "delay" in fault and not (
            math.isfinite(fault["delay"]) and 0 <= fault["delay"] <= MAX_FAULT_DELAY
        ):
            raise ValueError(
                f"{where}: delay must be 0 to {MAX_FAULT_DELAY:g} seconds, got {fault['delay']}"
            )
        if not all(
            isinstance(k, str) and isinstance(v, str) for k, v in fault.get("headers", {}).items()
        ):
            raise ValueError(f"{where}: headers must map names to strings")
        if not all(
            isinstance(pointer, str) and pointer.startswith("/")
            for pointer in fault.get("remove", [])
        ):
            raise ValueError(f"{where}: remove must list JSON Pointers such as /phases/0/_id")
    return faults


def _is(value: object, kinds: tuple[type, ...]) -> bool:
    """`isinstance`, except that a JSON `true` is not a number."""
    return kinds == (object,) or (
        isinstance(value, kinds) and (bool in kinds or not isinstance(value, bool))
    )


class _Route:
    def __init__(self, template: str, methods: dict[str, tuple[str, set[str]]]) -> None:
        pattern = re.sub(r"\\\{([^{}]+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        self.pattern = re.compile(pattern)
        self.methods = methods  # HTTP method -> (operationId, documented statuses)


class _SpecHostRequest(WerkzeugOpenAPIRequest):
    """openapi-core matches the request against the description's own server, not loopback."""

    def __init__(self, request: Request, host_url: str) -> None:
        super().__init__(request)
        self._host_url = host_url

    @property
    def host_url(self) -> str:
        return self._host_url


class FakeReleasesApp:
    """The WSGI application. `service` holds the state; `token` is the only accepted access token."""

    def __init__(
        self,
        service: ReleasesService | None = None,
        *,
        spec: Path = PACKAGED_SPEC,
        token: str = DEFAULT_TOKEN,
    ) -> None:
        self.service = service or ReleasesService()
        self.token = token
        self.openapi = OpenAPI.from_file_path(str(spec))
        with (self.openapi.spec / "servers").open() as servers:
            self.host_url = str(servers[0]["url"]) if servers else "http://localhost"
        with (self.openapi.spec / "paths").open() as paths:
            self.routes = [
                _Route(
                    template,
                    {
                        method.upper(): (
                            str(operation["operationId"]),
                            set(operation.get("responses", {})),
                        )
                        for method, operation in item.items()
                        if isinstance(operation, dict) and "operationId" in operation
                    },
                )
                for template, item in paths.items()
            ]
        self.handlers: dict[str, Callable[[dict[str, str], Any], Any]] = {
            "createReleaseForFlag": lambda p, body: self.service.create(
                p["projectKey"], p["flagKey"], body
            ),
            "getReleaseByFlagKey": lambda p, _: self.service.get(p["projectKey"], p["flagKey"]),
            "deleteReleaseByFlagKey": lambda p, _: self.service.delete(
                p["projectKey"], p["flagKey"]
            ),
            "patchReleaseByFlagKey": lambda p, body: self.service.patch(
                p["projectKey"], p["flagKey"], body
            ),
            "updatePhaseStatus": lambda p, body: self.service.update_phase_status(
                p["projectKey"], p["flagKey"], p["phaseId"], body
            ),
        }
        self.lock = threading.Lock()
        self.violations: deque[Violation] = deque(maxlen=LOG_SIZE)
        self.requests: deque[RecordedRequest] = deque(maxlen=LOG_SIZE)
        self.faults: list[Fault] = []

    def reset(self) -> None:
        """Forget releases, recorded requests, violations and queued faults."""
        with self.lock:
            self.service.reset()
            self.violations.clear()
            self.requests.clear()
            self.faults.clear()

    def inject(self, *faults: Fault) -> None:
        """Queue `faults`; `ValueError` (and none queued) if one is not a `Fault`."""
        checked = checked_faults(list(faults))
        with self.lock:
            self.faults.extend(checked)

    # -- WSGI -----------------------------------------------------------------------------------
    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        unreadable = _unreadable_body(environ)
        if unreadable is not None:
            return unreadable(environ, start_response)
        request = Request(environ)
        if request.path.startswith(CONTROL_PREFIX):
            return self._control(request)(environ, start_response)
        with self.lock:
            self.requests.append(
                {
                    "method": request.method,
                    "path": request.path,
                    "query": request.query_string.decode("latin-1"),
                    "headers": dict(request.headers),
                    "body": request.get_data(as_text=True)[:LOGGED_BODY_CHARS],
                    "at": time.time(),
                }
            )
            fault = self.faults.pop(0) if self.faults else None
        try:
            answer = self._answer(request, environ, fault)
        except Exception as err:  # a bug of the fake: the run must fail, and the client hear of it
            self._violation("response", request, err, prefix="the fake crashed: ")
            answer = _json(500, {"code": "fake_crashed", "message": _describe(err)})
        return answer(environ, start_response)

    def _answer(self, request: Request, environ: WSGIEnvironment, fault: Fault | None) -> Response:
        fault = fault or {}
        time.sleep(float(fault.get("delay", 0)))
        if fault.get("drop"):
            connection = environ["werkzeug.socket"]
            connection.shutdown(socket.SHUT_RDWR)
            connection.close()
            return Response(status=500)  # never reaches the client
        if fault.get("truncate"):
            streamed = iter([b'{"name": "trunc'])  # streamed, so the announced length is sent as is
            return Response(
                streamed,
                status=200,
                headers={"Content-Length": "500"},
                content_type="application/json",
            )
        if "raw" in fault:
            return Response(
                fault["raw"], status=int(fault.get("status", 200)), content_type="text/html"
            )
        route, params = self._route(request.path)
        if route is None:
            return _json(404, {"code": "not_found", "message": f"No route {request.path}"})
        if request.method not in route.methods:
            answer = _json(
                405,
                {"code": "method_not_allowed", "message": f"{request.method} is not allowed here"},
            )
            answer.headers["Allow"] = ", ".join(sorted(route.methods))
            return answer
        operation_id, documented = route.methods[request.method]
        adapted = _SpecHostRequest(request, self.host_url)
        if "status" in fault:
            status = int(fault["status"])
            body = fault.get(
                "body", {"code": f"injected_{status}", "message": f"injected fault {status}"}
            )
            answer = _json(status, body, fault.get("headers", {}))
            return self._checked(adapted, answer) if str(status) in documented else answer
        answer = self._serve(request, adapted, operation_id, params)
        if fault.get("remove"):
            answer = _without(answer, fault["remove"])
        return self._checked(adapted, answer)

    def _route(self, path: str) -> tuple[_Route | None, dict[str, str]]:
        for route in self.routes:
            match = route.pattern.fullmatch(path)
            if match:
                return route, match.groupdict()
        return None, {}

    def _serve(
        self, request: Request, adapted: _SpecHostRequest, operation_id: str, params: dict[str, str]
    ) -> Response:
        try:
            if request.headers.get("Authorization") != self.token:
                raise ApiFailure(401, "unauthorized", "Invalid access token")
            if request.headers.get("LD-API-Version") != "beta":
                raise ApiFailure(
                    403, "forbidden", "This is a beta resource: send LD-API-Version: beta"
                )
            try:
                self.openapi.validate_request(adapted)
            except Exception as err:  # every kind of openapi-core failure means the same here
                self._violation("request", request, err)
                raise ApiFailure(
                    400, "invalid_request", f"The request does not match the API: {_describe(err)}"
                ) from None
            handler = self.handlers.get(operation_id)
            if handler is None:
                raise ApiFailure(
                    501, "not_implemented", f"The fake does not implement {operation_id}"
                )
            result = handler(params, request.get_json(silent=True))
        except ApiFailure as failure:
            return _json(failure.status, {"code": failure.code, "message": failure.message})
        return Response(status=204) if result is None else _json(200, result)

    def _checked(self, adapted: _SpecHostRequest, answer: Response) -> Response:
        try:
            self.openapi.validate_response(adapted, WerkzeugOpenAPIResponse(answer))
        except Exception as err:
            self._violation("response", adapted.request, err)
        return answer

    def _violation(self, kind: str, request: Request, err: Exception, prefix: str = "") -> None:
        message = _describe(err)
        cause: BaseException | None = err
        while cause is not None:  # openapi-core wraps the jsonschema errors that say what was wrong
            details = getattr(cause, "schema_errors", None)
            if details:
                message = "; ".join(f"{_location(detail)}: {detail.message}" for detail in details)
                break
            cause = cause.__cause__
        with self.lock:
            self.violations.append(
                {
                    "kind": kind,
                    "method": request.method,
                    "path": request.path,
                    "message": prefix + message,
                }
            )

    def _control(self, request: Request) -> Response:
        route = (request.method, request.path[len(CONTROL_PREFIX) :])
        if route == ("POST", "reset"):
            self.reset()
            return Response(status=204)
        if route == ("POST", "faults"):
            try:
                self.inject(*checked_faults(request.get_json(silent=True)))
            except ValueError as refused:
                return _json(400, {"code": "invalid_fault", "message": str(refused)})
            return Response(status=204)
        with self.lock:
            if route == ("GET", "requests"):
                return _json(200, list(self.requests))
            if route == ("GET", "violations"):
                return _json(200, list(self.violations))
            if route == (
                "DELETE",
                "violations",
            ):  # what a test expected: taken, so it fails nothing
                taken = list(self.violations)
                self.violations.clear()
                return _json(200, taken)
        return _json(
            404,
            {"code": "not_found", "message": f"No control route {request.method} {request.path}"},
        )


def _unreadable_body(environ: WSGIEnvironment) -> Response | None:
    """The service's answer to a body too large or impossible to read; else None, and `environ` holds
    the whole body, read here chunk by chunk (werkzeug's `get_data()` of a chunked body returns its
    first chunk only)."""
    body = bytearray()
    try:
        stream = get_input_stream(environ, max_content_length=MAX_BODY_BYTES)
        while chunk := stream.read(65536):
            body += chunk
    except RequestEntityTooLarge:
        message = f"Request bodies are limited to {MAX_BODY_BYTES} bytes"
        return _json(
            413, {"code": "request_entity_too_large", "message": message}, {"Connection": "close"}
        )
    except (HTTPException, OSError, ValueError):  # werkzeug's reading of a broken chunked body
        message = "The request body could not be read: a broken chunked encoding, or it ended early"
        return _json(400, {"code": "invalid_request", "message": message}, {"Connection": "close"})
    environ.update(
        {
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input_terminated": False,
        }
    )
    return None


def _describe(err: BaseException) -> str:
    """`Type: message`, even for exceptions whose own `str` fails (openapi-core's does on non-UTF-8 bodies)."""
    try:
        return f"{type(err).__name__}: {err}"
    except Exception:
        return f"{type(err).__name__}: {err.args!r}"


def _location(error: Any) -> str:
    """Where in the body a jsonschema error is, as a JSON Pointer (`/` for the whole body)."""
    return "/" + "/".join(str(part) for part in error.absolute_path)


def _json(status: int, body: object, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body), status=status, headers=headers or {}, content_type="application/json"
    )


def _without(answer: Response, pointers: list[str]) -> Response:
    """`answer` with the values at `pointers` deleted from its JSON body."""
    body = json.loads(answer.get_data(as_text=True))
    for pointer in pointers:
        *parents, last = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
        node = body
        for token in parents:
            node = node[int(token)] if isinstance(node, list) else node[token]
        del node[int(last) if isinstance(node, list) else last]
    return _json(answer.status_code, body)
