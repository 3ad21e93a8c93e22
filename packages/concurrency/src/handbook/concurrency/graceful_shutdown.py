"""Graceful shutdown: on SIGTERM, finish the job in flight, start no new one, exit 0.

Why interviewers ask this:
    Every deploy, autoscale-down and node drain stops processes with SIGTERM,
    then SIGKILL after a grace period (30 s by default in Kubernetes, 10 s for
    ``docker stop``). A worker that dies on the spot loses or duplicates the job
    it was running; one that ignores the signal is killed mid-job anyway.
    "How does your service shut down?" checks that a candidate knows what a
    signal handler may do, where the real work happens instead, why a
    container's PID 1 is special, and how to prove it works.

Common pitfalls:
    - No handler at all: Python's default for SIGTERM is to die immediately, with
      no ``finally`` blocks and no ``atexit`` hooks run, and whatever still sat
      in ``sys.stdout``'s buffer (block-buffered when it is a pipe or a file)
      is lost. SIGINT, in contrast, raises ``KeyboardInterrupt``, so all three
      happen.
    - Python as PID 1 of a container (``CMD ["python", "app.py"]``) with no
      handler: Python installs none for SIGTERM (it stays ``SIG_DFL``), and the
      kernel drops a signal sent to the init process of a PID namespace when
      that process has no handler for it (pid_namespaces(7)). From inside the
      namespace that holds for every signal, even SIGKILL; from an ancestor
      namespace (the host: ``docker stop``, ``kubectl delete``) for all but
      SIGKILL and SIGSTOP. Two more get through: the signal of a fault the
      process itself causes (a real segmentation fault kills it, where
      ``kill(1, SIGSEGV)`` would not) and SIGKILL sent by the kernel (the OOM
      killer). The drop happens when the signal is sent, so it is not waiting
      for a handler installed later (unless the process had the signal
      blocked, which keeps it pending). SIGTERM is lost, and ``docker stop``
      waits out its grace period and sends SIGKILL. The cure is the handler.
    - Expecting an init (``docker run --init``, tini, dumb-init) to make the
      stop graceful. Under one, Python is PID 2, an ordinary process: the init
      forwards SIGTERM, and without a handler Python dies of it at once. That
      is a fast stop, not a graceful one; draining still needs the handler.
      What the init adds is forwarding, and reaping: orphaned processes are
      re-parented to PID 1, and a PID 1 that never calls ``wait()`` on them
      (a plain Python program does not) collects zombies.
    - Expecting a handler to interrupt a long C call. The C-level handler only
      records the signal; the main thread runs the Python handler when its
      eval loop next checks, between bytecodes. A C function that runs long
      without checking (a big ``sum``, a regex, a NumPy operation, a call
      through ``ctypes``) delays the handler until it returns. Blocking system
      calls are different: they fail with ``EINTR``, Python runs the handler
      and then retries them (PEP 475).
    - Doing real work in the handler. Python runs it in the main thread between
      bytecodes, in the middle of whatever that thread was doing, so a handler
      that needs a lock the interrupted code holds waits for itself forever.
      ``threading.Event.set()`` takes the Event's internal lock, which the main
      thread holds for a moment inside ``Event.wait()``, ``set()`` and
      ``clear()``: a handler calling ``stop.set()`` while the main loop sits in
      ``stop.wait(1)`` deadlocks when the signal lands in that moment.
      (``multiprocessing.Event`` locks even in ``is_set()``, cpython#126434;
      CPython's signal docs now warn against locks in handlers, gh-144706.)
    - Expecting the flag alone to wake a blocked main loop: PEP 475 retries the
      interrupted ``select``, ``read`` or ``sleep`` after the handler returns,
      so a worker idle in ``select()`` on its input keeps waiting until the
      next job arrives or SIGKILL does.
    - Checking the flag only while idle, or only while busy: the loop must check
      it *between* jobs, so the current job completes and no new one starts.
    - Draining longer than the grace period: the platform then sends SIGKILL,
      which cannot be handled (``signal.signal(SIGKILL, ...)`` raises
      ``OSError``). Bound the drain (finish or hand back the job). In
      Kubernetes a ``preStop`` hook runs before SIGTERM is sent and its time
      counts against ``terminationGracePeriodSeconds`` (30 s by default).
    - A container whose PID 1 is a shell script (``sh -c "python app.py;
      ..."``): SIGTERM goes to PID 1 only, the shell has no handler, so the
      kernel drops it and the worker never hears it. End the entrypoint
      script with ``exec python app.py`` so the worker becomes PID 1.

Key takeaways:
    - Install handlers at start-up, before announcing "ready". The handler only
      records the request in a plain attribute: an assignment takes no lock.
    - Wake the main loop with the self-pipe trick: ``signal.set_wakeup_fd(w)``
      makes the C-level handler write a byte to ``w`` (safe in a signal
      context), and the loop ``select()``s on the pipe's read end next to its
      input, so a signal ends an idle wait at once.
    - asyncio: ``loop.add_signal_handler(SIGTERM, stop.set)`` does the same
      internally and runs the callback as an ordinary loop callback, where any
      code is safe.
    - The main loop checks the flag between jobs; the job in flight finishes,
      then the process exits with status 0 (a clean stop, not a crash). A
      blocking call inside the job is retried after the handler (PEP 475), so
      the signal does not break the job's I/O.
    - Test it for real: run the worker as a child process, wait for it to say
      it is mid-job (or idle), send SIGTERM, check what it finished, what it
      did not start and its exit status; and once as PID 1 of a PID namespace.
    - Go: ``signal.NotifyContext(ctx, syscall.SIGTERM)`` and cancel the loop's
      context. Java: ``Runtime.addShutdownHook``.

What to look for in an answer:
    A strong answer installs a handler that only records the request, wakes the
    main loop without locks, drains in-flight work at a safe point, refuses new
    work, exits 0 within the grace period, and knows SIGKILL cannot be caught.
    Follow-ups:
    - How do you stop *receiving* work before draining? (Fail the readiness
      probe or deregister from the load balancer, stop consuming the queue.
      In Kubernetes, removing the pod from the Service's endpoints happens
      concurrently with SIGTERM, so requests may still arrive for a moment
      after it: keep serving briefly (a short sleep in ``preStop`` is
      common), then close the listener, then drain what is in flight.)
    - What if a job cannot finish within the grace period? (Checkpoint it, or
      return it to the queue: an unacked message is redelivered.)
    - Your container takes exactly the grace period to stop and logs nothing.
      Why? (Python is PID 1 without a SIGTERM handler: the kernel drops the
      signal and the runtime falls back to SIGKILL. Add a handler: that is what
      makes the stop graceful. ``--init`` alone turns it into an immediate
      death by SIGTERM instead: faster, still not graceful. The init's other
      job is reaping zombies, which a Python PID 1 does not do.)
    - Why not ``signal.signal(SIGTERM, lambda *_: stop_event.set())``? (It takes
      a lock in a context that may already hold it; use a flag plus
      ``set_wakeup_fd``, or ``add_signal_handler`` in asyncio.)
    - Why do signal handlers run only in the main thread, and what does that mean
      for a worker thread blocked in a job? (The kernel may deliver the signal
      to any thread; CPython's C-level handler just records it and flags the
      main thread, whose eval loop runs the Python handler. The worker keeps
      running; the main thread must tell it to stop at a safe point.)

Complexity:
    Shutdown waits for at most one job: the one in flight when SIGTERM arrives.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import select
import shlex
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType
from typing import Literal

__all__ = [
    "GracefulWorker",
    "Received",
    "StdinJobs",
    "entrypoint_script",
    "event_set_in_handler_deadlocks",
    "main",
    "run_async_worker",
    "steps_done_when_the_handler_ran",
    "where_the_handler_runs",
]

Received = Literal["job", "woken", "end"]
"""What waiting for the next job produced: a job, a wake-up by a signal, or end of input."""


class GracefulWorker:
    """Runs jobs 1, 2, 3, ... one at a time until asked to stop, then drains and returns.

    >>> worker = GracefulWorker()
    >>> def work(job: int) -> bool:
    ...     if job == 2:
    ...         worker.request_stop(signal.SIGTERM, None)  # as if SIGTERM arrived mid-job
    ...     return True
    >>> worker.run(lambda: "job", work, print)
    started job 1
    finished job 1
    started job 2
    finished job 2
    drained: 2 job(s) completed, exiting
    2
    """

    def __init__(self) -> None:
        self.stop_requested = False

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        """The signal handler: record the request and return. No locks, no I/O."""
        self.stop_requested = True

    def install_signal_handlers(self) -> int:
        """Route SIGTERM and SIGINT to :meth:`request_stop`; return the wake-up pipe's read end.

        The C-level handler writes a byte to the pipe for every signal, so a
        ``select()`` that includes the returned descriptor ends when one
        arrives. Main thread only (``ValueError`` elsewhere).
        """
        read_end, write_end = os.pipe()
        os.set_blocking(read_end, False)
        os.set_blocking(write_end, False)  # set_wakeup_fd requires it: a handler must never block
        signal.set_wakeup_fd(write_end)  # break[no-wakeup-fd]
        signal.signal(signal.SIGTERM, self.request_stop)  # break[no-handler]
        signal.signal(signal.SIGINT, self.request_stop)
        return read_end

    def run(
        self,
        receive: Callable[[], Received],
        work: Callable[[int], bool],
        log: Callable[[str], None],
    ) -> int:
        """Run jobs until a stop is requested; return how many completed.

        ``receive()`` waits for the next job. ``work(job)`` does one job and
        returns False if its input ended midway. The stop flag is checked only
        *between* jobs: the job in flight always completes, and no job starts
        after the request.
        """
        completed = 0
        job = 0
        while not self.stop_requested:
            received = receive()
            if received == "woken":
                continue  # a signal: the loop condition decides
            if received == "end":
                log("no more input")
                break
            job += 1
            log(f"started job {job}")
            if not work(job):
                log(f"abandoned job {job}: no more input")
                break
            completed += 1
            log(f"finished job {job}")
        log(f"drained: {completed} job(s) completed, exiting")
        return completed


class StdinJobs:
    """The worker's input: each job is a line, and each job's work waits for one more line.

    Lines are read with ``os.read`` rather than through ``sys.stdin``'s buffer,
    so that ``select()`` sees every byte not yet consumed.
    """

    def __init__(self, fd: int, wakeup_fd: int) -> None:
        self._fd = fd
        self._wakeup_fd = wakeup_fd
        self._buffer = b""
        self._eof = False

    def _take_line(self) -> bool:
        """Consume one complete line if there is one."""
        _line, newline, rest = self._buffer.partition(b"\n")
        if not newline:
            return False
        self._buffer = rest
        return True

    def _fill(self) -> None:
        chunk = os.read(self._fd, 4096)  # a signal here: retried after the handler (PEP 475)
        self._eof = not chunk
        self._buffer += chunk

    def receive(self) -> Received:
        """Wait for the next job line, a signal, or end of input, whichever comes first."""
        while not self._take_line():
            if self._eof:
                return "end"
            readable, _, _ = select.select([self._fd, self._wakeup_fd], [], [])
            if self._wakeup_fd in readable:
                while True:  # drain: one byte per signal
                    try:
                        if not os.read(self._wakeup_fd, 512):
                            break
                    except BlockingIOError:
                        break
                return "woken"
            self._fill()
        return "job"

    def answer(self, job: int) -> bool:
        """One job's work: wait for one line from upstream; False if input ends first.

        A signal does not end this wait: the job in flight is meant to finish.
        """
        while not self._take_line():
            if self._eof:
                return False
            self._fill()
        return True


def _say(line: str) -> None:
    print(line, flush=True)


async def run_async_worker(
    reader: asyncio.StreamReader,
    log: Callable[[str], None],
    signals: Sequence[int] = (signal.SIGTERM, signal.SIGINT),
) -> int:
    """The asyncio way: same protocol as :class:`GracefulWorker` on ``reader``; logs "ready".

    ``loop.add_signal_handler`` runs ``stop.set`` as an ordinary callback on the
    loop (asyncio wakes itself through ``set_wakeup_fd``), so touching an
    ``asyncio.Event`` there is safe. Unix only; main thread only.
    """
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)  # break[no-async-handler]
    stopping = asyncio.ensure_future(stop.wait())
    completed = job = 0
    try:
        log("ready")
        while not stop.is_set():
            next_job = asyncio.ensure_future(reader.readline())
            await asyncio.wait({next_job, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if stop.is_set():  # a stop wins over a job that arrived at the same time
                next_job.cancel()
                await asyncio.wait({next_job})
                break
            if not next_job.result():
                log("no more input")
                break
            job += 1
            log(f"started job {job}")
            if not await reader.readline():  # the job's work: not interrupted by stop
                log(f"abandoned job {job}: no more input")
                break
            completed += 1
            log(f"finished job {job}")
        log(f"drained: {completed} job(s) completed, exiting")
        return completed
    finally:
        stopping.cancel()
        await asyncio.wait({stopping})
        for signum in signals:
            loop.remove_signal_handler(signum)


async def _async_main() -> int:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    transport, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), sys.stdin
    )
    try:
        return await run_async_worker(reader, _say)
    finally:
        transport.close()


class _Rescued(Exception):
    """Raised by the rescue signal inside a handler that is stuck."""


def event_set_in_handler_deadlocks(
    signum: int = signal.SIGUSR1, rescue_signum: int = signal.SIGUSR2, bound: float = 0.25
) -> bool:
    """Deliver ``signum`` while this thread holds an Event's lock, as inside ``Event.wait()``.

    The handler calls ``event.set()``. If it has not returned after ``bound``
    seconds, a helper thread sends ``rescue_signum`` (again every ``bound``
    seconds until it has), whose handler raises inside the stuck call: lock
    waits are interruptible by signals on POSIX. Returns True if the handler
    was rescued from inside ``set()`` and the event was never set. Blocked on
    a lock its own thread holds, the call could never have proceeded, so the
    bound is only a lower limit on a wait that has no end. The previous
    handlers are restored. Main thread only (``RuntimeError`` elsewhere).
    """
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("signal handlers run only in the main thread")
    event = threading.Event()
    state = "before"  # then "in handler", and "done" or "rescued"
    returned = threading.Event()  # set by this thread, outside any handler
    main_thread = threading.get_ident()

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal state
        state = "in handler"
        event.set()  # break[flag-not-event]
        state = "done"

    def rescue(signum: int, frame: FrameType | None) -> None:
        nonlocal state
        if state == "in handler":  # only ever raises once, and only inside the handler
            state = "rescued"
            raise _Rescued

    def watchdog() -> None:
        # Repeats until released: a rescue that lands before or after the
        # handler is ignored, so timing never decides the result.
        while not returned.wait(bound):
            signal.pthread_kill(main_thread, rescue_signum)

    previous = signal.signal(signum, handler), signal.signal(rescue_signum, rescue)
    helper = threading.Thread(target=watchdog, name="rescue-watchdog")
    try:
        # CPython's Event keeps its lock in a private Condition, ``_cond``.
        with event._cond:  # type: ignore[attr-defined]
            helper.start()
            with contextlib.suppress(_Rescued):
                signal.raise_signal(signum)  # the handler runs before this returns
    finally:
        returned.set()
        if helper.ident is not None:
            helper.join()
        signal.signal(signum, previous[0])
        signal.signal(rescue_signum, previous[1])
    return state == "rescued" and not event.is_set()


def _libc_kill() -> Callable[[int, int], int]:
    """libc's ``kill()`` through ctypes: a C call that, unlike ``os.kill``, never runs handlers.

    ``os.kill`` checks for pending signals before it returns (so a process
    signalling itself runs the handler at once); the raw libc function does not.
    """
    kill: Callable[[int, int], int] = ctypes.CDLL(None, use_errno=True).kill
    return kill


def steps_done_when_the_handler_ran(n: int = 1000, signum: int = signal.SIGUSR1) -> tuple[int, int]:
    """Send ``signum`` to this process at the first of ``n`` steps; when did its handler run?

    Each step calls libc's ``kill()`` (signal ``signum`` the first time, signal
    0, a no-op, after that) and keeps the result. Done once inside a single C
    call, ``list.extend(map(...))``, and once as a Python ``for`` loop. Returns
    how many steps had finished when the handler ran, for each. The previous
    handler is restored. Main thread only (``RuntimeError`` elsewhere).
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("signal handlers run only in the main thread")
    kill, pid = _libc_kill(), os.getpid()
    signals = [signum] + [0] * (n - 1)
    done: list[int] = []
    seen: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        seen.append(len(done))

    previous = signal.signal(signum, handler)
    try:
        done.extend(map(kill, [pid] * n, signals))  # break[python-loop]
        done.clear()
        for sig in signals:
            done.append(kill(pid, sig))
    finally:
        signal.signal(signum, previous)
    if len(seen) != 2:
        raise RuntimeError(f"expected the handler to run twice, it ran {len(seen)} times")
    return seen[0], seen[1]


def where_the_handler_runs(signum: int = signal.SIGUSR1) -> list[str]:
    """A worker thread sends ``signum`` to itself and carries on: who runs the Python handler?

    Returns the log: the worker's own entries and the handler's, in order.
    The previous handler is restored. Main thread only (``RuntimeError``
    elsewhere).
    """
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("signal handlers run only in the main thread")
    log: list[str] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        log.append(f"handler ran in {threading.current_thread().name}")

    def work() -> None:
        signal.pthread_kill(threading.get_ident(), signum)  # the kernel delivers it to this thread
        log.append("worker carried on")

    previous = signal.signal(signum, handler)
    try:
        worker = threading.Thread(target=work, name="worker")
        worker.start()
        worker.join()  # the handler runs as this returns, in the main thread
    finally:
        signal.signal(signum, previous)
    return log


def entrypoint_script(worker: Sequence[str], *, exec_worker: bool) -> str:
    """A container entrypoint shell script: some set-up, then the worker.

    With ``exec_worker`` the shell replaces itself with the worker, which so
    becomes PID 1; without, the shell stays PID 1 and logs the worker's exit
    status after it.
    """
    if not worker:
        raise ValueError("worker must name a command")
    command = shlex.join(worker)
    lines = ['echo "entrypoint: set-up done"']
    if exec_worker:
        lines.append(f"exec {command}")  # break[no-exec]
    else:
        lines.append(command)
        lines.append('echo "entrypoint: worker exited with status $?"')
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the worker on stdin/stdout (``--asyncio`` for the asyncio one); 0 after a clean stop.

    Each job is one line of input, and needs one more line to finish (a
    stand-in for an upstream call), which lets a test decide exactly when a
    job starts and when it may complete.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--asyncio"]:
        asyncio.run(_async_main())
        return 0
    if args:
        raise SystemExit(
            f"usage: python -m handbook.concurrency.graceful_shutdown [--asyncio]; got {args}"
        )
    worker = GracefulWorker()
    jobs = StdinJobs(sys.stdin.fileno(), worker.install_signal_handlers())
    _say("ready")
    worker.run(jobs.receive, jobs.answer, _say)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
