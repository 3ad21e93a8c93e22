"""How asyncio works: a ready queue, a selector, futures and callbacks, in about a hundred lines.

Why interviewers ask this:
    "How can one thread serve ten thousand sockets?" and "why did my
    ``time.sleep`` freeze the whole service?" have the same answer: an event
    loop. Candidates who can sketch one (a queue of callbacks ready to run, a
    selector that says which sockets are ready, futures that wake tasks via
    callbacks) reason correctly about blocking calls, fairness, cancellation
    and why ``await`` is the only place a task can be switched out.

Common pitfalls:
    - A blocking call inside a task (``time.sleep``, ``requests.get``, a
      blocking ``sock.recv``) freezes every task: the loop only regains control
      at an ``await``. Here a task that blocks waiting for data another task
      would send can never get it (``blocking_reader`` vs ``polite_reader``).
    - Awaiting each connection's handler from the accept loop serves clients
      one after another; start a task per connection instead.
    - Forgetting to unregister a socket from a raw ``selectors`` selector
      once its wait is over: the next wait on it fails (``KeyError``: already
      registered). asyncio's ``loop.add_reader`` never raises for this: a
      second reader for the same fd *replaces* the first (whose handle is
      cancelled), so two tasks reading one socket silently lose a waiter.
      A reader is also level-triggered: until it is removed it runs on every
      iteration in which the fd is readable.

Key takeaways:
    - Parts and their asyncio names: ``TinyLoop.ready`` is ``loop._ready``
      (a deque of ``Handle`` objects: callback plus args),
      ``TinyLoop.selector`` is ``loop._selector``
      (``selectors.DefaultSelector``: epoll on Linux, kqueue on BSD/macOS),
      ``Future`` is ``asyncio.Future``, ``Task`` is ``asyncio.Task`` whose
      ``__step`` sends into the coroutine, ``wait_readable`` is what
      ``loop.sock_recv`` does via ``add_reader`` when its first, non-blocking
      ``recv`` finds no data (it then removes the reader once woken).
    - ``await fut`` yields the future up to the task; the task adds a done
      callback; ``set_result`` *schedules* the callbacks on the ready queue
      (asyncio does the same with ``call_soon``), it does not run them.
      Adding a callback to a future that is already done schedules it too:
      it never runs inside ``add_done_callback``.
    - One thread, many connections: while one client is idle, others are
      served, because waiting means "registered in the selector", not "stuck
      in recv".
    - Go hides the loop: the netpoller parks goroutines on epoll and the
      scheduler runs others, so blocking-style code is fine there. Java: NIO
      ``Selector`` is the same primitive (Netty builds loops on it); virtual
      threads (Java 21) do what Go does.

What to look for in an answer:
    A strong candidate names the three parts (ready queue, I/O multiplexer,
    futures with callbacks), says a coroutine is suspended only at ``await``,
    and knows blocking work belongs in ``run_in_executor``/``to_thread``.
    Follow-ups:
    - What does ``asyncio.sleep(0)`` do? (Yields once, so other ready
      callbacks run: the task goes to the back of the ready queue.)
    - How is a timer implemented? (A heap of (deadline, callback); the select
      timeout is the time to the nearest deadline.)
    - How does cancellation work? (``Task.cancel`` cancels the future the
      task waits on, which wakes it; its next step throws ``CancelledError``
      into the coroutine at that ``await``.)
    - What do eager tasks change? (3.12 added ``asyncio.eager_task_factory``,
      installed with ``loop.set_task_factory``: ``create_task`` runs the
      coroutine at once, up to its first ``await`` that really suspends. A
      coroutine that never suspends (a cache hit) is done before
      ``create_task`` returns and never costs a loop iteration. The catch:
      order changes. Code that ran "later" now runs before the caller's next
      line, so tests and code that relied on the default (first step queued,
      as in ``TinyLoop.create_task``) can behave differently.)
    - Why can a CPU-heavy task starve the loop? (Nothing preempts it: the loop
      runs only between callbacks.)

Complexity:
    Each loop iteration costs one ``select`` call plus O(1) per ready callback;
    epoll's cost scales with ready sockets, not registered ones.
"""

from __future__ import annotations

import selectors
import socket
from collections import deque
from collections.abc import Callable, Coroutine, Generator
from typing import Any, Generic, TypeVar

__all__ = [
    "Future",
    "LoopStalled",
    "Task",
    "TinyLoop",
    "blocking_reader",
    "echo_client",
    "echo_server",
    "polite_reader",
]

T = TypeVar("T")


class LoopStalled(RuntimeError):
    """Nothing can run and nothing is waiting to wake up, or the step limit ran out."""


class Future(Generic[T]):
    """A result that is not there yet; callbacks run (via the ready queue) when it is."""

    def __init__(self, loop: TinyLoop) -> None:
        self._loop = loop
        self._done = False
        self._result: T | None = None
        self._callbacks: list[Callable[[Future[T]], None]] = []

    def done(self) -> bool:
        """True once a result is set."""
        return self._done

    def result(self) -> T:
        """The result; raises RuntimeError if not done yet."""
        if not self._done:
            raise RuntimeError("result is not ready")
        return self._result  # type: ignore[return-value]

    def set_result(self, value: T) -> None:
        """Store the result and schedule every callback on the loop's ready queue."""
        if self._done:
            raise RuntimeError("result already set")
        self._done, self._result = True, value
        for callback in self._callbacks:
            self._loop.call_soon(callback, self)  # break[inline-callbacks]
        self._callbacks.clear()

    def add_done_callback(self, callback: Callable[[Future[T]], None]) -> None:
        """Run ``callback(self)`` once done; if already done, queue it now (never call it here)."""
        if self._done:
            self._loop.call_soon(callback, self)  # break[call-now-if-done]
        else:
            self._callbacks.append(callback)

    def __await__(self) -> Generator[Future[T], None, T]:
        if not self._done:
            yield self  # hand ourselves to the Task driving this coroutine
        return self.result()


class Task(Future[T]):
    """Drives a coroutine: send into it, and when it yields a Future, resume on its callback."""

    def __init__(self, coro: Coroutine[Future[Any], None, T], loop: TinyLoop) -> None:
        super().__init__(loop)
        self._coro = coro
        loop.call_soon(self._step)

    def _step(self, _fut: Future[Any] | None = None) -> None:
        try:
            waiting_on = self._coro.send(None)
        except StopIteration as stop:
            self.set_result(stop.value)
            return
        waiting_on.add_done_callback(self._step)


class TinyLoop:
    """One thread, one ready queue, one selector: enough to serve many sockets."""

    def __init__(self, max_steps: int = 10_000, select_timeout: float = 2.0) -> None:
        self.ready: deque[tuple[Callable[..., None], tuple[Any, ...]]] = deque()
        self.selector = selectors.DefaultSelector()
        self.max_steps = max_steps
        # A bound on one wait in select when no callback is ready: it turns a
        # bug (waiting on a socket nobody writes) into a failure, not a hang.
        self.select_timeout = select_timeout
        self.steps = 0

    def call_soon(self, callback: Callable[..., None], *args: Any) -> None:
        """Append a callback to the ready queue."""
        self.ready.append((callback, args))

    def create_task(self, coro: Coroutine[Future[Any], None, T]) -> Task[T]:
        """Wrap a coroutine in a Task; its first step is queued."""
        return Task(coro, self)

    def wait_readable(self, sock: socket.socket) -> Future[None]:
        """A future that the loop resolves when ``sock`` is readable (asyncio: add_reader)."""
        fut: Future[None] = Future(self)
        self.selector.register(sock, selectors.EVENT_READ, fut)
        return fut

    async def sock_accept(self, listener: socket.socket) -> socket.socket:
        """Wait until a connection is pending, then accept it (non-blocking)."""
        await self.wait_readable(listener)
        conn, _ = listener.accept()
        conn.setblocking(False)
        return conn

    async def sock_recv(self, sock: socket.socket, n: int) -> bytes:
        """Wait until readable, then recv (never blocks the thread)."""
        await self.wait_readable(sock)
        return sock.recv(n)

    def run_until_complete(self, main: Coroutine[Future[Any], None, T]) -> T:
        """Run callbacks and poll sockets until ``main`` finishes, within ``max_steps``."""
        task = self.create_task(main)
        while not task.done():
            self.steps += 1
            if self.steps > self.max_steps:
                raise LoopStalled(f"no result after {self.max_steps} steps")
            if not self.ready and not self.selector.get_map():
                raise LoopStalled("nothing ready and nothing to wait for")  # break[no-stall-check]
            # Block in select only when no callback is ready.
            events = self.selector.select(timeout=0 if self.ready else self.select_timeout)
            if not events and not self.ready:
                raise LoopStalled("selector timed out with nothing ready")
            for key, _mask in events:
                self.selector.unregister(key.fileobj)  # break[keep-registered]
                key.data.set_result(None)
            for _ in range(len(self.ready)):  # only what is ready now, like asyncio
                callback, args = self.ready.popleft()
                callback(*args)
        return task.result()

    def close(self) -> None:
        """Close the selector."""
        self.selector.close()


async def _handle(loop: TinyLoop, conn: socket.socket, log: list[str]) -> None:
    with conn:
        while data := await loop.sock_recv(conn, 1024):
            log.append(f"server echoes {data.decode()}")
            conn.sendall(data)  # loopback, a few bytes: the send buffer has room


async def echo_server(
    loop: TinyLoop, listener: socket.socket, clients: int, log: list[str]
) -> None:
    """Accept ``clients`` connections, one handler task each; wait for all of them."""
    handlers: list[Task[None]] = []
    for _ in range(clients):
        conn = await loop.sock_accept(listener)
        handlers.append(loop.create_task(_handle(loop, conn, log)))  # break[await-handler]
    for handler in handlers:
        await handler  # break[forget-handlers]


async def echo_client(
    loop: TinyLoop,
    port: int,
    name: str,
    log: list[str],
    before_send: Future[None] | None = None,
    after_reply: Future[None] | None = None,
) -> bytes:
    """Connect, optionally wait for ``before_send``, send ``name``, read the echo."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.setblocking(False)
        log.append(f"{name} connected")
        if before_send is not None:
            await before_send
        sock.sendall(name.encode())
        reply = await loop.sock_recv(sock, 1024)
        log.append(f"{name} got {reply.decode()}")
        if after_reply is not None:
            after_reply.set_result(None)
        return reply


async def blocking_reader(sock: socket.socket, log: list[str]) -> bytes:
    """The pitfall: a blocking recv inside a task. The thread, so the loop, waits in it."""
    log.append("reader waits")
    sock.setblocking(True)
    sock.settimeout(0.2)  # a bound so the demonstration ends; it is not measured
    try:
        data = sock.recv(1024)
    except TimeoutError:
        log.append("reader timed out")
        return b""
    log.append(f"reader got {data.decode()}")
    return data


async def polite_reader(loop: TinyLoop, sock: socket.socket, log: list[str]) -> bytes:
    """The fix: await readiness, so other tasks run meanwhile."""
    log.append("reader waits")
    data = await loop.sock_recv(sock, 1024)
    log.append(f"reader got {data.decode()}")
    return data
