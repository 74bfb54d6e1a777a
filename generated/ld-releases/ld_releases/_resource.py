# Copied verbatim from templates/runtime/ by the ld-releases toolchain: do not edit here.
"""Base of the generated resource classes (`client.releases`, ...): they only hold their client."""

from __future__ import annotations

from ._base_client import SyncAPIClient


class SyncResource:
    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client
