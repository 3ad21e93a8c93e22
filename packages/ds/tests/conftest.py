"""Shared test configuration for handbook-ds: one named Hypothesis profile."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# derandomize: the same examples every run, so a failure reproduces and a pass is not luck.
# deadline=None: a slow CI machine must never turn into a failed property.
settings.register_profile(
    "handbook",
    derandomize=True,
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("handbook")
