"""Hand-written methods mixed into the generated `Releases` and `AsyncReleases` resources.

`advance` moves a release on by one phase, as the Releases (beta) overview walks a pipeline: it
completes the phase that is running (if any), then starts the first phase neither complete nor
started. Called until `NoPhaseToStartError`, it takes a release through every phase, in order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from ._base_client import TimeoutTypes
from ._package import LdReleasesError

if TYPE_CHECKING:  # the models are built on first use, not when the package is imported
    from .models import AudienceConfigInput, PhaseStatus, Release, ReleasePhase

__all__ = ["NoPhaseToStartError", "next_phase", "running_phase"]


class NoPhaseToStartError(LdReleasesError):
    """`advance` found nothing to do: every phase is complete (or, with `start_only`, one is running)."""

    def __init__(self, project_key: str, flag_key: str, release: Release) -> None:
        self.release = release
        states = ", ".join(f"{p.name}: {_state(p)}" for p in release.phases)
        super().__init__(f"release of {project_key}/{flag_key} has no phase left to start ({states or 'no phases'})")


def _state(phase: ReleasePhase) -> str:
    return "complete" if phase.complete else "started" if phase.started else "not started"


def next_phase(release: Release) -> ReleasePhase | None:
    """The first phase that is neither complete nor started, in the release's order."""
    return next((p for p in release.phases if not p.complete and not p.started), None)


def running_phase(release: Release) -> ReleasePhase | None:
    """The first phase that has started (or paused) and is not complete."""
    return next((p for p in release.phases if p.started and not p.complete), None)


class _Releases(Protocol):
    def get(
        self, project_key: str, flag_key: str, *, timeout: TimeoutTypes | None = ..., max_retries: int | None = ...
    ) -> Release: ...

    def update_phase_status(
        self,
        project_key: str,
        flag_key: str,
        phase_id: str,
        *,
        status: PhaseStatus | str,
        audiences: list[AudienceConfigInput] | None = ...,
        timeout: TimeoutTypes | None = ...,
        max_retries: int | None = ...,
    ) -> Release: ...


class _AsyncReleases(Protocol):
    async def get(
        self, project_key: str, flag_key: str, *, timeout: TimeoutTypes | None = ..., max_retries: int | None = ...
    ) -> Release: ...

    async def update_phase_status(
        self,
        project_key: str,
        flag_key: str,
        phase_id: str,
        *,
        status: PhaseStatus | str,
        audiences: list[AudienceConfigInput] | None = ...,
        timeout: TimeoutTypes | None = ...,
        max_retries: int | None = ...,
    ) -> Release: ...


class ReleasesWorkflows:
    def advance(
        self: _Releases,
        project_key: str,
        flag_key: str,
        *,
        start_only: bool = False,
        audiences: list[AudienceConfigInput] | None = None,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
    ) -> Release:
        """Move the flag's release on by one phase: complete the running phase (if any), then start
        the first phase neither complete nor started. Returns the release as the service left it.

        `start_only=True` only starts the next phase (for pipelines whose phases complete
        themselves). `audiences` carries what the started phase needs (approvals, guarded
        rollouts), as for `update_phase_status`. Raises NoPhaseToStartError when there is nothing
        to complete or start: the release is done.
        """
        from .models import PhaseStatus

        release = self.get(project_key, flag_key, timeout=timeout, max_retries=max_retries)
        running = None if start_only else running_phase(release)
        if running is not None:
            release = self.update_phase_status(
                project_key, flag_key, running.id, status=PhaseStatus.COMPLETE, timeout=timeout, max_retries=max_retries
            )
        phase = next_phase(release)
        if phase is None:
            if running is not None:
                return release  # the last phase just completed: the release is done
            raise NoPhaseToStartError(project_key, flag_key, release)
        return self.update_phase_status(
            project_key,
            flag_key,
            phase.id,
            status=PhaseStatus.STARTED,
            audiences=audiences,
            timeout=timeout,
            max_retries=max_retries,
        )


class AsyncReleasesWorkflows:
    async def advance(
        self: _AsyncReleases,
        project_key: str,
        flag_key: str,
        *,
        start_only: bool = False,
        audiences: list[AudienceConfigInput] | None = None,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
    ) -> Release:
        """Move the flag's release on by one phase, as `Releases.advance` does (see there)."""
        from .models import PhaseStatus

        release = await self.get(project_key, flag_key, timeout=timeout, max_retries=max_retries)
        running = None if start_only else running_phase(release)
        if running is not None:
            release = await self.update_phase_status(
                project_key, flag_key, running.id, status=PhaseStatus.COMPLETE, timeout=timeout, max_retries=max_retries
            )
        phase = next_phase(release)
        if phase is None:
            if running is not None:
                return release  # the last phase just completed: the release is done
            raise NoPhaseToStartError(project_key, flag_key, release)
        return await self.update_phase_status(
            project_key,
            flag_key,
            phase.id,
            status=PhaseStatus.STARTED,
            audiences=audiences,
            timeout=timeout,
            max_retries=max_retries,
        )
