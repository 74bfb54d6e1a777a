"""What `with_raw_response` and `with_streaming_response` return, and how they wrap the plain
methods so that each signature is written once: a wrapper calls the plain method with the mode set
for that call (`_MODE`), and the client answers in that mode.

    raw = client.things.with_raw_response.get("id")      # RawResponse: status, headers, .parse()
    with client.files.with_streaming_response.download("id") as response:
        for chunk in response.iter_bytes(): ...          # the body as it arrives
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextvars import ContextVar
from typing import Any, Generic, Literal, ParamSpec, TypeVar, cast

import httpx

from ._parse import Expectations, parse_response

T = TypeVar("T")
P = ParamSpec("P")
Mode = Literal["parsed", "raw", "stream"]
_MODE: ContextVar[Mode] = ContextVar("mode", default="parsed")


class RawResponse(Generic[T]):
    """The HTTP answer behind a call; `parse()` gives what the plain method returns."""

    def __init__(self, http_response: httpx.Response, expectations: Expectations, retries_taken: int) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._expectations = expectations
        self._parsed: list[T] = []

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    def parse(self) -> T:
        """The body as documented for its status (parsed once); one that does not fit raises ResponseValidationError."""
        if not self._parsed:
            self._parsed.append(parse_response(self.http_response, self._expectations))
        return self._parsed[0]

    def __repr__(self) -> str:
        request = self.http_response.request
        return f"<{type(self).__name__} {self.status_code} {request.method} {request.url.path}>"


class StreamedResponse(RawResponse[T]):
    """A successful answer whose body has not been read: `iter_bytes()` (or `aiter_bytes()` on the
    async client) gives it as it arrives; `read()` or `parse()` read it whole. The connection is
    released when the `with` block ends."""

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def read(self) -> bytes:
        return self.http_response.read()

    async def aread(self) -> bytes:
        return await self.http_response.aread()


class StreamingCall(Generic[T]):
    """`with ... as response`: the call is made on entering, its connection released on leaving."""

    def __init__(self, call: Callable[[], Any]) -> None:
        self._call = call
        self._response: StreamedResponse[T] | None = None

    def __enter__(self) -> StreamedResponse[T]:
        token = _MODE.set("stream")
        try:
            self._response = cast("StreamedResponse[T]", self._call())
        finally:
            _MODE.reset(token)
        return self._response

    def __exit__(self, *exc: object) -> None:
        if self._response is not None:
            self._response.http_response.close()


class AsyncStreamingCall(Generic[T]):
    """`async with ... as response`: the call is made on entering, its connection released on leaving."""

    def __init__(self, call: Callable[[], Awaitable[Any]]) -> None:
        self._call = call
        self._response: StreamedResponse[T] | None = None

    async def __aenter__(self) -> StreamedResponse[T]:
        token = _MODE.set("stream")
        try:
            self._response = cast("StreamedResponse[T]", await self._call())
        finally:
            _MODE.reset(token)
        return self._response

    async def __aexit__(self, *exc: object) -> None:
        if self._response is not None:
            await self._response.http_response.aclose()


def current_mode() -> Mode:
    return _MODE.get()


def raw_response(method: Callable[P, T]) -> Callable[P, RawResponse[T]]:
    """`method`, returning its RawResponse."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        token = _MODE.set("raw")
        try:
            return cast("RawResponse[T]", method(*args, **kwargs))
        finally:
            _MODE.reset(token)

    return wrapped


def async_raw_response(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[RawResponse[T]]]:
    """The coroutine `method`, returning its RawResponse."""

    @functools.wraps(method)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        token = _MODE.set("raw")
        try:
            return cast("RawResponse[T]", await method(*args, **kwargs))
        finally:
            _MODE.reset(token)

    return wrapped


def streaming_response(method: Callable[P, T]) -> Callable[P, StreamingCall[T]]:
    """`method`, as a `with` block holding its StreamedResponse."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> StreamingCall[T]:
        return StreamingCall(functools.partial(method, *args, **kwargs))

    return wrapped


def async_streaming_response(method: Callable[P, Awaitable[T]]) -> Callable[P, AsyncStreamingCall[T]]:
    """The coroutine `method`, as an `async with` block holding its StreamedResponse."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncStreamingCall[T]:
        return AsyncStreamingCall(functools.partial(method, *args, **kwargs))

    return wrapped
