"""Every default the client uses, in one place."""

from __future__ import annotations

import httpx

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
"""Connect within 5 s; each read, write and pool wait within 30 s. Override per client or per call."""

DEFAULT_MAX_RETRIES = 2
"""Retries after the first attempt, for connection errors, 429 and 5xx."""

INITIAL_RETRY_DELAY = 0.5
"""Seconds before the first retry when the service does not say; doubled for each further retry."""

MAX_RETRY_DELAY = 8.0
"""The longest backoff the client computes on its own."""

MAX_RETRY_WAIT = 60.0
"""The longest wait the client accepts from Retry-After or a reset header; past it, it gives up at once."""

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})

DEFAULT_ATTEMPT_DEADLINE = 30.0
"""Seconds one attempt may take in all, from connecting to the last byte of the answer: a server
that trickles its answer a byte at a time cannot hold it longer. Override per client."""

DEFAULT_DEADLINE = 60.0
"""Seconds one call may take in all, its retries and their waits included; a retry that would end
past it is not made. Override per client or per call."""

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""The largest answer body read, counted after decompression; a larger one raises ResponseTooLargeError.
Streamed answers (`with_streaming_response`) are the caller's to read and have no cap."""
