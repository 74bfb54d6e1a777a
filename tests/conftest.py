"""Hypothesis runs the same examples on every run and keeps no database: each property test sets its
own `max_examples`, so CI spends a fixed budget. HYPOTHESIS_PROFILE=explore searches afresh instead."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", database=None, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("explore", database=None, derandomize=False, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
