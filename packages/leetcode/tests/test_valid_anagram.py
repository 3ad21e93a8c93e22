"""Valid Anagram: the examples, counts versus sets and sums, unequal lengths, an oracle on
seeded inputs, and a linear budget."""

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


def test_different_letters_with_equal_code_sums() -> None:
    # Same length, one letter moved up the alphabet and another down as far: the sums of
    # the letter codes agree (ord("a") + ord("d") == ord("b") + ord("c") == 197), the
    # letters do not.
    check(solve, "ad", "bc", expected=False)
    check(solve, "ac", "bb", expected=False)
    check(solve, "az", "by", expected=False)
    check(solve, "anagram", "nbgaral", expected=False)


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
        kind = rng.randrange(4)
        if kind == 1:  # one letter changed
            letters[rng.randrange(len(letters))] = rng.choice(alphabet)
        elif kind == 2:  # one letter more
            letters.insert(rng.randrange(len(letters) + 1), rng.choice(alphabet))
        elif kind == 3 and len(s) >= 2 and s != "a" * len(s):
            # One letter up by d and another down by d: the same sum of letter codes.
            down = rng.choice([i for i, char in enumerate(letters) if char != "a"])
            up = rng.choice([i for i in range(len(letters)) if i != down])
            d = rng.randint(1, ord(letters[down]) - ord("a"))
            letters[down] = chr(ord(letters[down]) - d)
            letters[up] = chr(ord(letters[up]) + d)
        t = "".join(letters)
        check(solve, s, t, expected=oracle(s, t))


def _grouped_anagram(n: int) -> tuple[str, str]:
    # All 26 letters cycling, against the same letters grouped from z down to a: an
    # anagram, so nothing stops early. A solution that counts each character of s with
    # str.count reads both strings n times; one that removes each letter of s from a list
    # of t's letters scans past the blocks of the other letters every time (against s
    # reversed it would find each letter within 26 places, and only the uncounted
    # shifting of list.remove would be quadratic).
    s = "".join(string.ascii_lowercase[i % 26] for i in range(n))
    return CountedStr(s), CountedStr("".join(sorted(s, reverse=True)))


def test_time_is_linear() -> None:
    assert_time_budget(solve, _grouped_anagram, "O(n)")
