"""Hand-written methods mixed into the generated `Releases` and `AsyncReleases` resources.

`advance` is the release-pipeline workflow of the Releases (beta) overview: get the release, take the
first phase that is neither complete nor started, and start it.
"""

from __future__ import annotations

from typing import Protocol

from ._base_client import TimeoutTypes
from ._package import LdReleasesError
from .models import AudienceConfigInput, PhaseStatus, Release, ReleasePhase

__all__ = ["NoPhaseToStartError", "next_phase"]


class NoPhaseToStartError(LdReleasesError):
    """`advance` found no phase that is neither complete nor started: the release is done (or running)."""

    def __init__(self, project_key: str, flag_key: str, release: Release) -> None:
        self.release = release
        states = ", ".join(f"{p.name}: {'complete' if p.complete else 'started'}" for p in release.phases)
        super().__init__(f"release of {project_key}/{flag_key} has no phase left to start ({states or 'no phases'})")


def next_phase(release: Release) -> ReleasePhase | None:
    """The first phase that is neither complete nor started, in the release's order."""
    return next((p for p in release.phases if not p.complete and not p.started), None)


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
        audiences: list[AudienceConfigInput] | None = None,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
    ) -> Release:
        """Start the next phase of the flag's release: the first neither complete nor started.

        Raises NoPhaseToStartError when there is none. `audiences` carries what a phase needs to
        start (approvals, guarded rollouts), as for `update_phase_status`.
        """
        release = self.get(project_key, flag_key, timeout=timeout, max_retries=max_retries)
        phase = next_phase(release)
        if phase is None:
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
        audiences: list[AudienceConfigInput] | None = None,
        timeout: TimeoutTypes | None = None,
        max_retries: int | None = None,
    ) -> Release:
        """Start the next phase of the flag's release: the first neither complete nor started.

        Raises NoPhaseToStartError when there is none.
        """
        release = await self.get(project_key, flag_key, timeout=timeout, max_retries=max_retries)
        phase = next_phase(release)
        if phase is None:
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
