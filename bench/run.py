"""`nox -s bench`: the figures users and maintainers judge us by, each beside its alternatives,
measured in the same run. Prints one table and writes it as JSON to bench/results/.

Every figure is the median over repeated runs, with the spread (min-max) beside it; every ratio is
of two medians measured here, now, on this machine. Nothing here passes or fails a build: budgets are
reported as met or missed. `-- --quick` runs fewer repeats and sizes; `-- --imports` only the import
figures (cold imports and the first call that builds the models).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

from documents import synthetic  # bench/, first on the path when run as a script

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "spec" / "upstream" / "releases-beta.yaml"
RESULTS = ROOT / "bench" / "results"
ROWS: list[dict[str, Any]] = []


def record(group: str, name: str, samples: list[float], unit: str, note: str = "") -> float:
    median = statistics.median(samples)
    ROWS.append(
        {
            "group": group,
            "name": name,
            "median": median,
            "min": min(samples),
            "max": max(samples),
            "unit": unit,
            "n": len(samples),
            "note": note,
        }
    )
    return median


def ratio(group: str, name: str, values: list[float], budget: float | None = None) -> None:
    """A goal's ratio: the median of one per repeat (`paired`), with their range as its spread."""
    value = statistics.median(values)
    verdict = "" if budget is None else ("met" if value <= budget else "MISSED")
    ROWS.append(
        {
            "group": group,
            "name": name,
            "ratio": value,
            "min": min(values),
            "max": max(values),
            "n": len(values),
            "budget": budget,
            "verdict": verdict,
        }
    )


def paired(ours: list[float], theirs: list[float]) -> list[float]:
    """The ratio of each repeat's two samples, taken side by side in that repeat."""
    return [a / b for a, b in zip(ours, theirs, strict=True)]


# -- a realistic Release: 3 phases x 2 audiences, every field filled ---------------------------------


def release_body() -> str:
    def audience(p: int, a: int) -> dict[str, Any]:
        return {
            "_id": f"aud{p}{a}" + "0" * 18,
            "_links": {"self": {"href": f"/api/v2/audiences/{p}{a}", "type": "application/json"}},
            "environment": {
                "_links": {"self": {"href": f"/api/v2/projects/p/environments/env-{a}", "type": "application/json"}},
                "key": f"env-{a}",
                "name": f"Environment {a}",
                "color": "F5A623",
            },
            "name": f"Audience {p}.{a}",
            "configuration": {
                "releaseStrategy": "monitoredRelease",
                "requireApproval": True,
                "notifyMemberIds": ["1234a56b7c89d012345e678f", "569f183514f4432160000007"],
                "notifyTeamKeys": ["example-reviewer-team"],
                "releaseGuardianConfiguration": {
                    "monitoringWindowMilliseconds": 60000,
                    "rolloutWeight": 50,
                    "rollbackOnRegression": True,
                    "randomizationUnit": "user",
                },
            },
            "segmentKeys": ["segment-key-123abc", "beta-users"],
            "status": "active",
            "_ruleIds": ["rule-1", "rule-2"],
        }

    member = {
        "_links": {"self": {"href": "/api/v2/members/569f183514f4432160000007", "type": "application/json"}},
        "_id": "569f183514f4432160000007",
        "role": "admin",
        "email": "ariel@acme.com",
        "firstName": "Ariel",
        "lastName": "Flores",
    }
    token = {"_links": {}, "_id": "tok1", "name": "DevOps token", "ending": "2345", "serviceToken": False}
    phases = [
        {
            "_id": f"phase{p}" + "0" * 19,
            "_name": f"Phase {p}",
            "complete": p == 0,
            "_creationDate": 1684262711507,
            "_completionDate": 1684262711509,
            "_completedBy": {"member": member, "token": token},
            "_audiences": [audience(p, a) for a in range(2)],
            "status": ["Complete", "Started", "NotStarted"][p],
            "started": p < 2,
            "_startedDate": 1684262711508,
            "configuration": {},
        }
        for p in range(3)
    ]
    body = {
        "_links": {"self": {"href": "/api/v2/flags/p/f/release", "type": "application/json"}},
        "name": "Example release pipeline",
        "releasePipelineKey": "example-release-pipeline",
        "releasePipelineDescription": "Our release pipeline for typical testing and deployment",
        "phases": phases,
        "_version": 7,
        "_releaseVariationId": "variation-1",
        "_canceledAt": 1684262711600,
    }
    return json.dumps(body)


# -- import -------------------------------------------------------------------------------------------

IMPORT_PROBE = (
    "import resource, time; t = time.perf_counter(); {stmt}; d = time.perf_counter() - t; "
    "print(d, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)


def bench_imports(repeats: int) -> None:
    candidates = {
        "ld_releases (import, Client)": "import ld_releases; ld_releases.Client",
        "httpx + pydantic (its dependencies)": "import httpx, pydantic",
        "httpx + pydantic.BaseModel (what any pydantic client loads)": "import httpx; from pydantic import BaseModel",
        "launchdarkly_api 22.0.0 (official)": "import launchdarkly_api",
    }
    seconds: dict[str, list[float]] = {name: [] for name in candidates}
    rss: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(repeats):  # round-robin, so a burst of load on the machine hits every candidate
        for name, stmt in candidates.items():
            s, kib = fresh(IMPORT_PROBE.format(stmt=stmt))
            seconds[name].append(float(s) * 1000)
            rss[name].append(int(kib) / 1024)
    for name in candidates:
        record("cold import", name, seconds[name], "ms")
        record("cold import", f"{name}: peak RSS", rss[name], "MiB")
    ours, deps, models, official = seconds.values()
    ratio("cold import", "ld_releases / its dependencies", paired(ours, deps), budget=1.3)
    ratio("cold import", "ld_releases / httpx + pydantic.BaseModel", paired(ours, models))
    ratio("cold import", "official / ld_releases", paired(official, ours))
    bench_first_call(repeats)


FIRST_CALL_PROBE = """
import time
import httpx, ld_releases
answer = httpx.Response(200, content={body!r}, headers={{"content-type": "application/json"}})
http = httpx.Client(transport=httpx.MockTransport(lambda request: answer))
client = ld_releases.Client(api_key="k", http_client=http)
took = []
for _ in range(2):
    t = time.perf_counter(); client.releases.get("p", "f"); took.append(time.perf_counter() - t)
print(*took)
"""


def bench_first_call(repeats: int) -> None:
    """What the import no longer pays, paid by the first call (the models built, then validation):
    a GET answered by httpx.MockTransport in a fresh process, beside the second call."""
    first, second = [], []
    for _ in range(repeats):
        a, b = fresh(FIRST_CALL_PROBE.format(body=release_body().encode()))
        first.append(float(a) * 1000)
        second.append(float(b) * 1000)
    record("cold import", "first call: GET through httpx.MockTransport (models built)", first, "ms")
    record("cold import", "second call, the same", second, "ms")


def fresh(code: str) -> list[str]:
    """What `code` prints, run in a fresh interpreter (nothing imported yet), split into words."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()


# -- parsing ------------------------------------------------------------------------------------------


def per_call(fn: Callable[[], object], number: int, repeats: int) -> list[float]:
    return [t / number * 1e6 for t in timeit.repeat(fn, number=number, repeat=repeats)]


def bench_parsing(repeats: int) -> None:
    import launchdarkly_api
    from ld_releases import Release

    text = release_body()
    number = 2000
    base, ours, official = [], [], []
    for _ in range(repeats):  # round-robin, as the imports
        base += per_call(lambda: json.loads(text), number, 1)
        ours += per_call(lambda: Release.model_validate_json(text), number, 1)
        official += per_call(lambda: launchdarkly_api.Release.from_json(text), number // 4, 1)
    record("parse Release", "json.loads", base, "µs", f"{len(text)} bytes")
    record("parse Release", "ld_releases Release.model_validate_json", ours, "µs")
    record("parse Release", "official Release.from_json", official, "µs")
    ratio("parse Release", "ld_releases / json.loads", paired(ours, base), budget=1.7)
    ratio("parse Release", "official / json.loads", paired(official, base))


# -- round trip ---------------------------------------------------------------------------------------

SERVER = r"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
body = open(sys.argv[1], "rb").read()
head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        # One write: headers and body in separate segments meet delayed ACKs and cost 40 ms a call.
        self.wfile.write(head + body)
    def log_message(self, *args):
        pass
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_port, flush=True)
server.serve_forever()
"""


def bench_round_trip(repeats: int) -> None:
    import httpx
    import launchdarkly_api
    import ld_releases

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        handle.write(release_body())
    server = subprocess.Popen([sys.executable, "-c", SERVER, handle.name], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        port = server.stdout.readline().strip()
        if not port.isdigit():
            raise RuntimeError("the loopback server did not start")
        url = f"http://127.0.0.1:{port}"
        path = "/api/v2/flags/p/f/release"
        number = 300
        headers = {"Authorization": "k", "LD-API-Version": "beta"}
        config = launchdarkly_api.Configuration(host=url, api_key={"ApiKey": "k"})
        base, mine, official = [], [], []
        with (
            httpx.Client() as bare,
            ld_releases.Client(api_key="k", base_url=url, max_retries=0) as ours,
            launchdarkly_api.ApiClient(config) as api_client,
        ):
            api = launchdarkly_api.ReleasesBetaApi(api_client)
            for _ in range(repeats):  # round-robin, as the imports
                base += per_call(lambda: json.loads(bare.get(url + path, headers=headers).content), number, 1)
                mine += per_call(lambda: ours.releases.get("p", "f"), number, 1)
                official += per_call(lambda: api.get_release_by_flag_key("p", "f"), number, 1)
        record("round trip GET", "bare httpx + json.loads", base, "µs")
        record("round trip GET", "ld_releases client.releases.get", mine, "µs")
        record("round trip GET", "official get_release_by_flag_key", official, "µs")
        ratio("round trip GET", "ld_releases / bare httpx", paired(mine, base), budget=1.15)
        ratio("round trip GET", "official / bare httpx", paired(official, base))
    finally:
        server.terminate()
        os.unlink(handle.name)


# -- the toolchain ------------------------------------------------------------------------------------


MEASURE = r"""
import os, subprocess, sys, time
started = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
errors = process.stderr.read()
_, status, usage = os.wait4(process.pid, 0)
sys.stderr.write(errors.decode(errors="replace")[-2000:])
print(time.perf_counter() - started, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def timed(command: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Seconds and peak RSS (MiB; the largest process of the run, children included) of one command.

    Measured from a small wrapper process: a child forked from this (large) process would report
    this process's memory as its own peak."""
    tools = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=cwd, env=tools, capture_output=True, text=True)
    seconds, kib, code = done.stdout.split()
    if int(code) != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
    return float(seconds), int(kib) / 1024


GENERATE = [sys.executable, "-m", "generator", "generate"]
REAL = ("github", "zoom")  # the two largest descriptions of the corpus (tests/realworld/sources.toml)


def opc(spec: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(spec), "--output-path", str(out)]


def side_by_side(label: str, spec: Path, scratch: Path, repeats: int, budgets: tuple[float, float] | None) -> None:
    """The whole pipeline and bare openapi-python-client on one description, alternately; the ratios
    of their median time and peak memory."""
    ours, theirs = [], []
    for _ in range(repeats):
        for folder in ("ours", "opc"):
            shutil.rmtree(scratch / folder, ignore_errors=True)
        ours.append(timed([*GENERATE, str(spec), "--output", str(scratch / "ours")]))
        theirs.append(timed([*opc(spec, scratch / "opc"), "--meta", "none"]))
    record("toolchain", f"{label}: ld-releases", [t for t, _ in ours], "s")
    record("toolchain", f"{label}: ld-releases peak RSS", [m for _, m in ours], "MiB")
    record("toolchain", f"{label}: bare openapi-python-client", [t for t, _ in theirs], "s")
    record("toolchain", f"{label}: bare openapi-python-client peak RSS", [m for _, m in theirs], "MiB")
    time_budget, memory_budget = budgets if budgets else (None, None)
    times = paired([t for t, _ in ours], [t for t, _ in theirs])
    memory = paired([m for _, m in ours], [m for _, m in theirs])
    ratio("toolchain", f"{label}: time, ld-releases / bare openapi-python-client", times, budget=time_budget)
    ratio("toolchain", f"{label}: peak RSS, ld-releases / bare openapi-python-client", memory, budget=memory_budget)


def bench_this_spec(repeats: int, scratch: Path) -> None:
    """This spec whole, a no-op regeneration, and one after a one-line change of the description."""
    out = scratch / "pkg"
    runs = []
    for _ in range(repeats):
        shutil.rmtree(out, ignore_errors=True)
        runs.append(timed([*GENERATE, str(SPEC), "--output", str(out)]))
    record("toolchain", "whole pipeline, this spec", [s for s, _ in runs], "s")
    record("toolchain", "whole pipeline, this spec: peak RSS", [m for _, m in runs], "MiB")
    noop = [timed([*GENERATE, str(SPEC), "--output", str(out)])[0] for _ in range(repeats)]
    record("toolchain", "no-op regeneration", noop, "s")
    ratio("toolchain", "no-op regeneration (seconds, budget 1 s)", noop, budget=1.0)
    edited = scratch / SPEC.name  # beside a copy of its fixes, as in spec/upstream/
    shutil.copy(SPEC.with_name(SPEC.name.replace(".yaml", ".fixes.yaml")), scratch)
    text = SPEC.read_text(encoding="utf-8")
    changed = []
    for n in range(repeats):
        edited.write_text(text.replace("summary: Get release for flag", f"summary: Get release for flag ({n})"))
        changed.append(timed([*GENERATE, str(edited), "--output", str(out)])[0])
    record("toolchain", "regeneration after a one-line change", changed, "s")


def bench_real(repeats: int, scratch: Path) -> None:
    """The two largest real descriptions of the corpus, fetched as `nox -s corpus` fetches them."""
    sys.path.insert(0, str(ROOT))
    from tests.realworld.fetch import fetch
    from tests.realworld.sources import load, select

    chosen = select(load(), list(REAL), ci=False)
    fetch(chosen)
    for description in chosen:
        size = description.cached.stat().st_size / 2**20
        try:
            side_by_side(f"{description.name} ({size:.1f} MB)", description.cached, scratch, repeats, (1.0, 1.5))
        except RuntimeError as failed:
            last = str(failed).strip().splitlines()[-1][:100]
            ROWS.append({"group": "toolchain", "name": f"{description.name}: refused", "note": last})
            continue
        bench_client_import(description.name, scratch / "ours", 5)


def bench_client_import(name: str, package_root: Path, repeats: int) -> None:
    """A large generated client's `import; Client` beside `import httpx, pydantic`, round-robin, in
    fresh processes with its bytecode cached (as an installed package has it: one import first)."""
    (package,) = [p.name for p in package_root.iterdir() if (p / "__init__.py").is_file()]
    stmt = f"import {package}; {package}.Client"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPATH": str(package_root)}

    def once(code: str) -> float:
        done = subprocess.run([sys.executable, "-c", IMPORT_PROBE.format(stmt=code)], env=env, capture_output=True)
        return float(done.stdout.split()[0]) * 1000

    once(stmt)
    ours, deps = [], []
    for _ in range(repeats):
        ours.append(once(stmt))
        deps.append(once("import httpx, pydantic"))
    record("cold import", f"{name}'s client (import, Client)", ours, "ms")
    ratio("cold import", f"{name}'s client / httpx + pydantic", paired(ours, deps))


def bench_growth(operations: list[int], schemas: list[int], scratch: Path, repeats: int) -> None:
    """Synthetic descriptions of growing size: time and memory per operation and per schema between
    sizes. Linear growth keeps the marginal cost flat: the ratio of the last step's to the one
    before is about 1 (budget 1.5, for noise); a super-linear rule or check shows as one that climbs.
    Each repeat measures every size once, and gives one ratio from its own three largest."""
    for unit, sizes in (("operation", operations), ("schema", schemas)):
        specs = {size: scratch / f"synthetic-{unit}-{size}.json" for size in sizes}
        for size, spec in specs.items():
            spec.write_text(synthetic(size, 0) if unit == "operation" else synthetic(10, size))
        runs: dict[int, list[tuple[float, float]]] = {size: [] for size in sizes}
        for _ in range(repeats):
            for size, spec in specs.items():
                shutil.rmtree(scratch / "growth", ignore_errors=True)
                runs[size].append(timed([*GENERATE, str(spec), "--output", str(scratch / "growth")]))
        for size, measured in runs.items():
            record("growth", f"{size} {unit}s: ld-releases", [s for s, _ in measured], "s")
            record("growth", f"{size} {unit}s: ld-releases peak RSS", [m for _, m in measured], "MiB")
        n0, n1, n2 = sizes[-3:]
        for what, column in (("seconds", 0), ("MiB", 1)):
            name = f"{what} per {unit}, {n1}->{n2} / {n0}->{n1}"
            slopes = []
            for r in range(repeats):
                v0, v1, v2 = (runs[n][r][column] for n in (n0, n1, n2))
                if v1 - v0 > 0:  # else the smaller step is within the noise: no slope to compare with
                    slopes.append(((v2 - v1) / (n2 - n1)) / ((v1 - v0) / (n1 - n0)))
            if slopes:
                ratio("growth", name, slopes, budget=1.5)
            else:
                ROWS.append({"group": "growth", "name": name, "note": "the smaller step is within the noise"})


def bench_toolchain(repeats: int, quick: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        bench_this_spec(repeats, scratch)
        if quick:
            bench_growth([30, 100, 300], [30, 100, 300], scratch, repeats)
            return
        bench_real(2, scratch)
        bench_growth([10, 100, 1000, 3000], [100, 300, 1000, 3000], scratch, 2)
        side_by_side("1000 synthetic operations", scratch / "synthetic-operation-1000.json", scratch, 2, None)


def print_table() -> None:
    machine = f"{platform.node()} ({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()})"
    print(f"\nld-releases benchmarks on {machine}")
    group = None
    for row in ROWS:
        if row["group"] != group:
            group = row["group"]
            print(f"\n{group}")
        if "median" not in row and "ratio" not in row:
            print(f"  {row['name']:<62} {row['note']}")
        elif "ratio" in row:
            budget = f"  budget {row['budget']:g}: {row['verdict']}" if row["budget"] is not None else ""
            spread = f"({row['min']:.2f}-{row['max']:.2f}, n={row['n']})"
            print(f"  {row['name']:<62} {row['ratio']:>9.2f}x {spread}{budget}")
        else:
            spread = f"({row['min']:.4g}-{row['max']:.4g}, n={row['n']})"
            print(f"  {row['name']:<62} {row['median']:>9.4g} {row['unit']:<4} {spread} {row['note']}")


def main() -> int:
    quick = "--quick" in sys.argv
    repeats = 3 if quick else 7
    bench_imports(3 * repeats)  # fast, and the noisiest
    if "--imports" not in sys.argv:
        bench_parsing(repeats)
        bench_round_trip(repeats)
        bench_toolchain(2 if quick else 3, quick)
    print_table()
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    machine = {
        "node": platform.node(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    (RESULTS / f"bench-{stamp}.json").write_text(json.dumps({"machine": machine, "rows": ROWS}, indent=2) + "\n")
    print(f"\nwritten: bench/results/bench-{stamp}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
