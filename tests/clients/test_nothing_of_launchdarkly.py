"""A client generated from another API's description belongs to that API: its names, environment
variables, logger, user agent, errors and credentials come from the description and the package name,
and nothing of LaunchDarkly's is in it."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

from generator.release.provenance import ABOUT
from generator.render.package import HEADER_TEXT, RUNTIME_HEADER_TEXT

LAUNCHDARKLY = re.compile(r"launch\s*darkly|ld[_-]releases|LdReleases|\bLD_|LD-API-Version|X-Ratelimit", re.I)


def test_no_file_of_the_package_mentions_launchdarkly(gallery_dir: Path) -> None:
    found = []
    for path in sorted(p for p in gallery_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        text = path.read_text(encoding="utf-8")
        for header in (HEADER_TEXT, RUNTIME_HEADER_TEXT, ABOUT):  # the toolchain's own name, in its stamp
            text = text.replace(header, "")
        found += [f"{path.relative_to(gallery_dir)}: {m.group(0)!r}" for m in LAUNCHDARKLY.finditer(text)]
    assert found == []


def test_its_names_come_from_the_description_and_the_package(gallery: ModuleType) -> None:
    from gallery import _logs, _package

    assert gallery.GalleryError.__name__ == "GalleryError"
    assert issubclass(gallery.ApiError, gallery.GalleryError)
    assert issubclass(gallery.MissingCredentialError, gallery.GalleryError)
    assert _package.ENVIRONMENT == {
        "api_key": "GALLERY_API_KEY",
        "username": "GALLERY_USERNAME",
        "password": "GALLERY_PASSWORD",
        "base_url": "GALLERY_BASE_URL",
    }
    assert (_package.LOG_ENV, _logs.logger.name) == ("GALLERY_LOG", "gallery")
    assert f"gallery-python/{gallery.__version__}" == _package.USER_AGENT
    assert _package.RATE_LIMIT_RESET_HEADERS == ()  # its description declares no 429 answer
    assert gallery.HOSTS == {"production": "https://api.gallery.example/v1"}
    assert (
        not hasattr(gallery, "PermissionDeniedError")
        or gallery.PermissionDeniedError.__module__ == "gallery._exceptions"
    )
