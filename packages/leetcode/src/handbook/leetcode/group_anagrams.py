"""Group Anagrams: words with the same sorted letters share a dict key, and so a group.

Given a list of strings ``strs``, group the anagrams together: two words are
in the same group exactly when one is a rearrangement of the other's letters
(the same letters, each the same number of times). Return the groups in any
order, each group's words in any order.

Example 1: ``strs = ["eat", "tea", "tan", "ate", "nat", "bat"]`` gives
``[["bat"], ["nat", "tan"], ["ate", "eat", "tea"]]``.
Example 2: ``strs = [""]`` gives ``[[""]]``.
Example 3: ``strs = ["a"]`` gives ``[["a"]]``.

Constraints: ``1 <= len(strs) <= 10**4``; ``0 <= len(strs[i]) <= 100``;
``strs[i]`` holds only lower-case English letters.

Why interviewers ask this:
    It is the step from "are these two anagrams?" to "sort n things into
    classes", and the answer is a canonical form: map every word to a key
    that all its anagrams share and no other word has, then group with a
    dict. Interviewers listen for the key being chosen on purpose (sorted
    letters or letter counts), for why it is collision-free, and for the
    cost stated with both n and the word length k.

Common pitfalls:
    - Comparing each word with a representative of every group found so
      far: correct, but O(n^2) comparisons when most words are in groups of
      their own; a dict lookup replaces the search.
    - Keeping the keys in a list beside the groups (``if key in keys:
      groups[keys.index(key)].append(word)``): a dict in disguise, except
      that ``in`` and ``index`` scan the list, so O(n^2) again. The tests
      reject it with tuple keys; with str keys (``"".join(sorted(word))``)
      they cannot, because the counting does not see comparisons of strings
      that the solution built itself (README, "What the counting cannot
      see"). It is quadratic either way.
    - A count key built with ``word.count(c)`` for each letter ``c`` of the
      word: each call reads the whole word, so O(k^2) per word. Count in one
      pass (``Counter(word)``, or 26 counts) for O(k).
    - Keying by the set of letters (``frozenset(word)``): ``"aab"`` and
      ``"abb"`` share it, and land in one group.
    - Keying by a sum of letter codes (``sum(map(ord, word))``): ``"ad"`` and
      ``"bc"`` both sum to 197. A key has to decide equality, not hash it.
    - Using ``sorted(word)`` itself as the key: a list is unhashable
      (``TypeError``); join it into a str or make it a tuple.

Key takeaways:
    - ``"".join(sorted(word))`` is a canonical form: two words have the same
      one exactly when they are anagrams. Group by it with a ``defaultdict``
      of lists; ``list(groups.values())`` is the answer.
    - For lower-case letters only, a tuple of 26 counts is a key too, built in
      O(k) instead of O(k log k); for words of at most 100 letters the
      difference rarely matters, and the sorted key is simpler to get right.
    - Mapping the 26 letters to the first 26 primes and multiplying is also
      collision-free (unique factorisation), but the product of 100 letters
      is a large integer: a clever answer, not a better one.

What to look for in an answer:
    - The canonical key named and justified, grouping by dict, and
      O(n * k log k) time (O(n * k) with counts) and O(n * k) space stated.
    - Follow-up: "why not hash the counts yourself?": a hash may collide; a
      dict key must be equal exactly for anagrams, and the dict does the
      hashing (and handles its own collisions) for you.
    - Follow-up: "Unicode words?": sorting the characters still works; the
      26-count key does not; normalise first if "é" may be written two ways.
    - Follow-up: "millions of words across machines?": map each word to
      (key, word) and group by key, which is a MapReduce shuffle; the key's
      canonical form is what makes partitioning by key correct.

Complexity:
    O(n * k log k) time for n words of at most k letters (sorting each), and
    O(n * k) space for the keys and the groups. The tests check both
    factors: 64 to 1024 words of 4 letters, and 32 words of 6 to 96 letters.
"""

from __future__ import annotations

from collections import defaultdict

DIFFICULTY = "Medium"
TAGS = ("array", "hash table", "string", "sorting")
HINTS = (
    "Find something you can compute from each word that is the same for all "
    "its anagrams and different for every other word.",
    "The sorted letters of a word are such a thing. Use them, joined into a "
    "str, as the key of a dict from key to the list of words with that key.",
)


def group_anagrams(strs: list[str]) -> list[list[str]]:
    """The words of ``strs`` grouped by anagram class, groups and words in any order.

    >>> group_anagrams(["eat", "tea", "tan", "ate", "nat", "bat"])
    [['eat', 'tea', 'ate'], ['tan', 'nat'], ['bat']]
    >>> group_anagrams([""])
    [['']]
    """
    groups: defaultdict[str, list[str]] = defaultdict(list)
    for word in strs:
        groups["".join(sorted(word))].append(word)
    return list(groups.values())
