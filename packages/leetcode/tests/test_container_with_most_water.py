"""Container With Most Water: the examples, the width, which line moves, an oracle on seeded
inputs, and a linear budget on two inputs."""

from __future__ import annotations

import itertools
import random

from handbook.leetcode.testing import Solution, assert_time_budget, check, counted_ints

max_area = Solution("container_with_most_water", "max_area")


def oracle(height: list[int]) -> int:
    """Every pair of lines measured: obviously right, O(n^2).

    >>> oracle([3, 0, 3])
    6
    """
    return max(
        min(height[i], height[j]) * (j - i)
        for i, j in itertools.combinations(range(len(height)), 2)
    )


def test_the_statement_examples() -> None:
    check(max_area, [1, 8, 6, 2, 5, 4, 8, 3, 7], expected=49)
    check(max_area, [1, 1], expected=1)


def test_the_shorter_line_moves() -> None:
    # Moving the taller line keeps the 1 at the left end as the level and never
    # measures the pair of 2 and 3 (width 2, level 2).
    check(max_area, [1, 2, 4, 3], expected=4)
    # The best pair is the 3 and the 5 (width 4, level 3); moving the 3 first loses it.
    check(max_area, [3, 1, 2, 4, 5, 1], expected=12)


def test_the_width_is_the_distance_between_the_lines() -> None:
    check(max_area, [1, 1], expected=1)
    check(max_area, [3, 0, 3], expected=6)


def test_the_two_tallest_lines_are_not_always_best() -> None:
    check(max_area, [9, 10, 1, 1, 1, 1, 1, 6], expected=42)


def test_zero_heights() -> None:
    check(max_area, [0, 0], expected=0)
    check(max_area, [0, 5], expected=0)
    check(max_area, [0, 5, 0, 5], expected=10)


def test_equal_heights() -> None:
    check(max_area, [4, 4, 4, 4], expected=12)
    check(max_area, [2, 6, 1, 6, 2], expected=12)


def test_the_limits_of_the_constraints() -> None:
    top = 10**4
    check(max_area, [top, top], expected=top)
    check(max_area, [top, 0, 0, top], expected=3 * top)


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261207)
    for _ in range(300):
        height = [rng.randint(0, 12) for _ in range(rng.randint(2, 20))]
        check(max_area, height, expected=oracle(height))


def _random_heights(n: int) -> tuple[list[int]]:
    # Any input makes the plain all-pairs loop quadratic; random heights keep the two
    # pointers honest (neither end stays the shorter one for long). A brute force that
    # prunes hopeless pairs stops early here, which the next input prevents.
    rng = random.Random(n)
    return (counted_ints([rng.randint(0, 10**4) for _ in range(n)]),)


def test_time_is_linear() -> None:
    assert_time_budget(max_area, _random_heights, "O(n)")


def _tall_lines_then_zeros(n: int) -> tuple[list[int]]:
    # The left half descends from 10**4, the right half is zeros. A tall line measured
    # against the far end first meets zeros, which hold nothing, while its height times the
    # width stays above the best so far for most of them: pruning by
    # `height[i] * width <= best` stops each scan only after a long run of zeros, and a
    # search for the farthest line at least as tall passes all of them. Both grow about
    # x14 to x16 per x4; the two pointers still take n - 1 steps.
    half = n // 2
    return (counted_ints([10**4 - i for i in range(half)] + [0] * (n - half)),)


def test_time_is_linear_on_tall_lines_then_zeros() -> None:
    assert_time_budget(max_area, _tall_lines_then_zeros, "O(n)")
