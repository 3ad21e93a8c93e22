"""Merge Intervals: the examples, unsorted input, touching and nested intervals, an oracle
on seeded inputs, and an O(n log n) budget."""

from __future__ import annotations

import random

from handbook.leetcode.testing import Solution, assert_time_budget, check, counted_ints

merge = Solution("merge_intervals", "merge")


def oracle(intervals: list[list[int]]) -> list[list[int]]:
    """Mark every point each interval covers on a doubled number line, then read off the runs.

    Doubling keeps [1, 2] and [3, 4] apart (points 2..4 and 6..8 leave 5 uncovered)
    while [1, 2] and [2, 3] share the point 4. A run starts and ends at an even
    point, the double of an interval endpoint.

    >>> oracle([[1, 2], [3, 4], [4, 6], [9, 9]])
    [[1, 2], [3, 6], [9, 9]]
    """
    top = 2 * max(end for _, end in intervals)
    covered = [False] * (top + 2)
    for start, end in intervals:
        for point in range(2 * start, 2 * end + 1):
            covered[point] = True
    runs: list[list[int]] = []
    for point in range(top + 1):
        if covered[point] and (point == 0 or not covered[point - 1]):
            runs.append([point // 2, point // 2])
        if covered[point] and not covered[point + 1]:
            runs[-1][1] = point // 2
    return runs


def test_the_statement_examples() -> None:
    check(
        merge,
        [[1, 3], [2, 6], [8, 10], [15, 18]],
        expected=[[1, 6], [8, 10], [15, 18]],
        key=sorted,
        note="in any order",
    )
    check(merge, [[1, 4], [4, 5]], expected=[[1, 5]], key=sorted, note="in any order")
    check(merge, [[4, 7], [1, 4]], expected=[[1, 7]], key=sorted, note="in any order")


def test_unsorted_input_is_merged() -> None:
    check(
        merge,
        [[8, 10], [15, 18], [2, 6], [1, 3]],
        expected=[[1, 6], [8, 10], [15, 18]],
        key=sorted,
        note="in any order",
    )
    # The last interval joins the first two, which do not overlap each other.
    check(merge, [[1, 2], [5, 6], [2, 5]], expected=[[1, 6]], key=sorted, note="in any order")


def test_touching_intervals_merge() -> None:
    check(merge, [[1, 4], [4, 5]], expected=[[1, 5]], key=sorted, note="in any order")
    check(merge, [[1, 2], [2, 3], [3, 4]], expected=[[1, 4]], key=sorted, note="in any order")
    # Point intervals touch what contains their point.
    check(merge, [[5, 5], [1, 5]], expected=[[1, 5]], key=sorted, note="in any order")


def test_a_contained_interval_does_not_shrink_the_merge() -> None:
    check(merge, [[1, 10], [2, 3]], expected=[[1, 10]], key=sorted, note="in any order")
    check(
        merge,
        [[1, 10], [2, 3], [4, 5], [11, 12]],
        expected=[[1, 10], [11, 12]],
        key=sorted,
        note="in any order",
    )


def test_one_interval_and_disjoint_intervals() -> None:
    check(merge, [[0, 0]], expected=[[0, 0]], key=sorted, note="in any order")
    check(merge, [[0, 10**4]], expected=[[0, 10**4]], key=sorted, note="in any order")
    # Consecutive integers do not touch: [1, 1] and [2, 2] share no point.
    check(merge, [[2, 2], [1, 1]], expected=[[1, 1], [2, 2]], key=sorted, note="in any order")


def test_duplicates() -> None:
    check(merge, [[1, 3], [1, 3], [1, 3]], expected=[[1, 3]], key=sorted, note="in any order")
    check(merge, [[2, 4], [1, 4], [2, 3]], expected=[[1, 4]], key=sorted, note="in any order")


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261209)
    for _ in range(300):
        intervals = []
        for _ in range(rng.randint(1, 12)):
            start = rng.randint(0, 30)
            intervals.append([start, start + rng.choice((0, 0, 1, 2, 3, 5, 8))])
        check(merge, intervals, expected=oracle(intervals), key=sorted, note="in any order")


def _disjoint_shuffled(n: int) -> tuple[list[list[int]]]:
    # n intervals, no two overlapping, in a fixed shuffled order: the sort has real work
    # to do, and a merge-pairs-until-stable loop compares all n * (n - 1) / 2 pairs.
    intervals = [counted_ints([3 * i, 3 * i + 1]) for i in range(n)]
    random.Random(n).shuffle(intervals)
    return (intervals,)


def test_time_is_n_log_n() -> None:
    assert_time_budget(merge, _disjoint_shuffled, "O(n log n)")
