"""What real descriptions need from the models: the package declares every library its models import
(`format: email` needs email-validator) and installs with only that; a constraint pydantic cannot
take is a warning in the report (and an error with `--strict`), never a lost run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostic, GeneratorFailure
from generator.pipeline import generate
from generator.render.models import _constraint_losses

ROOT = Path(__file__).resolve().parents[2]
MAIL = """
openapi: 3.0.3
info: {title: Mail, version: '1'}
paths:
  /users:
    get:
      operationId: listUsers
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}
components:
  schemas:
    User:
      type: object
      required: [email]
      properties:
        email: {type: string, format: email}
        site: {type: string, format: uri, pattern: '^https://'}
"""
LOSS = "Pydantic does not take pattern on AnyUrl; User.site is generated without this constraint."


@pytest.fixture(scope="module")
def mail(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Diagnostic]]:
    folder = tmp_path_factory.mktemp("mail")
    spec = folder / "mail.yaml"
    spec.write_text(MAIL)
    warned: list[Diagnostic] = []
    generate(spec=spec, output=folder / "pkg", report=folder / "report.json", warn=warned.append)
    return folder / "pkg", folder / "report.json", warned


def test_a_lost_constraint_is_a_warning_in_the_report_and_the_run(mail: tuple[Path, Path, list[Diagnostic]]) -> None:
    package, report, warned = mail

    assert [w.headline() for w in warned] == [f"{package.parent / 'mail.yaml'}: warning: {LOSS}"]
    assert json.loads(report.read_text())["warnings"] == [LOSS]


def test_strict_refuses_a_lost_constraint(mail: tuple[Path, Path, list[Diagnostic]], tmp_path: Path) -> None:
    spec = tmp_path / "mail.yaml"
    spec.write_text(MAIL)

    with pytest.raises(GeneratorFailure) as failure:
        generate(spec=spec, output=tmp_path / "pkg", strict=True)

    assert f"[strict] {LOSS}" in str(failure.value)
    assert not (tmp_path / "pkg").exists()


def test_a_field_losing_several_constraints_is_a_warning_too() -> None:
    """As datamodel-code-generator words it for a URL with a pattern and lengths (GitHub's description)."""
    several = (
        "Pydantic does not take pattern on AnyUrl; fields holding AnyUrl are written without max_length, "
        "min_length; Org.registry_url is generated without these constraints."
    )
    stderr = f"/x/_tables.py:692: UserWarning: {several}\n  lambda self, run: imports.warn(self),\n"

    assert _constraint_losses(stderr) == ([several], [])


def test_only_constraint_losses_are_warnings_every_other_message_stays_fatal() -> None:
    stderr = (
        f"/x/_tables.py:692: UserWarning: {LOSS}\n"
        "  lambda self, run: imports.warn_about_dropped_constraints(self, run.contexts),\n"
        "/x/parser.py:10: UserWarning: Model Foo is dropped\n"
        "  warn(message)\n"
    )

    losses, noise = _constraint_losses(stderr)

    assert losses == [LOSS]
    assert noise == ["/x/parser.py:10: UserWarning: Model Foo is dropped", "  warn(message)"]


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv makes the clean virtual environment")
def test_the_package_declares_email_validator_and_imports_with_only_what_it_declares(
    mail: tuple[Path, Path, list[Diagnostic]], tmp_path: Path
) -> None:
    package, _, _ = mail
    declared = tomllib.loads((package / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(requirement.startswith("email-validator") for requirement in declared)

    venv = tmp_path / "clean"
    subprocess.run(["uv", "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    python = venv / "bin" / "python"
    constraints = ROOT / "requirements" / "constraints.txt"
    install = ["uv", "pip", "install", "--quiet", "--python", str(python), "-c", str(constraints), str(package)]
    subprocess.run(install, check=True, timeout=300)
    code = (
        "import mail, pydantic\n"
        "print(mail.User(email='ada@example.com').email)\n"
        "try:\n    mail.User(email='not an address')\nexcept pydantic.ValidationError:\n    print('refused')\n"
    )
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["ada@example.com", "refused"]
