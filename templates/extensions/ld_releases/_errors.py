"""LaunchDarkly's additions to two error classes: the hint a 403 needs (beta resources refuse a
request without `LD-API-Version: beta`), and the remaining counts its 429 answers carry. Each
subclass keeps its runtime class's name, so the client raises it for that status."""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from . import _exceptions

__all__ = ["PermissionDeniedError", "RateLimitError"]


class PermissionDeniedError(_exceptions.PermissionDeniedError):
    """403: the token may not do this, or a beta resource was called without `LD-API-Version: beta`."""

    def _describe(self) -> str:
        text = super()._describe()
        sent = self.response.request.headers.get("LD-API-Version")
        if sent != "beta":
            text += f"; beta resources need the header LD-API-Version: beta (sent: {sent or 'none'})"
        return text


class RateLimitError(_exceptions.RateLimitError):
    """429: too many requests. `reset_at` is when the limit resets; `global_remaining` and
    `route_remaining` are the calls left, account-wide and for this route, when the service says."""

    def __init__(
        self, response: httpx.Response, *, code: str | None, message: str, secrets: Sequence[str] = ()
    ) -> None:
        self.global_remaining = _count(response.headers.get("X-Ratelimit-Global-Remaining"))
        self.route_remaining = _count(response.headers.get("X-Ratelimit-Route-Remaining"))
        super().__init__(response, code=code, message=message, secrets=secrets)


def _count(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 16 else None
