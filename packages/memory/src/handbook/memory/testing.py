"""Helpers the memory lessons' tests share: measuring what a build leaves traced."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def traced_growth(build: Callable[[], T]) -> tuple[int, T]:
    """The bytes tracemalloc still traces after ``build()`` returns, and what it returned.

    The collector is off meanwhile, so a collection of older garbage cannot
    make the growth smaller; an outer trace is left running, a trace started
    here is stopped.

    >>> grown, data = traced_growth(lambda: bytearray(100_000))
    >>> 100_000 <= grown < 101_000
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = build()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        if started:
            tracemalloc.stop()
        if was_enabled:
            gc.enable()
    return grown, result
