"""Configuration: the token and host from the environment, named hosts, default timeouts, closing."""

from __future__ import annotations

import httpx
import ld_releases
import pytest

from tests.contract.harness import FLAG, PIPELINE, PROJECT, TOKEN, Api, Fake


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the developer's shell has set, these tests start without the client's variables."""
    monkeypatch.delenv("LD_API_KEY", raising=False)
    monkeypatch.delenv("LD_BASE_URL", raising=False)


def test_the_api_key_falls_back_to_ld_api_key(api: Api, fake: Fake, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LD_API_KEY", TOKEN)

    client = api.client(api_key=None)
    client.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    assert fake.requests()[-1]["headers"]["Authorization"] == TOKEN


def test_an_explicit_api_key_wins_over_ld_api_key(api: Api, fake: Fake, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LD_API_KEY", "from-the-environment")

    api.client(api_key=TOKEN).releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    assert fake.requests()[-1]["headers"]["Authorization"] == TOKEN


@pytest.mark.parametrize("given", [None, ""])
def test_a_missing_api_key_is_an_ld_releases_error(api: Api, given: str | None) -> None:
    with pytest.raises(ld_releases.LdReleasesError, match="LD_API_KEY"):
        api.client(api_key=given)


def test_a_negative_max_retries_is_refused(api: Api) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        api.client(max_retries=-1)


def test_the_base_url_falls_back_to_ld_base_url(api: Api, fake: Fake, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LD_BASE_URL", api.service_url)

    client = api.client(to_fake=False)
    assert client.base_url == api.service_url
    client.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    assert len(fake.requests()) == 1


def test_an_explicit_base_url_wins_over_ld_base_url(api: Api, fake: Fake, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LD_BASE_URL", "eu")

    assert api.client(base_url=api.service_url + "/").base_url == api.service_url  # and a trailing / is dropped


@pytest.mark.parametrize(
    ("name", "host"),
    [
        ("commercial", "https://app.launchdarkly.com"),
        ("federal", "https://app.launchdarkly.us"),
        ("eu", "https://app.eu.launchdarkly.com"),
    ],
)
def test_host_names_select_their_host(api: Api, monkeypatch: pytest.MonkeyPatch, name: str, host: str) -> None:
    assert api.client(base_url=name).base_url == host
    monkeypatch.setenv("LD_BASE_URL", name)
    assert api.client(to_fake=False).base_url == host


def test_without_base_url_the_commercial_host_is_used(api: Api) -> None:
    assert api.client(to_fake=False).base_url == "https://app.launchdarkly.com"


def test_an_unknown_host_name_is_an_ld_releases_error_naming_the_choices(api: Api) -> None:
    with pytest.raises(ld_releases.LdReleasesError, match="commercial") as caught:
        api.client(base_url="europe")
    assert "europe" in str(caught.value)


def test_the_default_timeout_connects_within_5s_and_reads_within_30s(api: Api) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)

    timeout = api.default.timeout
    assert isinstance(timeout, httpx.Timeout)
    assert (timeout.connect, timeout.read) == (5.0, 30.0)
    sent = api.releases.with_raw_response.get(PROJECT, FLAG).http_response.request
    assert sent.extensions["timeout"]["connect"] == 5.0
    # the 30 s read, cut to what is left of the 30 s attempt deadline when the request left
    assert 29.0 < sent.extensions["timeout"]["read"] <= 30.0
    assert (api.default.deadline, api.default.attempt_deadline) == (60.0, 30.0)


def test_the_client_as_a_context_manager_closes_its_pool(api: Api) -> None:
    with api.client() as client:
        assert client.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE).name == "Demo pipeline"
        pool = client._http
        assert not pool.is_closed

    assert pool.is_closed


def test_a_given_http_client_is_left_open(api: Api) -> None:
    own = httpx.AsyncClient() if api.kind == "async" else httpx.Client()
    try:
        with api.client(http_client=own) as client:
            client.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
        assert not own.is_closed
    finally:
        if isinstance(own, httpx.AsyncClient):
            api.run(own.aclose())
        else:
            own.close()
