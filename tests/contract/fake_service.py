"""A stateful stand-in for the Releases (beta) service, run as its own process for the contract tests.

Every request it receives and every response it sends is validated against the normalised spec with
openapi-core; a violation is answered with an error *and* recorded, and the tests fail on any record
(`GET /_fake/violations`). `POST /_fake/reset` restores the seeded state between tests.

Faults are queued with `POST /_fake/faults` (a JSON list); each API request takes the next one:
    {"status": 429, "headers": {...}, "body": {...}}   answer that instead (body defaults to {code, message})
    {"delay": 1.5}                                      wait before answering (combinable with the above)
    {"drop": true}                                      close the connection without answering
    {"status": 200, "raw": "text"}                      answer with a body that is not JSON
    {"truncate": true}                                  announce a longer body than is sent
`GET /_fake/requests` lists what arrived (method, path, headers, body as text), with the time of arrival.

    python -m tests.contract.fake_service --spec spec/openapi.yaml --port 0   # prints "LISTENING <url>"
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import itertools
import json
import logging
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from ruamel.yaml import YAML
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

TOKEN = "api-test-token"
PROJECT, FLAG, PIPELINE = "demo-project", "demo-flag", "demo-pipeline"
PIPELINES: dict[str, dict[str, Any]] = {
    PIPELINE: {
        "name": "Demo pipeline",
        "description": "Testing, then production",
        "phases": [
            {"name": "Testing", "audiences": [("test", "Test environment")]},
            {"name": "Production", "audiences": [("canary", "Canary"), ("production", "Production")]},
        ],
    }
}
FLAGS = {(PROJECT, FLAG), (PROJECT, "other-flag")}
ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("PUT", re.compile(r"/api/v2/projects/(?P<project>[^/]+)/flags/(?P<flag>[^/]+)/release"), "create"),
    (
        "PUT",
        re.compile(r"/api/v2/projects/(?P<project>[^/]+)/flags/(?P<flag>[^/]+)/release/phases/(?P<phase>[^/]+)"),
        "phase_status",
    ),
    ("GET", re.compile(r"/api/v2/flags/(?P<project>[^/]+)/(?P<flag>[^/]+)/release"), "get"),
    ("DELETE", re.compile(r"/api/v2/flags/(?P<project>[^/]+)/(?P<flag>[^/]+)/release"), "delete"),
    ("PATCH", re.compile(r"/api/v2/flags/(?P<project>[^/]+)/(?P<flag>[^/]+)/release"), "patch"),
]


class ApiFailure(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def now_ms() -> int:
    return int(time.time() * 1000)


class _SpecHostRequest(WerkzeugOpenAPIRequest):
    """Validation sees the spec's own host, since this server listens on loopback."""

    def __init__(self, request: Request, host_url: str) -> None:
        super().__init__(request)
        self._host_url = host_url

    @property
    def host_url(self) -> str:
        return self._host_url


class FakeReleases:
    def __init__(self, spec: Path) -> None:
        self.openapi = OpenAPI.from_file_path(str(spec))
        servers = YAML(typ="safe").load(spec.read_text(encoding="utf-8")).get("servers") or [
            {"url": "http://localhost"}
        ]
        self.host_url = str(servers[0]["url"])
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
        self.releases: dict[tuple[str, str], dict[str, Any]] = {}
        self.violations: list[str] = []
        self.requests: list[dict[str, Any]] = []
        self.faults: list[dict[str, Any]] = []

    # -- the WSGI app ---------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        if request.path.startswith("/_fake/"):
            return self.control(request)(environ, start_response)
        with self.lock:
            self.requests.append(
                {
                    "method": request.method,
                    "path": request.path,
                    "headers": dict(request.headers),
                    "body": request.get_data(as_text=True),
                    "at": time.time(),
                }
            )
            fault = self.faults.pop(0) if self.faults else None
        if fault is not None:
            time.sleep(float(fault.get("delay", 0)))
            injected = self.injected(environ, fault)
            if injected is not None:
                return injected(environ, start_response)
        response = self.serve(request)
        return response(environ, start_response)

    def injected(self, environ: dict[str, Any], fault: dict[str, Any]) -> Response | None:
        """The answer a fault asks for (None: answer normally, after any delay)."""
        if fault.get("drop"):
            connection = environ["werkzeug.socket"]
            connection.shutdown(socket.SHUT_RDWR)
            connection.close()
            return Response(status=500)  # never reaches the client
        if fault.get("truncate"):
            body = iter([b'{"name": "trunc'])  # streamed, so the announced length is sent as is
            return Response(body, status=200, headers={"Content-Length": "500"}, content_type="application/json")
        if "raw" in fault:
            return Response(str(fault["raw"]), status=int(fault.get("status", 200)), content_type="text/html")
        if "status" in fault:
            status = int(fault["status"])
            body = fault.get("body", {"code": f"injected_{status}", "message": f"injected fault {status}"})
            return Response(
                json.dumps(body), status=status, headers=fault.get("headers", {}), content_type="application/json"
            )
        return None

    def control(self, request: Request) -> Response:
        with self.lock:
            if request.path == "/_fake/violations":
                return self.json(200, self.violations)
            if request.path == "/_fake/requests":
                return self.json(200, self.requests)
            if request.path == "/_fake/reset" and request.method == "POST":
                self.releases.clear()
                self.violations.clear()
                self.requests.clear()
                self.faults.clear()
                return Response(status=204)
            if request.path == "/_fake/faults" and request.method == "POST":
                self.faults.extend(request.get_json())
                return Response(status=204)
        return self.json(404, {"code": "not_found", "message": "no such control route"})

    def serve(self, request: Request) -> Response:
        with self.lock:
            adapted = _SpecHostRequest(request, self.host_url)
            try:
                response = self.dispatch(request, adapted)
            except ApiFailure as failure:
                response = self.json(failure.status, {"code": failure.code, "message": failure.message})
            try:
                self.openapi.validate_response(adapted, WerkzeugOpenAPIResponse(response))
            except Exception as err:  # every kind of openapi-core failure is a violation
                self.violations.append(f"response to {request.method} {request.path}: {type(err).__name__}: {err}")
                return self.json(500, {"code": "contract_violation", "message": "the fake sent an invalid response"})
            return response

    def dispatch(self, request: Request, adapted: _SpecHostRequest) -> Response:
        if request.headers.get("Authorization") != TOKEN:
            raise ApiFailure(401, "unauthorized", "Invalid access token")
        if request.headers.get("LD-API-Version") != "beta":
            raise ApiFailure(403, "forbidden", "This is a beta resource: send LD-API-Version: beta")
        try:
            self.openapi.validate_request(adapted)
        except Exception as err:
            self.violations.append(f"request {request.method} {request.path}: {type(err).__name__}: {err}")
            raise ApiFailure(400, "invalid_request", f"request does not match the API description: {err}") from None
        for method, pattern, handler in ROUTES:
            match = pattern.fullmatch(request.path)
            if match and request.method == method:
                body = request.get_json(silent=True)
                result = getattr(self, handler)(body=body, **match.groupdict())
                return Response(status=204) if result is None else self.json(200, result)
        raise ApiFailure(404, "not_found", "Unknown route")

    @staticmethod
    def json(status: int, body: object) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")

    # -- the service ----------------------------------------------------------------------------
    def release(self, project: str, flag: str) -> dict[str, Any]:
        if (project, flag) not in FLAGS:
            raise ApiFailure(404, "not_found", f"Unknown flag {project}/{flag}")
        if (project, flag) not in self.releases:
            raise ApiFailure(404, "not_found", f"Flag {project}/{flag} has no active release")
        return self.releases[(project, flag)]

    def new_id(self) -> str:
        return f"{next(self.ids):024x}"

    def create(self, project: str, flag: str, body: dict[str, Any]) -> dict[str, Any]:
        if (project, flag) not in FLAGS:
            raise ApiFailure(404, "not_found", f"Unknown flag {project}/{flag}")
        if (project, flag) in self.releases:
            raise ApiFailure(400, "invalid_request", "The flag already has an active release")
        pipeline = PIPELINES.get(body["releasePipelineKey"])
        if pipeline is None:
            raise ApiFailure(404, "not_found", f"Unknown release pipeline {body['releasePipelineKey']}")
        created = now_ms()
        phases = [
            {
                "_id": self.new_id(),
                "_name": phase["name"],
                "complete": False,
                "started": False,
                "status": "NotStarted",
                "_creationDate": created,
                "_audiences": [
                    {
                        "_id": self.new_id(),
                        "name": name,
                        "_links": {},
                        "environment": {"_links": {}, "key": key, "name": name, "color": "F5A623"},
                        "configuration": {"releaseStrategy": "immediate", "requireApproval": False},
                        "segmentKeys": [],
                        "status": "inactive",
                        "_ruleIds": [],
                    }
                    for key, name in phase["audiences"]
                ],
                "configuration": {},
            }
            for phase in pipeline["phases"]
        ]
        release: dict[str, Any] = {
            "name": pipeline["name"],
            "releasePipelineKey": body["releasePipelineKey"],
            "releasePipelineDescription": pipeline["description"],
            "phases": phases,
            "_version": 1,
            "_links": {},
        }
        if "releaseVariationId" in body:
            release["_releaseVariationId"] = body["releaseVariationId"]
        self.releases[(project, flag)] = release
        return copy.deepcopy(release)

    def get(self, project: str, flag: str, body: object) -> dict[str, Any]:
        return copy.deepcopy(self.release(project, flag))

    def delete(self, project: str, flag: str, body: object) -> None:
        self.release(project, flag)
        del self.releases[(project, flag)]

    def phase_status(self, project: str, flag: str, phase: str, body: dict[str, Any]) -> dict[str, Any]:
        release = self.release(project, flag)
        index = next((i for i, p in enumerate(release["phases"]) if p["_id"] == phase), None)
        if index is None:
            raise ApiFailure(404, "not_found", f"Unknown phase {phase}")
        target = release["phases"][index]
        status = body.get("status")
        if status == "Started":
            if any(not p["complete"] for p in release["phases"][:index]):
                raise ApiFailure(400, "invalid_request", "Earlier phases must be complete before this one starts")
            target.update(started=True, status="Started", _startedDate=now_ms())
        elif status == "Complete":
            if not target["started"]:
                raise ApiFailure(400, "invalid_request", "A phase must start before it completes")
            target.update(complete=True, status="Complete", _completionDate=now_ms(), _completedBy=self.completed_by())
        elif status is not None:
            target["status"] = status
        release["_version"] += 1
        return copy.deepcopy(release)

    def patch(self, project: str, flag: str, body: list[dict[str, Any]]) -> dict[str, Any]:
        release = self.release(project, flag)
        for op in body:
            match = re.fullmatch(r"/phases/(\d+)/complete", str(op.get("path")))
            if op.get("op") != "replace" or match is None or not isinstance(op.get("value"), bool):
                raise ApiFailure(
                    400, "invalid_request", f"Only replace of /phases/N/complete with a boolean is supported, got {op}"
                )
            index = int(match.group(1))
            if index >= len(release["phases"]):
                raise ApiFailure(400, "invalid_request", f"No phase {index}")
            phase = release["phases"][index]
            if op["value"]:
                phase.update(complete=True, _completionDate=now_ms(), _completedBy=self.completed_by())
            else:
                phase["complete"] = False
                phase.pop("_completionDate", None)
                phase.pop("_completedBy", None)
        release["_version"] += 1
        return copy.deepcopy(release)

    @staticmethod
    def completed_by() -> dict[str, Any]:
        return {
            "token": {
                "_links": {},
                "_id": "token-1",
                "name": "Contract tests",
                "ending": TOKEN[-4:],
                "serviceToken": True,
            }
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=Path("spec/openapi.yaml"))
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", args.port, FakeReleases(args.spec), threaded=True)
    print(f"LISTENING http://127.0.0.1:{server.server_port}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
