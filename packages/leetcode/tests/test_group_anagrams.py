"""Group Anagrams: the examples, keys that merge different words, empty and repeated words, an
oracle on seeded inputs, a budget linear in the number of words and one of k log k in the
length of a word."""

from __future__ import annotations

import itertools
import random
import string
from collections.abc import Iterable

from handbook.leetcode.testing import CountedStr, Solution, assert_time_budget, check

solve = Solution("group_anagrams", "group_anagrams")


def normalised(groups: Iterable[Iterable[str]]) -> list[list[str]] | str:
    """The groups with their words sorted, sorted: equal for every valid order. A bare
    str is not a group (its letters would pass for one-letter words).

    >>> normalised([["tea", "eat"], ["bat"]])
    [['bat'], ['eat', 'tea']]
    >>> normalised(["a", "b"])
    'a str where a group (a list of words) belongs'
    """
    groups = list(groups)
    if any(isinstance(group, str) for group in groups):
        return "a str where a group (a list of words) belongs"
    return sorted(sorted(group) for group in groups)


def check_groups(strs: list[str], expected: list[list[str]]) -> None:
    """``check`` with the groups, and the words in each, in any order."""
    check(solve, strs, expected=expected, key=normalised, note="groups and words in any order")


def oracle(strs: list[str]) -> list[list[str]]:
    """Each word joins the first group whose first word sorts to the same letters: O(n^2).

    >>> oracle(["ab", "c", "ba"])
    [['ab', 'ba'], ['c']]
    """
    groups: list[list[str]] = []
    for word in strs:
        for group in groups:
            if sorted(group[0]) == sorted(word):
                group.append(word)
                break
        else:
            groups.append([word])
    return groups


def test_the_statement_examples() -> None:
    check_groups(
        ["eat", "tea", "tan", "ate", "nat", "bat"],
        [["bat"], ["nat", "tan"], ["ate", "eat", "tea"]],
    )
    check_groups([""], [[""]])
    check_groups(["a"], [["a"]])


def test_letter_counts_matter_not_just_letters() -> None:
    # "aab" and "abb" use the same set of letters, in different counts.
    check_groups(["aab", "abb", "bab"], [["aab"], ["abb", "bab"]])
    check_groups(["a", "aa", "aaa"], [["a"], ["aa"], ["aaa"]])


def test_different_letters_with_equal_code_sums_stay_apart() -> None:
    # ord("a") + ord("d") == ord("b") + ord("c") == 197.
    check_groups(["ad", "bc", "da"], [["ad", "da"], ["bc"]])
    check_groups(["ac", "bb"], [["ac"], ["bb"]])


def test_empty_words_form_a_group() -> None:
    check_groups(["", ""], [["", ""]])
    check_groups(["", "a", ""], [["", ""], ["a"]])


def test_repeated_words_stay_in_the_group() -> None:
    check_groups(["ab", "ab", "ba"], [["ab", "ab", "ba"]])
    check_groups(["x", "x"], [["x", "x"]])


def test_every_word_in_its_own_group() -> None:
    words = ["abc", "abd", "abe", "xyz", "q"]
    check_groups(words, [[w] for w in words])


def test_the_longest_words_allowed() -> None:
    word = (string.ascii_lowercase * 4)[:100]
    other = word[:-1] + "z"  # one letter different
    check_groups([word, other, word[::-1]], [[word, word[::-1]], [other]])


def test_matches_the_oracle_on_seeded_random_inputs() -> None:
    rng = random.Random(20261214)
    for _ in range(300):
        strs = [
            "".join(rng.choice("abc") for _ in range(rng.randint(0, 4)))
            for _ in range(rng.randint(1, 12))
        ]
        check_groups(strs, oracle(strs))


_CLASSES = ["".join(c) for c in itertools.combinations_with_replacement(string.ascii_lowercase, 4)]


def _pairs_of_anagrams(n: int) -> tuple[list[str]]:
    # n/2 different 4-letter anagram classes, then the same words reversed: n/2 groups of
    # two. With a dict each word costs the same; a search through the groups found so far
    # grows with their number.
    words = _CLASSES[: n // 2]
    return ([CountedStr(w) for w in words + [w[::-1] for w in words]],)


def test_time_is_linear_in_the_number_of_words() -> None:
    assert_time_budget(solve, _pairs_of_anagrams, "O(n)")


def _long_words(k: int) -> tuple[list[str]]:
    # 16 random words of k letters, then the same words reversed: 16 groups of two. The
    # number of words stays 32, so only the work per word can grow: k log k comparisons
    # to sort a word's letters (the log factor is inside the budget), k * k letters read
    # to count each letter of the word with str.count. k = 96 is within the 100 allowed.
    rng = random.Random(20261215 + k)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(k)) for _ in range(16)]
    return ([CountedStr(w) for w in words + [w[::-1] for w in words]],)


def test_time_is_k_log_k_in_the_word_length() -> None:
    # The sizes are word lengths here: a failure message's "n=96" means words of 96 letters.
    assert_time_budget(solve, _long_words, "O(n log n)", sizes=(6, 24, 96))
