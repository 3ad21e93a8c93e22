"""Tests for system_design.snowflake_ids: layout, monotonicity, backwards clocks, exhaustion."""

from __future__ import annotations

import datetime
import inspect
import itertools
import random
import sys
from collections.abc import Iterable
from types import FrameType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbook.system_design.snowflake_ids import (
    MAX_NODE,
    MAX_SEQUENCE,
    MAX_TIMESTAMP,
    TWITTER_EPOCH_MS,
    ClockMovedBackwardsError,
    Parts,
    SnowflakeGenerator,
    compose,
    decode,
)


class ClockScriptExhausted(Exception):
    """The generator read the clock more often than the test scripted."""


class ScriptedClock:
    """Returns the scripted millisecond readings one per call and counts the calls."""

    def __init__(self, readings: Iterable[int]) -> None:
        self._readings = iter(readings)
        self.reads = 0

    def __call__(self) -> int:
        self.reads += 1
        try:
            return next(self._readings)
        except StopIteration:
            raise ClockScriptExhausted(f"clock read {self.reads} times") from None


def test_field_widths_and_their_capacity() -> None:
    assert MAX_NODE + 1 == 1024
    assert MAX_SEQUENCE + 1 == 4096
    years = (MAX_TIMESTAMP + 1) / 1000 / 86400 / 365.25
    assert 69.6 < years < 69.8
    epoch = datetime.datetime.fromtimestamp(TWITTER_EPOCH_MS / 1000, datetime.UTC)
    assert epoch.isoformat(timespec="milliseconds") == "2010-11-04T01:42:54.657+00:00"
    assert compose(MAX_TIMESTAMP, MAX_NODE, MAX_SEQUENCE) == (1 << 63) - 1


@settings(derandomize=True, deadline=None, max_examples=50)
@given(st.integers(0, MAX_TIMESTAMP), st.integers(0, MAX_NODE), st.integers(0, MAX_SEQUENCE))
def test_decode_undoes_compose(ts: int, node: int, seq: int) -> None:
    snowflake = compose(ts, node, seq)
    assert 0 <= snowflake < 1 << 63
    assert decode(snowflake) == Parts(ts, node, seq)


def test_ids_from_one_node_strictly_increase_and_carry_their_fields() -> None:
    rng = random.Random(13)
    readings, t = [], 1_000
    for _ in range(2_000):
        t += rng.choice((0, 0, 0, 1, 7))
        readings.append(t)
    gen = SnowflakeGenerator(42, clock=ScriptedClock(readings), epoch_ms=0)
    ids = [gen.next_id() for _ in readings]
    assert all(a < b for a, b in itertools.pairwise(ids))
    assert [decode(i).timestamp_ms for i in ids] == readings
    assert {decode(i).node for i in ids} == {42}


def test_a_later_millisecond_beats_any_node_but_within_one_the_node_decides() -> None:
    late_small_node = SnowflakeGenerator(0, clock=lambda: 101, epoch_ms=0).next_id()
    early_big_node = SnowflakeGenerator(MAX_NODE, clock=lambda: 100, epoch_ms=0).next_id()
    assert early_big_node < late_small_node
    same_ms = [SnowflakeGenerator(n, clock=lambda: 100, epoch_ms=0).next_id() for n in (5, 3)]
    assert same_ms[0] > same_ms[1]  # k-sorted: not in the order they were made


def test_two_nodes_in_the_same_millisecond_never_collide_but_one_node_id_twice_does() -> None:
    a, b, twin = (SnowflakeGenerator(n, clock=lambda: 500, epoch_ms=0) for n in (1, 2, 1))
    from_a = {a.next_id() for _ in range(100)}
    assert from_a.isdisjoint({b.next_id() for _ in range(100)})
    assert from_a == {twin.next_id() for _ in range(100)}


def test_a_clock_that_moves_backwards_is_refused_and_the_generator_recovers() -> None:
    clock = ScriptedClock([1_000, 1_000, 995, 1_000, 1_001])
    gen = SnowflakeGenerator(1, clock=clock, epoch_ms=0)
    first, second = gen.next_id(), gen.next_id()
    with pytest.raises(ClockMovedBackwardsError, match="backwards by 5 ms"):
        gen.next_id()
    third, fourth = gen.next_id(), gen.next_id()
    assert len({first, second, third, fourth}) == 4
    assert first < second < third < fourth
    assert decode(third) == Parts(1_000, 1, 2)


def test_a_one_millisecond_step_back_to_a_used_millisecond_is_refused() -> None:
    # The NTP-slew case: back by exactly 1 ms, to a millisecond that already has
    # an ID with sequence 0. Any tolerance at all would mint that ID again.
    gen = SnowflakeGenerator(1, clock=ScriptedClock([1_000, 1_001, 1_000, 1_001]), epoch_ms=0)
    first, second = gen.next_id(), gen.next_id()
    with pytest.raises(ClockMovedBackwardsError, match="backwards by 1 ms"):
        gen.next_id()
    assert decode(gen.next_id()) == Parts(1_001, 1, 1)
    assert decode(first) == Parts(1_000, 1, 0)
    assert decode(second) == Parts(1_001, 1, 0)


def test_sequence_exhaustion_waits_for_the_next_millisecond() -> None:
    # 4096 IDs fit in ms 7; the 4097th must not reuse sequence 0 of ms 7. The clock
    # keeps reading 7 three more times (the spin) before it ticks to 8.
    readings = [7] * (MAX_SEQUENCE + 1) + [7, 7, 7, 8]
    clock = ScriptedClock(readings)
    gen = SnowflakeGenerator(3, clock=clock, epoch_ms=0)
    ids = [gen.next_id() for _ in range(MAX_SEQUENCE + 2)]
    assert len(set(ids)) == len(ids)
    assert decode(ids[-2]) == Parts(7, 3, MAX_SEQUENCE)
    assert decode(ids[-1]) == Parts(8, 3, 0)
    assert clock.reads == len(readings)


def test_a_new_millisecond_gives_the_full_4096_sequence_numbers() -> None:
    clock = ScriptedClock([10, 10, 10] + [11] * (MAX_SEQUENCE + 1))
    gen = SnowflakeGenerator(0, clock=clock, epoch_ms=0)
    ids = [gen.next_id() for _ in range(3 + MAX_SEQUENCE + 1)]
    assert [decode(i).sequence for i in ids[3:]] == list(range(MAX_SEQUENCE + 1))


def test_epoch_is_subtracted_and_a_clock_outside_the_range_is_an_error() -> None:
    gen = SnowflakeGenerator(9, clock=lambda: TWITTER_EPOCH_MS + 1_234)
    assert decode(gen.next_id()) == Parts(1_234, 9, 0)
    with pytest.raises(ValueError, match="outside the 41-bit range"):
        SnowflakeGenerator(0, clock=lambda: 5, epoch_ms=10).next_id()
    with pytest.raises(ValueError, match="outside the 41-bit range"):
        SnowflakeGenerator(0, clock=lambda: MAX_TIMESTAMP + 1, epoch_ms=0).next_id()


def test_bad_arguments_raise_clear_errors() -> None:
    with pytest.raises(ValueError, match="node must be in"):
        SnowflakeGenerator(MAX_NODE + 1)
    with pytest.raises(ValueError, match="node must be in"):
        SnowflakeGenerator(-1)
    with pytest.raises(TypeError, match="node must be an int"):
        SnowflakeGenerator(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="epoch_ms"):
        SnowflakeGenerator(0, epoch_ms=-1)
    with pytest.raises(ValueError, match="sequence must be in"):
        compose(0, 0, MAX_SEQUENCE + 1)
    with pytest.raises(ValueError, match="node must be in"):
        compose(0, MAX_NODE + 1, 0)
    with pytest.raises(ValueError, match="timestamp_ms must be in"):
        compose(MAX_TIMESTAMP + 1, 0, 0)
    with pytest.raises(ValueError, match="non-negative 63-bit"):
        decode(-1)
    with pytest.raises(ValueError, match="non-negative 63-bit"):
        decode(1 << 63)


def test_the_whole_read_check_update_runs_under_the_generators_lock() -> None:
    # The read of the clock, the compare with (last, sequence) and their update
    # must be one critical section, or two threads could both see the same last
    # timestamp and sequence and mint the same ID. A line tracer (one thread, so
    # nothing blocks) records whether the lock is held as each line of next_id
    # that reads the clock or touches _last/_sequence is about to run.
    gen = SnowflakeGenerator(0, clock=ScriptedClock([1, 1, 2]), epoch_ms=0)
    lines, first = inspect.getsourcelines(SnowflakeGenerator.next_id)
    watched = {
        first + i: line.strip()
        for i, line in enumerate(lines)
        if "self._now()" in line or "self._last" in line or "self._sequence" in line
    }
    seen: list[tuple[str, bool]] = []

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if frame.f_code is not SnowflakeGenerator.next_id.__code__:
            return None
        if event == "line" and frame.f_lineno in watched:
            seen.append((watched[frame.f_lineno], gen._lock.locked()))
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        ids = [gen.next_id() for _ in range(3)]
    finally:
        sys.settrace(previous)
    assert len(set(ids)) == 3
    assert {text for text, _ in seen} >= {"now = self._now()", "self._last = now"}
    assert [text for text, held in seen if not held] == []
