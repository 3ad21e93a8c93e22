"""os.file_systems: links and inodes, unlinked-but-open files, atomic replace, advisory locks.

Locks are only interesting between processes, so the other process is a fresh
interpreter running ``file_systems.lock_probe``: it reports what it could do and exits.
"""

from __future__ import annotations

import fcntl
import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from fundamentals.os.file_systems import SimulatedCrash, atomic_write, lock_probe, naive_write
from fundamentals.os.processes import call_in_subprocess

OLD = b'{"version": 1, "replicas": 3}\n'
NEW = b'{"version": 2, "replicas": 5, "zone": "eu-west-1"}\n'


# --- inodes and links --------------------------------------------------------


def test_hard_link_is_a_second_name_for_the_same_inode(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(OLD)
    assert os.stat(a).st_nlink == 1
    os.link(a, b)
    assert os.stat(a).st_ino == os.stat(b).st_ino
    assert os.stat(a).st_nlink == os.stat(b).st_nlink == 2
    with open(b, "ab") as f:  # a write through one name shows through the other
        f.write(b"more\n")
    assert a.read_bytes() == OLD + b"more\n"
    a.unlink()  # removes a name, not the data
    assert os.stat(b).st_nlink == 1
    assert b.read_bytes() == OLD + b"more\n"


def test_symlink_is_a_path_and_dangles_when_the_target_goes(tmp_path: Path) -> None:
    target, link = tmp_path / "target", tmp_path / "link"
    target.write_bytes(OLD)
    os.symlink(target, link)
    assert os.stat(link).st_ino == os.stat(target).st_ino  # stat follows the link
    assert os.lstat(link).st_ino != os.stat(target).st_ino  # the link has its own inode
    assert os.stat(target).st_nlink == 1  # and does not count as a link
    target.unlink()
    assert os.readlink(link) == str(target)
    assert not link.exists()  # dangling


def test_unlinked_file_stays_readable_through_an_open_descriptor(tmp_path: Path) -> None:
    path = tmp_path / "scratch"
    path.write_bytes(OLD)
    fd = os.open(path, os.O_RDWR)
    try:
        path.unlink()
        assert not path.exists()
        assert os.fstat(fd).st_nlink == 0  # no names left, but the inode lives on
        assert os.pread(fd, 1024, 0) == OLD
        os.pwrite(fd, b"still writable", 0)
        assert os.pread(fd, 14, 0) == b"still writable"
        if sys.platform.startswith("linux"):
            assert os.readlink(f"/proc/self/fd/{fd}").endswith(" (deleted)")
    finally:
        os.close(fd)  # only now is the space freed


# --- atomic replace ------------------------------------------------------------


def test_naive_overwrite_torn_by_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_bytes(OLD)
    with pytest.raises(SimulatedCrash):
        naive_write(path, NEW, crash_at=20)
    assert path.read_bytes() == NEW[:20]  # neither old nor new: a torn file


def test_atomic_write_crash_before_replace_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_bytes(OLD)
    for crash_at in range(len(NEW) + 1):  # every possible crash point
        with pytest.raises(SimulatedCrash):
            atomic_write(path, NEW, crash_at=crash_at)
        assert path.read_bytes() == OLD
    # What a crash leaves behind is only temporary files, never a torn target.
    leftovers = [p.name for p in tmp_path.iterdir() if p != path]
    assert leftovers
    assert all(name.startswith(".config.json.") for name in leftovers)


def test_atomic_write_replaces_the_inode_and_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_bytes(OLD)
    old_inode = os.stat(path).st_ino
    with open(path, "rb") as reader:  # a reader that opened the old version
        atomic_write(path, NEW)
        assert reader.read() == OLD  # keeps reading the old inode
    assert path.read_bytes() == NEW
    assert os.stat(path).st_ino != old_inode
    assert sorted(tmp_path.iterdir()) == [path]


def test_atomic_write_fsyncs_file_then_renames_then_fsyncs_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.json"
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        calls.append("fsync dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def replace(src: str, dst: Path) -> None:
        assert Path(src).read_bytes() == NEW  # the data is complete before the rename
        calls.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    atomic_write(path, NEW)
    assert calls == ["fsync file", "replace", "fsync dir"]
    assert path.read_bytes() == NEW


def test_atomic_write_cleans_up_after_an_ordinary_error(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_bytes(OLD)
    with pytest.raises(TypeError):
        atomic_write(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == OLD
    assert sorted(tmp_path.iterdir()) == [path]


def test_concurrent_reader_never_sees_a_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_bytes(OLD)
    versions = {OLD, NEW}
    seen: set[bytes] = set()
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            seen.add(path.read_bytes())

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(50):
            atomic_write(path, NEW if i % 2 == 0 else OLD)
    finally:
        done.set()
        thread.join(timeout=10)
    assert seen <= versions  # whatever interleaving happened, only whole versions


# --- advisory locks ------------------------------------------------------------


def probe(kind: str, path: Path) -> str:
    """Ask another process to lock (or just write) ``path``; return what it managed."""
    answer: str = call_in_subprocess(lock_probe, kind, str(path))
    return answer


def test_second_open_file_description_is_refused_a_held_flock(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    path.touch()
    with open(path, "rb") as first, open(path, "rb") as second:
        fcntl.flock(first, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(BlockingIOError):
            fcntl.flock(second, fcntl.LOCK_EX | fcntl.LOCK_NB)
        # A duplicated descriptor shares the open file description, hence the lock.
        dup = os.dup(first.fileno())
        try:
            fcntl.flock(dup, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(dup)
        assert probe("flock", path) == "refused"  # another process: refused too
        fcntl.flock(first, fcntl.LOCK_UN)
        fcntl.flock(second, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free now


def test_closing_the_descriptor_releases_the_flock(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    path.touch()
    holder = open(path, "rb")  # noqa: SIM115 - closed explicitly, that is the point
    fcntl.flock(holder, fcntl.LOCK_EX)
    assert probe("flock", path) == "refused"
    holder.close()
    assert probe("flock", path) == "locked"


def test_flock_is_advisory_a_process_that_does_not_ask_can_still_write(tmp_path: Path) -> None:
    path = tmp_path / "data"
    path.write_bytes(OLD)
    with open(path, "rb") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        assert probe("write-without-lock", path) == "wrote"
        assert path.read_bytes() == b"overwritten by a process that never asked\n"


def test_posix_locks_belong_to_the_process_and_die_with_any_close(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    path.write_bytes(b"x")
    with open(path, "r+b") as first:
        fcntl.lockf(first, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert probe("lockf", path) == "refused"
        with open(path, "r+b") as second:
            # Same process: no conflict at all, unlike flock.
            fcntl.lockf(second, fcntl.LOCK_EX | fcntl.LOCK_NB)
        # Closing *any* descriptor of the file dropped the process's locks,
        # including the one taken through ``first``, which is still open.
        assert probe("lockf", path) == "locked"


def test_lock_probe_on_a_free_file(tmp_path: Path) -> None:
    path = tmp_path / "free"
    path.touch()
    assert call_in_subprocess(lock_probe, "flock", str(path)) == "locked"
    assert call_in_subprocess(lock_probe, "lockf", str(path)) == "locked"
    assert lock_probe("flock", str(path)) == "locked"


def test_lock_probe_rejects_an_unknown_kind(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown lock kind 'bogus'"):
        lock_probe("bogus", str(tmp_path))
    with pytest.raises(RuntimeError, match="unknown lock kind 'bogus'"):
        call_in_subprocess(lock_probe, "bogus", str(tmp_path))
