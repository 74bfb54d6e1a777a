"""`RawResponse`: what `with_raw_response` methods return: the status, the headers and the parsed model."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import httpx

from ._parse import parse_response

T = TypeVar("T")


class RawResponse(Generic[T]):
    """The HTTP answer behind a call; `parse()` gives the same model the plain method returns."""

    def __init__(self, http_response: httpx.Response, response_type: Any, retries_taken: int) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._response_type = response_type
        self._parsed: list[T] = []

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    def parse(self) -> T:
        """The body as its model (parsed once); a body that does not fit raises ResponseValidationError."""
        if not self._parsed:
            self._parsed.append(parse_response(self.http_response, self._response_type))
        return self._parsed[0]

    def __repr__(self) -> str:
        request = self.http_response.request
        return f"<RawResponse {self.status_code} {request.method} {request.url.path}>"
