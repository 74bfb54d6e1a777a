# Copied verbatim from templates/ by the ld-releases toolchain: do not edit here.
"""The package's logger, named after it. Nothing is printed unless the variable `_package.LOG_ENV`
is `debug` or `info` (or the application configures logging itself). Records never hold a
credential: only method, path, status, timing and retry decisions."""

from __future__ import annotations

import logging
import os

from ._package import LOG_ENV, PACKAGE

logger = logging.getLogger(PACKAGE)


def setup_from_env() -> None:
    level = os.environ.get(LOG_ENV, "").strip().upper()
    if level not in ("DEBUG", "INFO") or any(
        getattr(h, "_from_env", False) for h in logger.handlers
    ):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    handler._from_env = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level)
