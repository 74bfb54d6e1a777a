# Copied verbatim from templates/ by the ld-releases toolchain: do not edit here.
"""Python values in the wire formats OpenAPI describes: parameters by their style (`simple` in paths
and headers; `form`, exploded unless declared otherwise, `spaceDelimited`, `pipeDelimited` and
`deepObject` in queries; cookies; JSON for a parameter declared with `content`), and request bodies:
JSON, form-urlencoded, multipart with files, and raw bytes or text."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
import mimetypes
import os
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Union
from urllib.parse import quote

from ._arguments import validated_model

if TYPE_CHECKING:
    from pydantic import BaseModel

CHUNK = 64 * 1024


def plain(value: object) -> object:
    """JSON-like data for `value`: enum members by value, models by their wire names (only what was set)."""
    from pydantic import BaseModel  # here: keeps importing the package light

    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def json_text(value: object) -> str:
    return json.dumps(plain(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def scalar(value: object) -> str:
    value = plain(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json_text(value)
    return "" if value is None else str(value)


def simple(value: object, explode: bool = False) -> str:
    """The `simple` style of path and header parameters: `a,b,c`; an object as `k,v,...` (`k=v,...` exploded)."""
    value = plain(value)
    if isinstance(value, list):
        return ",".join(scalar(v) for v in value)
    if isinstance(value, dict):
        return ",".join(
            f"{k}={scalar(v)}" if explode else f"{k},{scalar(v)}" for k, v in value.items()
        )
    return scalar(value)


_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def query_pairs(
    name: str, value: object, style: str = "form", explode: bool = True
) -> list[tuple[str, str]]:
    """A query parameter as (name, text) pairs: a list repeated when exploded, else joined; an object
    as its own keys (form, exploded), `name[key]` (deepObject) or `key,value,...` (form)."""
    value = plain(value)
    if value is None:
        return []
    if style == "json":
        return [(name, json_text(value))]
    if isinstance(value, list):
        if explode and style == "form":
            return [(name, scalar(v)) for v in value]
        return [(name, _DELIMITERS.get(style, ",").join(scalar(v) for v in value))]
    if isinstance(value, dict):
        if style == "deepObject":
            return _deep(name, value)
        if explode:
            return [(str(k), scalar(v)) for k, v in value.items() if v is not None]
        return [(name, ",".join(f"{k},{scalar(v)}" for k, v in value.items()))]
    return [(name, scalar(value))]


def _deep(prefix: str, value: object) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [
            pair for k, v in value.items() if v is not None for pair in _deep(f"{prefix}[{k}]", v)
        ]
    if isinstance(value, list):
        return [(prefix, scalar(v)) for v in value]
    return [(prefix, scalar(value))]


def cookie_header(cookies: Mapping[str, str]) -> str:
    """`Cookie: a=1; b=2`, each value percent-encoded where a cookie may not hold it as is."""
    return "; ".join(
        f"{name}={quote(value, safe='!#$&()*+-./:<=>?@[]^_`{|}~')}"
        for name, value in cookies.items()
    )


# -- request bodies ----------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class File:
    """A file for a multipart field or a raw body: its content (bytes, an open binary file or a path),
    and the file name and content type to send (guessed from the name when not given)."""

    content: bytes | IO[bytes] | os.PathLike[str]
    filename: str | None = None
    content_type: str | None = None


FileTypes = Union[
    File,
    bytes,
    IO[bytes],
    "os.PathLike[str]",
    tuple[str, bytes | IO[bytes]],
    tuple[str, bytes, str],
]
"""What a file field or a binary body takes: bytes, an open binary file, a path, a `File`, or
`(filename, content)` / `(filename, content, content_type)`."""


@dataclasses.dataclass(frozen=True)
class Body:
    """A request body as httpx sends it, with the content type the description declares."""

    content_type: str | None  # None: httpx sets it (multipart, with its boundary)
    content: bytes | _Chunks | None = None
    data: list[tuple[str, str]] | None = None
    files: list[tuple[str, tuple[str | None, Any, str]]] | None = None
    length: int | None = None

    def httpx_arguments(self) -> dict[str, Any]:
        if self.files is not None:
            return {"data": dict(_grouped(self.data or [])), "files": self.files}
        if self.data is not None:
            from urllib.parse import urlencode

            return {"content": urlencode(self.data).encode("ascii")}
        return {"content": self.content}


def _grouped(pairs: list[tuple[str, str]]) -> Iterator[tuple[str, str | list[str]]]:
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    for name, values in grouped.items():
        yield name, values if len(values) > 1 else values[0]


def _validated(model: type[BaseModel] | None, value: object, argument: str | None = None) -> object:
    """`value` checked against the body's model (when it has one), as JSON-like data by wire names;
    `argument` names a body given whole (else the body's fields are the method's keywords)."""
    if model is None:
        return plain(value)
    instance = validated_model(model, value, argument)
    return instance.model_dump(mode="json", by_alias=True, exclude_unset=True)


def json_body(
    model: type[BaseModel] | None,
    value: object,
    media_type: str = "application/json",
    argument: str | None = None,
) -> Body:
    content = json.dumps(
        _validated(model, value, argument),
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    )
    return Body(media_type, content=content.encode("utf-8"))


def form_body(
    model: type[BaseModel] | None, value: object, media_type: str, argument: str | None = None
) -> Body:
    """Fields as `application/x-www-form-urlencoded`: a list repeats its key, an object nests as `key[sub]`."""
    data = _validated(model, value, argument)
    pairs = [
        pair for k, v in (data.items() if isinstance(data, dict) else []) for pair in _deep(k, v)
    ]
    return Body(media_type, data=pairs)


def multipart_body(
    model: type[BaseModel] | None, value: Mapping[str, Any], file_fields: Sequence[str]
) -> Body:
    """Fields as `multipart/form-data`: each file field a file part; a list repeats its part; an
    object is a JSON part. The other fields are checked against the model, file fields aside."""
    files_given = {k: v for k, v in value.items() if k in file_fields and v is not None}
    others = {k: v for k, v in value.items() if k not in files_given}
    if (
        model is not None
    ):  # a placeholder in each file field, so required ones do not fail the check
        checked = _validated(model, {**others, **dict.fromkeys(files_given, b"")})
        data = (
            {k: v for k, v in checked.items() if k not in files_given}
            if isinstance(checked, dict)
            else {}
        )
    else:
        data = {k: plain(v) for k, v in others.items()}
    pairs: list[tuple[str, str]] = []
    files: list[tuple[str, tuple[str | None, Any, str]]] = []
    for name, item in data.items():
        for part in item if isinstance(item, list) else [item]:
            if isinstance(part, dict):
                files.append((name, (None, json_text(part).encode("utf-8"), "application/json")))
            elif part is not None:
                pairs.append((name, scalar(part)))
    for name, given in files_given.items():
        files.append((name, _file_part(name, given)))
    return Body(None, data=pairs, files=files)


def _as_file(given: object) -> File:
    if isinstance(given, File):
        return given
    if isinstance(given, tuple) and len(given) in (2, 3):
        return File(given[1], str(given[0]), str(given[2]) if len(given) == 3 else None)
    if isinstance(given, (bytes, bytearray, os.PathLike)) or hasattr(given, "read"):
        return File(given)  # type: ignore[arg-type]
    raise TypeError(
        f"a file is bytes, an open binary file, a path or a File, not {type(given).__name__}"
    )


def _file_part(field: str, given: object) -> tuple[str, bytes | IO[bytes], str]:
    given = _as_file(given)
    content = given.content
    filename = given.filename
    sent: bytes | IO[bytes]
    if isinstance(content, os.PathLike):
        path = Path(content)
        filename = filename or path.name
        sent = path.read_bytes()
    elif isinstance(content, (bytes, bytearray)):
        sent = bytes(content)
    else:
        name = getattr(content, "name", None)
        filename = filename or (os.path.basename(name) if isinstance(name, str) else None)
        sent = content
    filename = filename or field
    content_type = (
        given.content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    )
    return filename, sent, content_type


def raw_body(value: object, media_type: str) -> Body:
    """A body sent as it is: text (encoded as UTF-8), bytes, an open binary file or a path; files
    are streamed, and read again from where they started if the call is retried."""
    if isinstance(value, File):
        media_type = value.content_type or media_type
        value = value.content
    if isinstance(value, str):
        return Body(media_type, content=value.encode("utf-8"))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return Body(media_type, content=bytes(value))
    if isinstance(value, os.PathLike):
        chunks = _Chunks(path=Path(value))
        return Body(media_type, content=chunks, length=chunks.size())
    if hasattr(value, "read"):
        chunks = _Chunks(file=value)  # type: ignore[arg-type]
        return Body(media_type, content=chunks, length=chunks.size())
    raise TypeError(
        f"a {media_type} body is text, bytes, an open binary file or a path, not {type(value).__name__}"
    )


class _Chunks:
    """A file's content, in chunks, from its start each time it is iterated (so a retry sends it whole)."""

    def __init__(self, *, file: IO[bytes] | None = None, path: Path | None = None) -> None:
        self._file, self._path = file, path
        self._start = file.tell() if file is not None and file.seekable() else 0

    def size(self) -> int | None:
        if self._path is not None:
            return self._path.stat().st_size
        if self._file is not None and self._file.seekable():
            end = self._file.seek(0, os.SEEK_END)
            self._file.seek(self._start)
            return end - self._start
        return None

    def __iter__(self) -> Iterator[bytes]:
        if self._path is not None:
            with self._path.open("rb") as file:
                yield from iter(lambda: file.read(CHUNK), b"")
            return
        assert self._file is not None
        if self._file.seekable():
            self._file.seek(self._start)
        yield from iter(lambda: self._file.read(CHUNK), b"")  # type: ignore[union-attr]

    async def __aiter__(self) -> AsyncIterator[bytes]:
        import asyncio

        chunks = iter(self)
        while chunk := await asyncio.to_thread(next, chunks, b""):
            yield chunk
