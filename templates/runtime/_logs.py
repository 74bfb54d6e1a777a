"""The `ld_releases` logger. Nothing is printed unless LD_RELEASES_LOG is `debug` or `info` (or the
application configures logging itself). Records never hold the token: only method, path, status,
timing and retry decisions."""

from __future__ import annotations

import logging
import os

from ._constants import LOG_ENV

logger = logging.getLogger("ld_releases")


def setup_from_env() -> None:
    level = os.environ.get(LOG_ENV, "").strip().upper()
    if level not in ("DEBUG", "INFO") or any(getattr(h, "_ld_releases", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    handler._ld_releases = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level)
