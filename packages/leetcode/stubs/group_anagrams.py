"""Group Anagrams.

Given a list of strings ``strs``, group the anagrams together: two words are
in the same group exactly when one is a rearrangement of the other's letters
(the same letters, each the same number of times). Return the groups in any
order, each group's words in any order.

Example 1: strs = ["eat", "tea", "tan", "ate", "nat", "bat"]
           ->  [["bat"], ["nat", "tan"], ["ate", "eat", "tea"]]
Example 2: strs = [""]   ->  [[""]]
Example 3: strs = ["a"]  ->  [["a"]]

Constraints: 1 <= len(strs) <= 10**4; 0 <= len(strs[i]) <= 100; strs[i] holds
only lower-case English letters. Aim for time linear in the number of words,
and no worse than sorting (k log k) in the length k of each word: the tests
count the operations your solution makes, inside builtins too.
"""

from __future__ import annotations


def group_anagrams(strs: list[str]) -> list[list[str]]:
    """The words of ``strs`` grouped by anagram class, groups and words in any order."""
    # TODO: write your solution here, then run: uv run handbook practice group_anagrams
    raise NotImplementedError("group_anagrams is not written yet")
