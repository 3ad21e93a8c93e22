"""Shared test configuration for handbook-algo: one named Hypothesis profile.

Every algorithm is checked against a slow, obviously correct oracle on many
generated inputs. ``derandomize`` makes the examples the same on every run, so a
failure reproduces and a pass is not luck; ``deadline=None`` keeps a slow
machine from failing a property; ``max_examples=60`` keeps the package's tests
within their budget (under 10 s on one core) while still covering the edge
cases Hypothesis shrinks towards (empty input, one element, duplicates).
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "handbook-algo",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("handbook-algo")
