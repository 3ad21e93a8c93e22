"""Tests for concurrency.multiprocessing_basics: pickling, start methods, shared memory, crashes.

Process start-up is the expensive part, so the tests start few processes: fork
where the platform has it (the ``mp_context`` fixture), one spawned child to show
the difference, and two small scripts for the ``__main__`` guard.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import pickle
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import resource_tracker, shared_memory
from multiprocessing.context import BaseContext
from pathlib import Path

import pytest

from handbook.concurrency.multiprocessing_basics import (
    SETTING,
    arrival_order,
    attach_from_unrelated_process,
    bytes_copied_by_reading,
    context_for,
    executor_after_worker_dies,
    fork_with_a_thread_running,
    get_then_join,
    in_flight_task_after_leaving,
    join_then_get,
    leak_from_fresh_process,
    messages_sent,
    pickle_error,
    pool_after_worker_dies,
    pool_map,
    run_spawn_script,
    scale,
    setting_seen_by_child,
    square,
    start_method_facts,
    worker_pids,
    write_in_child,
)

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork start method here"
)
needs_posix_shm = pytest.mark.skipif(
    sys.platform == "win32", reason="Windows shared memory has no resource tracker and no unlink"
)


def test_module_level_functions_and_their_partials_pickle() -> None:
    assert pickle_error(square) is None
    tripled = pickle.loads(pickle.dumps(functools.partial(scale, factor=3)))
    assert tripled(2) == 6


MODULE_LAMBDA = lambda x: x  # noqa: E731  # a module-level lambda, on purpose


def test_a_module_level_lambda_fails_with_pickling_error() -> None:
    # Pickled by name: module plus qualified name "<lambda>", an attribute the
    # module does not have (the lambda is bound to MODULE_LAMBDA).
    assert pickle_error(MODULE_LAMBDA) == "PicklingError"
    with pytest.raises(pickle.PicklingError, match="attribute lookup <lambda>"):
        pickle.dumps(MODULE_LAMBDA)


@pytest.mark.parametrize("kind", ["def", "lambda"])
def test_anything_defined_inside_a_function_is_a_local_object(kind: str) -> None:
    def local(x: int) -> int:
        return x

    obj = local if kind == "def" else (lambda x: x)
    # A qualified name with "<locals>" in it: no child could ever import it.
    # 3.11-3.13 raise AttributeError for those (3.14 made it PicklingError).
    if sys.version_info >= (3, 14):
        assert pickle_error(obj) == "PicklingError"
    else:
        assert pickle_error(obj) == "AttributeError"
        verb = "get" if sys.version_info >= (3, 13) else "pickle"  # reworded in 3.13
        with pytest.raises(AttributeError, match=f"^Can't {verb} local object '.*<locals>"):
            pickle.dumps(obj)


def test_locks_and_generators_do_not_pickle() -> None:
    assert pickle_error(threading.Lock()) == "TypeError"
    assert pickle_error(x for x in range(3)) == "TypeError"


def test_a_multiprocessing_lock_refuses_to_be_pickled_as_an_argument() -> None:
    lock = multiprocessing.get_context("spawn").Lock()
    assert pickle_error(lock) == "RuntimeError"
    with pytest.raises(RuntimeError, match="only be shared between processes through inheritance"):
        pickle.dumps(lock)


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


def test_without_the_main_guard_the_spawned_child_fails_at_bootstrap(tmp_path: Path) -> None:
    run = run_spawn_script(guarded=False, directory=tmp_path)
    # The child re-ran the top level as __mp_main__, reached start() and refused.
    assert "top level ran as __main__" in run.stderr
    assert "top level ran as __mp_main__" in run.stderr
    assert "RuntimeError" in run.stderr
    assert "finished its bootstrapping phase" in run.stderr
    # Its target never ran, it exited with status 1, and it started nothing of its
    # own: a grandchild would have printed a third "top level ran" line.
    assert run.stdout == ["child exit code 1"]
    assert run.stderr.count("top level ran") == 2
    assert run.returncode == 0  # the parent's own start() succeeded


def test_with_the_main_guard_the_spawned_child_runs_its_target(tmp_path: Path) -> None:
    run = run_spawn_script(guarded=True, directory=tmp_path)
    assert run.stdout == ["work ran", "child exit code 0"]
    # The guard only skips main(): the top level still runs again in the child.
    assert "top level ran as __mp_main__" in run.stderr
    assert "RuntimeError" not in run.stderr


def test_run_spawn_script_rejects_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError, match="not a directory"):
        run_spawn_script(guarded=True, directory=tmp_path / "missing")


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


def exists(name: str) -> bool:
    """Whether a shared block called ``name`` exists (attaching here, then detaching).

    Attaching registers the name with this process's resource tracker, so the
    registration is withdrawn again: this check must not schedule an unlink.
    """
    try:
        block = shared_memory.SharedMemory(name=name)
    except FileNotFoundError:
        return False
    block.close()
    if sys.platform != "win32":
        resource_tracker.unregister(block._name, "shared_memory")  # type: ignore[attr-defined]
    return True


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


@needs_posix_shm
def test_a_leaked_block_is_unlinked_by_the_resource_tracker_at_exit(
    block_name: list[str],
) -> None:
    name, stderr = leak_from_fresh_process()
    block_name.append(name)
    # Gone although nobody called unlink(): the program's tracker did, and said so.
    assert exists(name) is False
    assert "leaked shared_memory objects" in stderr


@needs_posix_shm
def test_an_untracked_leak_outlives_its_process_from_313(block_name: list[str]) -> None:
    if sys.version_info >= (3, 13):
        name, stderr = leak_from_fresh_process(track=False)
        block_name.append(name)  # the fixture unlinks it: nobody else ever will
        assert exists(name) is True
        assert "leaked" not in stderr
    else:
        with pytest.raises(RuntimeError, match="unexpected keyword argument 'track'"):
            leak_from_fresh_process(track=False)


@pytest.fixture
def owned_block() -> Iterator[shared_memory.SharedMemory]:
    """A block this process creates and owns; freed afterwards unless someone else did."""
    block = shared_memory.SharedMemory(create=True, size=16)
    try:
        yield block
    finally:
        block.close()
        try:
            block.unlink()
        except FileNotFoundError:
            # Destroyed behind our back: withdraw our tracker's registration
            # too, or the tracker would warn about (and retry) it at exit.
            resource_tracker.unregister(block._name, "shared_memory")  # type: ignore[attr-defined]


@needs_posix_shm
def test_an_unrelated_process_that_attaches_destroys_the_block_when_it_exits(
    owned_block: shared_memory.SharedMemory,
) -> None:
    done = attach_from_unrelated_process(owned_block.name)
    assert done.returncode == 0, done.stderr
    # The attacher only attached and closed, yet its tracker unlinked our block.
    # The same on 3.11, 3.12 and 3.13: tracking is the default everywhere.
    assert exists(owned_block.name) is False
    assert "leaked shared_memory objects" in done.stderr
    with pytest.raises(FileNotFoundError):
        owned_block.unlink()  # the owner's own clean-up now fails
    owned_block.unlink = lambda: None  # type: ignore[method-assign]  # already gone


@needs_posix_shm
def test_unregistering_after_attaching_leaves_the_block_alone(
    owned_block: shared_memory.SharedMemory,
) -> None:
    done = attach_from_unrelated_process(owned_block.name, "unregister")
    assert done.returncode == 0, done.stderr
    assert exists(owned_block.name) is True
    assert "leaked" not in done.stderr


@needs_posix_shm
def test_track_false_exists_from_313_and_leaves_the_block_alone(
    owned_block: shared_memory.SharedMemory,
) -> None:
    done = attach_from_unrelated_process(owned_block.name, "untracked")
    if sys.version_info >= (3, 13):
        assert done.returncode == 0, done.stderr
        assert exists(owned_block.name) is True
        assert "leaked" not in done.stderr
    else:
        # 3.11 and 3.12: no such parameter; the attaching program fails.
        assert done.returncode == 1
        assert "unexpected keyword argument 'track'" in done.stderr
        assert exists(owned_block.name) is True  # it died before attaching


def test_attach_mode_is_checked() -> None:
    with pytest.raises(ValueError, match="mode must be"):
        attach_from_unrelated_process("psm_x", "sometimes")  # type: ignore[arg-type]


# Copy-on-write. N floats: each is its own object of sys.getsizeof(1.5) bytes
# (24 on 64-bit builds; pymalloc rounds each up to a 32-byte slot), packed into
# pages that hold nothing but floats. Reading one writes its refcount, so every
# such page is copied: at least N * 24 bytes. A bytes object of the same size
# is one object: reading its contents writes nothing, so under half of it (far
# less in practice) can have been copied.
N_FLOATS = 200_000

needs_linux_fork = pytest.mark.skipif(
    not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods(),
    reason="measures copy-on-write with fork and Linux's /proc/self/smaps_rollup",
)


@pytest.fixture
def floats() -> list[float]:
    return [i + 0.5 for i in range(N_FLOATS)]  # distinct objects: not cached, not immortal


@needs_linux_fork
def test_reading_python_objects_in_a_forked_child_copies_their_pages(floats: list[float]) -> None:
    seen = bytes_copied_by_reading(floats, context_for("fork"))
    assert seen.copied >= N_FLOATS * sys.getsizeof(1.5)
    # The child inherits this process's permanent generation unchanged. (Not
    # always empty at start-up: 3.12 begins with some objects already in it.)
    assert seen.frozen == gc.get_freeze_count()


@needs_linux_fork
def test_gc_freeze_does_not_stop_refcount_writes(floats: list[float]) -> None:
    before = gc.get_freeze_count()
    seen = bytes_copied_by_reading(floats, context_for("fork"), freeze=True)
    # The freeze really happened before the fork: the child's permanent
    # generation holds every object the collector tracked, the list included,
    # which was not in it before.
    assert seen.frozen > before
    # Floats are not even among them: the collector never tracks objects that
    # cannot hold references, so freezing keeps it off the list, not off them.
    assert gc.is_tracked(floats) is True
    assert gc.is_tracked(floats[0]) is False
    assert seen.copied >= N_FLOATS * sys.getsizeof(1.5)


@needs_linux_fork
def test_reading_a_raw_buffer_in_a_forked_child_copies_almost_nothing() -> None:
    buffer = bytes(range(256)) * (N_FLOATS * 24 // 256)  # as many bytes as the floats
    seen = bytes_copied_by_reading(buffer, context_for("fork"))
    assert seen.copied < len(buffer) // 2


def test_copy_on_write_needs_fork() -> None:
    with pytest.raises(ValueError, match="needs the 'fork' start method"):
        bytes_copied_by_reading([1.5], context_for("spawn"))


# Chunks. The function is pickled once per message (a chunk travels with it).


def test_pool_map_sends_one_message_per_chunk(mp_context: BaseContext) -> None:
    assert messages_sent(8, mp_context, "Pool.map", chunksize=1) == 8
    assert messages_sent(8, mp_context, "Pool.map", chunksize=4) == 2  # ceil(8 / 4)


def test_pool_map_picks_a_chunksize_and_imap_does_not(mp_context: BaseContext) -> None:
    # Pool.map: chunksize = ceil(100 / (2 workers * 4)) = 13, so ceil(100 / 13) = 8.
    assert messages_sent(100, mp_context, "Pool.map") == 8
    # Pool.imap's default chunksize is 1: one message per item.
    assert messages_sent(100, mp_context, "Pool.imap") == 100


def test_executor_map_defaults_to_one_item_per_message(mp_context: BaseContext) -> None:
    assert messages_sent(8, mp_context, "ProcessPoolExecutor.map") == 8
    assert messages_sent(8, mp_context, "ProcessPoolExecutor.map", chunksize=4) == 2


def test_messages_sent_rejects_bad_input(mp_context: BaseContext) -> None:
    with pytest.raises(ValueError, match="must be >= 1"):
        messages_sent(0, mp_context, "Pool.map")
    with pytest.raises(ValueError, match="unknown api"):
        messages_sent(1, mp_context, "Pool.starmap")  # type: ignore[arg-type]


# A worker that dies mid-task.


def test_pool_replaces_a_dead_worker_and_loses_its_task(mp_context: BaseContext) -> None:
    seen = pool_after_worker_dies(mp_context)
    assert seen.next_result == 9  # the replacement worker serves later tasks
    assert seen.lost_task_ready is False  # the crashed task never completes...
    assert seen.get_timed_out is True  # ...so get() without a timeout would wait forever


def test_executor_breaks_and_refuses_new_work_when_a_worker_dies(mp_context: BaseContext) -> None:
    assert executor_after_worker_dies(mp_context) == ("BrokenProcessPool", "BrokenProcessPool")


def test_pool_map_returns_results_in_input_order(mp_context: BaseContext) -> None:
    assert pool_map(range(8), mp_context) == [x * x for x in range(8)]


def test_pool_map_rejects_a_bad_process_count(mp_context: BaseContext) -> None:
    with pytest.raises(ValueError, match="processes must be >= 1"):
        pool_map([1], mp_context, processes=0)


# Start methods, asked of fresh interpreters: this process's choice is global.


def test_the_default_start_method_and_set_start_method_works_once() -> None:
    if sys.platform.startswith("linux"):
        default = "fork" if sys.version_info < (3, 14) else "forkserver"  # gh-84559
    else:
        default = "spawn"  # macOS (since 3.8) and Windows
    assert start_method_facts() == [
        "None",  # nothing has chosen a method yet
        default,  # asking for it fixes the default...
        "set spawn: RuntimeError: context has already been set",  # ...so setting fails
        "spawn",  # force=True overrides
        "set fork: RuntimeError: context has already been set",  # a set one is fixed too
    ]


@needs_fork
def test_fork_with_a_thread_running_warns_from_312() -> None:
    done = fork_with_a_thread_running("always")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "fork returned\n"
    warned = "DeprecationWarning: This process (pid=" in done.stderr
    assert warned is (sys.version_info >= (3, 12))
    if warned:
        assert "is multi-threaded, use of fork() may lead to deadlocks in the child" in done.stderr


@needs_fork
def test_the_fork_warning_turned_into_an_error_is_dropped_not_raised() -> None:
    # What a suite with filterwarnings = error sees: nothing at all, on every version.
    done = fork_with_a_thread_running("error")
    assert (done.returncode, done.stdout, done.stderr) == (0, "fork returned\n", "")


def test_fork_warning_demo_rejects_an_unknown_filter() -> None:
    with pytest.raises(ValueError, match="action must be"):
        fork_with_a_thread_running("ignore")  # type: ignore[arg-type]


# Leaving a pool, recycling workers, per-worker set-up, completion order.


def test_leaving_a_with_pool_block_terminates_the_task_in_flight(mp_context: BaseContext) -> None:
    assert in_flight_task_after_leaving(mp_context, "with") is False


def test_close_then_join_lets_the_task_in_flight_finish(mp_context: BaseContext) -> None:
    assert in_flight_task_after_leaving(mp_context, "close-join") is True


def test_in_flight_demo_rejects_an_unknown_way_out(mp_context: BaseContext) -> None:
    with pytest.raises(ValueError, match="leave_by must be"):
        in_flight_task_after_leaving(mp_context, "del")  # type: ignore[arg-type]


def test_maxtasksperchild_replaces_the_worker_after_each_task(mp_context: BaseContext) -> None:
    # One worker, three tasks, chunksize 1: a new process for every task.
    assert len(set(worker_pids(mp_context, 3, maxtasksperchild=1))) == 3


def test_without_maxtasksperchild_one_worker_runs_every_task(mp_context: BaseContext) -> None:
    assert len(set(worker_pids(mp_context, 3, maxtasksperchild=None))) == 1


def test_worker_pids_rejects_no_tasks(mp_context: BaseContext) -> None:
    with pytest.raises(ValueError, match="tasks must be >= 1"):
        worker_pids(mp_context, 0, maxtasksperchild=None)


@needs_fork
def test_executor_max_tasks_per_child_refuses_fork() -> None:
    with pytest.raises(ValueError, match="incompatible with the 'fork' multiprocessing start"):
        ProcessPoolExecutor(1, mp_context=context_for("fork"), max_tasks_per_child=1)


def test_executor_max_tasks_per_child_defaults_to_spawn() -> None:
    executor = ProcessPoolExecutor(1, max_tasks_per_child=1)  # starts no process yet
    try:
        chosen = executor._mp_context  # private, but it is what the workers will use
        assert chosen is not None
        assert chosen.get_start_method() == "spawn"
    finally:
        executor.shutdown()


def test_imap_holds_back_a_finished_result_until_the_earlier_ones_are_in(
    mp_context: BaseContext,
) -> None:
    # Task 1 is done, task 0 cannot finish until released: imap's first result
    # is task 0's, so the bounded wait for it runs out, however long the bound.
    assert arrival_order(mp_context, "imap", first_wait=0.05) == ([0, 1], True)


def test_imap_unordered_yields_results_as_they_complete(mp_context: BaseContext) -> None:
    # Task 1's result comes first; the wait returns as soon as it arrives.
    assert arrival_order(mp_context, "imap_unordered", first_wait=60) == ([1, 0], False)


def test_arrival_order_rejects_an_unknown_api(mp_context: BaseContext) -> None:
    with pytest.raises(ValueError, match="api must be"):
        arrival_order(mp_context, "map", first_wait=0)  # type: ignore[arg-type]


# Queues and join. A new Linux pipe holds 16 pages (pipe(7)): 64 KiB with
# 4 KiB pages, 1 MiB with 64 KiB pages. An item of 4 MiB cannot be written
# into it until someone reads; one of 1 KiB fits.
BIG = 4 << 20
SMALL = 1 << 10


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="F_GETPIPE_SZ is Linux-only")
def test_a_new_pipe_holds_sixteen_pages_less_than_the_big_item() -> None:
    import fcntl

    read_end, write_end = os.pipe()
    try:
        capacity = fcntl.fcntl(write_end, fcntl.F_GETPIPE_SZ)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert capacity == 16 * os.sysconf("SC_PAGE_SIZE")
    assert SMALL < capacity < BIG


def test_a_child_with_an_unread_big_queue_item_does_not_exit(mp_context: BaseContext) -> None:
    # The join is bounded only so that the test ends: without a get() the
    # child would never exit, however long the bound.
    seen = join_then_get(mp_context, BIG, join_bound=0.05)
    assert seen.exited_before_get is False
    assert seen.received == BIG  # draining the queue...
    assert seen.exitcode == 0  # ...let it finish normally


def test_a_child_whose_queue_item_fits_the_pipe_exits_before_get(mp_context: BaseContext) -> None:
    # The feeder writes the whole item into the pipe, so nothing holds the
    # child back; the join returns as soon as it exits (the bound is a safety net).
    seen = join_then_get(mp_context, SMALL, join_bound=60)
    assert seen.exited_before_get is True
    assert (seen.received, seen.exitcode) == (SMALL, 0)


def test_get_then_join_never_waits_on_the_feeder(mp_context: BaseContext) -> None:
    assert get_then_join(mp_context, BIG) == (BIG, 0)


def test_queue_demos_reject_an_empty_item(mp_context: BaseContext) -> None:
    with pytest.raises(ValueError, match="size must be >= 1"):
        join_then_get(mp_context, 0, join_bound=0)
    with pytest.raises(ValueError, match="size must be >= 1"):
        get_then_join(mp_context, 0)
