"""What a downstream developer meets first: the fake as a process says how to connect, and the
`ld-releases` command line drives a release from start to end against it, as a CI step would."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ld_releases
import pytest
from ld_releases.testing import DEFAULT_FLAG, DEFAULT_PHASE_IDS, DEFAULT_PIPELINE, DEFAULT_PROJECT, fake_releases

from tests.processes import server_process

TOKEN = "api-downstream-secret"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def started() -> Iterator[tuple[str, list[str]]]:
    """A fake of its own as a process: its URL, and the lines it printed on start."""
    command = [sys.executable, "-m", "ld_releases.testing", "--port", "0", "--token", TOKEN]
    with server_process(command, stdout=subprocess.PIPE) as process:
        assert process.stdout is not None
        lines = [process.stdout.readline().rstrip("\n") for _ in range(7)]
        yield lines[0].split()[1], lines


def test_the_fake_says_how_to_connect_and_its_export_lines_work(started: tuple[str, list[str]]) -> None:
    url, lines = started

    assert lines == [
        f"LISTENING {url}",
        f"token: {TOKEN}",
        f"project: {DEFAULT_PROJECT}",
        "flags: demo-flag, other-flag, third-flag",
        f"pipelines: demo-pipeline (Testing {DEFAULT_PHASE_IDS[0]}, Production {DEFAULT_PHASE_IDS[1]}),"
        " three-stage-pipeline (Development, Staging, Production)",
        f"export LD_BASE_URL={url}",
        f"export LD_API_KEY={TOKEN}",
    ]
    exported = dict(line.removeprefix("export ").split("=", 1) for line in lines[-2:])
    create = f"{DEFAULT_PROJECT!r}, {DEFAULT_FLAG!r}, release_pipeline_key={DEFAULT_PIPELINE!r}"
    code = f"import ld_releases; print(ld_releases.Client().releases.create({create}).version)"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LD_")}
    # a Client() made from the exported variables alone reaches the fake
    done = subprocess.run(
        [sys.executable, "-c", code], env=clean | exported, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout) == (0, "1\n"), done.stderr


def test_new_client_takes_every_client_argument_the_token_included() -> None:
    with fake_releases() as fake:
        wrong = fake.new_client(api_key="wrong-token", max_retries=0)
        with pytest.raises(ld_releases.AuthenticationError):
            wrong.releases.get(DEFAULT_PROJECT, DEFAULT_FLAG)
        assert fake.new_client(timeout=5).timeout == 5  # and the fake's token when none is given
        assert fake.new_client().releases.create(DEFAULT_PROJECT, DEFAULT_FLAG, release_pipeline_key=DEFAULT_PIPELINE)


def cli(url: str, *args: str, token: str | None = TOKEN) -> tuple[int, Any, str]:
    """`python -m ld_releases ARGS` as a CI step runs it: exit code, JSON on stdout, stderr."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LD_")} | {"LD_BASE_URL": url}
    if token is not None:
        env["LD_API_KEY"] = token
    done = subprocess.run(
        [sys.executable, "-m", "ld_releases", *args], env=env, capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in done.stderr and (token is None or token not in done.stdout + done.stderr)
    return done.returncode, json.loads(done.stdout) if done.stdout else None, done.stderr


def test_the_command_line_walks_a_release_from_create_to_delete(started: tuple[str, list[str]]) -> None:
    url, _ = started
    keys = (DEFAULT_PROJECT, DEFAULT_FLAG)

    code, created, _ = cli(url, "create", *keys, "--pipeline", "three-stage-pipeline")
    assert code == 0 and created["releasePipelineKey"] == "three-stage-pipeline"
    assert [phase["status"] for phase in created["phases"]] == ["NotStarted"] * 3

    walked = [cli(url, "advance", *keys) for _ in range(4)]
    assert [code for code, *_ in walked] == [0, 0, 0, 0]
    assert [[p["status"] for p in release["phases"]] for _, release, _ in walked] == [
        ["Started", "NotStarted", "NotStarted"],
        ["Complete", "Started", "NotStarted"],
        ["Complete", "Complete", "Started"],
        ["Complete", "Complete", "Complete"],
    ]
    code, _, stderr = cli(url, "advance", *keys)
    assert code == 4 and "no phase left to start" in stderr
    code, _, stderr = cli(url, "complete", *keys)
    assert code == 4 and "no phase running" in stderr

    code, got, _ = cli(url, "get", *keys)
    assert code == 0 and got == walked[-1][1]
    assert cli(url, "delete", *keys)[:2] == (
        0,
        {"deleted": True, "flagKey": DEFAULT_FLAG, "projectKey": DEFAULT_PROJECT},
    )
    assert cli(url, "get", *keys)[0] == 3


def test_the_command_line_exit_codes_tell_a_ci_step_what_went_wrong(started: tuple[str, list[str]]) -> None:
    url, _ = started
    keys = (DEFAULT_PROJECT, DEFAULT_FLAG)

    assert cli(url, "get", *keys, token="not-the-token")[0] == 5
    code, _, stderr = cli(url, "get", *keys, token=None)
    assert code == 5 and "LD_API_KEY" in stderr
    assert cli("http://127.0.0.1:9", "get", *keys)[0] == 6  # nothing listens there
    assert cli(url, "create", *keys)[0] == 2  # --pipeline missing
    assert cli(url, "create", *keys, "--pipeline", "no-such-pipeline")[0] == 3
    assert cli(url, "get", DEFAULT_PROJECT, "")[0] == 2  # an empty key is refused before sending
    for command in ("get", "create", "advance", "complete", "delete"):
        helped = subprocess.run(
            [sys.executable, "-m", "ld_releases", command, "--help"], capture_output=True, text=True, check=True
        )
        assert "exit codes:" in helped.stdout and "LD_API_KEY" in helped.stdout


README = ROOT / "generated" / "ld-releases" / "README.md"
WORKFLOW_OUTPUT = [
    "[<PhaseStatus.STARTED: 'Started'>, <PhaseStatus.NOT_STARTED: 'NotStarted'>]",
    "[<PhaseStatus.COMPLETE: 'Complete'>, <PhaseStatus.STARTED: 'Started'>]",
    "[<PhaseStatus.COMPLETE: 'Complete'>, <PhaseStatus.COMPLETE: 'Complete'>]",
]
# after the README's examples: the tests it shows are run too, as pytest would
RUN_THE_README_TESTS = """
for _name, _test in list(globals().items()):
    if _name.startswith("test_") and callable(_test):
        _test()
        print("passed", _name)
"""


def readme_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def against(url: str) -> dict[str, str]:
    """The environment of a user who pasted the fake's export lines, with `ld-releases` on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LD_")} | {"LD_BASE_URL": url, "LD_API_KEY": TOKEN}
    return env | {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"}


def test_every_python_example_of_the_readme_runs_in_order_as_one_script(
    started: tuple[str, list[str]], tmp_path: Path
) -> None:
    """The package README's Python examples, as written and in order, against the fake as a process."""
    url, _ = started
    blocks = readme_blocks("python")
    assert len(blocks) == README.read_text(encoding="utf-8").count("```python") >= 10
    script = tmp_path / "readme.py"
    script.write_text("\n\n".join(blocks) + RUN_THE_README_TESTS, encoding="utf-8")

    done = subprocess.run([sys.executable, str(script)], env=against(url), capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert "release_pipeline_key='demo-pipeline'" in out[0] and "version=1 " in out[0]  # the create example's
    start = out.index(WORKFLOW_OUTPUT[0])
    assert out[start : start + 3] == WORKFLOW_OUTPUT
    assert out[-1] == "passed test_promote_starts_the_first_phase_then_survives_a_rate_limit"
    assert TOKEN not in done.stdout + done.stderr


def test_the_readme_command_line_example_walks_a_release_to_complete(
    started: tuple[str, list[str]], tmp_path: Path
) -> None:
    """The package README's shell example, as written, against the fake as a process."""
    url, _ = started
    shell = subprocess.run(
        ["bash", "-e", "-c", readme_blocks("bash")[-1]],
        env=against(url),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.splitlines() == ["moved on a phase"] * 3
    code, release, _ = cli(url, "get", DEFAULT_PROJECT, DEFAULT_FLAG)
    assert (code, [phase["status"] for phase in release["phases"]]) == (0, ["Complete", "Complete"])
