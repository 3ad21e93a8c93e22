"""Valid Parentheses: the examples, the stack's two edges, an oracle on seeded inputs, and a
linear budget on deeply nested brackets."""

from __future__ import annotations

import random

from handbook.leetcode.testing import CountedStr, Solution, assert_time_budget, check

solve = Solution("valid_parentheses", "is_valid")

_CLOSER = {"(": ")", "[": "]", "{": "}"}


def oracle(s: str) -> bool:
    """Delete adjacent matching pairs until none is left; valid iff nothing remains.

    Obviously right (a valid string always holds an adjacent pair, and deleting
    one keeps validity either way), and O(n^2).

    >>> oracle("{[()]}"), oracle("([)]"), oracle("((")
    (True, False, False)
    """
    while True:
        shorter = s.replace("()", "").replace("[]", "").replace("{}", "")
        if shorter == s:
            return s == ""
        s = shorter


def _valid(rng: random.Random, pairs: int) -> str:
    """A random valid string of ``pairs`` pairs: nest or concatenate, at random."""
    if pairs == 0:
        return ""
    inside = rng.randint(0, pairs - 1)
    opener = rng.choice("([{")
    return opener + _valid(rng, inside) + _CLOSER[opener] + _valid(rng, pairs - 1 - inside)


def test_the_statement_examples() -> None:
    check(solve, "()", expected=True)
    check(solve, "()[]{}", expected=True)
    check(solve, "(]", expected=False)
    check(solve, "([])", expected=True)
    check(solve, "([)]", expected=False)


def test_pairs_must_nest_not_just_balance() -> None:
    # Every type's count balances and never goes negative, yet ")" closes while "[" is
    # the latest opener.
    check(solve, "([)]", expected=False)
    check(solve, "{(})", expected=False)
    check(solve, "[({])}", expected=False)


def test_a_closer_with_nothing_open_is_invalid() -> None:
    # Even lengths as well as odd, so that an early exit on odd lengths cannot hide it.
    check(solve, "]", expected=False)
    check(solve, "){", expected=False)
    check(solve, "())(", expected=False)
    check(solve, "()]{}", expected=False)


def test_openers_left_at_the_end_are_invalid() -> None:
    # Even lengths: an early exit on odd lengths would answer those without the stack.
    check(solve, "((", expected=False)
    check(solve, "[[{}", expected=False)
    check(solve, "(){[", expected=False)
    check(solve, "{[()]}((", expected=False)


def test_one_character_is_never_valid() -> None:
    for char in "()[]{}":
        check(solve, char, expected=False)


def test_nested_and_concatenated() -> None:
    check(solve, "{[()()]}", expected=True)
    check(solve, "(){}[]([{}])", expected=True)
    check(solve, "(((([]))))", expected=True)
    check(solve, "(((([])))", expected=False)


def test_the_longest_strings_allowed() -> None:
    check(solve, "(" * 5_000 + ")" * 5_000, expected=True)
    check(solve, "[]" * 5_000, expected=True)
    check(solve, "{" * 5_000 + "}" * 4_999 + ")", expected=False)


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261210)
    for _ in range(150):  # arbitrary strings: almost all invalid
        s = "".join(rng.choice("()[]{}") for _ in range(rng.randint(1, 12)))
        check(solve, s, expected=oracle(s))
    for _ in range(150):  # valid ones, and the same with two characters swapped
        s = _valid(rng, rng.randint(1, 7))
        check(solve, s, expected=True)
        i, j = sorted(rng.sample(range(len(s)), 2))
        swapped = s[:i] + s[j] + s[i + 1 : j] + s[i] + s[j + 1 :]
        check(solve, swapped, expected=oracle(swapped))


def _nested(n: int) -> tuple[str]:
    # n/2 openers of the three types, then their closers: valid, so a stack reads every
    # character, and n/2 deep, so deleting adjacent pairs with str.replace removes one or
    # two pairs per pass (the order "()", "[]", "{}" meets the cycle "([{"): about n/3
    # passes over the whole string (22, 86 and 342 at n = 64, 256 and 1024).
    openers = "".join("([{"[i % 3] for i in range(n // 2))
    closers = "".join(_CLOSER[char] for char in reversed(openers))
    return (CountedStr(openers + closers),)


def test_time_is_linear() -> None:
    assert_time_budget(solve, _nested, "O(n)")
