"""Valid Anagram: the examples, counts versus sets, unequal lengths, an oracle on seeded
inputs, and a linear budget."""

from __future__ import annotations

import random
import string

from handbook.leetcode.testing import CountedStr, Solution, assert_time_budget, check

solve = Solution("valid_anagram", "is_anagram")


def oracle(s: str, t: str) -> bool:
    """Anagrams sort to the same list of letters: O(n log n), and obviously right.

    >>> oracle("listen", "silent"), oracle("aab", "abb")
    (True, False)
    """
    return sorted(s) == sorted(t)


def test_the_statement_examples() -> None:
    check(solve, "anagram", "nagaram", expected=True)
    check(solve, "rat", "car", expected=False)


def test_letter_counts_matter_not_just_letters() -> None:
    # Same length, same set of letters, different counts.
    check(solve, "aab", "abb", expected=False)
    check(solve, "aaab", "abbb", expected=False)
    check(solve, "aabbcc", "abcabc", expected=True)


def test_extra_letters_in_t_make_it_no_anagram() -> None:
    # Everything s has, t has too, and more.
    check(solve, "ab", "abc", expected=False)
    check(solve, "a", "aa", expected=False)
    check(solve, "anagram", "nagarams", expected=False)


def test_extra_letters_in_s_make_it_no_anagram() -> None:
    check(solve, "abc", "ab", expected=False)
    check(solve, "aa", "a", expected=False)


def test_one_letter_and_the_same_string() -> None:
    check(solve, "a", "a", expected=True)
    check(solve, "a", "b", expected=False)
    check(solve, "abc", "abc", expected=True)


def test_the_whole_alphabet_reversed() -> None:
    check(solve, string.ascii_lowercase, string.ascii_lowercase[::-1], expected=True)
    check(solve, string.ascii_lowercase, string.ascii_lowercase[:-1] + "a", expected=False)


def test_long_strings() -> None:
    n = 5 * 10**4  # the longest allowed
    check(solve, "ab" * (n // 2), "a" * (n // 2 + 1) + "b" * (n // 2 - 1), expected=False)
    # Shorter, so that a quadratic attempt reaches the budget test in a reasonable time.
    check(solve, "ab" * 1_000, "b" * 1_000 + "a" * 1_000, expected=True)


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261213)
    for _ in range(300):
        alphabet = "abcd"[: rng.randint(1, 4)]
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        letters = list(s)
        rng.shuffle(letters)
        kind = rng.randrange(3)
        if kind == 1:  # one letter changed
            letters[rng.randrange(len(letters))] = rng.choice(alphabet)
        elif kind == 2:  # one letter more
            letters.insert(rng.randrange(len(letters) + 1), rng.choice(alphabet))
        t = "".join(letters)
        check(solve, s, t, expected=oracle(s, t))


def _reversed_anagram(n: int) -> tuple[str, str]:
    # All 26 letters cycling, against the same string reversed: an anagram, so nothing
    # stops early, and a solution that counts each character of s with str.count reads
    # both strings n times.
    s = "".join(string.ascii_lowercase[i % 26] for i in range(n))
    return CountedStr(s), CountedStr(s[::-1])


def test_time_is_linear() -> None:
    assert_time_budget(solve, _reversed_anagram, "O(n)")
