"""The Releases (beta) service's behaviour, without HTTP: what a release looks like when it is created,
how its phases move, and which requests the service refuses. `_app` puts it behind the API's routes.

Phases keep one invariant, checked by `consistency_problems`: a phase is started exactly when its
status is Started, Paused or Complete and it has a `_startedDate`; it is complete exactly when its
status is Complete and it has `_completionDate` and `_completedBy`; every phase before a started one
is complete.
"""

from __future__ import annotations

import copy
import itertools
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TOKEN = "fake-api-token"
DEFAULT_PROJECT = "demo-project"
DEFAULT_FLAG = "demo-flag"
DEFAULT_PIPELINE = "demo-pipeline"
DEFAULT_PHASE_IDS = ("65a1c0de0000000000000001", "65a1c0de0000000000000002")  # DEFAULT_PIPELINE's phases

STARTED_STATUSES = ("Started", "Paused", "Complete")


@dataclass(frozen=True)
class Audience:
    """One audience of a phase: an environment (key and name) the phase releases to."""

    environment_key: str
    environment_name: str


@dataclass(frozen=True)
class Phase:
    """One phase of a pipeline; its releases' phases take its `id` (a fresh one each when None)."""

    name: str
    audiences: tuple[Audience, ...]
    id: str | None = None


@dataclass(frozen=True)
class Pipeline:
    key: str
    name: str
    description: str
    phases: tuple[Phase, ...]


DEFAULT_PIPELINES = (
    Pipeline(
        DEFAULT_PIPELINE,
        "Demo pipeline",
        "Testing, then production",
        (
            Phase("Testing", (Audience("test", "Test"),), id=DEFAULT_PHASE_IDS[0]),
            Phase(
                "Production",
                (Audience("canary", "Canary"), Audience("production", "Production")),
                id=DEFAULT_PHASE_IDS[1],
            ),
        ),
    ),
    Pipeline(
        "three-stage-pipeline",
        "Three stages",
        "Development, staging, production",
        (
            Phase("Development", (Audience("development", "Development"),)),
            Phase("Staging", (Audience("staging", "Staging"),)),
            Phase("Production", (Audience("production", "Production"),)),
        ),
    ),
)
DEFAULT_FLAGS = ((DEFAULT_PROJECT, DEFAULT_FLAG), (DEFAULT_PROJECT, "other-flag"), (DEFAULT_PROJECT, "third-flag"))

_PATCH_PATH = re.compile(r"/phases/(\d{1,9})/complete")  # bounded: int() of 5,000 digits fails


class ApiFailure(Exception):
    """A refusal of the service: the status and the `{code, message}` body it answers with."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass
class ReleasesService:
    """Flags, pipelines and the active release of each flag. Every method holds `lock` for its whole
    run, so concurrent requests never lose an update."""

    flags: frozenset[tuple[str, str]] = frozenset(DEFAULT_FLAGS)
    pipelines: dict[str, Pipeline] = field(default_factory=lambda: {p.key: p for p in DEFAULT_PIPELINES})
    token_name: str = "Fake service token"
    token_ending: str = DEFAULT_TOKEN[-4:]
    lock: threading.RLock = field(default_factory=threading.RLock)
    releases: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def reset(self) -> None:
        with self.lock:
            self.releases.clear()

    # -- the operations -------------------------------------------------------------------------
    def create(self, project: str, flag: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self._known_flag(project, flag)
            if (project, flag) in self.releases:
                raise ApiFailure(400, "invalid_request", f"Flag {project}/{flag} already has an active release")
            pipeline = self.pipelines.get(body["releasePipelineKey"])
            if pipeline is None:
                raise ApiFailure(404, "not_found", f"Unknown release pipeline {body['releasePipelineKey']}")
            release = self._new_release(project, flag, pipeline)
            if "releaseVariationId" in body:
                release["_releaseVariationId"] = body["releaseVariationId"]
            self.releases[(project, flag)] = release
            return copy.deepcopy(release)

    def get(self, project: str, flag: str) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy(self._release(project, flag))

    def delete(self, project: str, flag: str) -> None:
        with self.lock:
            self._release(project, flag)
            del self.releases[(project, flag)]

    def update_phase_status(self, project: str, flag: str, phase_id: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            release = copy.deepcopy(self._release(project, flag))  # committed only if every step passes
            index = next((i for i, p in enumerate(release["phases"]) if p["_id"] == phase_id), None)
            if index is None:
                raise ApiFailure(404, "not_found", f"Release of {project}/{flag} has no phase {phase_id}")
            phase = release["phases"][index]
            status = body["status"]
            if status == "Started":
                self._start(release, index)
            elif status == "Paused":
                if phase.get("status") != "Started":
                    raise ApiFailure(400, "invalid_request", f"Only a started phase can pause ({phase['_name']})")
                phase["status"] = "Paused"
            elif status == "Complete":
                if phase.get("status") not in ("Started", "Paused"):
                    raise ApiFailure(
                        400, "invalid_request", f"A phase must start before it completes ({phase['_name']})"
                    )
                self._complete(phase)
            else:
                raise ApiFailure(400, "invalid_request", f"A phase cannot be set to {status!r}")
            self._configure_audiences(phase, body.get("audiences") or [])
            self.releases[(project, flag)] = release
            return self._changed(release)

    def patch(self, project: str, flag: str, operations: list[dict[str, Any]]) -> dict[str, Any]:
        """The legacy JSON Patch: `replace` of `/phases/N/complete` with a boolean, and `test`. The
        operations apply all or nothing."""
        with self.lock:
            release = self._release(project, flag)
            changed = copy.deepcopy(release)
            for operation in operations:
                self._apply(changed, operation)
            if changed == release:  # only `test`s, or values already set: nothing changed
                return copy.deepcopy(release)
            self.releases[(project, flag)] = changed
            return self._changed(changed)

    # -- the rules ------------------------------------------------------------------------------
    def _known_flag(self, project: str, flag: str) -> None:
        if (project, flag) not in self.flags:
            raise ApiFailure(404, "not_found", f"Unknown flag {project}/{flag}")

    def _release(self, project: str, flag: str) -> dict[str, Any]:
        self._known_flag(project, flag)
        if (project, flag) not in self.releases:
            raise ApiFailure(404, "not_found", f"Flag {project}/{flag} has no active release")
        return self.releases[(project, flag)]

    def _start(self, release: dict[str, Any], index: int) -> None:
        phase = release["phases"][index]
        if phase.get("status") == "Paused":
            phase["status"] = "Started"
            return
        if phase["started"]:
            raise ApiFailure(400, "invalid_request", f"Phase {phase['_name']} has already started")
        waiting = [p["_name"] for p in release["phases"][:index] if not p["complete"]]
        if waiting:
            raise ApiFailure(
                400, "invalid_request", f"Phase {phase['_name']} cannot start before {', '.join(waiting)} complete"
            )
        phase.update(started=True, status="Started", _startedDate=_now_ms())
        for audience in phase["_audiences"]:
            audience["status"] = "active"

    def _complete(self, phase: dict[str, Any]) -> None:
        if "_startedDate" not in phase:
            phase["_startedDate"] = _now_ms()
        phase.update(
            started=True, complete=True, status="Complete", _completionDate=_now_ms(), _completedBy=self._completed_by()
        )
        for audience in phase["_audiences"]:
            audience["status"] = "complete"

    def _reopen(self, release: dict[str, Any], index: int) -> None:
        phase = release["phases"][index]
        later = [p["_name"] for p in release["phases"][index + 1 :] if p["started"]]
        if later:
            raise ApiFailure(
                400, "invalid_request", f"Phase {phase['_name']} cannot reopen after {', '.join(later)} started"
            )
        phase.update(complete=False, status="Started")
        phase.pop("_completionDate", None)
        phase.pop("_completedBy", None)
        for audience in phase["_audiences"]:
            audience["status"] = "active"

    def _apply(self, release: dict[str, Any], operation: dict[str, Any]) -> None:
        op, path, value = operation.get("op"), str(operation.get("path")), operation.get("value")
        if op == "test":
            if _resolve(release, path) != value:
                raise ApiFailure(400, "invalid_request", f"Test failed: {path} is not {value!r}")
            return
        match = _PATCH_PATH.fullmatch(path)
        if op != "replace" or match is None or not isinstance(value, bool):
            raise ApiFailure(
                400,
                "invalid_request",
                f"Only `replace` of /phases/N/complete with a boolean (or `test`) is supported, got {operation}",
            )
        index = int(match.group(1))
        if index >= len(release["phases"]):
            raise ApiFailure(400, "invalid_request", f"The release has no phase {index}")
        phase = release["phases"][index]
        if value and not phase["complete"]:
            waiting = [p["_name"] for p in release["phases"][:index] if not p["complete"]]
            if waiting:
                raise ApiFailure(
                    400, "invalid_request", f"Phase {phase['_name']} cannot complete before {', '.join(waiting)}"
                )
            self._complete(phase)
        elif not value and phase["complete"]:
            self._reopen(release, index)

    def _configure_audiences(self, phase: dict[str, Any], configs: list[dict[str, Any]]) -> None:
        audiences = {a["_id"]: a for a in phase["_audiences"]}
        for config in configs:
            audience = audiences.get(str(config.get("audienceId")))
            if audience is None:
                raise ApiFailure(
                    400, "invalid_request", f"Phase {phase['_name']} has no audience {config.get('audienceId')}"
                )
            audience["configuration"].update({k: v for k, v in config.items() if k != "audienceId"})

    def _changed(self, release: dict[str, Any]) -> dict[str, Any]:
        release["_version"] += 1
        return copy.deepcopy(release)

    def _new_id(self) -> str:
        return f"{next(self._ids):024x}"

    def _new_release(self, project: str, flag: str, pipeline: Pipeline) -> dict[str, Any]:
        created = _now_ms()
        return {
            "name": pipeline.name,
            "releasePipelineKey": pipeline.key,
            "releasePipelineDescription": pipeline.description,
            "phases": [
                {
                    "_id": phase.id or self._new_id(),
                    "_name": phase.name,
                    "complete": False,
                    "started": False,
                    "status": "NotStarted",
                    "_creationDate": created,
                    "_audiences": [self._new_audience(project, audience) for audience in phase.audiences],
                    "configuration": {},
                }
                for phase in pipeline.phases
            ],
            "_version": 1,
            "_links": {"self": {"href": f"/api/v2/flags/{project}/{flag}/release", "type": "application/json"}},
        }

    def _new_audience(self, project: str, audience: Audience) -> dict[str, Any]:
        environment = f"/api/v2/projects/{project}/environments/{audience.environment_key}"
        return {
            "_id": self._new_id(),
            "name": audience.environment_name,
            "_links": {},
            "environment": {
                "_links": {"self": {"href": environment, "type": "application/json"}},
                "key": audience.environment_key,
                "name": audience.environment_name,
                "color": "F5A623",
            },
            "configuration": {"releaseStrategy": "immediate", "requireApproval": False},
            "segmentKeys": [],
            "status": "inactive",
            "_ruleIds": [],
        }

    def _completed_by(self) -> dict[str, Any]:
        token = {"_links": {}, "_id": "fake-token", "name": self.token_name, "ending": self.token_ending}
        return {"token": {**token, "serviceToken": True}}


def _resolve(document: Any, pointer: str) -> Any:
    """The value at a JSON Pointer (RFC 6901); a missing one is a 400, as a failed `test` would be."""
    node = document
    for token in pointer.split("/")[1:] if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        try:
            node = node[int(token)] if isinstance(node, list) else node[token]
        except (KeyError, IndexError, ValueError, TypeError):
            raise ApiFailure(400, "invalid_request", f"Test failed: nothing at {pointer}") from None
    return node


def consistency_problems(release: dict[str, Any]) -> list[str]:
    """Every way the phases of `release` break the invariant of this module (empty: consistent)."""
    problems = []
    for index, phase in enumerate(release["phases"]):
        name = phase["_name"]
        started = phase.get("status") in STARTED_STATUSES
        if phase["started"] != started or ("_startedDate" in phase) != started:
            problems.append(f"{name}: started={phase['started']}, status={phase.get('status')}, _startedDate")
        complete = phase.get("status") == "Complete"
        dates = "_completionDate" in phase and "_completedBy" in phase
        if phase["complete"] != complete or dates != complete:
            problems.append(f"{name}: complete={phase['complete']}, status={phase.get('status')}, completion fields")
        if started and not all(p["complete"] for p in release["phases"][:index]):
            problems.append(f"{name}: started before the phases ahead of it completed")
    return problems
