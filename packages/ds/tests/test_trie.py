"""Tests for ds.trie: sorted prefix queries, pruning removal, strict key types."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from handbook.ds.trie import Trie

# A small alphabet makes shared prefixes (and therefore pruning) common.
words = st.text(alphabet="abc", max_size=6)


def count_nodes(trie: Trie) -> int:
    """Count the nodes of ``trie`` including the root (white-box, for the pruning claim)."""
    total, stack = 0, [trie._root]
    while stack:
        node = stack.pop()
        total += 1
        stack.extend(node.children.values())
    return total


def test_insert_contains_and_len() -> None:
    t = Trie()
    for w in ["car", "cart", "cat", "car"]:
        t.insert(w)
        t._check()
    assert len(t) == 3
    assert "car" in t
    assert "cart" in t
    assert "cat" in t
    assert "ca" not in t
    assert "carts" not in t
    assert "" not in t


def test_iteration_and_prefix_queries_are_sorted() -> None:
    t = Trie(["ten", "tea", "to", "inn", "in", "i", "A", "tè"])
    assert list(t) == sorted(t)
    assert list(t) == ["A", "i", "in", "inn", "tea", "ten", "to", "tè"]
    assert t.words_with_prefix("te") == ["tea", "ten"]
    assert t.words_with_prefix("in") == ["in", "inn"]
    assert t.words_with_prefix("") == list(t)
    assert t.words_with_prefix("x") == []


def test_starts_with() -> None:
    t = Trie(["hello"])
    assert t.starts_with("") is True
    assert t.starts_with("h") is True
    assert t.starts_with("hello") is True
    assert t.starts_with("hello!") is False
    assert t.starts_with("x") is False
    assert Trie().starts_with("") is False


def test_empty_string_is_a_word() -> None:
    t = Trie([""])
    assert "" in t
    assert len(t) == 1
    assert list(t) == [""]
    t.remove("")
    t._check()
    assert len(t) == 0
    assert "" not in t


def test_remove_prunes_dead_branches() -> None:
    t = Trie(["abc", "abd", "x"])
    assert count_nodes(t) == 6  # root, a, ab, abc, abd, x
    t.remove("abd")
    t._check()
    assert t.starts_with("abd") is False
    assert count_nodes(t) == 5
    t.remove("abc")
    t._check()
    assert t.starts_with("a") is False
    assert count_nodes(t) == 2  # root and x


def test_removing_a_prefix_word_keeps_the_longer_word() -> None:
    t = Trie(["a", "ab"])
    t.remove("a")
    t._check()
    assert list(t) == ["ab"]
    assert t.starts_with("a")


def test_remove_missing_raises_key_error_and_changes_nothing() -> None:
    t = Trie(["cat"])
    for missing in ["ca", "cats", "dog", ""]:
        with pytest.raises(KeyError):
            t.remove(missing)
        t._check()
        assert list(t) == ["cat"]
    t.discard("ca")
    assert list(t) == ["cat"]


@pytest.mark.parametrize("bad", [None, 1, b"bytes", ["a"]])
def test_non_str_raises_type_error_and_changes_nothing(bad: Any) -> None:
    t = Trie(["a"])
    for op in (t.insert, t.remove, t.discard, t.starts_with, t.words_with_prefix):
        with pytest.raises(TypeError, match="must be a str"):
            op(bad)
    with pytest.raises(TypeError, match="must be a str"):
        _ = bad in t
    with pytest.raises(TypeError, match="must be a str"):
        Trie(["ok", bad])
    t._check()
    assert list(t) == ["a"]


def test_long_word_does_not_recurse() -> None:
    word = "x" * 20_000  # far beyond the default recursion limit
    t = Trie([word, word[:-1]])
    assert list(t) == [word[:-1], word]
    t.remove(word)
    t._check()
    assert count_nodes(t) == len(word)


def test_equality_and_repr() -> None:
    assert Trie(["a", "b"]) == Trie(["b", "a", "a"])
    assert Trie(["a"]) != Trie(["a", "b"])
    assert Trie() != ["a"]
    assert repr(Trie(["b", "a"])) == "Trie(['a', 'b'])"
    assert eval(repr(Trie(["b", "a"]))) == Trie(["a", "b"])
    big = repr(Trie(f"w{i:03}" for i in range(500)))
    assert big.endswith("'w009', ...], len=500)")
    assert len(big) < 200


def test_unhashable() -> None:
    with pytest.raises(TypeError):
        hash(Trie())


@given(st.lists(words), words)
@settings(max_examples=200, deadline=None)
def test_matches_sorted_set_model(items: list[str], prefix: str) -> None:
    t = Trie(items)
    t._check()
    model = set(items)
    assert list(t) == sorted(model)
    assert t.words_with_prefix(prefix) == sorted(w for w in model if w.startswith(prefix))
    assert t.starts_with(prefix) == any(w.startswith(prefix) for w in model)


class TrieMachine(RuleBasedStateMachine):
    """Random insert/remove/discard sequences against a plain ``set``."""

    def __init__(self) -> None:
        super().__init__()
        self.trie = Trie()
        self.model: set[str] = set()

    @rule(word=words)
    def insert(self, word: str) -> None:
        self.trie.insert(word)
        self.model.add(word)

    @rule(word=words)
    def remove(self, word: str) -> None:
        if word in self.model:
            self.trie.remove(word)
            self.model.remove(word)
        else:
            with pytest.raises(KeyError):
                self.trie.remove(word)

    @rule(word=words)
    def discard(self, word: str) -> None:
        self.trie.discard(word)
        self.model.discard(word)

    @rule(prefix=words)
    def query(self, prefix: str) -> None:
        expected = sorted(w for w in self.model if w.startswith(prefix))
        assert self.trie.words_with_prefix(prefix) == expected
        assert self.trie.starts_with(prefix) == bool(expected)

    @invariant()
    def agrees_with_model(self) -> None:
        self.trie._check()
        assert len(self.trie) == len(self.model)
        assert list(self.trie) == sorted(self.model)


TestTrieMachine = TrieMachine.TestCase
TestTrieMachine.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
