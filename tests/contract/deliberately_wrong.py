"""Run only by test_independent_validators.py, in a pytest of its own: a test that meets a wrong
response (a phase without `_id`) through Prism, which must fail by both validators' word."""

from __future__ import annotations

from tests.contract.harness import FLAG, PIPELINE, PROJECT, Api, Fake


def test_a_release_read_through_prism(api: Api, fake: Fake, prism_url: str) -> None:
    api.releases.create(PROJECT, FLAG, release_pipeline_key=PIPELINE)
    fake.faults({"remove": ["/phases/0/_id"]})

    client = api.client_via(prism_url, max_retries=0)
    client.releases.get(PROJECT, FLAG)
