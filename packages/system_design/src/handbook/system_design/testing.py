"""Helpers the system_design lessons' tests share: a clock that moves only when told."""

from __future__ import annotations


class FakeClock:
    """A clock for ``clock=`` parameters: reads return ``now``, which only the test moves.

    >>> clock = FakeClock()
    >>> clock(), clock.advance(1.5), clock()
    (0.0, None, 1.5)
    >>> clock.now = 10.0
    >>> clock()
    10.0
    """

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time on by ``seconds``."""
        self.now += seconds
