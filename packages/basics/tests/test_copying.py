"""Tests for basics.copying: aliasing, shallow vs deep, the memo, and the copy hooks."""

from __future__ import annotations

import copy
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest

from handbook.basics.copying import (
    Connection,
    PlainSession,
    Session,
    deep_copy,
    grid,
    grid_by_multiplication,
    naive_deep_copy,
)

SHALLOW_LIST_COPIES: list[Callable[[list[list[int]]], list[list[int]]]] = [
    copy.copy,
    list,
    lambda x: x[:],
    lambda x: x.copy(),
]


def test_multiplied_grid_rows_are_one_list() -> None:
    g = grid_by_multiplication(3, 3)
    g[0][0] = 1
    assert g == [[1, 0, 0], [1, 0, 0], [1, 0, 0]]
    assert g[0] is g[1] is g[2]


def test_comprehension_grid_rows_are_independent() -> None:
    g = grid(3, 3)
    g[0][0] = 1
    assert g == [[1, 0, 0], [0, 0, 0], [0, 0, 0]]
    assert len({id(row) for row in g}) == 3


@pytest.mark.parametrize("shallow", SHALLOW_LIST_COPIES)
def test_shallow_copies_make_a_new_outer_list_with_the_same_inner_lists(
    shallow: Callable[[list[list[int]]], list[list[int]]],
) -> None:
    original = [[1], [2]]
    clone = shallow(original)
    assert clone == original
    assert clone is not original
    assert clone[0] is original[0]
    clone[0].append(99)
    assert original[0] == [1, 99]  # the inner change shows in both
    clone.append([3])
    assert len(original) == 2  # the outer change does not


def test_shallow_dict_copies_share_nested_values() -> None:
    original = {"tags": ["a"]}
    for clone in (dict(original), original.copy(), {**original}, copy.copy(original)):
        assert clone is not original
        assert clone["tags"] is original["tags"]


def test_deepcopy_copies_nested_containers() -> None:
    original: dict[str, Any] = {"tags": ["a"], "limits": {"rps": [10]}}
    clone = copy.deepcopy(original)
    assert clone == original
    clone["tags"].append("b")
    clone["limits"]["rps"].append(20)
    assert original == {"tags": ["a"], "limits": {"rps": [10]}}


def test_deepcopy_reuses_immutable_atoms() -> None:
    big = 10**20  # outside the small-int cache: a real object of its own
    original = [big, "text"]
    clone = copy.deepcopy(original)
    assert clone is not original
    assert clone[0] is big
    assert clone[1] is original[1]
    atoms = (1, "a", big)
    assert copy.deepcopy(atoms) is atoms  # nothing inside changes, so no new tuple
    holds_a_list = ([1], "a")
    assert copy.deepcopy(holds_a_list) is not holds_a_list


def test_deepcopy_preserves_a_cycle() -> None:
    loop: list[object] = []
    loop.append(loop)
    clone = copy.deepcopy(loop)
    assert clone is not loop
    assert clone[0] is clone


def test_deepcopy_preserves_sharing() -> None:
    shared = [1]
    clone = copy.deepcopy([shared, shared])
    assert clone[0] is clone[1]
    assert clone[0] is not shared


def test_naive_deep_copy_loses_sharing() -> None:
    shared = [1]
    clone = naive_deep_copy([shared, shared])
    assert isinstance(clone, list)
    assert clone[0] == clone[1]
    assert clone[0] is not clone[1]


def test_naive_deep_copy_recurses_forever_on_a_cycle() -> None:
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(RecursionError):
        naive_deep_copy(loop)


def test_deep_copy_with_a_memo_preserves_a_cycle() -> None:
    loop: list[object] = []
    loop.append(loop)
    clone = deep_copy(loop)
    assert isinstance(clone, list)
    assert clone is not loop
    assert clone[0] is clone


def test_deep_copy_with_a_memo_preserves_sharing_and_copies_everything() -> None:
    shared = [1]
    original = {"a": shared, "b": [shared, {"c": shared}]}
    clone = deep_copy(original)
    assert clone == original
    assert isinstance(clone, dict)
    assert clone["a"] is not shared
    assert clone["b"][0] is clone["a"]
    assert clone["b"][1]["c"] is clone["a"]


def test_deep_copy_with_a_memo_handles_a_dict_cycle_and_a_shared_dict() -> None:
    loop: dict[str, object] = {}
    loop["self"] = loop
    clone = deep_copy(loop)
    assert isinstance(clone, dict)
    assert clone is not loop
    assert clone["self"] is clone
    inner: dict[str, int] = {"rps": 10}
    copied = deep_copy([inner, {"limits": inner}])
    assert isinstance(copied, list)
    assert copied[0] is not inner
    assert copied[1]["limits"] is copied[0]


def test_deep_copy_reuses_immutable_atoms() -> None:
    big = 10**20
    clone = deep_copy([big, "text", b"raw", 1.5, True, None])
    assert isinstance(clone, list)
    assert clone == [big, "text", b"raw", 1.5, True, None]
    assert clone[0] is big


@pytest.mark.parametrize("unsupported", [{1, 2}, ([1],), frozenset({1})], ids=repr)
def test_deep_copy_refuses_types_it_would_otherwise_share(unsupported: object) -> None:
    with pytest.raises(TypeError, match="does not handle"):
        deep_copy({"value": unsupported})


def test_plain_session_shallow_copy_shares_headers() -> None:
    s = PlainSession(Connection("db:5432"), {"user": "ann"})
    clone = copy.copy(s)
    clone.headers["user"] = "bob"
    assert s.headers == {"user": "bob"}  # leaked into the original


def test_plain_session_deepcopy_tries_to_copy_the_lock() -> None:
    s = PlainSession(Connection("db:5432"), {"user": "ann"})
    with pytest.raises(TypeError, match=r"cannot pickle '_thread\.lock' object"):
        copy.deepcopy(s)


def test_even_a_shallow_copy_of_a_lock_or_a_file_raises() -> None:
    with pytest.raises(TypeError, match=r"cannot pickle '_thread\.lock' object"):
        copy.copy(threading.Lock())
    with open(os.devnull) as devnull, pytest.raises(TypeError, match="cannot pickle") as caught:
        copy.copy(devnull)
    if sys.version_info >= (3, 12):  # the message for a file changed in 3.12
        assert "'TextIOWrapper' instances" in str(caught.value)
    else:
        assert "'_io.TextIOWrapper' object" in str(caught.value)


def test_session_copy_shares_the_connection_and_owns_its_headers() -> None:
    s = Session(Connection("db:5432"), {"user": "ann"})
    clone = copy.copy(s)
    assert type(clone) is Session
    assert clone.connection is s.connection
    clone.headers["user"] = "bob"
    assert s.headers == {"user": "ann"}


def test_session_deepcopy_shares_the_connection_and_copies_the_data() -> None:
    s = Session(Connection("db:5432"), {"user": "ann"})
    clone = copy.deepcopy(s)
    assert type(clone) is Session
    assert clone.connection is s.connection
    assert clone.headers == s.headers
    assert clone.headers is not s.headers


def test_deepcopy_itself_keeps_one_copy_of_a_session_reached_twice() -> None:
    # copy.deepcopy checks the memo before calling the hook and stores the hook's
    # result after it, so this holds whatever the hook does with memo.
    s = Session(Connection("db:5432"), {"user": "ann"})
    clone = copy.deepcopy({"first": s, "second": s})
    assert clone["first"] is clone["second"]
    assert clone["first"] is not s


def test_session_deepcopy_registers_itself_before_copying_a_cycle() -> None:
    headers: dict[str, Any] = {"user": "ann"}
    s = Session(Connection("db:5432"), headers)
    headers["session"] = s  # the data refers back to the session
    clone = copy.deepcopy(s)
    assert clone is not s
    points_back: object = clone.headers["session"]
    assert points_back is clone
    assert clone.connection is s.connection


def test_session_deepcopy_passes_the_memo_on_to_its_parts() -> None:
    shared: dict[str, Any] = {"trace_id": "t-1"}
    headers: dict[str, Any] = {"context": shared}
    s = Session(Connection("db:5432"), headers)
    copied = copy.deepcopy([s, shared])
    copied_session, copied_shared = copied
    assert isinstance(copied_session, Session)
    assert copied_shared is not shared
    context: object = copied_session.headers["context"]
    assert context is copied_shared  # one copy of the shared dict, not two


def test_session_copies_keep_attributes_a_subclass_adds() -> None:
    class TracedSession(Session):
        def __init__(self, connection: Connection, headers: dict[str, str]) -> None:
            super().__init__(connection, headers)
            self.spans: list[str] = ["connect"]

    s = TracedSession(Connection("db:5432"), {"user": "ann"})
    shallow, deep = copy.copy(s), copy.deepcopy(s)
    assert type(shallow) is type(deep) is TracedSession
    assert shallow.spans is s.spans  # a shallow copy shares it
    assert deep.spans == s.spans
    assert deep.spans is not s.spans  # a deep copy has its own
    assert deep.connection is s.connection


def test_deepcopy_keeps_the_originals_alive_in_the_memo() -> None:
    # Lib/copy.py's _keep_alive: a CPython detail, the same on 3.11-3.13.
    original = [[1], [2]]
    memo: dict[int, Any] = {}
    copy.deepcopy(original, memo)
    kept = memo[id(memo)]
    assert any(obj is original for obj in kept)
    assert any(obj is original[0] for obj in kept)


def test_copy_replace_arrives_in_3_13() -> None:
    assert hasattr(copy, "replace") == (sys.version_info >= (3, 13))
