"""A fake LaunchDarkly Releases (beta) service for testing release automation offline.

It keeps state like the service (seeded with a demo project, flags and pipelines), refuses what the
service refuses, checks every request and response against the API description this client was
generated from, and injects faults (rate limits, server errors, slow or broken answers) on demand.

    from ld_releases.testing import DEFAULT_FLAG, DEFAULT_PIPELINE, DEFAULT_PROJECT, fake_releases

    with fake_releases() as fake:
        fake.client.releases.create(DEFAULT_PROJECT, DEFAULT_FLAG, release_pipeline_key=DEFAULT_PIPELINE)
        release = fake.client.releases.advance(DEFAULT_PROJECT, DEFAULT_FLAG)

`python -m ld_releases.testing --port N` runs it as a process. Needs the `testing` extra:
`pip install 'ld-releases[testing]'`.
"""

from __future__ import annotations

try:
    import openapi_core  # noqa: F401
    import werkzeug  # noqa: F401
except ImportError as missing:  # pragma: no cover - depends on how the package was installed
    raise ImportError(
        f"ld_releases.testing needs the 'testing' extra ({missing.name} is missing): pip install 'ld-releases[testing]'"
    ) from missing

from ._app import FakeReleasesApp, Fault, RecordedRequest, Violation
from ._server import ContractViolationError, RunningFake, fake_releases
from ._service import (
    DEFAULT_FLAG,
    DEFAULT_FLAGS,
    DEFAULT_PHASE_IDS,
    DEFAULT_PIPELINE,
    DEFAULT_PIPELINES,
    DEFAULT_PROJECT,
    DEFAULT_TOKEN,
    ApiFailure,
    Audience,
    Phase,
    Pipeline,
    ReleasesService,
    consistency_problems,
)

__all__ = [
    "DEFAULT_FLAG",
    "DEFAULT_FLAGS",
    "DEFAULT_PHASE_IDS",
    "DEFAULT_PIPELINE",
    "DEFAULT_PIPELINES",
    "DEFAULT_PROJECT",
    "DEFAULT_TOKEN",
    "ApiFailure",
    "Audience",
    "ContractViolationError",
    "FakeReleasesApp",
    "Fault",
    "Phase",
    "Pipeline",
    "RecordedRequest",
    "ReleasesService",
    "RunningFake",
    "Violation",
    "consistency_problems",
    "fake_releases",
]
