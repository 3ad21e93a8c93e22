"""Three loopback echo servers (thread per connection, ``selectors``, prefork) and what each costs.

The code behind ``concurrency_models.md``. ``measure`` starts one server in a
subprocess (``python -m fundamentals.os.concurrency_models MODEL WORKERS``),
connects clients and counts the server's threads, processes and descriptors.
``herd_wakeups`` and ``wake_a_blocked_accept`` use threads of the calling
process and read their state from ``/proc/self/task``;
``accept_without_descriptors`` lowers the process's descriptor limit, so it
belongs in a fresh interpreter.
"""

from __future__ import annotations

import errno
import json
import os
import select
import selectors
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from fundamentals.os.processes import LOOK_MS, child_env
from fundamentals.os.procfs import open_fds, thread_count

MODELS = ("threads", "selectors", "prefork")
"""The concurrency models ``measure`` knows, in the order the page compares them."""


@dataclass(frozen=True)
class Costs:
    """What one concurrency model cost while its clients were connected.

    ``at_once`` clients were connected and echoed at the moment of the
    snapshot; ``processes``, ``threads`` and ``fds`` were counted then, over all
    server processes (``fds`` counts descriptors beyond those the server process
    had before it created its socket). ``served`` is how many connections each
    serving process handled in the whole run.
    """

    model: str
    clients: int
    at_once: int
    processes: int
    threads: int
    fds: int
    served: tuple[int, ...]


def cost_table(rows: Sequence[Costs]) -> str:
    """A markdown table of ``rows``, one line per model.

    >>> print(cost_table([Costs("demo", 3, 3, 1, 4, 4, (3,))]))
    | model | clients | at once | processes | threads | server fds | served per process |
    |-------|--------:|--------:|----------:|--------:|-----------:|--------------------|
    | demo  |       3 |       3 |         1 |       4 |          4 | 3                  |
    """
    head = ("model", "clients", "at once", "processes", "threads", "server fds")
    last = "served per process"
    width = max(len("model"), *(len(r.model) for r in rows))
    lines = [
        f"| {'model':<{width}} | " + " | ".join(head[1:]) + f" | {last} |",
        f"|{'-' * (width + 2)}|"
        + "|".join("-" * (len(h) + 1) + ":" for h in head[1:])
        + f"|{'-' * (len(last) + 2)}|",
    ]
    for r in rows:
        cells = (r.clients, r.at_once, r.processes, r.threads, r.fds)
        served = ", ".join(map(str, r.served))
        lines.append(
            f"| {r.model:<{width}} | "
            + " | ".join(f"{c:>{len(h)}}" for c, h in zip(cells, head[1:], strict=True))
            + f" | {served:<{len(last)}} |"
        )
    return "\n".join(lines)


def _echo_until_eof(conn: socket.socket) -> None:
    """Send back everything ``conn`` receives until the peer closes its side."""
    while data := conn.recv(4096):
        conn.sendall(data)


class _Control:
    """Commands from the parent, one per line on stdin; EOF means shut down."""

    def __init__(self) -> None:
        self.fd = sys.stdin.fileno()
        self._buffer = b""
        self.eof = False

    def feed(self) -> list[str]:
        """Read what is available (one ``read``); return the complete lines."""
        chunk = os.read(self.fd, 4096)
        if not chunk:
            self.eof = True
        self._buffer += chunk
        *lines, self._buffer = self._buffer.split(b"\n")
        return [line.decode().strip() for line in lines]

    def commands(self) -> Iterator[str]:
        """Block for commands until EOF."""
        while not self.eof:
            yield from self.feed()


def _emit(message: dict[str, Any]) -> None:
    print(json.dumps(message), flush=True)


def _snapshot(pids: Sequence[int], baseline: int) -> dict[str, Any]:
    return {
        "processes": len(pids),
        "threads": sum(thread_count(p) for p in pids),
        "fds": sum(open_fds(p) - baseline for p in pids),
    }


def _serve_threads(listener: socket.socket, baseline: int, control: _Control) -> None:
    """One thread per connection; the main thread handles commands, one more accepts."""
    lock = threading.Lock()
    conns: set[socket.socket] = set()
    handlers: list[threading.Thread] = []
    stopping = threading.Event()

    def handle(conn: socket.socket) -> None:
        try:
            _echo_until_eof(conn)
        finally:
            with lock:  # never close while close-down below is shutting it
                conns.discard(conn)
                conn.close()

    def accept_loop() -> None:
        while True:
            conn, _ = listener.accept()
            if stopping.is_set():  # the wake-up connection from close-down
                conn.close()
                return
            with lock:
                conns.add(conn)
            thread = threading.Thread(target=handle, args=(conn,), name=f"conn-{len(handlers)}")
            handlers.append(thread)
            thread.start()

    acceptor = threading.Thread(target=accept_loop, name="acceptor")
    acceptor.start()
    try:
        for command in control.commands():
            if command == "stats":
                _emit(_snapshot([os.getpid()], baseline))
    finally:
        # accept() does not return when another thread closes the socket, so
        # wake it with one last connection; then end every handler's recv().
        stopping.set()
        socket.create_connection(listener.getsockname(), timeout=5).close()
        acceptor.join(timeout=5)
        with lock:
            for conn in conns:
                conn.shutdown(socket.SHUT_RDWR)
        for thread in handlers:
            thread.join(timeout=5)
        alive = [t.name for t in [acceptor, *handlers] if t.is_alive()]
        if alive:
            raise RuntimeError(f"threads did not finish: {alive}")
    _emit({"served": [len(handlers)]})


def _serve_selectors(listener: socket.socket, baseline: int, control: _Control) -> None:
    """One thread, one selector: the listener, every connection and stdin all in one loop."""
    listener.setblocking(False)
    outbox: dict[socket.socket, bytearray] = {}
    served = 0
    with selectors.DefaultSelector() as sel:
        sel.register(listener, selectors.EVENT_READ)
        sel.register(control.fd, selectors.EVENT_READ)
        try:
            while not control.eof:
                for key, mask in sel.select():
                    if key.fileobj is listener:
                        conn, _ = listener.accept()
                        conn.setblocking(False)  # break[serve-on-accept]
                        outbox[conn] = bytearray()
                        sel.register(conn, selectors.EVENT_READ)
                        served += 1
                    elif key.fileobj == control.fd:
                        for command in control.feed():
                            if command == "stats":
                                _emit(_snapshot([os.getpid()], baseline))
                    else:
                        conn = cast(socket.socket, key.fileobj)
                        if mask & selectors.EVENT_READ:
                            data = conn.recv(4096)
                            if not data:
                                sel.unregister(conn)
                                del outbox[conn]
                                conn.close()
                                continue
                            outbox[conn] += data
                        sent = conn.send(outbox[conn]) if outbox[conn] else 0
                        del outbox[conn][:sent]
                        # Ask for EVENT_WRITE only while output is pending, or the
                        # loop would spin on an always-writable socket.
                        wanted = selectors.EVENT_READ
                        if outbox[conn]:
                            wanted |= selectors.EVENT_WRITE
                        sel.modify(conn, wanted)
        finally:
            for conn in outbox:
                sel.unregister(conn)
                conn.close()
    _emit({"served": [served]})


def _prefork_worker(listener: socket.socket, stop_r: int) -> int:
    """Accept and serve one connection at a time until ``stop_r`` reaches EOF."""
    served = 0
    while True:
        ready, _, _ = select.select([listener.fileno(), stop_r], [], [])
        if stop_r in ready:  # the master closed its write end (or died): EOF
            return served
        try:
            conn, _ = listener.accept()
        except BlockingIOError:  # another worker accepted this one first
            continue
        with conn:
            conn.setblocking(True)
            served += 1
            _echo_until_eof(conn)


def _serve_prefork(listener: socket.socket, baseline: int, control: _Control, workers: int) -> None:
    """A master that forks ``workers`` processes, all accepting on one inherited socket."""
    listener.setblocking(False)  # several workers wake for one connection; losers move on
    stop_r, stop_w = os.pipe()
    pids: list[int] = []
    try:
        for _ in range(workers):  # break[master-counted-as-worker]
            pid = os.fork()
            if pid == 0:  # worker: never return into the master's code
                status = 255
                try:
                    os.close(stop_w)  # else EOF on stop_r could never come
                    status = min(_prefork_worker(listener, stop_r), 254)
                except BaseException as exc:
                    print(f"worker {os.getpid()} failed: {exc!r}", file=sys.stderr, flush=True)
                finally:
                    os._exit(status)
            pids.append(pid)
        os.close(stop_r)
        stop_r = -1
        for command in control.commands():
            if command == "stats":
                _emit(_snapshot([os.getpid(), *pids], baseline))
    finally:
        if stop_r >= 0:
            os.close(stop_r)
        os.close(stop_w)  # every worker sees EOF on its stop pipe and returns
        served = [_reap(pid) for pid in pids]
    _emit({"served": served})


def _reap(pid: int, timeout: float = 5.0) -> int:
    """Wait (bounded) for child ``pid``; kill it if it overstays. Return its exit code."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.002)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    raise RuntimeError(f"worker {pid} did not exit; killed")


def _serve(model: str, workers: int) -> None:
    """Run one model's server on 127.0.0.1, port chosen by the kernel, driven by stdin."""
    baseline = open_fds()
    control = _Control()
    with socket.create_server(("127.0.0.1", 0), backlog=128) as listener:
        _emit({"port": listener.getsockname()[1]})
        if model == "threads":
            _serve_threads(listener, baseline, control)
        elif model == "selectors":
            _serve_selectors(listener, baseline, control)
        else:
            _serve_prefork(listener, baseline, control, workers)


class EchoServerProcess:
    """One model's echo server in a subprocess, driven over its stdin and stdout.

    It prints ``{"port": N}`` first; the command ``stats`` answers with a JSON
    snapshot; closing stdin shuts it down, and it prints ``{"served": [...]}``.
    Use it in ``try``/``finally`` and call :meth:`kill` in the ``finally``.
    """

    def __init__(self, model: str, workers: int = 4) -> None:
        if model not in MODELS:
            raise ValueError(f"unknown model {model!r}; choose from {', '.join(MODELS)}")
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self.proc = subprocess.Popen(
            [sys.executable, "-W", "error", "-m", __name__, model, str(workers)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=child_env(),
        )
        self._buffer = b""

    def read(self, timeout: float = 10.0) -> dict[str, Any]:
        """The next JSON line the server printed; ``TimeoutError`` if none comes in time."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError("the server printed nothing in time")
            chunk = os.read(fd, 4096)
            if not chunk:
                raise RuntimeError(f"the server exited: {self.proc.wait(timeout=10)}")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return cast(dict[str, Any], json.loads(line))

    def command(self, text: str) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text.encode() + b"\n")
        self.proc.stdin.flush()
        return self.read()

    def shut_down(self) -> dict[str, Any]:
        """Close stdin (the server's signal to stop), read its last line, wait for it."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        final = self.read()
        if self.proc.wait(timeout=10) != 0:
            raise RuntimeError(f"the server exited with status {self.proc.returncode}")
        return final

    def kill(self) -> None:
        """Make sure the process is gone and reaped (a no-op after a clean shut-down)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()


def connect_and_echo(port: int, count: int, *, tag: str = "") -> list[socket.socket]:
    """Open ``count`` loopback connections, echo one message on each, return them still open.

    Raises ``AssertionError`` if an echo comes back wrong, ``TimeoutError``
    (``socket.timeout``) if one does not come back within 10 seconds. On error
    every socket opened so far is closed.
    """
    socks: list[socket.socket] = []
    try:
        for _ in range(count):
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        for i, sock in enumerate(socks):
            sock.sendall(f"hello {tag}{i}\n".encode())
        for i, sock in enumerate(socks):
            expected = f"hello {tag}{i}\n".encode()
            got = b""
            while len(got) < len(expected):
                chunk = sock.recv(len(expected) - len(got))
                if not chunk:
                    break
                got += chunk
            if got != expected:
                raise AssertionError(f"client {i} got {got!r}, expected {expected!r}")
    except BaseException:
        for sock in socks:
            sock.close()
        raise
    return socks


def measure(model: str, *, clients: int = 20, workers: int = 4) -> Costs:
    """Serve ``clients`` loopback clients with ``model`` in a subprocess; count what it cost.

    Clients come in rounds of as many as the model can serve at once (all of
    them, or ``workers`` for prefork). Each round connects, gets every echo
    back, then closes; after the first round's echoes the server counts its
    processes, threads and fds.

    >>> measure("nonsense")
    Traceback (most recent call last):
    ...
    ValueError: unknown model 'nonsense'; choose from threads, selectors, prefork
    """
    if clients < 1:
        raise ValueError(f"clients must be >= 1, got {clients}")
    at_once = min(clients, workers) if model == "prefork" else clients
    server = EchoServerProcess(model, workers)
    try:
        port = int(server.read()["port"])
        snapshot: dict[str, Any] | None = None
        echoed = 0
        while echoed < clients:
            socks = connect_and_echo(port, min(at_once, clients - echoed), tag=f"{echoed}-")
            try:
                echoed += len(socks)
                if snapshot is None:
                    snapshot = server.command("stats")
            finally:
                for sock in socks:
                    sock.close()
        assert snapshot is not None
        final = server.shut_down()
    finally:
        server.kill()
    return Costs(
        model=model,
        clients=echoed,
        at_once=at_once,
        processes=int(snapshot["processes"]),
        threads=int(snapshot["threads"]),
        fds=int(snapshot["fds"]),
        served=tuple(int(n) for n in final["served"]),
    )


# --------------------------------------------------------------------------
# Waking threads that wait for connections
# --------------------------------------------------------------------------


def _sleeping_in_call(tid: int, first_argument: int) -> bool:
    """Whether thread ``tid`` of this process sleeps in a system call with that first argument.

    ``/proc/<tid>/syscall`` shows the call number, six arguments, the stack
    pointer and the program counter while the thread is blocked (``running``
    otherwise). The first argument tells ``accept4(listener, ...)`` and
    ``select(nfds, ...)`` apart from a wait for the GIL, ``futex(address, ...)``.
    """
    stat = Path(f"/proc/self/task/{tid}/stat").read_text()
    fields = Path(f"/proc/self/task/{tid}/syscall").read_text().split()
    return (
        stat[stat.rindex(")") + 2] == "S"
        and len(fields) == 9
        and int(fields[1], 16) == first_argument
    )


def _wait_until_sleeping(tids: Sequence[int], first_argument: int) -> None:
    """Poll (bounded) until every thread in ``tids`` sleeps in its call; how soon we notice only."""
    deadline = time.monotonic() + 10
    while not all(_sleeping_in_call(tid, first_argument) for tid in tids):
        if time.monotonic() > deadline:
            raise RuntimeError(f"threads {list(tids)} never all went to sleep in their call")
        time.sleep(0.002)


def _voluntary_switches(tid: int) -> int:
    """How many times thread ``tid`` has gone to sleep (``voluntary_ctxt_switches``)."""
    for line in Path(f"/proc/self/task/{tid}/status").read_text().splitlines():
        if line.startswith("voluntary_ctxt_switches:"):
            return int(line.split()[1])
    raise RuntimeError("no voluntary_ctxt_switches in /proc/<tid>/status")


def herd_wakeups(how: str, waiters: int = 4) -> int:
    """``waiters`` threads wait for a connection on one listener; how many does one connection wake?

    ``how`` is ``"accept"`` (each thread blocks in ``accept()``) or
    ``"select"`` (each blocks in ``select()`` on the listener, then accepts
    without blocking, as the prefork workers here do). A thread counts as woken
    if it went back to sleep once more after the connection (its count of
    voluntary context switches grew): a thread that was never woken never ran.
    """
    if how not in ("accept", "select"):
        raise ValueError(f"unknown way to wait {how!r}; choose accept or select")
    if waiters < 1:
        raise ValueError(f"waiters must be >= 1, got {waiters}")
    listener = socket.create_server(("127.0.0.1", 0))
    stop_r, stop_w = os.pipe()
    accepted: list[socket.socket] = []
    got_one = threading.Event()

    def in_accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:  # EINVAL once the listener is shut down
                return
            accepted.append(conn)
            got_one.set()

    def in_select() -> None:
        while True:
            ready, _, _ = select.select([listener.fileno(), stop_r], [], [])
            if stop_r in ready:
                return
            try:
                conn, _ = listener.accept()
            except BlockingIOError:  # another thread took it
                continue
            accepted.append(conn)
            got_one.set()

    if how == "select":
        listener.setblocking(False)
        first_argument = max(listener.fileno(), stop_r) + 1  # select's nfds
    else:
        first_argument = listener.fileno()  # accept4's socket
    threads = [
        threading.Thread(target=in_accept if how == "accept" else in_select, daemon=True)
        for _ in range(waiters)
    ]
    client: socket.socket | None = None
    try:
        for thread in threads:
            thread.start()
        tids = [cast(int, thread.native_id) for thread in threads]
        _wait_until_sleeping(tids, first_argument)
        before = [_voluntary_switches(tid) for tid in tids]
        client = socket.create_connection(listener.getsockname(), timeout=10)
        if not got_one.wait(timeout=10):
            raise RuntimeError("nobody accepted the connection")
        _wait_until_sleeping(tids, first_argument)  # everyone woken has run and slept again
        after = [_voluntary_switches(tid) for tid in tids]
    finally:
        if how == "accept":
            listener.shutdown(socket.SHUT_RD)  # every accept() fails with EINVAL
        os.close(stop_w)  # every select() sees EOF on stop_r
        for thread in threads:
            thread.join(timeout=10)
        for sock in [*accepted, *([client] if client else []), listener]:
            sock.close()
        os.close(stop_r)
    return sum(a > b for a, b in zip(after, before, strict=True))


def wake_a_blocked_accept(how: str) -> dict[str, Any]:
    """A thread blocks in ``accept()``; another closes the listener, or shuts it down.

    Reports whether that woke the thread within LOOK_MS and, in the end, what
    ``accept()`` returned: after ``close`` nothing happens until a client
    connects (the blocked call still holds the listening socket), after
    ``shutdown(SHUT_RD)`` Linux fails the call with ``EINVAL`` at once.
    """
    if how not in ("close", "shutdown"):
        raise ValueError(f"unknown way to wake {how!r}; choose close or shutdown")
    listener = socket.create_server(("127.0.0.1", 0))
    address, fd = listener.getsockname(), listener.fileno()
    outcome: list[str] = []

    def wait_for_a_client() -> None:
        try:
            conn, _ = listener.accept()
        except OSError as exc:
            outcome.append(errno.errorcode.get(exc.errno or 0, str(exc)))
            return
        conn.close()
        outcome.append("a connection")

    thread = threading.Thread(target=wait_for_a_client, daemon=True)
    thread.start()
    try:
        _wait_until_sleeping([cast(int, thread.native_id)], fd)
        if how == "close":
            listener.close()
        else:
            listener.shutdown(socket.SHUT_RD)
        thread.join(timeout=LOOK_MS / 1000)  # bounds the look for a wake-up that may not come
        woken = not thread.is_alive()
        if not woken:  # still blocked, and still listening: a client ends the wait
            socket.create_connection(address, timeout=10).close()
            thread.join(timeout=10)
    finally:
        listener.close()
    return {"woken": woken, "accept_returned": outcome}


def accept_without_descriptors() -> dict[str, Any]:
    """Run ``accept`` with no descriptor left under ``RLIMIT_NOFILE``, then free a spare one.

    A client connects; we set the soft limit to the lowest free descriptor
    number, so no new descriptor can be made. ``accept`` fails with ``EMFILE``
    and the connection stays queued: ``select`` still reports the listener
    readable, which is how an event loop ends up spinning on it. Closing a
    spare descriptor kept for the purpose makes room, and ``accept`` works.
    Changes this process's limit while it runs: call it in a fresh interpreter.
    """
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listener.getsockname(), timeout=10)
    spare = os.open(os.devnull, os.O_RDONLY)  # kept for the day we run out
    lowest_free = os.dup(0)  # descriptors are handed out lowest number first
    os.close(lowest_free)
    result: dict[str, Any] = {}
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (lowest_free, hard))
        try:
            listener.accept()
            result["first_accept"] = "a connection"
        except OSError as exc:
            result["first_accept"] = errno.errorcode.get(exc.errno or 0, str(exc))
        result["still_readable"] = bool(select.select([listener], [], [], 0)[0])
        os.close(spare)  # break[no-spare-descriptor]
        conn, _ = listener.accept()
        result["after_closing_the_spare"] = "a connection"
        conn.close()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        client.close()
        listener.close()
    return result


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in MODELS:
        sys.exit(
            f"usage: python -m fundamentals.os.concurrency_models {{{'|'.join(MODELS)}}} WORKERS"
        )
    _serve(sys.argv[1], int(sys.argv[2]))
