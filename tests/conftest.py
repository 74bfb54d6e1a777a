"""Hypothesis in CI: the same examples on every run (derandomized), no example database, no
deadline, and no shrinking (a failing example is reported as found: shrinking a whole generation
takes minutes). Each property test sets its own `max_examples`, so the budget is fixed.
HYPOTHESIS_PROFILE=explore searches afresh and shrinks what it finds."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "ci",
    database=None,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", database=None, derandomize=False, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
