"""Shared ``__repr__`` helper: show a structure's first items, count the rest."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

REPR_LIMIT = 10


def preview(items: Iterable[object], size: int) -> str:
    """Render at most ``REPR_LIMIT`` items as a list literal, noting how many are hidden.

    >>> preview(range(12), 12)
    '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ...<2 more>]'
    """
    shown = ", ".join(repr(item) for item in islice(items, REPR_LIMIT))
    if size > REPR_LIMIT:
        shown += f", ...<{size - REPR_LIMIT} more>"
    return f"[{shown}]"
