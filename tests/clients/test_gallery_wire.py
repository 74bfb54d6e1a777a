"""A client generated from another API's description, driven over loopback against a server that
records what arrives: every body kind (JSON, form, multipart with files, raw bytes and text), every
credential kind (API key in a header, the query or a cookie; bearer; basic; OAuth 2 and OpenID
Connect tokens; per-operation `security`, including none and two schemes at once), cookie
parameters, and responses as models, text, bytes (streamed too) or nothing."""

from __future__ import annotations

import asyncio
import base64
import io
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.clients.conftest import Wire
from tests.clients.wire_server import PNG

KEY, TOKEN = "key-123", "token-456"


def body(request: dict[str, Any]) -> bytes:
    return base64.b64decode(request["body"])


def test_query_parameters_a_cookie_parameter_and_the_header_key(gallery: ModuleType, wire: Wire, base_url: str) -> None:
    with gallery.Client(api_key=KEY, base_url=base_url) as client:
        albums = client.albums.list_albums(limit=3, tag=["sea", "sun"], locale="fr")

    assert [a.title for a in albums] == ["Holidays"]
    arrived = wire.last()
    assert arrived["query"] == [["limit", "3"], ["tag", "sea"], ["tag", "sun"]]
    assert arrived["cookies"] == {"locale": "fr"}
    assert arrived["headers"]["X-Api-Token"] == KEY
    assert "Authorization" not in arrived["headers"]


def test_a_json_body_as_keyword_arguments_with_a_bearer_token(gallery: ModuleType, wire: Wire, base_url: str) -> None:
    with gallery.Client(api_key=TOKEN, base_url=base_url) as client:
        album = client.albums.create_album(title="Holidays")

    assert album.id == "a1"
    arrived = wire.last()
    assert arrived["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert arrived["headers"]["Content-Type"] == "application/json"
    assert body(arrived) == b'{"title":"Holidays"}'  # only what was set


@pytest.mark.parametrize(
    "file",
    [
        pytest.param(lambda tmp: tmp / "sea.png", id="a path"),
        pytest.param(lambda tmp: (tmp / "sea.png").open("rb"), id="an open file"),
        pytest.param(lambda tmp: ("sea.png", PNG, "image/png"), id="a tuple"),
    ],
)
def test_a_multipart_body_with_a_file_and_fields(
    gallery: ModuleType, wire: Wire, base_url: str, tmp_path: Path, file: Any
) -> None:
    (tmp_path / "sea.png").write_bytes(PNG)
    with gallery.Client(api_key=TOKEN, base_url=base_url) as client:
        photo = client.photos.upload_photo("a1", file=file(tmp_path), caption="Sea", tags=["blue", "wet"])

    assert photo.id == "p1"
    arrived = wire.last()
    assert arrived["headers"]["Authorization"] == f"Bearer {TOKEN}"  # the OAuth 2 access token
    assert arrived["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")
    assert arrived["form"] == [["caption", "Sea"], ["tags", "blue"], ["tags", "wet"]]
    assert arrived["files"] == [{"name": "file", "filename": "sea.png", "type": "image/png", "content": PNG.hex()}]


def test_a_file_given_as_bytes_is_named_after_its_field(gallery: ModuleType, wire: Wire, base_url: str) -> None:
    with gallery.Client(api_key=TOKEN, base_url=base_url) as client:
        client.photos.upload_photo("a1", file=b"raw")

    assert wire.last()["files"] == [
        {"name": "file", "filename": "file", "type": "application/octet-stream", "content": b"raw".hex()}
    ]


def test_a_binary_download_with_the_key_in_the_query(gallery: ModuleType, wire: Wire, base_url: str) -> None:
    with gallery.Client(api_key=KEY, base_url=base_url) as client:
        content = client.photos.download_photo("p1")
        with client.photos.with_streaming_response.download_photo("p1") as response:
            chunks = list(response.iter_bytes(100))

    assert content == PNG
    assert b"".join(chunks) == PNG and len(chunks) > 1
    first, second = wire.requests()
    assert first["query"] == [["api_key", KEY]]
    assert first["headers"]["Accept"] == "image/png"
    assert "X-Api-Token" not in first["headers"]
    assert second["query"] == first["query"]


def test_a_raw_body_from_a_file_with_its_content_type_sent_whole_again_on_a_retry(
    gallery: ModuleType, wire: Wire, base_url: str
) -> None:
    wire.fail_next(503)
    picture = io.BytesIO(b"prefix" + PNG)
    picture.seek(len(b"prefix"))
    with gallery.Client(api_key=KEY, base_url=base_url) as client:
        assert client.photos.replace_photo("p1", picture, content_type="image/png") is None

    failed, retried = wire.requests()
    for arrived in (failed, retried):
        assert arrived["method"] == "PUT"
        assert arrived["cookies"] == {"session": KEY}
        assert arrived["headers"]["Content-Type"] == "image/png"
        assert arrived["headers"]["Content-Length"] == str(len(PNG))
        assert body(arrived) == PNG


def test_text_in_and_out_with_a_header_parameter(gallery: ModuleType, wire: Wire, base_url: str) -> None:
    with gallery.Client(api_key=TOKEN, base_url=base_url) as client:
        client.photos.set_caption("p1", "Sea and sun", x_request_tag="t-1")
        caption = client.photos.get_caption("p1")

    assert caption == "A day at the sea"
    put, get = wire.requests()
    assert body(put) == b"Sea and sun"
    assert put["headers"]["Content-Type"] == "text/plain"
    assert put["headers"]["X-Request-Tag"] == "t-1"
    assert put["headers"]["Authorization"] == f"Bearer {TOKEN}"  # the OpenID Connect token
    assert get["headers"]["Accept"] == "text/plain"


def test_a_form_body_with_basic_credentials(gallery: ModuleType, wire: Wire, base_url: str) -> None:
    with gallery.Client(username="ann", password="s3cret pass", base_url=base_url) as client:
        found = client.photos.search(q="sea", page=2, kinds=["png", "jpg"])

    assert [p.id for p in found] == ["p1"]
    arrived = wire.last()
    assert arrived["headers"]["Authorization"] == "Basic " + base64.b64encode(b"ann:s3cret pass").decode()
    assert arrived["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert arrived["form"] == [["q", "sea"], ["page", "2"], ["kinds", "png"], ["kinds", "jpg"]]


def test_an_operation_without_security_sends_no_credential(gallery: ModuleType, wire: Wire, base_url: str) -> None:
    with gallery.Client(api_key=KEY, base_url=base_url) as client:
        health = client.service.health()

    assert health.status == "up"
    headers = wire.last()["headers"]
    assert "X-Api-Token" not in headers and "Authorization" not in headers and "Cookie" not in headers


def test_two_schemes_at_once_and_two_success_types(gallery: ModuleType, wire: Wire, base_url: str) -> None:
    with gallery.Client(api_key=KEY, base_url=base_url) as client:
        job = client.albums.delete_album("a1", later=True)
        gone = client.albums.delete_album("a1")

    assert (job.id, gone) == ("job-1", None)
    for arrived in wire.requests():
        assert arrived["headers"]["X-Api-Token"] == KEY
        assert ["api_key", KEY] in arrived["query"]


def test_per_scheme_credentials(gallery: ModuleType, wire: Wire, base_url: str) -> None:
    credentials = {"headerKey": "h-key", "queryKey": "q-key"}
    with gallery.Client(api_key=KEY, credentials=credentials, base_url=base_url) as client:
        client.albums.delete_album("a1")

    arrived = wire.last()
    assert arrived["headers"]["X-Api-Token"] == "h-key"
    assert arrived["query"] == [["api_key", "q-key"]]


def test_a_missing_credential_is_refused_before_anything_is_sent(
    gallery: ModuleType, wire: Wire, base_url: str
) -> None:
    with (
        gallery.Client(api_key=KEY, base_url=base_url) as client,
        pytest.raises(gallery.MissingCredentialError) as caught,
    ):
        client.photos.search(q="sea")

    assert str(caught.value) == (
        "POST /search needs the credential of `basic`: pass username=... (or GALLERY_USERNAME), "
        "password=... (or GALLERY_PASSWORD) to the client"
    )
    assert wire.requests() == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"limit": "3"}, "argument 'limit' must be int or None, not str"),
        ({"limit": True}, "argument 'limit' must be int or None, not bool"),
        ({"tag": "sea"}, "argument 'tag' must be list or tuple or None, not str"),
        ({"locale": 7}, "argument 'locale' must be str or None, not int"),
    ],
    ids=["query-int", "query-bool-for-int", "query-list", "cookie-str"],
)
def test_a_query_or_cookie_parameter_of_the_wrong_type_is_refused_before_sending(
    gallery: ModuleType, wire: Wire, base_url: str, arguments: dict[str, Any], message: str
) -> None:
    with gallery.Client(api_key=KEY, base_url=base_url) as client, pytest.raises(gallery.ArgumentError) as caught:
        client.albums.list_albums(**arguments)

    assert str(caught.value) == message
    assert wire.requests() == []


def test_the_environment_variables_are_named_after_the_package(
    gallery: ModuleType, wire: Wire, base_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GALLERY_API_KEY", KEY)
    monkeypatch.setenv("GALLERY_BASE_URL", base_url)
    with gallery.Client() as client:
        client.albums.list_albums()

    assert wire.last()["headers"]["X-Api-Token"] == KEY


def test_the_async_client_uploads_and_streams(gallery: ModuleType, wire: Wire, base_url: str) -> None:
    async def scenario() -> tuple[Any, bytes]:
        async with gallery.AsyncClient(api_key=TOKEN, base_url=base_url) as client:
            photo = await client.photos.upload_photo("a1", file=gallery.File(PNG, "sea.png"), caption="Sea")
            async with client.photos.with_streaming_response.download_photo("p1") as response:
                content = b"".join([chunk async for chunk in response.aiter_bytes()])
        return photo, content

    photo, content = asyncio.run(scenario())

    assert (photo.id, content) == ("p1", PNG)
    upload, download = wire.requests()
    assert upload["files"][0]["filename"] == "sea.png" and upload["form"] == [["caption", "Sea"]]
    assert download["query"] == [["api_key", TOKEN]]


def test_raw_responses_wrap_the_plain_methods(gallery: ModuleType, wire: Wire, base_url: str) -> None:
    with gallery.Client(api_key=KEY, base_url=base_url) as client:
        raw = client.albums.with_raw_response.delete_album("a1", later=True)

    assert (raw.status_code, raw.parse().id, raw.retries_taken) == (202, "job-1", 0)
