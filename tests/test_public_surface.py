"""The generated package's public surface: what users import must be there, and nothing public hides."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import ld_releases
import pytest

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


def run_fresh(code: str) -> str:
    """`code` in a fresh interpreter (this one has long built the models); its stdout."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


LOADED = "print(sorted(m for m in ('ld_releases.models', 'pydantic.main') if m in sys.modules))"


def test_importing_the_package_and_making_a_client_builds_no_model() -> None:
    code = f"import sys, ld_releases\nld_releases.Client(api_key='k').releases.with_raw_response\n{LOADED}"
    assert run_fresh(code) == "[]"


def test_a_model_imported_by_name_builds_the_models_then() -> None:
    code = (
        "import sys, ld_releases\nfrom ld_releases import Release\n"
        "assert ld_releases.models.Release is Release and ld_releases.Release is Release\n"
        "print(Release.__module__)\n" + LOADED
    )
    assert run_fresh(code).splitlines() == ["ld_releases.models", "['ld_releases.models', 'pydantic.main']"]


def test_the_first_call_imports_the_models_it_answers_with() -> None:
    code = """
import sys, httpx, ld_releases
body = {"_links": {}, "name": "n", "releasePipelineKey": "p", "releasePipelineDescription": "d", "_version": 1}
body["phases"] = []
http = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, json=body)))
client = ld_releases.Client(api_key="k", http_client=http)
patch = ld_releases.ReleasePatch().complete_phase(0)
release = client.releases.patch("p", "f", patch)
print(type(release).__name__, type(patch[0]).__name__)
"""
    assert run_fresh(code) == "Release PatchOperation"


def test_dir_lists_every_export_and_every_model() -> None:
    models = {name for name in ld_releases.__all__ if name in vars(ld_releases.models)}
    assert {"Release", "ReleasePhase", "PhaseStatus", "JSONPatch"} <= models
    assert models <= set(dir(ld_releases.models))
    assert set(ld_releases.__all__) <= set(dir(ld_releases))


@pytest.mark.parametrize("module", [ld_releases, ld_releases.models], ids=["package", "models"])
def test_an_unknown_name_is_an_attribute_error_naming_it(module: object) -> None:
    with pytest.raises(AttributeError, match="'Relase'"):
        getattr(module, "Relase")  # noqa: B009
