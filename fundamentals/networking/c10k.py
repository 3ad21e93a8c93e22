"""C10k on loopback: idle connections held by one ``selectors`` loop or by a thread each.

The code behind ``c10k.md``. ``hold_idle`` opens ``connections`` loopback
connections to a server in the same process and reports what holding them
costs: threads (from ``/proc/self/task``), descriptors, virtual and resident
memory (``VmSize``/``VmRSS`` from ``/proc/self/status``), and whether the
server still answers one of them. ``fill_descriptor_table`` lowers the soft
``RLIMIT_NOFILE`` and opens connections until ``accept`` or ``socket`` fails
with ``EMFILE``; ``accept_at_emfile`` shows a level-triggered loop spinning
on a listener it cannot accept from, and the spare-descriptor remedy. They
change process-wide state (threads, limits, thousands of descriptors), so the
tests run them in a fresh interpreter. Linux only (they read ``/proc/self``).
"""

from __future__ import annotations

import errno
import json
import os
import selectors
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

__all__ = [
    "accept_at_emfile",
    "accept_at_emfile_both_ways",
    "connection_pairs_that_fit",
    "fill_descriptor_table",
    "hold_idle",
    "in_fresh_interpreter",
    "status_kib",
]

_ROOT = Path(__file__).resolve().parents[2]  # the folder holding fundamentals/


def in_fresh_interpreter(name: str, *args: int | str) -> dict[str, Any]:
    """Call this module's function ``name(*args)`` in a new interpreter; return its dict.

    The child imports the module from this file's own tree, so a copy of the
    tree runs its own code. Raises ``RuntimeError`` with the child's stderr if
    the call fails, ``ValueError`` for a name this module does not export.
    """
    if name not in __all__:
        raise ValueError(f"{name!r} is not a function of {__name__}")
    source = (
        f"import json, sys\n"
        f"from {__name__} import {name}\n"
        f"print(json.dumps({name}(*json.loads(sys.argv[1]))))\n"
    )
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")])),
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", source, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=20,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed in the child:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def status_kib(field: str) -> int:
    """A ``kB`` field of ``/proc/self/status`` (``VmSize``, ``VmRSS``, ...)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise ValueError(f"/proc/self/status has no field {field!r}")


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


def _fds() -> int:
    # listdir holds one descriptor open for the directory while it reads it.
    return len(os.listdir("/proc/self/fd")) - 1


def _echo_until_eof(conn: socket.socket) -> None:
    # The thread-per-connection handler: blocking calls, one connection.
    with conn:
        while data := conn.recv(64):
            conn.sendall(data)


def _serve_ready(sel: selectors.BaseSelector) -> None:
    # One pass of the event loop: echo what is ready on each connection.
    for key, _ in sel.select(timeout=2):
        conn: socket.socket = key.fileobj  # type: ignore[assignment]
        data = conn.recv(64)
        if data:
            conn.sendall(data)


def hold_idle(model: str, connections: int) -> dict[str, Any]:
    """Open ``connections`` idle loopback connections to a ``model`` server; report the cost.

    ``model`` is ``"selectors"`` (one thread, every accepted socket registered
    with one ``DefaultSelector``: epoll on Linux) or ``"threads"`` (one thread
    blocked in ``recv`` per accepted socket). The counts are taken while all
    connections are open and idle; then one client sends a byte, the server
    must echo it, and everything is closed (threads joined). Run it in a fresh
    interpreter: it counts this process's threads and memory.
    """
    if model not in ("selectors", "threads"):
        raise ValueError(f"model must be 'selectors' or 'threads', got {model!r}")
    if connections < 1:
        raise ValueError(f"connections must be >= 1, got {connections}")
    base = {"threads": _threads(), "fds": _fds(), "vm": status_kib("VmSize")}
    base["rss"] = status_kib("VmRSS")
    listener = socket.create_server(("127.0.0.1", 0), backlog=connections)
    sel = selectors.DefaultSelector()
    clients: list[socket.socket] = []
    servers: list[socket.socket] = []
    workers: list[threading.Thread] = []
    try:
        for _ in range(connections):
            clients.append(socket.create_connection(listener.getsockname()))
            conn, _ = listener.accept()
            servers.append(conn)
            if model == "selectors":
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ)  # break[thread-in-the-loop]
            else:
                worker = threading.Thread(target=_echo_until_eof, args=(conn,))
                worker.start()
                workers.append(worker)
        report: dict[str, Any] = {
            "threads": _threads() - base["threads"] + 1,  # +1: the thread running the loop
            "fds": _fds() - base["fds"],
            "vm_kib": status_kib("VmSize") - base["vm"],
            "rss_kib": status_kib("VmRSS") - base["rss"],
            "registered": len(sel.get_map()),
            "highest_fd": max(s.fileno() for s in servers),
        }
        probe = clients[len(clients) // 2]
        probe.sendall(b"?")
        if model == "selectors":
            _serve_ready(sel)
        probe.settimeout(2)
        report["echo"] = probe.recv(1).decode()
        return report
    finally:
        for c in clients:
            c.close()  # EOF: each handler thread's recv returns b"" and it exits
        for w in workers:
            w.join(timeout=5)
        sel.close()
        for s in servers:
            s.close()
        listener.close()


def connection_pairs_that_fit(soft_limit: int, already_open: int) -> int:
    """How many loopback connections one process can hold, client and server both its own.

    Each costs two descriptors here (the connecting socket and the accepted
    one), and the listener costs one.

    >>> connection_pairs_that_fit(1024, 3)
    510
    >>> connection_pairs_that_fit(2, 3)
    Traceback (most recent call last):
    ...
    ValueError: soft limit 2 leaves no descriptor for a listener after 3 open
    """
    free = soft_limit - already_open - 1  # the listener
    if free < 0:
        raise ValueError(
            f"soft limit {soft_limit} leaves no descriptor for a listener after {already_open} open"
        )
    return free // 2  # break[one-fd-per-connection]


def fill_descriptor_table(soft_limit: int) -> dict[str, Any]:
    """Lower the soft ``RLIMIT_NOFILE`` to ``soft_limit``; connect and accept until ``EMFILE``.

    Returns the limits before, the descriptors open before the listener, how
    many client sockets connected and how many were accepted, and which call
    failed with which errno. A client that connected but could not be accepted
    was established by the kernel all the same: it waits in the listener's
    queue. Changes the process's limit: run it in a fresh interpreter.
    """
    import resource  # Unix only; imported here so the module imports everywhere

    before = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft_limit, before[1]))  # break[limit-not-lowered]
    listener = socket.create_server(("127.0.0.1", 0))
    open_before = _fds() - 1  # the listener is not "before"
    held: list[socket.socket] = []
    failed: dict[str, Any] = {"call": None, "errno": None}
    try:
        for _ in range(soft_limit + 8):  # bounded even if the limit was not lowered
            try:
                client = socket.create_connection(listener.getsockname())
            except OSError as error:
                failed = {"call": "socket", "errno": errno.errorcode.get(error.errno or 0)}
                break
            held.append(client)
            try:
                conn, _ = listener.accept()
            except OSError as error:
                failed = {"call": "accept", "errno": errno.errorcode.get(error.errno or 0)}
                break
            held.append(conn)
        return {
            "limits_before": list(before),
            "open_before": open_before,
            "completed": sum(1 for s in held if s.getpeername()[1] == listener.getsockname()[1]),
            "accepted": sum(1 for s in held if s.getsockname()[1] == listener.getsockname()[1]),
            **failed,
        }
    finally:
        for s in held:
            s.close()
        listener.close()


def accept_at_emfile(remedy: str, passes: int = 5) -> dict[str, Any]:
    """Run ``passes`` passes of a level-triggered loop whose listener has a client but no fd.

    The descriptor table is filled (soft ``RLIMIT_NOFILE`` lowered to 64, then
    ``/dev/null`` opened until ``EMFILE``), one slot is freed for a client to
    connect, and the kernel queues that connection. Each pass asks the
    selector for ready sockets without blocking and tries ``accept``.
    ``remedy`` is ``"none"`` (log the error and carry on, which spins) or
    ``"spare"`` (keep one descriptor in reserve: on ``EMFILE`` close it,
    accept the connection, close it at once, and reopen the reserve). Returns
    how many passes found the listener ready and failed with ``EMFILE``, how
    many connections were shed, whether the listener is still ready, and
    what the client sees. Changes the process's limit: run it in a fresh
    interpreter.
    """
    if remedy not in ("none", "spare"):
        raise ValueError(f"remedy must be 'none' or 'spare', got {remedy!r}")
    import resource  # Unix only; imported here so the module imports everywhere

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard))
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ)
    spare = os.open(os.devnull, os.O_RDONLY)
    fillers: list[int] = []
    client = None
    try:
        while True:
            try:
                fillers.append(os.open(os.devnull, os.O_RDONLY))
            except OSError as error:
                if error.errno != errno.EMFILE:
                    raise
                break
        os.close(fillers.pop())  # room for the client only
        client = socket.create_connection(listener.getsockname())
        client.setblocking(False)
        spun = shed = 0
        for _ in range(passes):
            for key, _ in sel.select(timeout=0):
                if key.fileobj is not listener:
                    continue
                try:
                    listener.accept()[0].close()
                except OSError as error:
                    if error.errno != errno.EMFILE:
                        raise
                    spun += 1
                    if remedy == "spare":  # break[no-spare-fd]
                        os.close(spare)
                        listener.accept()[0].close()  # shed it: the client sees EOF
                        spare = os.open(os.devnull, os.O_RDONLY)
                        shed += 1
        try:
            seen = "eof" if client.recv(1) == b"" else "data"
        except BlockingIOError:
            seen = "waiting"
        return {
            "ready_and_emfile": spun,
            "shed": shed,
            "still_ready": bool(sel.select(timeout=0)),
            "client_sees": seen,
        }
    finally:
        if client is not None:
            client.close()
        for fd in [*fillers, spare]:
            os.close(fd)
        sel.close()
        listener.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def accept_at_emfile_both_ways(passes: int = 5) -> dict[str, Any]:
    """``accept_at_emfile`` without and with the spare descriptor, in one process."""
    return {remedy: accept_at_emfile(remedy, passes) for remedy in ("none", "spare")}
