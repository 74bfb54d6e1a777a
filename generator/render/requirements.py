"""What the generated package must declare to install and import: httpx and pydantic always, and the
optional libraries that the pydantic types in its models import when they are first used."""

from __future__ import annotations

import re

BASE = ("httpx>=0.27,<1", "pydantic>=2.7,<3")
OPTIONAL = {
    # pydantic imports email-validator for these, and fails at import of the models without it
    "EmailStr": "email-validator>=2.0,<3",
    "NameEmail": "email-validator>=2.0,<3",
}


def requirements(models: str) -> tuple[str, ...]:
    """The requirements of a package whose models module is `models` (its source)."""
    used = set(re.findall(r"\b(" + "|".join(OPTIONAL) + r")\b", models))
    return (*BASE, *sorted({OPTIONAL[name] for name in used}))
