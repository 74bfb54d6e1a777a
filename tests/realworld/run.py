"""Run the whole pipeline on each description of the corpus and print a table:
`python -m tests.realworld.run [--only NAME]... [--ci] [--min-whole P] [--timeout S]`.

A description comes out *whole* when `python -m generator generate` succeeds with default options,
every operation it declares is a method of the package (a `request` call with its method and
path), every operation with a request body sends one, and the package installs into a fresh
virtual environment with only its declared dependencies and imports there. Otherwise it is
*refused* (the generator said no: its message) or *broken* (what is missing). Time and peak memory
are the generator's: wall time, and the peak resident set of its largest process (`wait4`).
It fetches first what the cache lacks (`fetch`). Exits 1 when fewer than `--min-whole` percent come
out whole, 2 when a description cannot be fetched."""

from __future__ import annotations

import argparse
import ast
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from tests.realworld.fetch import FetchError, fetch
from tests.realworld.sources import load, select, tool

ROOT = Path(__file__).parents[2]
VERBS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"  # the locked versions: they add no package
INSTALL_DEADLINE_S = 300


@dataclass(frozen=True)
class Outcome:
    name: str
    version: str  # the description's openapi version
    operations: int
    result: str  # `whole`, `refused: ...` or `broken: ...`
    seconds: float
    peak_mib: float

    @property
    def whole(self) -> bool:
        return self.result == "whole"


def read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else YAML(typ="safe").load(text)


def declared(doc: Any) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The description's operations as (METHOD, path), and those of them with a request body."""
    operations, with_body = set(), set()
    for path, item in (doc.get("paths") or {}).items():
        for verb in VERBS:
            if isinstance(item, dict) and isinstance(item.get(verb), dict):
                operations.add((verb.upper(), path))
                if "requestBody" in item[verb]:
                    with_body.add((verb.upper(), path))
    return operations, with_body


def rendered(package: Path) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The package's methods as the (METHOD, path) each requests, and those that send a body: every
    generated method ends in `self._client.request("METHOD", "/path", ..., body=...)`."""
    methods, with_body = set(), set()
    for module in package.glob("*/resources/*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            literals = [a.value for a in node.args[:2] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.attr == "request" and len(literals) == 2:
                methods.add((literals[0], literals[1]))
                if any(k.arg == "body" for k in node.keywords):
                    with_body.add((literals[0], literals[1]))
    return methods, with_body


# Runs the generator and reports its exit code and peak RSS. A child's peak starts at its parent's
# (Linux keeps the peak of the memory it had before `exec`), so the runner, which has read large
# documents, does not spawn the generator itself: this small interpreter does.
MEASURE = """
import os, sys
devnull = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=devnull)
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def generate(spec: Path, output: Path, timeout: float) -> tuple[int | None, str, float, float]:
    """Exit code (None when it overran `timeout`), stderr, seconds and peak MiB of one generator run."""
    command = [sys.executable, "-c", MEASURE, sys.executable, "-m", "generator", "generate", str(spec)]
    started = time.monotonic()
    child = subprocess.Popen(
        [*command, "--output", str(output)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, ended whole when it overruns
    )
    try:
        measured, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        return None, "", time.monotonic() - started, 0.0
    seconds = time.monotonic() - started
    code, peak_kib = measured.decode().split()
    return int(code), stderr.decode("utf-8", "replace"), seconds, int(peak_kib) / 1024


def uv() -> str:
    """`UV` names it, as for nox; else this environment's or PATH's."""
    found = os.environ.get("UV") or tool("uv")
    if found is None:
        raise SystemExit("uv is not on PATH (requirements/bootstrap.txt installs it)")
    return found


def install_problem(package: Path, scratch: Path) -> str | None:
    """Why the package does not install or import with only its declared dependencies (None: it does)."""
    name = tomllib.loads((package / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]
    [module] = [p.name for p in package.iterdir() if (p / "__init__.py").is_file()]
    venv = scratch / "venv"
    python = venv / "bin" / "python"
    steps = [
        [uv(), "venv", "--quiet", "--python", sys.executable, str(venv)],
        [uv(), "pip", "install", "--quiet", "--python", str(python), "-c", str(CONSTRAINTS), str(package)],
        [str(python), "-c", f"import {module}, {module}.resources, {module}.models"],
    ]
    for step, what in zip(steps, ("venv", f"install {name}", f"import {module}"), strict=True):
        try:
            done = subprocess.run(step, cwd=scratch, capture_output=True, text=True, timeout=INSTALL_DEADLINE_S)
        except subprocess.TimeoutExpired:
            return f"{what}: no end within {INSTALL_DEADLINE_S} s"
        if done.returncode != 0:
            lines = done.stderr.strip().splitlines() or [f"exit code {done.returncode}"]
            return f"{what}: {lines[-1]}"
    return None


def first_problem(stderr: str, spec: Path) -> str:
    """The generator's first error line (its warnings come before), with the line after it when it
    ends in a colon; the file named by its name alone, to keep the table narrow."""
    lines = [line.strip().replace(str(spec), spec.name) for line in stderr.splitlines() if line.strip()]
    errors = [i for i, line in enumerate(lines) if ": error:" in line or line.startswith("internal error")]
    if not lines:
        return "no message"
    first = errors[0] if errors else 0
    return " ".join(lines[first : first + 2]) if lines[first].endswith(":") else lines[first]


def missing(kind: str, absent: set[tuple[str, str]], total: int) -> str:
    first = " ".join(sorted(absent)[0])
    return f"broken: {len(absent)} of {total} {kind} (first: {first})"


def run_one(name: str, spec: Path, timeout: float) -> Outcome:
    doc = read(spec)
    version = str(doc.get("openapi", "?"))
    operations, bodies = declared(doc)
    with tempfile.TemporaryDirectory(prefix=f"corpus-{name}-") as scratch:
        package = Path(scratch) / "pkg"
        code, stderr, seconds, peak = generate(spec, package, timeout)
        if code is None:
            result = f"broken: no end within {timeout:g} s"
        elif code == 1:
            result = f"refused: {first_problem(stderr, spec)}"
        elif code != 0:
            result = f"broken: exit code {code}: {first_problem(stderr, spec)}"
        else:
            methods, sent = rendered(package)
            if operations - methods:
                result = missing("operations have no method", operations - methods, len(operations))
            elif bodies - sent:
                result = missing("request bodies are not sent", bodies - sent, len(bodies))
            else:
                problem = install_problem(package, Path(scratch))
                result = f"broken: {problem}" if problem else "whole"
    return Outcome(name, version, len(operations), result, seconds, peak)


def table(outcomes: list[Outcome]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    rows = ["| name | openapi | operations | result | time s | peak MiB |", "| --- | --- | ---: | --- | ---: | ---: |"]
    rows += [
        f"| {o.name} | {o.version} | {o.operations} | {cell(o.result)} | {o.seconds:.1f} | {o.peak_mib:.0f} |"
        for o in outcomes
    ]
    return "\n".join(rows)


def summary(outcomes: list[Outcome]) -> tuple[str, float]:
    whole = sum(o.whole for o in outcomes)
    percent = 100 * whole / len(outcomes) if outcomes else 0.0
    return f"{whole}/{len(outcomes)} whole ({percent:.0f}%)", percent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="this description (repeatable)")
    parser.add_argument("--ci", action="store_true", help="only the small subset marked `ci = true`")
    parser.add_argument("--min-whole", type=float, default=95, metavar="P", help="percent that must be whole")
    parser.add_argument("--timeout", type=float, default=600, metavar="S", help="seconds for one generator run")
    args = parser.parse_args()
    chosen = select(load(), args.only, args.ci)
    try:
        fetch(chosen)
    except FetchError as err:
        print(f"fetch: {err}", file=sys.stderr)
        return 2
    outcomes = []
    for description in chosen:  # one at a time: the large ones take minutes and gigabytes
        outcomes.append(run_one(description.name, description.cached, args.timeout))
        print(f"{description.name}: {outcomes[-1].result}", file=sys.stderr, flush=True)
    line, percent = summary(outcomes)
    print(table(outcomes))
    print()
    print(line)
    return 0 if percent >= args.min_whole else 1


if __name__ == "__main__":
    raise SystemExit(main())
