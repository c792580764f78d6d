"""Test configuration: a bounded, derandomised Hypothesis profile for CI, optional imports."""

import importlib
import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=20, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def optional_import():
    """Import an optional dependency, skipping the test without it.

    With ``SKDSA_REQUIRE_OPTIONAL=1`` (set by ``.ci/run``) a missing one is an
    error instead, so CI cannot skip these tests silently.
    """
    def load(name):
        if os.environ.get("SKDSA_REQUIRE_OPTIONAL") == "1":
            return importlib.import_module(name)
        return pytest.importorskip(name)

    return load
