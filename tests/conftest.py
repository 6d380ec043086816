"""Shared test configuration: Hypothesis profiles and fixtures.

Profiles, chosen with ``HYPOTHESIS_PROFILE``: ``dev`` (the default: 25 examples),
``ci`` (derandomised, 100 examples, no deadline, no example database; chosen
automatically when ``CI`` is set) and ``nightly`` (2000 examples, for heavy fuzzing).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from crokit import Registry

settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("nightly", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def registry() -> Registry:
    """crokit's built-in registry, without extensions (tests never depend on what is installed)."""
    return Registry.builtin()
