"""What a package takes from its name and description: its base error, the environment variables of
its settings, its logger's variable, and the rate-limit headers its 429 answers declare."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import GeneratorFailure
from generator.document.loading import load
from generator.render.package import PackageInfo

DOCUMENT = """openapi: 3.0.3
info:
  title: Weather Station
  version: '2'
  {extra}
paths:
  /readings:
    get:
      responses:
        '200': {{description: ok}}
        '429':
          description: slow down
          headers:
            RateLimit-Reset: {{schema: {{type: integer}}}}
            RateLimit-Remaining: {{schema: {{type: integer}}}}
            Retry-After: {{schema: {{type: integer}}}}
"""


def info(tmp_path: Path, extra: str = "") -> PackageInfo:
    spec = tmp_path / "api.yaml"
    spec.write_text(DOCUMENT.format(extra=extra))
    return PackageInfo.from_document(load(spec), None, None, None)


def test_names_and_variables_come_from_the_package_name(tmp_path: Path) -> None:
    found = info(tmp_path)

    assert (found.package_name, found.distribution_name, found.version) == (
        "weather_station",
        "weather-station",
        "2.0.0",
    )
    assert found.error_class == "WeatherStationError"
    assert found.log_env == "WEATHER_STATION_LOG"
    assert found.environment(["api_key"]) == [
        ("api_key", "WEATHER_STATION_API_KEY"),
        ("base_url", "WEATHER_STATION_BASE_URL"),
    ]
    assert found.reset_headers == ("RateLimit-Reset",)


def test_a_description_may_declare_its_variables_prefix(tmp_path: Path) -> None:
    found = info(tmp_path, "x-python-package: {environment: WX}")

    assert found.environment(["username", "password"]) == [
        ("username", "WX_USERNAME"),
        ("password", "WX_PASSWORD"),
        ("base_url", "WX_BASE_URL"),
    ]


def test_a_prefix_that_is_not_one_is_refused_at_its_place(tmp_path: Path) -> None:
    with pytest.raises(GeneratorFailure) as caught:
        info(tmp_path, "x-python-package: {environment: 'wx-1'}")

    (problem,) = caught.value.diagnostics
    assert (problem.pointer, problem.message) == (
        "/info/x-python-package/environment",
        "environment 'wx-1' is not an environment variable prefix (capitals, digits and `_`)",
    )


def test_servers_described_alike_are_told_apart_by_their_scheme(tmp_path: Path) -> None:
    """AWS's descriptions list each endpoint over http and https with one description."""
    servers = (
        "servers:\n"
        "  - {url: 'http://sqs.example.com', description: The SQS endpoint}\n"
        "  - {url: 'https://sqs.example.com', description: The SQS endpoint}\n"
        "  - {url: 'https://eu.example.com', description: Europe}\n"
    )
    spec = tmp_path / "api.yaml"
    spec.write_text(DOCUMENT.format(extra="") + servers)

    found = PackageInfo.from_document(load(spec), None, None, None)

    assert found.hosts == [
        ("the_sqs_endpoint_http", "http://sqs.example.com"),
        ("the_sqs_endpoint_https", "https://sqs.example.com"),
        ("europe", "https://eu.example.com"),
    ]


def test_servers_no_scheme_tells_apart_are_refused_naming_both(tmp_path: Path) -> None:
    servers = (
        "servers:\n"
        "  - {url: 'https://a.example.com', description: Main}\n"
        "  - {url: 'https://b.example.com', description: Main}\n"
    )
    spec = tmp_path / "api.yaml"
    spec.write_text(DOCUMENT.format(extra="") + servers)

    with pytest.raises(GeneratorFailure, match=r"servers /servers/0 \(line \d+\) and /servers/1 would both be"):
        PackageInfo.from_document(load(spec), None, None, None)
