"""Test helpers shared by the algo lessons' tests: values that count what is done to them.

A counter inside an algorithm proves only a loop bound: a slower body still
reports one step per iteration. Values that count their own comparisons prove
the complexity claim from outside, so a slower implementation fails the test.
This module is not a lesson (``handbook list`` skips ``testing`` modules).
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["Compared", "HasCount"]


class HasCount(Protocol):
    """Anything with a mutable integer ``count``: each lesson's ``OpCount`` qualifies."""

    count: int


class Compared(int):
    """An int that adds one to ``counter.count`` for every ordering comparison made with it.

    >>> class Tally:
    ...     count = 0
    >>> tally = Tally()
    >>> sorted([Compared(3, tally), Compared(1, tally), Compared(2, tally)])
    [1, 2, 3]
    >>> tally.count > 0
    True
    """

    counter: HasCount

    def __new__(cls, value: int, counter: HasCount) -> Compared:
        self = super().__new__(cls, value)
        self.counter = counter
        return self

    def __lt__(self, other: int) -> bool:
        self.counter.count += 1
        return int(self) < int(other)

    def __le__(self, other: int) -> bool:
        self.counter.count += 1
        return int(self) <= int(other)

    def __gt__(self, other: int) -> bool:
        self.counter.count += 1
        return int(self) > int(other)

    def __ge__(self, other: int) -> bool:
        self.counter.count += 1
        return int(self) >= int(other)
