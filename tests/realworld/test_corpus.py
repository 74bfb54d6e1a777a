"""The real-world corpus: its sources are pinned, its fetch trusts nothing it did not declare, its
checks can tell whole from refused and broken; and the small CI subset, fetched from the registry
here (we commit no vendor's document), generates whole. The whole corpus runs in `nox -s corpus`."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.realworld import fetch, run
from tests.realworld.sources import Description, Package, load, select

ROOT = Path(__file__).parents[2]
SWAGGER = ROOT / "tests" / "robustness" / "corpus" / "swagger-2.yaml"


def test_every_source_is_pinned_by_exact_version_and_digest() -> None:
    descriptions = load()

    assert len(descriptions) >= 24
    for d in descriptions:
        assert re.fullmatch(r"\d+\.\d+\.\d+", d.package.version), d.package
        assert re.fullmatch(r"[0-9a-f]{64}", d.sha256), d.name
        assert d.cached.parent == Path(__file__).with_name("cache")
    assert {d.path.rsplit(".", 1)[-1] for d in descriptions} == {"json", "yaml"}
    assert 3 <= len(select(descriptions, [], ci=True)) <= 4


def tarball(tmp_path: Path, members: dict[str, bytes | str]) -> Path:
    """A package tarball: bytes are files, a str is a symbolic link to that target."""
    path = tmp_path / "pkg-1.0.0.tgz"
    with tarfile.open(path, "w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            if isinstance(content, str):
                info.type, info.linkname = tarfile.SYMTYPE, content
                tar.addfile(info)
            else:
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
    return path


def declared(path: str, sha256: str = "0" * 64) -> Description:
    return Description("example", Package("pkg", "npm", "1.0.0", 1024), path, sha256, ci=False)


def test_fetch_takes_only_the_declared_regular_file(tmp_path: Path) -> None:
    archive = tarball(tmp_path, {"package/api.json": b"{}", "package/other.json": b"[]", "package/link.json": "/etc"})

    assert fetch.extract(archive, [declared("package/api.json")]) == {"package/api.json": b"{}"}
    with pytest.raises(fetch.FetchError, match=r"holds no regular file package/link\.json"):
        fetch.extract(archive, [declared("package/link.json")])


def test_fetch_refuses_a_file_whose_digest_differs() -> None:
    with pytest.raises(fetch.FetchError, match=r"has sha256 44136fa3\w+, not 0{64}"):
        fetch.store(declared("package/api.json"), b"{}")


def test_a_missing_method_or_body_is_named(tmp_path: Path) -> None:
    resources = tmp_path / "pet_store" / "resources"
    resources.mkdir(parents=True)
    (resources / "pets.py").write_text(
        "class Pets:\n"
        "    def list(self):\n        return self._client.request('GET', '/pets', {})\n"
        "    def create(self):\n        return self._client.request('POST', '/pets', {})\n",
        encoding="utf-8",
    )
    doc = {"paths": {"/pets": {"get": {}, "post": {"requestBody": {}}}, "/pets/{id}": {"delete": {}}}}
    operations, bodies = run.declared(doc)
    methods, sent = run.rendered(tmp_path)

    assert methods == {("GET", "/pets"), ("POST", "/pets")}
    assert run.missing("operations have no method", operations - methods, len(operations)) == (
        "broken: 1 of 3 operations have no method (first: DELETE /pets/{id})"
    )
    assert bodies - sent == {("POST", "/pets")}


def test_a_refusal_shows_the_generators_message() -> None:
    outcome = run.run_one("swagger", SWAGGER, timeout=120)

    assert outcome.result == (
        "refused: swagger-2.yaml:1:1 (at /swagger): error: "
        "unsupported OpenAPI version '2.0': 3.0.x and 3.1.x are supported"
    )
    assert not outcome.whole
    assert run.summary([outcome]) == ("0/1 whole (0%)", 0.0)


def test_the_ci_subset_generates_whole() -> None:
    subset = select(load(), [], ci=True)
    try:
        fetch.fetch(subset)
    except fetch.Unreachable as err:
        pytest.skip(f"the registry cannot be reached: {err}")

    done = subprocess.run(
        [sys.executable, "-m", "tests.realworld.run", "--ci", "--min-whole", "100"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    for d in subset:
        assert re.search(rf"^\| {re.escape(d.name)} \| 3\.[01]\.\d \| \d+ \| whole \|", done.stdout, re.M), done.stdout
    assert done.stdout.endswith(f"\n{len(subset)}/{len(subset)} whole (100%)\n")


def test_two_tags_of_a_large_multi_tag_description_generate_alone(tmp_path: Path) -> None:
    """Asana's description (167 operations under 31 tags): `--include-tag` keeps exactly the
    operations of those tags, each a method, and the package imports."""
    (asana,) = select(load(), ["asana"], ci=False)
    try:
        fetch.fetch([asana])
    except fetch.Unreachable as err:
        pytest.skip(f"the registry cannot be reached: {err}")
    kept = {"Tasks", "Projects"}
    doc = run.read(asana.cached)
    wanted = {
        (verb.upper(), path)
        for path, item in doc["paths"].items()
        for verb, op in item.items()
        if verb in run.VERBS and kept & set(op.get("tags") or [])
    }
    out = tmp_path / "asana"

    command = [sys.executable, "-m", "generator", "generate", str(asana.cached), "--output", str(out)]
    done = subprocess.run(
        [*command, "--include-tag", "Tasks", "--include-tag", "Projects"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stderr
    assert 40 <= len(wanted) < len(run.declared(doc)[0])
    assert run.rendered(out)[0] == wanted
    package = next(p.parent.name for p in out.glob("*/__init__.py"))
    imported = subprocess.run(
        [sys.executable, "-c", f"import json, {package}; print(json.dumps(dir({package}.Client(api_key='k'))))"],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert imported.returncode == 0, imported.stderr
    resources = set(json.loads(imported.stdout)) & {"tasks", "projects", "goals", "portfolios"}
    assert resources == {"tasks", "projects"}
