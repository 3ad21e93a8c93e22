"""os.page_replacement: FIFO, LRU, OPT and CLOCK fault counts, Belady's anomaly, stack property."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fundamentals.os.page_replacement import (
    Step,
    clock,
    fault_count,
    fifo,
    frame_table,
    lru,
    opt,
)

Policy = Callable[[Sequence[int], int], list[Step]]
POLICIES: list[Policy] = [fifo, lru, opt, clock]

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


def test_clock_shows_beladys_anomaly_too() -> None:
    # Every page on this string is loaded or hit again before the hand comes
    # round, so every sweep finds all bits set and CLOCK evicts in load order:
    # FIFO's 9 and 10 faults.
    assert [fault_count(clock(BELADY, k)) for k in range(1, 6)] == [12, 12, 9, 10, 5]
    assert [fault_count(clock(BELADY, k)) for k in range(1, 6)] == [
        fault_count(fifo(BELADY, k)) for k in range(1, 6)
    ]


def test_clock_gives_a_page_used_since_the_last_sweep_a_second_chance() -> None:
    # 0 1 2 3 1 0 with three frames: the 3 clears every bit and evicts 0; the
    # hit on 1 sets its bit again, so when 0 returns the hand spares 1 (clearing
    # its bit) and evicts 2. FIFO evicts 1, the oldest load.
    refs = [0, 1, 2, 3, 1, 0]
    assert [s.evicted for s in clock(refs, 3)] == [None, None, None, 0, None, 2]
    assert [s.evicted for s in fifo(refs, 3)] == [None, None, None, 0, None, 1]


def clock_faults_by_hand(refs: Sequence[int], frames: int) -> int:
    """CLOCK written the plain way, as a check on ``clock``: frames, bits, a hand."""
    pages: list[int | None] = [None] * frames
    bits = [False] * frames
    hand = faults = 0
    for page in refs:
        if page in pages:
            bits[pages.index(page)] = True
            continue
        faults += 1
        while pages[hand] is not None and bits[hand]:
            bits[hand] = False
            hand = (hand + 1) % frames
        pages[hand], bits[hand] = page, True
        hand = (hand + 1) % frames
    return faults


@exhaustive
@given(refs=reference_strings, frames=frame_counts)
def test_clock_matches_a_plain_simulation(refs: list[int], frames: int) -> None:
    assert fault_count(clock(refs, frames)) == clock_faults_by_hand(refs, frames)


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


def assert_inclusion(small: list[Step], large: list[Step]) -> None:
    """What a stack algorithm keeps in k frames it also keeps in k + 1, after every reference."""
    for t, (a, b) in enumerate(zip(small, large, strict=True)):
        assert set(a.frames) - {None} <= set(b.frames), (t, a.frames, b.frames)


@exhaustive
@given(refs=reference_strings, frames=frame_counts)
@example(refs=[0, 1, 2, 1, 3, 0], frames=2)  # a tie among pages never used again (below)
def test_opt_is_a_stack_algorithm(refs: list[int], frames: int) -> None:
    # Mattson's inclusion needs a priority that does not depend on the frame
    # count: furthest next use, then (for pages never used again) page number.
    small, large = opt(refs, frames), opt(refs, frames + 1)
    assert_inclusion(small, large)
    assert fault_count(large) <= fault_count(small)  # so more frames never fault more


def test_opt_keeps_inclusion_when_pages_never_used_again_tie() -> None:
    # 0 1 2 1 3 0. With two frames the 2 evicts 0 (needed last), so {2, 1}
    # meet the 3; with three frames {0, 1, 2} do. Pages 1 and 2 are never used
    # again: a tie. Broken by frame position, two frames evict page 2 (frame 0)
    # and keep {3, 1}, three frames evict page 1 (frame 1) and keep {0, 3, 2}:
    # page 1 survives only in the smaller memory. The fixed order evicts page 1
    # in both, keeping {2, 3} inside {0, 2, 3}.
    refs = [0, 1, 2, 1, 3, 0]
    small, large = opt(refs, 2), opt(refs, 3)
    assert_inclusion(small, large)
    assert (small[4].evicted, large[4].evicted) == (1, 1)


def test_opt_breaks_ties_by_page_number_not_frame_position() -> None:
    # Page 2 sits in frame 0, page 1 in frame 1; neither is used again.
    assert opt([2, 1, 3], 2)[2].evicted == 1


def test_fifo_is_not_a_stack_algorithm() -> None:
    # On the Belady string, the 3-frame set is not inside the 4-frame set at some step.
    small, large = fifo(BELADY, 3), fifo(BELADY, 4)
    assert any(not set(a.frames) <= set(b.frames) for a, b in zip(small, large, strict=True))


@pytest.mark.parametrize("policy", POLICIES)
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
    # Neither 1 nor 2 is used again: the tie goes to the lower page number, 1.
    assert opt([1, 2, 3], 2)[2].evicted == 1


def test_opt_evicts_the_page_whose_next_use_is_furthest_away() -> None:
    # When 3 arrives, 2 is next used at t=3 and 1 only at t=4: OPT evicts 1.
    # When 1 returns, neither 3 nor 2 is used again: the lower page number goes.
    steps = opt([1, 2, 3, 2, 1], 2)
    assert [s.evicted for s in steps] == [None, None, 1, None, 2]
    assert fault_count(steps) == 4
