"""Word Break.

Given a string ``s`` and a list of distinct words ``word_dict``, return
``True`` if ``s`` can be split into a sequence of one or more dictionary
words, each used as often as you like, and ``False`` otherwise.

Example 1: s = "leetcode", word_dict = ["leet", "code"]                     ->  True
Example 2: s = "applepenapple", word_dict = ["apple", "pen"]                ->  True
Example 3: s = "catsandog", word_dict = ["cats", "dog", "sand", "and", "cat"] ->  False

Constraints: 1 <= len(s) <= 300; 1 <= len(word_dict) <= 1000;
1 <= len(word) <= 20 for each word; s and the words are lower-case English
letters; the words are distinct. Aim for polynomial time, at most O(len(s)**2)
steps of Python: the tests count the operations your solution makes. The tests
run on a plain CPython, with its default recursion limit (1000).
"""

from __future__ import annotations


def word_break(s: str, word_dict: list[str]) -> bool:
    """Whether ``s`` splits into words of ``word_dict``, each usable any number of times."""
    # TODO: write your solution here, then run: uv run handbook practice word_break
    raise NotImplementedError("word_break is not written yet")
