"""What the structures accept, defined once: comparable keys and capacities."""

from __future__ import annotations

import operator
from typing import Any, Protocol


class Comparable(Protocol):
    """Anything ordered by ``<``: the bound of every sorted structure's key type."""

    def __lt__(self, other: Any, /) -> bool: ...


def validate_capacity(capacity: int, owner: str) -> int:
    """Return ``capacity`` as an int >= 1; TypeError for non-integers, ValueError below 1.

    >>> validate_capacity(2.5, "LRUCache")
    Traceback (most recent call last):
    ...
    TypeError: LRUCache capacity must be an int, got float
    >>> validate_capacity(0, "RingBuffer")
    Traceback (most recent call last):
    ...
    ValueError: RingBuffer capacity must be >= 1, got 0
    """
    try:
        capacity = operator.index(capacity)
    except TypeError:
        raise TypeError(f"{owner} capacity must be an int, got {type(capacity).__name__}") from None
    if capacity < 1:
        raise ValueError(f"{owner} capacity must be >= 1, got {capacity}")
    return capacity
