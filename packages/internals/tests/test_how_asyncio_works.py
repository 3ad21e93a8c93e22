"""Tests for internals.how_asyncio_works: a tiny selector loop serving real loopback sockets."""

from __future__ import annotations

import asyncio
import selectors
import socket
import sys
from collections.abc import Coroutine, Iterator
from typing import Any

import pytest

from handbook.internals.how_asyncio_works import (
    Future,
    LoopStalled,
    TinyLoop,
    blocking_reader,
    echo_client,
    echo_server,
    polite_reader,
)


@pytest.fixture
def loop() -> Iterator[TinyLoop]:
    tiny = TinyLoop(max_steps=1_000)
    yield tiny
    tiny.close()


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    yield sock
    sock.close()


def _port(sock: socket.socket) -> int:
    port: int = sock.getsockname()[1]
    return port


def test_one_thread_serves_several_clients_concurrently(
    loop: TinyLoop, listener: socket.socket
) -> None:
    log: list[str] = []
    b_done: Future[None] = Future(loop)
    port = _port(listener)

    async def main() -> list[bytes]:
        server = loop.create_task(echo_server(loop, listener, 2, log))
        # A connects first but sends only after B has its reply.
        a = loop.create_task(echo_client(loop, port, "A", log, before_send=b_done))
        b = loop.create_task(echo_client(loop, port, "B", log, after_reply=b_done))
        replies = [await a, await b]
        await server
        return replies

    assert loop.run_until_complete(main()) == [b"A", b"B"]
    assert log.index("B got B") < log.index("server echoes A")
    assert log[:2] == ["A connected", "B connected"]
    assert log[-1] == "A got A"


def test_many_clients_all_get_their_own_echo(loop: TinyLoop, listener: socket.socket) -> None:
    log: list[str] = []
    names = [f"c{i}" for i in range(5)]

    async def main() -> list[bytes]:
        server = loop.create_task(echo_server(loop, listener, len(names), log))
        tasks = [loop.create_task(echo_client(loop, _port(listener), n, log)) for n in names]
        replies = [await t for t in tasks]
        await server
        return replies

    assert loop.run_until_complete(main()) == [n.encode() for n in names]
    assert not loop.selector.get_map()  # every wait was unregistered


def _writer_after_one_yield(loop: TinyLoop, sock: socket.socket, log: list[str]) -> Any:
    async def writer() -> None:
        tick: Future[None] = Future(loop)
        loop.call_soon(tick.set_result, None)  # like asyncio.sleep(0): yield once
        await tick
        log.append("writer sends")
        sock.sendall(b"ping")

    return writer()


def _run_pair(loop: TinyLoop, reader: Coroutine[Future[Any], None, bytes], writer: Any) -> bytes:
    async def main() -> bytes:
        r = loop.create_task(reader)
        w = loop.create_task(writer)
        data = await r
        await w
        return data

    return loop.run_until_complete(main())


def test_a_blocking_call_in_a_task_stalls_every_other_task(loop: TinyLoop) -> None:
    log: list[str] = []
    left, right = socket.socketpair()
    with left, right:
        data = _run_pair(
            loop, blocking_reader(left, log), _writer_after_one_yield(loop, right, log)
        )
    assert data == b""
    # The writer could not run while the reader held the thread, so the data
    # it would have sent came too late.
    assert log == ["reader waits", "reader timed out", "writer sends"]


def test_awaiting_readiness_lets_other_tasks_run_meanwhile(loop: TinyLoop) -> None:
    log: list[str] = []
    left, right = socket.socketpair()
    left.setblocking(False)
    with left, right:
        reader = polite_reader(loop, left, log)
        data = _run_pair(loop, reader, _writer_after_one_yield(loop, right, log))
    assert data == b"ping"
    assert log == ["reader waits", "writer sends", "reader got ping"]


def test_a_future_resumes_its_task_through_a_callback(loop: TinyLoop) -> None:
    log: list[str] = []
    fut: Future[int] = Future(loop)

    async def waiter() -> int:
        log.append("waiting")
        value = await fut
        log.append(f"resumed with {value}")
        return value

    async def main() -> int:
        task = loop.create_task(waiter())

        def resolve() -> None:
            log.append("callback sets 42")
            fut.set_result(42)

        loop.call_soon(resolve)
        return await task

    assert loop.run_until_complete(main()) == 42
    assert log == ["waiting", "callback sets 42", "resumed with 42"]


def test_set_result_schedules_callbacks_instead_of_calling_them(loop: TinyLoop) -> None:
    fut: Future[str] = Future(loop)
    seen: list[str] = []
    fut.add_done_callback(lambda f: seen.append(f.result()))
    fut.set_result("x")
    assert seen == []  # queued, like asyncio.Future
    assert len(loop.ready) == 1
    callback, args = loop.ready.popleft()
    callback(*args)
    assert seen == ["x"]


def test_a_callback_added_to_a_done_future_is_queued_not_called(loop: TinyLoop) -> None:
    fut: Future[str] = Future(loop)
    fut.set_result("x")
    seen: list[str] = []
    fut.add_done_callback(lambda f: seen.append(f.result()))
    assert seen == []  # asyncio.Future does the same: call_soon, never inline
    assert len(loop.ready) == 1
    callback, args = loop.ready.popleft()
    callback(*args)
    assert seen == ["x"]


def test_the_server_waits_for_its_handlers(loop: TinyLoop, listener: socket.socket) -> None:
    log: list[str] = []
    states: list[str] = []
    client = socket.create_connection(("127.0.0.1", _port(listener)))
    client.setblocking(False)

    async def main() -> None:
        server = loop.create_task(echo_server(loop, listener, 1, log))
        client.sendall(b"hi")
        assert await loop.sock_recv(client, 1024) == b"hi"
        # Served, but the connection is open: its handler waits for more data.
        states.append(f"after reply: done={server.done()}")
        client.close()  # end-of-file ends the handler, and then the server
        await server
        states.append(f"after close: done={server.done()}")

    try:
        loop.run_until_complete(main())
    finally:
        client.close()
    assert states == ["after reply: done=False", "after close: done=True"]
    assert not loop.selector.get_map()


def test_a_raw_selector_refuses_a_second_registration_of_one_socket() -> None:
    left, right = socket.socketpair()
    with left, right, selectors.DefaultSelector() as selector:
        selector.register(left, selectors.EVENT_READ)
        with pytest.raises(KeyError, match="already registered"):
            selector.register(left, selectors.EVENT_READ)


def test_asyncio_add_reader_replaces_the_previous_reader_of_a_socket() -> None:
    calls: list[str] = []
    aio = asyncio.new_event_loop()
    left, right = socket.socketpair()
    try:
        woken = aio.create_future()

        def second() -> None:
            calls.append("second")
            aio.remove_reader(left)  # level-triggered: it would run again otherwise
            woken.set_result(None)

        aio.add_reader(left, calls.append, "first")
        aio.add_reader(left, second)  # no KeyError: it replaces "first"
        right.send(b"x")
        aio.run_until_complete(woken)
        assert calls == ["second"]
        assert not aio.remove_reader(left)  # nothing registered any more
    finally:
        left.close()
        right.close()
        aio.close()


def test_asyncio_two_sock_recv_on_one_socket_lose_the_first_waiter() -> None:
    async def main() -> tuple[bytes, bool]:
        aio = asyncio.get_running_loop()
        left, right = socket.socketpair()
        left.setblocking(False)
        with left, right:
            first = asyncio.create_task(aio.sock_recv(left, 16))
            await asyncio.sleep(0)  # first finds no data and adds its reader
            second = asyncio.create_task(aio.sock_recv(left, 16))
            await asyncio.sleep(0)  # second's reader replaces first's
            right.send(b"x")
            got = await second
            right.send(b"y")  # data is there, but nobody waits for it on first's behalf
            for _ in range(5):  # each sleep(0) is a loop iteration with a select
                await asyncio.sleep(0)
            first_done = first.done()
            first.cancel()
            with pytest.raises(asyncio.CancelledError):
                await first
        return got, first_done

    assert asyncio.run(main()) == (b"x", False)


def test_asyncio_futures_also_queue_their_callbacks() -> None:
    aio = asyncio.new_event_loop()
    try:
        seen: list[str] = []
        pending: asyncio.Future[str] = aio.create_future()
        pending.add_done_callback(lambda f: seen.append("on set_result"))
        pending.set_result("x")
        done: asyncio.Future[str] = aio.create_future()
        done.set_result("y")
        done.add_done_callback(lambda f: seen.append("added when done"))
        assert seen == []  # neither ran inline
        aio.run_until_complete(asyncio.sleep(0))  # one iteration runs the ready queue
        assert seen == ["on set_result", "added when done"]
    finally:
        aio.close()


def test_eager_tasks_from_312_run_until_their_first_suspension() -> None:
    log: list[str] = []

    async def quick() -> None:
        log.append("quick ran")

    async def suspends() -> None:
        log.append("before await")
        await asyncio.sleep(0)
        log.append("after await")

    async def main() -> list[object]:
        quick_task = asyncio.create_task(quick())
        slow_task = asyncio.create_task(suspends())
        seen: list[object] = [*log, quick_task.done(), slow_task.done()]
        await asyncio.gather(quick_task, slow_task)
        return seen

    default = asyncio.new_event_loop()
    try:
        assert default.run_until_complete(main()) == [False, False]  # first steps queued
    finally:
        default.close()
    log.clear()
    if sys.version_info >= (3, 12):
        eager = asyncio.new_event_loop()
        eager.set_task_factory(asyncio.eager_task_factory)
        try:
            # quick finished inside create_task; suspends ran up to its await.
            assert eager.run_until_complete(main()) == ["quick ran", "before await", True, False]
        finally:
            eager.close()
        assert log[-1] == "after await"
    else:
        assert not hasattr(asyncio, "eager_task_factory")


def test_the_parts_match_asyncios_own() -> None:
    tiny = TinyLoop()
    aio = asyncio.new_event_loop()
    try:
        assert isinstance(aio._ready, type(tiny.ready))  # type: ignore[attr-defined]
        assert type(aio._selector) is type(tiny.selector)  # type: ignore[attr-defined]
        if sys.platform == "linux":
            assert isinstance(tiny.selector, selectors.EpollSelector)
    finally:
        aio.close()
        tiny.close()


def test_a_future_cannot_be_resolved_twice(loop: TinyLoop) -> None:
    fut: Future[int] = Future(loop)
    fut.set_result(1)
    with pytest.raises(RuntimeError, match="already set"):
        fut.set_result(2)


def test_a_task_waiting_on_nothing_fails_instead_of_hanging(loop: TinyLoop) -> None:
    never: Future[None] = Future(loop)

    async def stuck() -> None:
        await never

    with pytest.raises(LoopStalled, match=r"^nothing ready and nothing to wait for$"):
        loop.run_until_complete(stuck())


def test_waiting_on_a_socket_nobody_writes_fails_after_the_select_timeout() -> None:
    tiny = TinyLoop(select_timeout=0.01)  # nobody ever writes: the wait always times out
    left, right = socket.socketpair()
    left.setblocking(False)
    try:
        with pytest.raises(LoopStalled, match=r"^selector timed out with nothing ready$"):
            tiny.run_until_complete(tiny.sock_recv(left, 1))
    finally:
        left.close()
        right.close()
        tiny.close()


def test_the_step_limit_bounds_a_task_that_never_finishes() -> None:
    tiny = TinyLoop(max_steps=50)

    async def spin() -> None:
        while True:
            tick: Future[None] = Future(tiny)
            tiny.call_soon(tick.set_result, None)
            await tick

    coro = spin()
    try:
        with pytest.raises(LoopStalled, match="50 steps"):
            tiny.run_until_complete(coro)
    finally:
        coro.close()
        tiny.close()
