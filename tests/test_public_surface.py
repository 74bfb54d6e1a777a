"""The generated package's public surface: what users import must be there, and nothing public hides."""

from __future__ import annotations

import importlib
import inspect

import ld_releases

MODULES = ("_client", "_exceptions", "_errors", "_package", "_response", "_patch", "_workflows", "models")


def test_all_is_sorted_and_importable() -> None:
    assert list(ld_releases.__all__) == sorted(ld_releases.__all__)
    for name in ld_releases.__all__:
        assert hasattr(ld_releases, name), name


def test_every_public_class_is_exported() -> None:
    missing = []
    for module_name in MODULES:
        module = importlib.import_module(f"ld_releases.{module_name}")
        for name, value in vars(module).items():
            public = name.isidentifier() and not name.startswith("_")  # pydantic registers `RootModel[...]` too
            defined_here = inspect.isclass(value) and value.__module__ == module.__name__ and value.__name__ == name
            mixin = name.endswith("Workflows")  # mixed into the resources, not used on its own
            if public and defined_here and not mixin and name not in ld_releases.__all__:
                missing.append(f"{module_name}.{name}")
    assert missing == []


def test_the_surface_the_issues_name() -> None:
    expected = {
        "Client", "AsyncClient", "ReleasePatch", "Release", "ReleasePhase", "PhaseStatus", "RawResponse",
        "ApiError", "BadRequestError", "AuthenticationError", "PermissionDeniedError", "NotFoundError",
        "RateLimitError", "ServerError", "ApiConnectionError", "ApiTimeoutError", "ResponseValidationError",
        "NoPhaseToStartError", "__version__",
    }  # fmt: skip
    assert expected <= set(ld_releases.__all__)
    for name in ("create", "get", "delete", "patch", "update_phase_status", "advance"):
        assert callable(getattr(ld_releases.Client(api_key="k").releases, name))
        assert inspect.iscoroutinefunction(getattr(ld_releases.AsyncClient(api_key="k").releases, name))
