"""Greedy on intervals: merge, minimum meeting rooms (heap and sweep), scheduling by earliest end.

Why interviewers ask this:
    Interval problems are the usual test of greedy thinking: sort by the right
    key, make one pass, and *prove* the local choice is safe. Interviewers
    want the boundary convention stated up front (do ``[1, 2]`` and ``[2, 3]``
    touch or overlap?), the heap or sweep for "how many at once", and for
    scheduling the choice "earliest end" with an exchange argument, not "it
    worked on the examples": shortest-first and earliest-start both look
    reasonable and both are wrong.

Common pitfalls:
    - Merging with ``last_end = end`` instead of ``max(last_end, end)``: an
      interval contained in the previous one *shrinks* it, and ``[1, 10],
      [2, 3], [4, 8]`` comes out as ``[1, 3], [4, 8]`` instead of ``[1, 10]``
      (break it: ``no-max-end``).
    - Not deciding the boundary convention. Here ``merge_intervals`` treats
      intervals as closed, so touching ones merge (``[1, 2], [2, 3]`` becomes
      ``[1, 3]``, as LeetCode 56 wants), while meetings are half-open
      ``[start, end)``: one ending at 10 frees its room for one starting at 10
      (LeetCode 253). Freeing a room only when ``end < start`` opens an extra
      room for back-to-back meetings (break it: ``strict-free``).
    - Scheduling by the wrong key: "shortest first" picks ``(9, 12)`` in
      ``(0, 10), (9, 12), (11, 20)`` and blocks both others; "earliest start"
      picks ``(0, 100)`` and blocks ``(1, 2), (3, 4)``. Both give 1 where 2
      fit (break it: ``sort-by-start``).
    - Forgetting to sort: every one-pass greedy here assumes sorted input.

Key takeaways:
    - Merge: sort by start; an interval either extends the last merged one
      (``start <= last_end``) or begins a new one. O(n log n).
    - Minimum rooms = the maximum number of meetings in progress at any time.
      Heap of end times: pop the earliest end if it is ``<= start`` (reuse
      that room), push the new end; the heap's size at the end is the answer.
      Sweep: sort starts and ends separately and walk them with two
      pointers; at equal times process the end first (half-open).
    - Interval scheduling: sort by end, take every interval that starts at or
      after the last taken end. Exchange argument: let ``g`` be the interval
      with the earliest end and ``O`` any optimal schedule; replacing the
      first interval of ``O`` by ``g`` keeps ``O`` valid (``g`` ends no later)
      and the same size, so some optimal schedule starts with ``g``; recurse
      on what starts after ``g`` ends.
    - The minimum number of intervals to remove so the rest do not overlap
      (LeetCode 435) is ``n`` minus the size of that schedule.
    - The heap is what makes rooms O(n log n): re-sorting a list of end times
      for every meeting gives the same answers with at least one comparison
      per room in use, O(n^2) when many meetings overlap (break it:
      ``sort-each-time``).
    - Go: ``sort.Slice`` and ``container/heap`` (an interface you implement);
      Java: ``Arrays.sort`` with a comparator and ``PriorityQueue``. Compare
      with ``Integer.compare``, never by subtracting (it overflows).

What to look for in an answer:
    A strong candidate states open/closed ends before coding, sorts by the
    key the proof needs, explains why the heap holds one entry per room in
    use, and proves earliest-end with the exchange argument above, offering a
    counter-example for a wrong key. Follow-ups:
    - Why is the answer for rooms the maximum overlap? (At that instant that
      many meetings need distinct rooms, so no fewer works; the heap never
      opens a room while one is free, so it never uses more.)
    - Weighted interval scheduling? (Greedy fails; sort by end and DP:
      ``best[i] = max(best[i - 1], w[i] + best[p(i)])`` with ``p(i)`` found
      by binary search over the ends. O(n log n).)
    - Insert one interval into a sorted, merged list? (Copy those ending
      before it, merge the overlapping run into it, copy the rest: O(n), no
      sort.)
    - Can one person attend all meetings (LeetCode 252)? (Sort by start and
      check each adjacent pair: ``next.start >= prev.end`` for half-open.)
    - Fewest arrows to burst balloons (LeetCode 452)? (Earliest end again:
      shoot at the first end, skip every balloon starting at or before it.
      Balloons are *closed*, so touching ones share an arrow: the opposite
      boundary rule to meetings.)
    - Intersection of two sorted, disjoint interval lists (LeetCode 986)?
      (Two pointers: emit ``[max(starts), min(ends)]`` when it is not empty,
      then advance the one that ends first. O(n + m).)
    - The sweep as events? (Sort ``(time, delta)`` with ``-1`` for an end and
      ``+1`` for a start; at equal times ``-1`` sorts first, which is the
      half-open rule. Sorting ``+1`` first is the same bug as ``strict-free``.)

Complexity:
    Every function sorts first, O(n log n). Then ``merge_intervals`` and
    ``max_non_overlapping`` make one O(1) step per interval. ``min_rooms_heap``
    makes one comparison with the earliest end and one push or replace per
    meeting, at most ``2 * ceil(log2(n + 1))`` end-time comparisons each:
    O(n log n). (A sorted list with ``bisect.insort`` makes as few comparisons
    but shifts up to ``n`` pointers per insert; a comparison count cannot see
    that.) ``min_rooms_sweep`` walks in at most ``2n`` pointer moves: O(n).
    ``greedy_schedule`` checks each candidate against all taken intervals:
    O(n^2), fine for a teaching comparison.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable

__all__ = [
    "Interval",
    "OpCount",
    "greedy_schedule",
    "max_non_overlapping",
    "merge_intervals",
    "min_rooms_heap",
    "min_rooms_sweep",
]

Interval = tuple[int, int]


class OpCount:
    """Counts the pointer moves of one ``min_rooms_sweep`` run."""

    def __init__(self) -> None:
        self.count = 0


def _checked(intervals: Iterable[Interval], *, empty_ok: bool) -> list[Interval]:
    """A list copy of ``intervals``; ``ValueError`` for ``start > end`` (or ``==`` if not ok)."""
    result = []
    for start, end in intervals:
        if start > end or (start == end and not empty_ok):
            need = "start <= end" if empty_ok else "start < end"
            raise ValueError(f"interval ({start}, {end}): need {need}")
        result.append((start, end))
    return result


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Merge overlapping *closed* intervals; touching ones merge too (LeetCode 56).

    >>> merge_intervals([(1, 3), (2, 6), (8, 10), (15, 18)])
    [(1, 6), (8, 10), (15, 18)]
    >>> merge_intervals([(1, 2), (2, 3)]), merge_intervals([(1, 10), (2, 3), (4, 8)])
    ([(1, 3)], [(1, 10)])
    """
    merged: list[Interval] = []
    for start, end in sorted(_checked(intervals, empty_ok=True)):
        if merged and start <= merged[-1][1]:  # closed ends: touching counts as overlapping
            last_start, last_end = merged[-1]
            merged[-1] = (last_start, max(last_end, end))  # break[no-max-end]
        else:
            merged.append((start, end))
    return merged


def min_rooms_heap(meetings: Iterable[Interval]) -> int:
    """Fewest rooms for half-open meetings ``[start, end)``: a heap of end times.

    >>> min_rooms_heap([(0, 30), (5, 10), (15, 20)]), min_rooms_heap([(1, 5), (5, 9)])
    (2, 1)
    """
    ends: list[int] = []  # one end time per room in use; ends[0] frees first
    for start, end in sorted(_checked(meetings, empty_ok=False)):
        if ends and ends[0] <= start:  # break[strict-free]
            heapq.heapreplace(ends, end)  # that room is free again: reuse it
        else:
            heapq.heappush(ends, end)  # break[sort-each-time]
    return len(ends)


def min_rooms_sweep(meetings: Iterable[Interval], ops: OpCount | None = None) -> int:
    """Fewest rooms by a sweep over sorted starts and sorted ends (an end at t comes first).

    >>> min_rooms_sweep([(0, 30), (5, 10), (15, 20)]), min_rooms_sweep([(1, 5), (5, 9)])
    (2, 1)
    """
    checked = _checked(meetings, empty_ok=False)
    m = ops if ops is not None else OpCount()
    starts = sorted(s for s, _ in checked)
    ends = sorted(e for _, e in checked)
    rooms = busiest = 0
    j = 0
    for start in starts:
        while ends[j] <= start:  # meetings over by now free their rooms
            rooms -= 1
            j += 1
            m.count += 1
        rooms += 1
        m.count += 1
        busiest = max(busiest, rooms)
    return busiest


def max_non_overlapping(intervals: Iterable[Interval]) -> list[Interval]:
    """Most half-open intervals that pairwise do not overlap: earliest end first.

    >>> max_non_overlapping([(0, 10), (9, 12), (11, 20)])
    [(0, 10), (11, 20)]
    >>> max_non_overlapping([(0, 100), (1, 2), (3, 4)])
    [(1, 2), (3, 4)]
    """
    chosen: list[Interval] = []
    last_end: int | None = None
    checked = _checked(intervals, empty_ok=False)
    ordered = sorted(checked, key=lambda iv: iv[1])  # break[sort-by-start]
    for start, end in ordered:
        if last_end is None or start >= last_end:
            chosen.append((start, end))
            last_end = end
    return chosen


def greedy_schedule(
    intervals: Iterable[Interval], key: Callable[[Interval], int]
) -> list[Interval]:
    """Take intervals in ``key`` order when they overlap none taken so far (any greedy rule).

    ``key=lambda iv: iv[1] - iv[0]`` is "shortest first", ``key=lambda iv:
    iv[0]`` "earliest start"; both can lose to earliest end.

    >>> greedy_schedule([(0, 10), (9, 12), (11, 20)], key=lambda iv: iv[1] - iv[0])
    [(9, 12)]
    """
    chosen: list[Interval] = []
    for start, end in sorted(_checked(intervals, empty_ok=False), key=key):
        if all(end <= s or e <= start for s, e in chosen):
            chosen.append((start, end))
    return chosen
