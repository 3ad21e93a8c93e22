"""Word Break: the examples, greedy's dead ends, the table's boundaries, the limits (the
deepest recursion among them), an oracle on seeded inputs, and a polynomial budget on
"aaa...ab"."""

from __future__ import annotations

import itertools
import random

from handbook.leetcode.testing import Solution, assert_time_budget, check

word_break = Solution("word_break", "word_break")


def oracle(s: str, word_dict: list[str]) -> bool:
    """Try every way to cut ``s`` (each of the len(s) - 1 gaps is cut or not): O(2^n * n).

    >>> oracle("cars", ["car", "ca", "rs"]), oracle("catsandog", ["cats", "and", "dog"])
    (True, False)
    """
    words = set(word_dict)
    for cuts in itertools.product((False, True), repeat=len(s) - 1):
        pieces, start = [], 0
        for gap, cut in enumerate(cuts, start=1):
            if cut:
                pieces.append(s[start:gap])
                start = gap
        pieces.append(s[start:])
        if all(piece in words for piece in pieces):
            return True
    return False


def test_the_statement_examples() -> None:
    check(word_break, "leetcode", ["leet", "code"], expected=True)
    check(word_break, "applepenapple", ["apple", "pen"], expected=True)
    check(word_break, "catsandog", ["cats", "dog", "sand", "and", "cat"], expected=False)


def test_a_greedy_first_word_can_be_a_dead_end() -> None:
    # The longest first word, "car", leaves "s"; "ca" + "rs" works.
    check(word_break, "cars", ["car", "ca", "rs"], expected=True)
    check(word_break, "goalspecial", ["go", "goal", "goals", "special"], expected=True)
    check(word_break, "aaaaaa", ["aaaa", "aaa"], expected=True)
    # The shortest first word fails too: 3 + 3 leaves one "a"; 4 + 3 works.
    check(word_break, "aaaaaaa", ["aaaa", "aaa"], expected=True)


def test_a_word_as_long_as_the_longest_word_is_used() -> None:
    check(word_break, "abc", ["a", "abc"], expected=True)
    check(word_break, "catsdog", ["cat", "cats", "dog"], expected=True)
    check(word_break, "x" * 20, ["x" * 20, "x" * 3], expected=True)


def test_a_later_start_does_not_undo_an_earlier_split() -> None:
    # "a" + "ab" works; the last start tried for the end, "aa" + "b", does not.
    check(word_break, "aab", ["a", "ab"], expected=True)
    check(word_break, "dogsand", ["dogs", "and", "s", "do"], expected=True)


def test_one_letter() -> None:
    check(word_break, "a", ["a"], expected=True)
    check(word_break, "a", ["b"], expected=False)
    check(word_break, "b", ["a", "aa", "ab"], expected=False)


def test_words_may_be_reused_and_need_not_all_be_used() -> None:
    check(word_break, "aaaa", ["a"], expected=True)
    check(word_break, "penpenpen", ["apple", "pen"], expected=True)
    check(word_break, "abab", ["ab", "ba", "c"], expected=True)


def test_a_word_longer_than_the_string() -> None:
    check(word_break, "abc", ["abcd"], expected=False)
    check(word_break, "ab", ["abc", "a", "b"], expected=True)


def test_the_limits_of_the_constraints() -> None:
    # 300 = 60 * 5; taking 7s first leaves 300 - 42 * 7 = 6.
    check(word_break, "a" * 300, ["a" * 5, "a" * 7], expected=True)
    rng = random.Random(20261210)
    words = sorted({"".join(rng.choices("ab", k=20)) for _ in range(1000)})
    assert len(words) == 1000  # this seed draws no repeats: the dictionary at its limit
    sentence = "".join(rng.choices(words, k=15))  # 300 letters
    check(word_break, sentence, words, expected=True)
    check(word_break, sentence[:-1] + "c", words, expected=False)


def test_300_cuts_fit_in_the_default_recursion_limit() -> None:
    # A cut after every letter: a recursion on the start position nests 301 calls, the
    # deepest the constraints allow, inside CPython's default limit of 1000 frames. A level
    # can cost more than one call, though: functools.cache with the recursion inside
    # any(...) stops after about 250 levels on 3.11 and 3.12 (about 500 on 3.13), so it
    # raises RecursionError here on 3.11 and 3.12.
    check(word_break, "a" * 300, ["a"], expected=True)
    check(word_break, "a" * 299 + "b", ["a"], expected=False)


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261211)
    for _ in range(300):
        s = "".join(rng.choices("ab", k=rng.randint(1, 10)))
        word_dict = list(
            {"".join(rng.choices("ab", k=rng.randint(1, 3))) for _ in range(rng.randint(2, 8))}
        )
        check(word_break, s, word_dict, expected=oracle(s, word_dict))


def _many_ways_then_a_dead_end(n: int) -> tuple[str, list[str]]:
    # "aaa...ab" with words of one to four a's: the a's can be cut in exponentially many
    # ways, and the final "b" rejects every one, so nothing stops a search early. s is a
    # plain str on purpose: the textbook table makes n^2 / 2 slices of up to n letters,
    # and counting letters (CountedStr) would make that n^3, which O(n^2) rejects.
    return "a" * (n - 1) + "b", ["a", "aa", "aaa", "aaaa"]


def test_time_is_at_most_quadratic_in_the_length() -> None:
    assert_time_budget(word_break, _many_ways_then_a_dead_end, "O(n^2)", sizes=(8, 32, 128))
