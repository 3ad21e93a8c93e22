"""Tests for internals.switch_interval: default, storage, hand-over points, the += window."""

from __future__ import annotations

import dis
import sys
import threading
from collections.abc import Callable

import pytest

from handbook.internals.switch_interval import (
    DEFAULT_SWITCH_INTERVAL,
    HUGE,
    PATIENCE,
    fresh_switch_interval,
    increment_all,
    python_window_race,
    stored_interval,
    switch_interval,
)

TINY = 1e-6  # the smallest interval that is stored as more than zero


def test_a_fresh_interpreter_uses_the_documented_default() -> None:
    assert fresh_switch_interval() == DEFAULT_SWITCH_INTERVAL == 0.005


def test_the_interval_is_stored_as_whole_microseconds() -> None:
    assert stored_interval(0.25) == 0.25
    assert stored_interval(1.5e-6) == pytest.approx(1e-6)  # truncated, not rounded
    assert stored_interval(1e-9) == 0.0


@pytest.mark.parametrize("bad", [0.0, -1.0])
def test_a_non_positive_interval_is_rejected(bad: float) -> None:
    before = sys.getswitchinterval()
    with pytest.raises(ValueError, match="strictly positive"):
        sys.setswitchinterval(bad)
    assert sys.getswitchinterval() == before


def test_the_interval_is_restored_even_after_an_exception() -> None:
    before = sys.getswitchinterval()
    seen: list[float] = []

    def fail_inside() -> None:
        with switch_interval(123.0):
            seen.append(sys.getswitchinterval())
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_inside()
    assert seen == [123.0]
    assert sys.getswitchinterval() == before


def test_a_waiter_that_never_asks_never_enters_a_pure_python_window() -> None:
    # PATIENCE checks last many default intervals (the experiment default-is-not-huge
    # shows a 5 ms waiter getting in): only the huge interval keeps the peer out.
    race = python_window_race(rounds=2)
    assert race.peer_inside == 0
    assert race.total == race.attempts == 4
    assert race.lost == 0


@pytest.mark.parametrize("interval", [TINY, DEFAULT_SWITCH_INTERVAL])
def test_a_waiter_whose_interval_runs_out_enters_the_window_every_round(interval: float) -> None:
    # The spin ends as soon as the peer is done; the large patience only turns a
    # peer that never gets in into a failure instead of a hang.
    race = python_window_race(rounds=10, interval=interval, patience=10 * PATIENCE)
    assert race.peer_inside == 10
    assert race.total == 10  # every round: peer writes v + 1, holder overwrites with v + 1
    assert race.lost == 10


@pytest.mark.parametrize("interval", [HUGE, TINY])
def test_a_blocking_call_in_the_window_hands_over_at_any_interval(interval: float) -> None:
    barrier = threading.Barrier(3, timeout=10)
    # Every round all three threads read the same value, meet, then write it + 1.
    assert increment_all(threads=3, n=200, pause=barrier.wait, interval=interval) == 200


class _Box:
    value = 0


def _bare(box: _Box) -> None:
    box.value += 1


def _with_call(box: _Box) -> None:
    box.value = box.value + abs(1)


def _window(func: Callable[..., object]) -> list[str]:
    """Opcode names strictly between the attribute load and the attribute store."""
    names = [ins.opname for ins in dis.get_instructions(func)]
    start = next(i for i, n in enumerate(names) if n.startswith("LOAD_ATTR"))
    end = next(i for i, n in enumerate(names) if n.startswith("STORE_ATTR"))
    return names[start + 1 : end]


def _is_checkpoint(opname: str) -> bool:
    # The instructions that check the eval breaker on 3.11-3.13 (PRECALL too on 3.11).
    return opname.startswith(("CALL", "PRECALL", "JUMP_BACKWARD", "RESUME"))


def test_a_bare_attribute_increment_has_no_checkpoint_between_load_and_store() -> None:
    window = _window(_bare)
    assert any(n.startswith(("BINARY_OP", "INPLACE_ADD")) for n in window)
    assert not any(_is_checkpoint(n) for n in window)


def test_a_call_inside_the_read_modify_write_puts_a_checkpoint_in_the_window() -> None:
    assert any(_is_checkpoint(n) for n in _window(_with_call))
