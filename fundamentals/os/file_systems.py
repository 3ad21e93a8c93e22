"""Writing files safely: crashes at an exact byte, atomic rename, fsync errors and file locks.

The code behind ``file_systems.md``. ``crash_at`` models a *process* crash:
everything written before it is in the kernel's page cache and survives, as
``killed_mid_write`` shows with a real SIGKILL. A power cut also loses what
was never fsynced, which no test can cut the power to show; the fsync calls
are checked by watching them instead. ``CachedFile`` is a small model of how
Linux reports writeback errors (a port of ``lib/errseq.c``). The lock and
crash demonstrations fork, so the tests run them in a fresh interpreter
(``call_in_subprocess``); ``lock_probe`` is the "other process" that tries a
lock or a write.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from fundamentals.os.processes import call_in_subprocess, exit_code, fork_child, read_all

Step = Callable[[str], None]
"""Called with the name of each step a writer has just completed (the tests look then)."""


class SimulatedCrash(Exception):
    """The process "died" here: the writer stops and skips its own clean-up and rename.

    It is an exception, not a real death, so the ``with`` block around the
    file still closes it, flushing Python's buffer into the kernel; a killed
    process would lose that buffer (``killed_mid_write`` shows the real thing).
    Either way it is a process crash, not a power cut: what reached the kernel
    is in the page cache and stays visible to every reader.
    """


def _no_step(name: str) -> None:
    """The default ``step`` callback: nobody is watching."""


def naive_write(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    crash_at: int | None = None,
    step: Step = _no_step,
) -> None:
    """Overwrite ``path`` in place: truncate, then write. A crash leaves a torn file.

    ``crash_at`` writes only that many bytes, then raises ``SimulatedCrash``.
    ``step`` is told "truncated", "half written" and "written" as they happen.
    """
    with open(path, "wb") as f:  # the old content is gone from this line on
        step("truncated")
        if crash_at is not None:
            f.write(data[:crash_at])
            f.flush()
            raise SimulatedCrash(f"process died after {crash_at} bytes")
        half = len(data) // 2
        f.write(data[:half])
        f.flush()  # into the page cache: any reader sees it now
        step("half written")
        f.write(data[half:])
    step("written")


def _temp_beside(target: Path) -> tuple[int, str]:
    """A new temporary file in ``target``'s directory, so a rename onto it stays atomic."""
    return tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")


def _write_in_halves(
    f: BinaryIO, data: bytes, crash_at: int | None, step: Step, where: str
) -> None:
    """Write ``data`` in two flushed halves (telling ``step`` in between), or die
    after ``crash_at`` bytes with ``SimulatedCrash`` as a killed process would."""
    if crash_at is not None:
        f.write(data[:crash_at])
        raise SimulatedCrash(f"process died after {crash_at} bytes{where}")
    half = len(data) // 2
    f.write(data[:half])
    f.flush()
    step("half written")
    f.write(data[half:])
    f.flush()


def atomic_write(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    crash_at: int | None = None,
    step: Step = _no_step,
) -> None:
    """Replace ``path`` so readers see the old file or the new one, never a mix.

    Write a temporary file *in the same directory* (``rename`` is only atomic
    within one file system), ``fsync`` it so its data is on disk before the
    name points at it, ``os.replace`` it over the target, then ``fsync`` the
    directory so the rename itself is on disk too.

    ``crash_at`` stops the writer (``SimulatedCrash``) after that many bytes of
    the temporary file, before the rename; as after a real crash the temporary
    file is left behind (holding those bytes: the ``with`` block still closes
    it). ``step`` is told "half written", "written", "fsynced", "renamed" and
    "directory fsynced" as they happen.
    """
    target = Path(path)
    fd, tmp = _temp_beside(target)  # break[write-in-place]
    try:
        with os.fdopen(fd, "wb") as f:
            _write_in_halves(f, data, crash_at, step, f" of {tmp}")
            step("written")
            os.fsync(f.fileno())  # break[no-fsync]
            step("fsynced")
        os.replace(tmp, target)
        step("renamed")
    except SimulatedCrash:
        raise  # a crashed process would not get to delete its temporary file
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    step("directory fsynced")


def backup_then_write(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    crash_at: int | None = None,
    step: Step = _no_step,
) -> Path:
    """Save the way vim and Emacs do by default: rename the file to a backup, write anew.

    The old inode keeps its content under ``<name>~``; the new content is then
    written, fsynced, under the real name, in a new inode. Returns the backup's
    path (vim deletes it after a successful write unless ``'backup'`` is set;
    Emacs keeps it). ``crash_at`` stops the writer after that many bytes of the
    new file (``SimulatedCrash``). ``step`` is told "backed up", "half written"
    and "written".

    The old version survives any crash, but not under the name readers use:
    between the rename and the last byte that name is missing, then partial.
    """
    target = Path(path)
    backup = target.with_name(target.name + "~")
    os.replace(target, backup)  # the real name is gone from here ...
    step("backed up")
    with open(target, "xb") as f:  # ... and comes back empty here
        _write_in_halves(f, data, crash_at, step, "")
        os.fsync(f.fileno())
    step("written")
    return backup


def copytruncate(
    path: str | os.PathLike[str], rotated: str | os.PathLike[str], *, step: Step = _no_step
) -> None:
    """Rotate a log the way logrotate's ``copytruncate`` does: copy it, then truncate it in place.

    For programs that cannot be told to reopen their log: the writer keeps its
    descriptor and goes on writing into the same, now empty, inode. Whatever it
    writes between the copy and the truncate is in neither file. ``step`` is
    told "copied" in between.
    """
    shutil.copyfile(path, rotated)
    step("copied")
    with open(path, "r+b") as f:
        f.truncate(0)


def killed_mid_write(path: str, data: str, written: int, flush: bool) -> dict[str, Any]:
    """A child writes ``written`` characters of ``data`` to ``path`` and is SIGKILLed.

    With ``flush`` the bytes left Python's buffer for the kernel before the
    kill; without it they were still in the process. Returns the child's exit
    code and what the file holds afterwards. Forks: call it in a fresh
    interpreter.
    """

    def child() -> None:
        f = open(path, "wb")  # noqa: SIM115 - the process dies holding it, that is the point
        f.write(data[:written].encode())
        if flush:
            f.flush()  # write(2): from our buffer to the page cache
        os.kill(os.getpid(), signal.SIGKILL)  # no atexit, no close, no flush

    code = exit_code(fork_child(child))
    return {"exit": code, "content": Path(path).read_text()}


# --------------------------------------------------------------------------
# fsync errors: a model of Linux's errseq_t (lib/errseq.c)
# --------------------------------------------------------------------------


class ErrSeq:
    """The kernel's ``errseq_t``: the last writeback error, a counter, and a "seen" flag.

    One 32-bit value per file (``mapping->wb_err``). The low 12 bits hold the
    errno, bit 12 says whether anyone has looked at it since it was set, and the
    bits above count errors. Ported from ``lib/errseq.c`` (Linux 4.13; the
    ``sample`` rule is from commit b4678df184b3, Linux 4.17).

    >>> e = ErrSeq()
    >>> since = e.sample()
    >>> e.set(errno.EIO)
    >>> e.check_and_advance(since)[0] == errno.EIO
    True
    """

    MAX_ERRNO = 4095
    SEEN = 1 << 12
    COUNTER_STEP = 1 << 13

    def __init__(self) -> None:
        self.value = 0

    def set(self, err: int) -> None:
        """Record a writeback error; bump the counter only if the last one was seen."""
        if not 0 < err <= self.MAX_ERRNO:
            raise ValueError(f"err must be an errno between 1 and {self.MAX_ERRNO}, got {err}")
        new = (self.value & ~(self.MAX_ERRNO | self.SEEN)) | err
        if self.value & self.SEEN:
            new += self.COUNTER_STEP
        self.value = new & 0xFFFF_FFFF

    def sample(self) -> int:
        """What an ``open`` records: the current value, or 0 if nobody has seen it yet.

        Returning 0 for an unseen error means the new file description will
        report it, so an error is not lost merely because every descriptor that
        was open when it happened has been closed. It is lost if the inode
        itself goes: the value lives in the in-memory inode (its
        ``address_space``), and an inode nobody holds open can be evicted, with
        its clean pages, under memory pressure (``CachedFile.evict``).
        """
        old = self.value
        return old if old & self.SEEN else 0  # break[errseq-4-13-sample]

    def check_and_advance(self, since: int) -> tuple[int, int]:
        """What ``fsync`` does with a description's sample: (errno or 0, the new sample)."""
        old = self.value
        if old == since:
            return 0, since
        new = old | self.SEEN
        self.value = new
        return new & self.MAX_ERRNO, new


class CachedFile:
    """A file as the page cache holds it: cached pages, dirty pages, what the disk has.

    A writeback that fails records ``EIO`` in the file's ``ErrSeq`` and marks
    the pages clean anyway, so nothing will try to write them again: ext4, XFS
    and Btrfs all do that (Rebello et al., USENIX ATC 2020). What the page then
    holds, and so what a later read returns, differs between file systems;
    this model keeps the new data in the cache, one of those behaviours, so
    reads return data the disk never got until the page is evicted.

    >>> f = CachedFile()
    >>> a = f.open()
    >>> f.write(0, b"row")
    >>> a.fsync(), f.on_disk(0)
    ('ok', b'row')
    """

    def __init__(self) -> None:
        self.cache: dict[int, bytes] = {}
        self.dirty: set[int] = set()
        self.disk: dict[int, bytes] = {}
        self.wb_err = ErrSeq()
        self.failing = False
        """Whether the device fails every write (set it to simulate a dying disk)."""
        self.opened = 0
        """Open file descriptions not yet closed: while any exists, the inode stays."""

    def open(self) -> OpenFile:
        """A new open file description; it samples the error state, as ``open(2)`` does."""
        self.opened += 1
        return OpenFile(self, self.wb_err.sample())

    def evict(self) -> None:
        """The kernel drops the in-memory inode: its cached pages and its ``wb_err``.

        Only an inode that nobody has open, with no dirty pages, can go (after a
        failed writeback its pages are clean). The next ``open`` reads the inode
        back from disk, with no error recorded.

        Raises ``RuntimeError`` while a description is open or a page is dirty.
        """
        if self.opened or self.dirty:
            raise RuntimeError("an inode that is open or has dirty pages is not evicted")
        self.cache.clear()
        self.wb_err = ErrSeq()  # break[error-survives-eviction]

    def write(self, page: int, data: bytes) -> None:
        """``write(2)``: the data goes into the page cache and the page is dirty."""
        self.cache[page] = data
        self.dirty.add(page)

    def read(self, page: int) -> bytes | None:
        """``read(2)``: served from the cache while the page is there."""
        return self.cache.get(page, self.disk.get(page))

    def on_disk(self, page: int) -> bytes | None:
        """What a reboot would find."""
        return self.disk.get(page)

    def writeback(self) -> None:
        """Write every dirty page to the device; on failure record EIO and drop them anyway."""
        for page in sorted(self.dirty):
            if self.failing:
                self.wb_err.set(errno.EIO)
            else:
                self.disk[page] = self.cache[page]
        self.dirty.clear()  # clean either way: failed pages are not retried


class OpenFile:
    """One open file description of a ``CachedFile``, with its own error sample (``f_wb_err``)."""

    def __init__(self, file: CachedFile, since: int) -> None:
        self.file = file
        self.since = since
        self.closed = False

    def close(self) -> None:
        """Close the description (a second close is a no-op)."""
        if not self.closed:
            self.closed = True
            self.file.opened -= 1

    def fsync(self) -> str:
        """Write back dirty pages, then report any error since this description last looked.

        Returns "ok" or the errno's name ("EIO"), like ``fsync(2)`` returning 0 or -1.
        """
        self.file.writeback()
        err, self.since = self.file.wb_err.check_and_advance(self.since)
        return errno.errorcode[err] if err else "ok"


# --------------------------------------------------------------------------
# Advisory locks
# --------------------------------------------------------------------------


def try_flock(path: str | os.PathLike[str]) -> str:
    """Open ``path`` anew (a new open file description) and try a non-blocking ``flock``.

    Returns "locked" (and lets go again) or "refused".
    """
    with open(path, "rb") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return "refused"
        return "locked"


def flock_after_fork(path: str) -> dict[str, str]:
    """Lock ``path``, fork, close our descriptor: the child's inherited copy still holds it.

    The descriptor is opened with ``O_CLOEXEC`` on purpose: close-on-exec is
    about ``exec``, and ``fork`` copies every descriptor regardless. Forks:
    call it in a fresh interpreter.
    """
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    fcntl.flock(fd, fcntl.LOCK_EX)
    r, w = os.pipe()
    ready_r, ready_w = os.pipe()

    def child() -> None:
        os.close(w)
        os.write(ready_w, b".")  # break[child-closes-inherited-fd]
        os.read(r, 1)  # hold the inherited fd until the parent closes w

    pid = fork_child(child)
    os.close(r)
    os.close(ready_w)
    os.read(ready_r, 1)  # the child is running: whatever it does with fd, it has done
    os.close(ready_r)
    os.close(fd)  # the parent's copy is gone ...
    held_by_child = try_flock(path)  # ... but the open file description, and its lock, live on
    os.close(w)  # let the child exit, closing the last descriptor
    code = exit_code(pid)
    return {"child_alive": held_by_child, "child_exited": try_flock(path), "exit": str(code)}


def _lock(fd: int, kind: str, flags: int) -> None:
    """Take a ``flock`` or a POSIX ``lockf`` lock on ``fd``; ``flags`` as for ``flock``."""
    if kind == "flock":
        fcntl.flock(fd, flags)
    elif kind == "lockf":
        fcntl.lockf(fd, flags)  # break[lockf-owned-like-flock]
    else:
        raise ValueError(f"unknown lock kind {kind!r}")


def lock_after_fork(path: str, kind: str) -> dict[str, str]:
    """Lock ``path`` (``flock`` or ``lockf``), fork, and see what the child's copy carries.

    The child tries the same lock, non-blocking, through its inherited
    descriptor; then the parent closes its own descriptor and another attempt
    is made while the child is still alive with its copy open. A ``flock``
    lock belongs to the open file description, which the child shares: its
    attempt succeeds (it already holds the lock) and the lock outlives the
    parent's close. A ``lockf`` (POSIX record) lock belongs to the process
    that took it: the child is refused like any other process, and the
    parent's close frees the file although the child's copy is still open.
    Forks: call it in a fresh interpreter.
    """
    fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    _lock(fd, kind, fcntl.LOCK_EX)
    r, w = os.pipe()
    report_r, report_w = os.pipe()

    def child() -> None:
        os.close(w)
        try:
            _lock(fd, kind, fcntl.LOCK_EX | fcntl.LOCK_NB)  # through the inherited descriptor
            mine = "locked"
        except OSError:  # BlockingIOError, or EACCES for lockf: someone else holds it
            mine = "refused"
        os.write(report_w, mine.encode())
        os.close(report_w)
        os.read(r, 1)  # keep the inherited descriptor open until the parent is done

    pid = fork_child(child)
    os.close(r)
    os.close(report_w)
    child_tried = read_all(report_r).decode()  # the child has tried and still holds fd
    os.close(fd)
    after_close = call_in_subprocess(lock_probe, kind, path)  # a third process asks
    os.close(w)
    code = exit_code(pid)
    return {"child_tried": child_tried, "after_parent_closed": after_close, "exit": str(code)}


_EXEC_CHILD = """
import os, sys
fd, dev, ino = (int(x) for x in sys.argv[1:])
try:
    st = os.fstat(fd)
    holds = (st.st_dev, st.st_ino) == (dev, ino)
except OSError:
    holds = False
os.write(1, b"open" if holds else b"closed")
os.close(1)
os.read(0, 1)  # wait until the parent is done looking
"""


def flock_across_exec(path: str, cloexec: bool) -> dict[str, str]:
    """Lock ``path``, fork and ``exec`` a new program, close our descriptor; who holds the lock?

    With ``O_CLOEXEC`` the kernel closes the descriptor during ``exec``, so the
    new program holds nothing; without it the program inherits the
    descriptor, and the lock with it. Forks: call it in a fresh interpreter.
    """
    fd = os.open(path, os.O_RDONLY | (os.O_CLOEXEC if cloexec else 0))
    if not cloexec:
        os.set_inheritable(fd, True)  # Python sets O_CLOEXEC by default (PEP 446)
    fcntl.flock(fd, fcntl.LOCK_EX)
    st = os.fstat(fd)
    report_r, report_w = os.pipe()
    hold_r, hold_w = os.pipe()

    def child() -> None:
        os.dup2(hold_r, 0)  # dup2 makes 0 and 1 inheritable: exec keeps them
        os.dup2(report_w, 1)
        args = [str(fd), str(st.st_dev), str(st.st_ino)]
        os.execv(sys.executable, [sys.executable, "-c", _EXEC_CHILD, *args])

    pid = fork_child(child)
    os.close(hold_r)
    os.close(report_w)
    # Once the program has reported, the exec is done and only it can hold the lock.
    child_sees = read_all(report_r).decode()
    os.close(fd)
    while_running = try_flock(path)
    os.close(hold_w)
    code = exit_code(pid)
    return {
        "child_sees_fd": child_sees,
        "child_running": while_running,
        "child_exited": try_flock(path),
        "exit": str(code),
    }


def lock_probe(kind: str, path: str) -> str:
    """From another process: try a non-blocking lock (or a plain write) on ``path``.

    ``kind`` is ``flock``, ``lockf`` or ``write-without-lock``; the answer is
    ``locked``, ``refused`` or ``wrote``.
    """
    if kind == "write-without-lock":
        with open(path, "wb") as f:
            f.write(b"overwritten by a process that never asked\n")
        return "wrote"
    if kind not in ("flock", "lockf"):
        raise ValueError(f"unknown lock kind {kind!r}")
    with open(path, "r+b") as f:
        try:
            if kind == "flock":
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:
                fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # BlockingIOError for flock; EACCES or EAGAIN for lockf
            return "refused"
        return "locked"
