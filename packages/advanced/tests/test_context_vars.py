"""Tests for advanced.context_vars: tasks copy the context, executors and bare threads do not."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import pickle
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from handbook.advanced.context_vars import (
    ContextVarStore,
    RequestIdFilter,
    ThreadLocalStore,
    bound_request_id,
    handle,
    map_in_context,
    request_id,
    submit_in_context,
    submit_leaky,
)

var: contextvars.ContextVar[str] = contextvars.ContextVar("test_var", default="default")


def read_var() -> str:
    return var.get()


def read_request_id() -> str:
    return request_id.get()


async def two_interleaved_requests(store: ContextVarStore | ThreadLocalStore) -> list[str]:
    """Request a binds, waits; request b binds, waits; both resume: what does each read?"""
    gate = asyncio.Event()
    a = asyncio.create_task(handle(store, "req-a", gate))
    b = asyncio.create_task(handle(store, "req-b", gate))
    await asyncio.sleep(0)  # one loop turn: both tasks have run up to gate.wait()
    gate.set()
    return list(await asyncio.gather(a, b))


def test_a_thread_local_in_asyncio_lets_one_request_read_anothers_id() -> None:
    assert asyncio.run(two_interleaved_requests(ThreadLocalStore())) == ["req-b", "req-b"]


def test_a_context_var_keeps_each_tasks_id_across_awaits() -> None:
    assert asyncio.run(two_interleaved_requests(ContextVarStore())) == ["req-a", "req-b"]


def test_a_task_copies_the_context_when_it_is_created_not_when_it_runs() -> None:
    async def main() -> str:
        var.set("before")
        task = asyncio.create_task(_read_async())
        var.set("after")  # the task has not run yet, but it already holds its copy
        return await task

    assert asyncio.run(main()) == "before"


async def _read_async() -> str:
    return var.get()


async def _set_async(value: str) -> str:
    var.set(value)
    await asyncio.sleep(0)
    return var.get()


def test_a_change_in_a_task_is_seen_by_neither_the_caller_nor_a_sibling() -> None:
    async def main() -> tuple[str, str, str]:
        var.set("caller")
        setter = asyncio.create_task(_set_async("set-in-task"))
        inside = await setter
        sibling = await asyncio.create_task(_read_async())
        return inside, sibling, var.get()

    assert asyncio.run(main()) == ("set-in-task", "caller", "caller")


def test_gather_runs_each_coroutine_in_its_own_copy() -> None:
    async def main() -> tuple[list[str], str]:
        var.set("caller")
        # Tasks first run in creation order, so _read_async runs after both setters
        # have set their value: it would see "two" if the copies were shared.
        seen = await asyncio.gather(_set_async("one"), _set_async("two"), _read_async())
        return list(seen), var.get()

    assert asyncio.run(main()) == (["one", "two", "caller"], "caller")


def test_a_coroutine_awaited_directly_shares_the_callers_context() -> None:
    async def main() -> str:
        var.set("caller")
        await _set_async("set-by-callee")  # no task: same context
        return var.get()

    assert asyncio.run(main()) == "set-by-callee"


def test_the_copy_is_shallow_so_a_mutated_dict_is_shared() -> None:
    holder: contextvars.ContextVar[dict[str, str]] = contextvars.ContextVar("holder")

    async def mutate() -> None:
        holder.get()["user"] = "set-in-task"

    async def main() -> dict[str, str]:
        holder.set({})
        await asyncio.create_task(mutate())
        return holder.get()

    assert asyncio.run(main()) == {"user": "set-in-task"}


def test_to_thread_propagates_the_context() -> None:
    async def main() -> str:
        var.set("request")
        return await asyncio.to_thread(read_var)

    assert asyncio.run(main()) == "request"


def test_run_in_executor_does_not_propagate_the_context() -> None:
    async def main() -> tuple[str, str, str]:
        var.set("request")
        loop = asyncio.get_running_loop()
        with ThreadPoolExecutor(max_workers=1) as ex:
            bare = await loop.run_in_executor(ex, read_var)
            default_pool = await loop.run_in_executor(None, read_var)
            fixed = await loop.run_in_executor(
                ex, functools.partial(contextvars.copy_context().run, read_var)
            )
        return bare, default_pool, fixed

    assert asyncio.run(main()) == ("default", "default", "request")


def test_a_bare_executor_submit_does_not_see_the_callers_context() -> None:
    with ThreadPoolExecutor(max_workers=1) as ex, bound_request_id("req-1"):
        assert submit_leaky(ex, read_request_id).result() == "-"


def test_a_bare_executor_job_sees_what_an_earlier_job_left_on_that_worker() -> None:
    def leave_behind() -> None:
        request_id.set("job-1")

    with ThreadPoolExecutor(max_workers=1) as ex:  # one worker: both jobs run on it
        submit_leaky(ex, leave_behind).result()
        with bound_request_id("req-2"):
            assert submit_leaky(ex, read_request_id).result() == "job-1"
            assert submit_in_context(ex, read_request_id).result() == "req-2"


def test_submit_in_context_sees_the_callers_context() -> None:
    with ThreadPoolExecutor(max_workers=1) as ex, bound_request_id("req-1"):
        assert submit_in_context(ex, read_request_id).result() == "req-1"


def test_a_change_inside_submit_in_context_does_not_leak_back_to_the_caller() -> None:
    def set_and_read() -> str:
        request_id.set("set-in-worker")
        return request_id.get()

    with ThreadPoolExecutor(max_workers=1) as ex, bound_request_id("req-1"):
        assert submit_in_context(ex, set_and_read).result() == "set-in-worker"
        assert request_id.get() == "req-1"


def test_map_in_context_gives_each_job_its_own_copy() -> None:
    threads: list[threading.Thread] = []

    def job(n: int) -> str:
        threads.append(threading.current_thread())
        seen = request_id.get()
        request_id.set(f"job-{n}")  # must not be seen by the next job
        return f"{n}:{seen}"

    # One worker: the jobs run one after another on the same thread.
    with ThreadPoolExecutor(max_workers=1) as ex, bound_request_id("req-1"):
        results = map_in_context(ex, job, range(3))
    # One result per item, in item order, each job seeing the caller's value.
    assert results == ["0:req-1", "1:req-1", "2:req-1"]
    # The jobs ran on the executor's worker, not in the caller's thread.
    assert len(threads) == 3
    assert all(t is not threading.current_thread() for t in threads)


def test_a_context_cannot_be_pickled_so_the_fix_is_for_threads_only() -> None:
    # What a ProcessPoolExecutor would have to do with submit(ctx.run, fn).
    with pytest.raises(TypeError, match="pickle"):
        pickle.dumps(contextvars.copy_context())


def test_resetting_a_token_in_another_context_raises_value_error() -> None:
    token = var.set("outer")
    try:
        with pytest.raises(ValueError, match="different Context"):
            contextvars.copy_context().run(var.reset, token)
    finally:
        var.reset(token)
    with pytest.raises(RuntimeError, match="already been used"):
        var.reset(token)


def test_create_task_can_be_given_an_explicit_context() -> None:
    async def main() -> str:
        var.set("caller")
        return await asyncio.create_task(_read_async(), context=contextvars.Context())

    assert asyncio.run(main()) == "default"


def test_one_context_entered_twice_at_once_raises_runtime_error() -> None:
    ctx = contextvars.copy_context()
    entered, release = threading.Event(), threading.Event()

    def hold() -> None:
        entered.set()
        assert release.wait(timeout=10)

    with ThreadPoolExecutor(max_workers=1) as ex:
        first = ex.submit(ctx.run, hold)
        assert entered.wait(timeout=10)  # the worker is inside ctx now
        try:
            with pytest.raises(RuntimeError, match="cannot enter context"):
                ctx.run(read_var)
        finally:
            release.set()
        first.result()


def test_a_bare_thread_starts_with_an_empty_context() -> None:
    seen: list[tuple[str, int]] = []

    def report() -> None:
        seen.append((var.get(), len(contextvars.copy_context())))

    token = var.set("request")
    try:
        thread = threading.Thread(target=report)
        thread.start()
        thread.join()
    finally:
        var.reset(token)
    if sys.version_info < (3, 14):
        assert seen == [("default", 0)]  # 3.11, 3.12, 3.13: a new context with nothing bound
    else:  # 3.14 docs: the flag decides (true by default only on free-threaded builds)
        inherit = getattr(sys.flags, "thread_inherit_context", 0)
        assert seen[0][0] == ("request" if inherit else "default")


def test_call_soon_runs_a_callback_in_a_copy_taken_when_it_is_scheduled() -> None:
    async def main() -> list[str]:
        seen: list[str] = []
        loop = asyncio.get_running_loop()
        var.set("scheduled")
        loop.call_soon(lambda: seen.append(var.get()))
        other = contextvars.Context()  # an empty context, passed explicitly
        loop.call_soon(lambda: seen.append(var.get()), context=other)
        var.set("changed later")
        await asyncio.sleep(0)  # one loop turn: both callbacks run
        return seen

    assert asyncio.run(main()) == ["scheduled", "default"]


def test_a_thread_can_be_started_in_a_copy_of_the_context() -> None:
    seen: list[str] = []
    with bound_request_id("req-1"):
        ctx = contextvars.copy_context()
        thread = threading.Thread(target=ctx.run, args=(lambda: seen.append(request_id.get()),))
        thread.start()
        thread.join()
    assert seen == ["req-1"]


def test_reset_restores_the_previous_value_even_after_an_error() -> None:
    with bound_request_id("outer"):
        with pytest.raises(KeyError), bound_request_id("inner"):
            raise KeyError("boom")
        assert request_id.get() == "outer"
    assert request_id.get() == "-"


def test_the_filter_stamps_each_concurrent_requests_log_lines_with_its_own_id() -> None:
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("handbook.advanced.context_vars.test")
    handler = Collect()
    handler.addFilter(RequestIdFilter())
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)

    async def serve(rid: str, gate: asyncio.Event) -> None:
        with bound_request_id(rid):
            logger.info("start")
            await gate.wait()
            logger.info("done")

    async def main() -> None:
        gate = asyncio.Event()
        tasks = [asyncio.create_task(serve(r, gate)) for r in ("a", "b")]
        await asyncio.sleep(0)
        gate.set()
        await asyncio.gather(*tasks)

    try:
        asyncio.run(main())
    finally:
        logger.removeHandler(handler)
    lines = [(r.getMessage(), getattr(r, "request_id", None)) for r in records]
    assert lines == [("start", "a"), ("start", "b"), ("done", "a"), ("done", "b")]
