# Copied verbatim from templates/ by the ld-releases toolchain: do not edit here.
"""Bases of the generated resource classes (`client.releases`, ...): they only hold their client."""

from __future__ import annotations

from ._base_client import AsyncAPIClient, SyncAPIClient


class SyncResource:
    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncResource:
    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
