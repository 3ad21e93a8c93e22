"""os.page_replacement: FIFO, LRU and OPT fault counts, Belady's anomaly, stack property."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fundamentals.os.page_replacement import Step, fault_count, fifo, frame_table, lru, opt

Policy = Callable[[Sequence[int], int], list[Step]]
POLICIES: list[Policy] = [fifo, lru, opt]

TEXTBOOK = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1]
BELADY = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]

# Derandomized so a run never depends on luck; no deadline on slow machines.
exhaustive = settings(max_examples=200, deadline=None, derandomize=True)
reference_strings = st.lists(st.integers(min_value=0, max_value=7), max_size=40)
frame_counts = st.integers(min_value=1, max_value=6)


@pytest.mark.parametrize(("policy", "faults"), [(fifo, 15), (lru, 12), (opt, 9)])
def test_textbook_string_with_three_frames(policy: Policy, faults: int) -> None:
    assert fault_count(policy(TEXTBOOK, 3)) == faults


def test_beladys_anomaly_fifo_faults_more_with_more_frames() -> None:
    assert fault_count(fifo(BELADY, 3)) == 9
    assert fault_count(fifo(BELADY, 4)) == 10


def test_a_hit_refreshes_lru_recency() -> None:
    # Page 1 is loaded first but used again at t=2, so when 3 arrives page 2 is
    # the least recently used: LRU evicts 2. FIFO knows only load order: it evicts 1.
    assert [s.evicted for s in lru([1, 2, 1, 3], 2)] == [None, None, None, 2]
    assert [s.evicted for s in fifo([1, 2, 1, 3], 2)] == [None, None, None, 1]


def test_lru_on_the_belady_string_improves_with_frames() -> None:
    assert [fault_count(lru(BELADY, k)) for k in range(1, 6)] == [12, 12, 10, 8, 5]


@pytest.mark.parametrize("policy", POLICIES)
def test_steps_are_consistent_on_the_textbook_string(policy: Policy) -> None:
    check_steps(TEXTBOOK, 3, policy(TEXTBOOK, 3))


def check_steps(refs: Sequence[int], frames: int, steps: list[Step]) -> None:
    """Invariants of any replacement policy, checked after every reference."""
    assert [s.page for s in steps] == list(refs)
    previous: tuple[int | None, ...] = (None,) * frames
    for s in steps:
        resident = [p for p in s.frames if p is not None]
        assert len(s.frames) == frames
        assert len(resident) == len(set(resident)), "a page is in two frames"
        assert s.page in s.frames, "the referenced page must be resident afterwards"
        assert s.fault == (s.page not in previous)
        if not s.fault:
            assert s.frames == previous, "a hit must not move anything"
        if s.evicted is not None:
            assert s.fault
            assert None not in previous, "evicting while a frame is free"
            assert s.evicted in previous
            assert s.evicted not in s.frames
        previous = s.frames


@exhaustive
@given(refs=reference_strings, frames=frame_counts)
def test_invariants_hold_for_every_policy(refs: list[int], frames: int) -> None:
    for policy in POLICIES:
        check_steps(refs, frames, policy(refs, frames))


@exhaustive
@given(refs=reference_strings, frames=frame_counts)
def test_opt_is_a_lower_bound(refs: list[int], frames: int) -> None:
    best = fault_count(opt(refs, frames))
    assert best <= fault_count(lru(refs, frames))
    assert best <= fault_count(fifo(refs, frames))
    # Compulsory misses: every distinct page faults at least once.
    assert best >= len(set(refs))


@exhaustive
@given(refs=reference_strings)
def test_enough_frames_means_only_compulsory_misses(refs: list[int]) -> None:
    frames = max(1, len(set(refs)))
    for policy in POLICIES:
        assert fault_count(policy(refs, frames)) == len(set(refs))


@exhaustive
@given(refs=reference_strings, frames=frame_counts)
def test_lru_is_a_stack_algorithm(refs: list[int], frames: int) -> None:
    # Inclusion: what LRU keeps in k frames it also keeps in k + 1, at every step.
    small, large = lru(refs, frames), lru(refs, frames + 1)
    for a, b in zip(small, large, strict=True):
        assert set(a.frames) - {None} <= set(b.frames)
    assert fault_count(large) <= fault_count(small)


@exhaustive
@given(refs=reference_strings, frames=frame_counts)
def test_opt_never_faults_more_with_more_frames(refs: list[int], frames: int) -> None:
    assert fault_count(opt(refs, frames + 1)) <= fault_count(opt(refs, frames))


def test_fifo_is_not_a_stack_algorithm() -> None:
    # On the Belady string, the 3-frame set is not inside the 4-frame set at some step.
    small, large = fifo(BELADY, 3), fifo(BELADY, 4)
    assert any(not set(a.frames) <= set(b.frames) for a, b in zip(small, large, strict=True))


@pytest.mark.parametrize("policy", [fifo, lru, opt])
def test_page_replacement_rejects_bad_input(policy: object) -> None:
    assert callable(policy)
    with pytest.raises(ValueError, match="frames must be at least 1"):
        policy([1, 2], 0)
    with pytest.raises(ValueError, match="non-negative ints"):
        policy([1, -2], 2)
    with pytest.raises(ValueError, match="non-negative ints"):
        policy([1, True], 2)


def test_empty_reference_string_has_no_steps() -> None:
    assert fifo([], 3) == []
    with pytest.raises(ValueError, match="at least one step"):
        frame_table([])


def test_frame_table_widens_columns_for_big_page_numbers() -> None:
    table = frame_table(lru([100, 7, 100], 1))
    assert table.splitlines() == [
        "ref   100   7 100",
        "f0    100   7 100",
        "fault   *   *   *",
    ]


def test_opt_evicts_the_page_never_used_again() -> None:
    steps = opt([1, 2, 3, 1], 2)
    assert steps[2].evicted == 2  # 1 is needed again, 2 never is
    # Neither 1 nor 2 is used again: the tie goes to the lowest frame, which holds 1.
    assert opt([1, 2, 3], 2)[2].evicted == 1


def test_opt_evicts_the_page_whose_next_use_is_furthest_away() -> None:
    # When 3 arrives, 2 is next used at t=3 and 1 only at t=4: OPT evicts 1.
    steps = opt([1, 2, 3, 2, 1], 2)
    assert [s.evicted for s in steps] == [None, None, 1, None, 3]
    assert fault_count(steps) == 4
