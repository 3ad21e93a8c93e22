"""Child processes that never outlive the command, and the signals that stop it.

Every pytest run starts through :func:`start`, which records the child. When
the command is told to stop (Ctrl-C, SIGTERM, SIGHUP, or its output pipe
closes), :func:`stop_all` refuses new children and kills the recorded ones, so
that worker threads waiting on them return at once and their ``with`` blocks
remove the temporary folders (``/tmp/handbook-break-*``,
``/tmp/handbook-probe-*``) before the command exits.

A signal becomes a :class:`Stopped` exception in the main thread. It is a
``BaseException`` so that no ``except Exception`` on the way up swallows it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import Any

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# How long a child that shares the terminal gets to end by itself (a Ctrl-C at the
# terminal reaches it too), then to obey the forwarded signal, before it is killed.
_GRACE_SECONDS = 1.0


class Stopped(BaseException):
    """The command was told to stop: by ``signum``, or (SIGPIPE) by a closed output pipe."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's convention for a command ended by a signal: 128 + its number."""
        return 128 + self.signum


@dataclass(frozen=True)
class _Child:
    own_group: bool  # it leads its own process group, and is killed as a group
    service: bool  # it serves other runs (a fork server): its owner ends it, after them


_lock = threading.Lock()
_live: dict[subprocess.Popen[str], _Child] = {}
# Process groups of runs that a fork server started (not our children: we cannot wait).
_groups: set[int] = set()
_stopping: int | None = None
# The main thread's signal handler must not raise while the main thread is between
# starting a child and recording it: the child would be orphaned. It defers instead.
_main_busy = False
_deferred: int | None = None


def stopping() -> int | None:
    """The signal the command is stopping for, or None while it runs."""
    return _stopping


def start(
    cmd: Sequence[str], *, own_group: bool, service: bool = False, **popen_args: Any
) -> subprocess.Popen[str]:
    """Start and record a child; raise :class:`Stopped` once the command is stopping.

    ``own_group``: the child leads a new session, so that a stop or a timeout
    kills it with every process it started, and a Ctrl-C at the terminal reaches
    only this command, which ends it. Otherwise it shares the terminal (an
    interactive ``handbook test``). A ``service`` (a fork server) is left to
    its owner by :func:`stop_all`: the owner still needs it to hear that the
    runs it forked have died.
    """
    global _main_busy, _deferred
    in_main = threading.current_thread() is threading.main_thread()
    with _lock:
        if _stopping is not None:
            raise Stopped(_stopping)
        if in_main:
            _main_busy = True
        try:
            proc: subprocess.Popen[str] = subprocess.Popen(
                cmd, start_new_session=own_group, text=True, **popen_args
            )
            _live[proc] = _Child(own_group, service)
        finally:
            if in_main:
                _main_busy = False
    if in_main and _deferred is not None:
        signum, _deferred = _deferred, None
        _raise_stopped(signum)
    return proc


def track_group(pgid: int) -> None:
    """Record a process group that is no child of ours (a fork server's run), so that a
    stop kills it too; if the command is already stopping, kill it now and raise."""
    with _lock:
        if _stopping is None:
            _groups.add(pgid)
            return
        signum = _stopping
    kill_group(pgid)
    raise Stopped(signum)


def forget_group(pgid: int) -> None:
    """Stop tracking a process group whose leader has ended."""
    with _lock:
        _groups.discard(pgid)


def kill_group(pgid: int) -> None:
    """SIGKILL every process of a group."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def end(proc: subprocess.Popen[str], signum: int = signal.SIGKILL) -> None:
    """End one child, if it still runs, wait for it and forget it.

    A child with its own group is killed with its whole group at once. One that
    shares the terminal first gets a grace period (a Ctrl-C at the terminal
    reached it too, and pytest then prints its summary), then ``signum``, then
    SIGKILL.
    """
    with _lock:
        child = _live.get(proc, _Child(own_group=True, service=False))
    if proc.poll() is None:
        if child.own_group:
            # The group cannot be reused while its leader is unreaped (poll() was None).
            kill_group(proc.pid)
        else:
            _end_gently(proc, signum)
    proc.wait()
    with _lock:
        _live.pop(proc, None)


def _end_gently(proc: subprocess.Popen[str], signum: int) -> None:
    if signum == signal.SIGINT and _ended_within_grace(proc):
        return  # the terminal's Ctrl-C reached it too, and it stopped by itself
    for sig in (signum, signal.SIGKILL):
        if proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        if _ended_within_grace(proc):
            return


def _ended_within_grace(proc: subprocess.Popen[str]) -> bool:
    try:
        proc.wait(_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        return False
    return True


def stop_all(signum: int, *, services: bool = False) -> None:
    """Refuse new children and end every live one (see :func:`end`): the runs of
    fork servers, then the children, then, with ``services``, the fork servers."""
    global _stopping
    with _lock:
        if _stopping is None:
            _stopping = signum
        groups = list(_groups)
        procs = [p for p, child in _live.items() if services or not child.service]
    for pgid in groups:
        kill_group(pgid)
    for proc in procs:
        end(proc, signum)


def resume() -> None:
    """Accept new children again, after :func:`stop_all` ended an operation (not the command)."""
    global _stopping
    with _lock:
        _stopping = None


def _on_signal(signum: int, frame: FrameType | None) -> None:
    global _deferred
    if _main_busy:
        _deferred = signum
        return
    _raise_stopped(signum)


def _raise_stopped(signum: int) -> None:
    # Later signals change nothing: the first one's clean-up is under way.
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    raise Stopped(signum)


@contextlib.contextmanager
def session() -> Iterator[None]:
    """Turn SIGINT, SIGTERM and SIGHUP into :class:`Stopped` while the command runs.

    On the way out, whatever the reason, every child still alive is ended and
    the previous handlers come back (tests run the command in-process).
    """
    global _stopping, _deferred
    previous = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    _stopping, _deferred = None, None
    for sig, handler in previous.items():
        # An ignored signal stays ignored: `nohup handbook ...`, or `handbook ... &` in a
        # script (which ignores SIGINT), asked for exactly that.
        if handler is not signal.SIG_IGN:
            signal.signal(sig, _on_signal)
    try:
        yield
    except Stopped as exc:
        stop_all(exc.signum)
        raise
    finally:
        stop_all(signal.SIGKILL, services=True)
        for sig, handler in previous.items():
            if handler is not None:  # None: set outside Python, cannot be put back
                signal.signal(sig, handler)
        _stopping = None
