"""Tests for concurrency.multiprocessing: pickling, start methods, shared memory, a pool.

Process start-up is the expensive part, so the tests start few processes: fork
where the platform has it, and exactly one spawned child to show the difference.
"""

from __future__ import annotations

import functools
import multiprocessing
import pickle
import threading
from collections.abc import Iterator
from multiprocessing import shared_memory
from multiprocessing.context import BaseContext

import pytest

from handbook.concurrency.multiprocessing import (
    SETTING,
    context_for,
    pickle_error,
    pool_map,
    scale,
    setting_seen_by_child,
    square,
    write_in_child,
)

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork start method here"
)


def test_module_level_functions_and_their_partials_pickle() -> None:
    assert pickle_error(square) is None
    tripled = pickle.loads(pickle.dumps(functools.partial(scale, factor=3)))
    assert tripled(2) == 6


def test_lambdas_and_local_functions_do_not_pickle() -> None:
    def local(x: int) -> int:
        return x

    # Functions pickle by qualified name; these have no name a child could import.
    # (Python 3.11-3.13 raise AttributeError for local objects, 3.14 PicklingError.)
    assert pickle_error(lambda x: x) in {"PicklingError", "AttributeError"}
    assert pickle_error(local) in {"PicklingError", "AttributeError"}


def test_locks_and_generators_do_not_pickle() -> None:
    assert pickle_error(threading.Lock()) == "TypeError"
    assert pickle_error(x for x in range(3)) == "TypeError"


def test_spawn_exists_on_every_platform() -> None:
    assert "spawn" in multiprocessing.get_all_start_methods()
    assert context_for("spawn").get_start_method() == "spawn"


def test_an_unknown_start_method_is_rejected_clearly() -> None:
    with pytest.raises(ValueError, match="'threads' is not available here"):
        context_for("threads")


@needs_fork
def test_a_forked_child_inherits_state_the_parent_set_at_run_time() -> None:
    assert setting_seen_by_child(context_for("fork")) == "changed in parent"


def test_a_spawned_child_reimports_the_module_and_sees_none_of_it() -> None:
    assert setting_seen_by_child(context_for("spawn")) == "as imported"
    assert SETTING["mode"] == "as imported"  # and the parent's change was undone


@pytest.fixture
def block_name() -> Iterator[list[str]]:
    """Names of shared blocks a test made; any still present afterwards are freed."""
    names: list[str] = []
    yield names
    for name in names:
        try:
            leftover = shared_memory.SharedMemory(name=name)
        except FileNotFoundError:
            continue
        leftover.close()
        leftover.unlink()


def test_child_writes_shared_memory_and_the_parent_reads_it(mp_context: BaseContext) -> None:
    seen, _ = write_in_child(b"written by the child", mp_context)
    assert seen == b"written by the child"


def test_shared_block_is_unlinked_when_done(mp_context: BaseContext, block_name: list[str]) -> None:
    _, name = write_in_child(b"x", mp_context)
    block_name.append(name)
    # close() only detaches a process; unlink() destroys the block for everyone.
    with pytest.raises(FileNotFoundError):
        shared_memory.SharedMemory(name=name)


def test_empty_shared_block_is_rejected(mp_context: BaseContext) -> None:
    with pytest.raises(ValueError, match="data must not be empty"):
        write_in_child(b"", mp_context)


def test_pool_map_returns_results_in_input_order(mp_context: BaseContext) -> None:
    assert pool_map(range(8), mp_context) == [x * x for x in range(8)]


def test_pool_map_rejects_a_bad_process_count(mp_context: BaseContext) -> None:
    with pytest.raises(ValueError, match="processes must be >= 1"):
        pool_map([1], mp_context, processes=0)
