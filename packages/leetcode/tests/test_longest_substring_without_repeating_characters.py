"""Longest Substring Without Repeating Characters: the examples, the window's traps, an
oracle on seeded inputs, and a linear budget on a large alphabet."""

from __future__ import annotations

import random

from handbook.leetcode.testing import CountedStr, Solution, assert_time_budget, check

solve = Solution("longest_substring_without_repeating_characters", "length_of_longest_substring")


def oracle(s: str) -> int:
    """The longest substring whose characters are all distinct, by trying every one: O(n^3).

    >>> oracle("abba")
    2
    """
    return max(
        (
            j - i
            for i in range(len(s))
            for j in range(i + 1, len(s) + 1)
            if len(set(s[i:j])) == j - i
        ),
        default=0,
    )


def test_the_statement_examples() -> None:
    check(solve, "abcabcbb", expected=3)
    check(solve, "bbbbb", expected=1)
    check(solve, "pwwkew", expected=3)


def test_the_empty_string_and_one_character() -> None:
    check(solve, "", expected=0)
    check(solve, "a", expected=1)
    check(solve, " ", expected=1)


def test_spaces_digits_and_symbols_are_characters() -> None:
    check(solve, "a b c", expected=3)  # "a b" and "b c": the second space repeats
    check(solve, "!@#!@#$", expected=4)
    check(solve, "0123401234", expected=5)


def test_characters_beyond_ascii_count_too() -> None:
    # The handbook widens LeetCode's constraints to any Unicode character (the budget test
    # uses CJK): a table of 128 last positions indexed by ord(ch) fails here, with the
    # input shown, before the budget test does.
    check(solve, "日本語日本", expected=3)
    check(solve, "é€😀é", expected=3)


def test_the_whole_string_when_nothing_repeats() -> None:
    check(solve, "abcdefghijklmnopqrstuvwxyz", expected=26)
    check(solve, "aA", expected=2)  # case matters


def test_the_window_start_never_moves_back() -> None:
    # At the second "a" of "abba" the window is "b"; the first "a" is already out of it.
    check(solve, "abba", expected=2)
    check(solve, "tmmzuxt", expected=5)  # "mzuxt": the old "t" at 0 is outside the window


def test_a_repeat_keeps_the_characters_after_its_first_copy() -> None:
    # At the second "d" of "dvdf" the window becomes "vd", not "d".
    check(solve, "dvdf", expected=3)
    check(solve, "abcbde", expected=4)  # "cbde"


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261203)
    for _ in range(300):
        alphabet = "abcdef"[: rng.randint(1, 6)] + " "
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        check(solve, s, expected=oracle(s))


def _distinct_then_again(n: int) -> tuple[str]:
    # n/2 distinct CJK characters, twice: the window grows to n/2 and stays there, so a
    # solution that scans the window (or restarts from each index) reads n/2 characters
    # per step. A 128-character alphabet would cap the window and hide that.
    half = "".join(chr(0x4E00 + i) for i in range(n // 2))
    return (CountedStr(half + half),)


def test_time_is_linear() -> None:
    assert_time_budget(solve, _distinct_then_again, "O(n)")
