"""os.concurrency_models: three echo servers, the same 20 loopback clients, different bills.

Each server runs in its own subprocess (``concurrency_models.EchoServerProcess``) so it
can count its own threads, processes and file descriptors from ``/proc``
while the clients are connected, and so a prefork master can fork safely.
Counts, not timings: nothing here asserts how long anything took.
"""

from __future__ import annotations

import socket
import sys

import pytest

from fundamentals.os.concurrency_models import (
    MODELS,
    Costs,
    EchoServerProcess,
    accept_without_descriptors,
    connect_and_echo,
    herd_wakeups,
    measure,
    wake_a_blocked_accept,
)
from fundamentals.os.processes import LOOK_MS, call_in_subprocess, readable

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="counts threads and fds in Linux /proc/<pid>/"
)

CLIENTS = 20
WORKERS = 4


@pytest.fixture(scope="module")
def costs() -> dict[str, Costs]:
    """Each model serves CLIENTS clients once; the tests read the bill."""
    return {model: measure(model, clients=CLIENTS, workers=WORKERS) for model in MODELS}


@pytest.mark.parametrize("model", MODELS)
def test_every_model_echoes_every_client(costs: dict[str, Costs], model: str) -> None:
    bill = costs[model]
    assert bill.clients == CLIENTS  # measure() checked every echo byte for byte
    assert sum(bill.served) == CLIENTS


def test_thread_per_connection_pays_one_thread_per_client(costs: dict[str, Costs]) -> None:
    bill = costs["threads"]
    assert bill.at_once == CLIENTS
    assert bill.processes == 1
    assert bill.threads == 1 + 1 + CLIENTS  # main, acceptor, one handler per client
    assert bill.fds == 1 + CLIENTS  # listening socket + one socket per client


def test_event_loop_serves_every_client_on_one_thread(costs: dict[str, Costs]) -> None:
    bill = costs["selectors"]
    assert bill.at_once == CLIENTS
    assert (bill.processes, bill.threads) == (1, 1)
    assert bill.fds == 1 + 1 + CLIENTS  # listener + the epoll fd + one socket per client


def test_prefork_pays_a_process_per_worker_and_spreads_the_load(costs: dict[str, Costs]) -> None:
    bill = costs["prefork"]
    assert bill.at_once == WORKERS
    assert bill.processes == 1 + WORKERS
    assert bill.threads == 1 + WORKERS  # every process is single-threaded
    # master: listener + its end of the stop pipe; each worker: inherited
    # listener + its end of the stop pipe + the connection it is serving.
    assert bill.fds == 2 + 3 * WORKERS
    # In every round of WORKERS simultaneous clients, each busy worker held one.
    assert bill.served == (CLIENTS // WORKERS,) * WORKERS


def test_prefork_pays_for_its_workers_before_any_client_arrives() -> None:
    server = EchoServerProcess("prefork", workers=WORKERS)
    try:
        server.read()  # the port
        # The master answers only once its fork loop is done: all workers exist.
        idle = server.command("stats")
        assert (idle["processes"], idle["threads"]) == (1 + WORKERS, 1 + WORKERS)
        assert server.shut_down() == {"served": [0] * WORKERS}
    finally:
        server.kill()


def test_event_loop_serves_a_new_client_while_another_sits_idle() -> None:
    server = EchoServerProcess("selectors")
    held: list[socket.socket] = []
    try:
        port = int(server.read()["port"])
        held += connect_and_echo(port, 1, tag="idle-")  # echoed, then connected and silent
        # The loop only ever waits in select(), so the idle client holds nothing up.
        held += connect_and_echo(port, 1, tag="next-")
        bill = server.command("stats")
        assert (bill["processes"], bill["threads"]) == (1, 1)
        for sock in held:
            sock.close()
        assert server.shut_down() == {"served": [2]}
    finally:
        for sock in held:
            sock.close()
        server.kill()


def test_prefork_concurrency_is_capped_at_the_worker_count() -> None:
    server = EchoServerProcess("prefork", workers=2)
    held: list[socket.socket] = []
    try:
        port = int(server.read()["port"])
        held = connect_and_echo(port, 2)  # both workers now busy with a client each
        third = socket.create_connection(("127.0.0.1", port), timeout=10)
        held.append(third)
        third.sendall(b"third\n")
        # The kernel completed the handshake (backlog), but no worker is free to accept.
        assert readable(third.fileno(), LOOK_MS) is False
        held.pop(0).close()  # free one worker
        assert third.recv(100) == b"third\n"
        for sock in held:
            sock.close()
        # The freed worker served two clients, the other one; which is which is up to the kernel.
        assert sorted(server.shut_down()["served"]) == [1, 2]
    finally:
        for sock in held:
            sock.close()
        server.kill()


# More clients at once than the worker pools on this page (WORKERS, 2) and
# than the 20 of the cost table: a thread server quietly capped at any of
# those sizes would leave some of these without an echo.
UNCAPPED = 32


def test_thread_per_connection_has_no_such_cap() -> None:
    server = EchoServerProcess("threads")
    held: list[socket.socket] = []
    try:
        port = int(server.read()["port"])
        held = connect_and_echo(port, UNCAPPED)  # all connected, all echoed, none closed
        bill = server.command("stats")
        assert bill["threads"] == 1 + 1 + UNCAPPED  # main, acceptor, one per client
        for sock in held:
            sock.close()
        assert server.shut_down() == {"served": [UNCAPPED]}
    finally:
        for sock in held:
            sock.close()
        server.kill()


def test_blocking_accept_wakes_one_waiter_select_wakes_them_all() -> None:
    # Four threads wait for a connection on one listener. Blocked in accept()
    # they sleep on an exclusive wait queue: one connection wakes one thread.
    # Blocked in select() (as the prefork workers here wait) every one of them
    # is woken, and all but one find nothing to accept: the thundering herd.
    assert herd_wakeups("accept", waiters=4) == 1
    assert herd_wakeups("select", waiters=4) == 4
    with pytest.raises(ValueError, match="unknown way to wait 'poll'"):
        herd_wakeups("poll")


def test_shutdown_wakes_a_thread_blocked_in_accept_close_does_not() -> None:
    # close() only drops this fd; the blocked accept() still holds the
    # listening socket, keeps sleeping (LOOK_MS bounds the look) and later
    # returns a connection. shutdown(SHUT_RD) on Linux fails it with EINVAL.
    assert wake_a_blocked_accept("close") == {"woken": False, "accept_returned": ["a connection"]}
    assert wake_a_blocked_accept("shutdown") == {"woken": True, "accept_returned": ["EINVAL"]}
    with pytest.raises(ValueError, match="unknown way to wake 'kill'"):
        wake_a_blocked_accept("kill")


def test_unknown_model_and_bad_counts_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown model 'fibers'"):
        measure("fibers")
    with pytest.raises(ValueError, match="workers must be >= 1"):
        EchoServerProcess("prefork", workers=0)
    with pytest.raises(ValueError, match="clients must be >= 1"):
        measure("threads", clients=0)


def test_out_of_descriptors_accept_fails_and_the_connection_stays_queued() -> None:
    # Runs in a fresh interpreter: it lowers that process's RLIMIT_NOFILE.
    assert call_in_subprocess(accept_without_descriptors) == {
        "first_accept": "EMFILE",
        "still_readable": True,  # a level-triggered loop would wake for it for ever
        "after_closing_the_spare": "a connection",
    }
