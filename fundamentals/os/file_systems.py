"""Writing files safely: a crash injected at an exact byte, atomic rename, and advisory locks.

The code behind ``file_systems.md``. ``lock_probe`` runs in another process
(``call_in_subprocess``) to show what a second process can do to a locked file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class SimulatedCrash(Exception):
    """Raised where the power was cut; nothing after that point ran."""


def naive_write(path: str | os.PathLike[str], data: bytes, *, crash_at: int | None = None) -> None:
    """Overwrite ``path`` in place: truncate, then write. A crash leaves a torn file.

    ``crash_at`` writes only that many bytes, then raises ``SimulatedCrash``.
    """
    with open(path, "wb") as f:  # the old content is gone from this line on
        if crash_at is not None:
            f.write(data[:crash_at])
            f.flush()
            raise SimulatedCrash(f"power cut after {crash_at} bytes")
        f.write(data)


def atomic_write(path: str | os.PathLike[str], data: bytes, *, crash_at: int | None = None) -> None:
    """Replace ``path`` so readers see the old file or the new one, never a mix.

    Write a temporary file *in the same directory* (``rename`` is only atomic
    within one file system), ``fsync`` it so its data is on disk before the
    name points at it, ``os.replace`` it over the target, then ``fsync`` the
    directory so the rename itself survives a crash.

    ``crash_at`` simulates a power cut after that many bytes of the temporary
    file: ``SimulatedCrash`` is raised before the rename and, as after a real
    crash, the temporary file is left behind.
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            if crash_at is not None:
                f.write(data[:crash_at])
                raise SimulatedCrash(f"power cut after {crash_at} bytes of {tmp}")
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except SimulatedCrash:
        raise  # a crashed process cleans nothing up
    except BaseException:
        os.unlink(tmp)
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def lock_probe(kind: str, path: str) -> str:
    """From another process: try a non-blocking lock (or a plain write) on ``path``.

    ``kind`` is ``flock``, ``lockf`` or ``write-without-lock``; the answer is
    ``locked``, ``refused`` or ``wrote``.
    """
    import fcntl

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
