"""os.file_systems: inodes and links, crashes, atomic replace, fsync errors, advisory locks.

Locks are only interesting between processes, so the other process is a fresh
interpreter running ``file_systems.lock_probe``: it reports what it could do and
exits. Demonstrations that fork (a killed writer, a lock inherited by a child)
run in a fresh interpreter too. Readers racing a writer are forced: the writer
stops after each step and a reader thread reads the file right then.
"""

from __future__ import annotations

import errno
import fcntl
import os
import queue
import shutil
import stat
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from fundamentals.os.file_systems import (
    CachedFile,
    ErrSeq,
    SimulatedCrash,
    Step,
    atomic_write,
    backup_then_write,
    copytruncate,
    flock_across_exec,
    flock_after_fork,
    killed_mid_write,
    lock_after_fork,
    lock_probe,
    naive_write,
    try_flock,
)
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
    assert link.exists() is False  # dangling


def test_a_hard_link_cannot_point_at_a_directory(tmp_path: Path) -> None:
    # A directory has exactly one parent (its ".."); a second name would make the tree
    # a graph. link(2) refuses with EPERM on Linux, even for root.
    (tmp_path / "dir").mkdir()
    with pytest.raises(PermissionError) as refused:
        os.link(tmp_path / "dir", tmp_path / "alias")
    assert refused.value.errno == errno.EPERM


def other_file_system(tmp_path: Path) -> Path:
    """A writable directory on another file system than ``tmp_path``, or skip saying why."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK):
        pytest.skip("needs a writable /dev/shm as a second file system")
    if os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("/dev/shm and the temporary directory are one file system here")
    return shm


def test_link_and_rename_cannot_cross_file_systems(tmp_path: Path) -> None:
    other = other_file_system(tmp_path)
    source = tmp_path / "config.json"
    source.write_bytes(OLD)
    target = other / f"fundamentals-{os.getpid()}-config.json"
    try:
        # An inode number means something only inside its own file system.
        with pytest.raises(OSError, match="cross-device") as linked:
            os.link(source, target)
        assert linked.value.errno == errno.EXDEV
        # rename(2) only rewrites directory entries, so it cannot move data either.
        with pytest.raises(OSError, match="cross-device") as renamed:
            os.replace(source, target)
        assert renamed.value.errno == errno.EXDEV
        assert source.read_bytes() == OLD
        assert not target.exists()
    finally:
        target.unlink(missing_ok=True)


def test_shutil_move_across_file_systems_is_copy_then_delete(tmp_path: Path) -> None:
    other = other_file_system(tmp_path)
    source = tmp_path / "config.json"
    source.write_bytes(OLD)
    target = other / f"fundamentals-{os.getpid()}-moved.json"
    both_names: list[bool] = []

    def copy(src: str, dst: str) -> object:
        result = shutil.copy2(src, dst)
        # The copy is complete and the source not yet deleted: both names exist, so a
        # crash here leaves two files, and a reader of dst during the copy saw a part.
        both_names.append(Path(src).exists() and Path(dst).exists())
        return result

    try:
        shutil.move(source, target, copy_function=copy)
        assert both_names == [True]  # the rename failed with EXDEV, so it copied
        assert not source.exists()
        assert target.read_bytes() == OLD
        assert os.stat(target).st_dev != os.stat(tmp_path).st_dev  # a new inode, elsewhere
    finally:
        target.unlink(missing_ok=True)
    # Within one file system it is a rename: same inode, no copy.
    (tmp_path / "a").write_bytes(OLD)
    inode = os.stat(tmp_path / "a").st_ino
    both_names.clear()
    shutil.move(tmp_path / "a", tmp_path / "b", copy_function=copy)
    assert both_names == []
    assert os.stat(tmp_path / "b").st_ino == inode


def test_unlinked_file_stays_readable_through_an_open_descriptor(tmp_path: Path) -> None:
    path = tmp_path / "scratch"
    path.write_bytes(OLD)
    fd = os.open(path, os.O_RDWR)
    try:
        path.unlink()
        assert path.exists() is False
        assert os.fstat(fd).st_nlink == 0  # no names left, but the inode lives on
        assert os.pread(fd, 1024, 0) == OLD
        os.pwrite(fd, b"still writable", 0)
        assert os.pread(fd, 14, 0) == b"still writable"
        if sys.platform.startswith("linux"):
            assert os.readlink(f"/proc/self/fd/{fd}").endswith(" (deleted)")
    finally:
        os.close(fd)  # only now is the space freed


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux's /proc/<pid>/fd")
def test_truncating_through_proc_frees_a_deleted_file_without_a_restart(tmp_path: Path) -> None:
    # A "deleted" log still held open by a daemon: its blocks stay allocated.
    log = tmp_path / "app.log"
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        os.write(fd, b"x" * (256 * 1024))
        os.fsync(fd)  # so that the blocks are allocated, not just reserved
        log.unlink()
        assert os.fstat(fd).st_blocks > 0
        # `: > /proc/PID/fd/N` from a shell: opening the magic link with O_TRUNC reaches
        # the unlinked inode itself, and truncating it frees the blocks at once.
        with open(f"/proc/self/fd/{fd}", "wb"):
            pass
        assert (os.fstat(fd).st_size, os.fstat(fd).st_blocks) == (0, 0)
        os.write(fd, b"next line\n")  # the writer goes on, at the new end (O_APPEND)
        assert os.fstat(fd).st_size == len(b"next line\n")
    finally:
        os.close(fd)


def test_copytruncate_loses_what_is_written_between_copy_and_truncate(tmp_path: Path) -> None:
    log, rotated = tmp_path / "app.log", tmp_path / "app.log.1"
    with open(log, "ab") as writer:  # the daemon's descriptor, O_APPEND

        def write_line(step: str) -> None:
            writer.write(b"written while rotating\n")
            writer.flush()

        writer.write(b"before\n")
        writer.flush()
        copytruncate(log, rotated, step=write_line)
        writer.write(b"after\n")
        writer.flush()
    assert rotated.read_bytes() == b"before\n"
    assert log.read_bytes() == b"after\n"  # the line from the window is in neither file


def test_copytruncate_needs_o_append_in_the_writer(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    writer = os.open(log, os.O_WRONLY | os.O_CREAT)  # no O_APPEND: the writer keeps an offset
    try:
        os.write(writer, b"x" * 1000)
        copytruncate(log, tmp_path / "app.log.1")
        os.write(writer, b"next\n")  # at offset 1000 of a file that is now empty
    finally:
        os.close(writer)
    content = log.read_bytes()
    # The file jumps back to its old size, the first 1000 bytes a hole that reads as NULs.
    assert content == b"\0" * 1000 + b"next\n"


def test_o_append_makes_two_writers_add_instead_of_overwrite(tmp_path: Path) -> None:
    # Two independent opens of one log (as two processes would have): each open file
    # description has its own offset. Without O_APPEND both start at 0 and the second
    # write lands on top of the first; with it, every write first moves to the end,
    # atomically with the write.
    for flags, expected in [(0, b"B-line\n"), (os.O_APPEND, b"A-line\nB-line\n")]:
        log = tmp_path / f"log-{flags}"
        log.touch()
        a = os.open(log, os.O_WRONLY | flags)
        b = os.open(log, os.O_WRONLY | flags)
        try:
            os.write(a, b"A-line\n")
            os.write(b, b"B-line\n")
        finally:
            os.close(a)
            os.close(b)
        assert log.read_bytes() == expected


# --- atomic replace ------------------------------------------------------------


def test_naive_overwrite_torn_by_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_bytes(OLD)
    with pytest.raises(SimulatedCrash):
        naive_write(path, NEW, crash_at=20)
    assert path.read_bytes() == NEW[:20]  # neither old nor new: a torn file


def test_a_killed_process_leaves_behind_what_it_handed_to_the_kernel(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    text = NEW.decode()
    # flush() is write(2): the bytes are in the page cache, which outlives the process.
    flushed = call_in_subprocess(killed_mid_write, str(path), text, 20, True)
    assert flushed == {"exit": -9, "content": text[:20]}  # exactly what crash_at=20 models
    # Without it they were still in Python's buffer, inside the process that died;
    # the open() had already truncated the file.
    buffered = call_in_subprocess(killed_mid_write, str(path), text, 20, False)
    assert buffered == {"exit": -9, "content": ""}


def test_atomic_write_crash_before_replace_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_bytes(OLD)
    for crash_at in range(len(NEW) + 1):  # every possible crash point
        with pytest.raises(SimulatedCrash):
            atomic_write(path, NEW, crash_at=crash_at)
        assert path.read_bytes() == OLD
    # What a crash leaves behind is only temporary files, never a torn target. Each holds
    # exactly its crash_at bytes: the exception still ran the with block, which closed
    # the file and flushed Python's buffer (a killed process would not have).
    leftovers = sorted(p.read_bytes() for p in tmp_path.iterdir() if p != path)
    assert leftovers == sorted(NEW[:n] for n in range(len(NEW) + 1))
    assert all(p.name.startswith(".config.json.") for p in tmp_path.iterdir() if p != path)


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="O_TMPFILE is Linux-only")
def test_o_tmpfile_gets_a_name_only_when_complete_but_cannot_replace_one(tmp_path: Path) -> None:
    try:
        fd = os.open(tmp_path, os.O_TMPFILE | os.O_WRONLY, 0o644)
    except OSError as exc:  # EOPNOTSUPP (or EISDIR on old kernels): no support here
        pytest.skip(f"this file system has no O_TMPFILE: {exc}")
    dir_fd = os.open(tmp_path, os.O_RDONLY)
    try:
        os.write(fd, NEW)
        # An inode with no name at all: nothing to clean up if we crash now.
        assert os.listdir(tmp_path) == []
        assert os.fstat(fd).st_nlink == 0
        os.fsync(fd)
        # linkat(AT_SYMLINK_FOLLOW) through /proc gives it a name. Given a dir_fd,
        # os.link calls linkat with that flag; without one it calls plain link(2),
        # which links the /proc entry itself and fails with EXDEV.
        link = f"/proc/self/fd/{fd}"
        os.link(link, "config.json", src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        assert (tmp_path / "config.json").read_bytes() == NEW
        # But a link never replaces an existing name: updating a file still takes rename.
        with pytest.raises(FileExistsError):
            os.link(link, "config.json", src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    finally:
        os.close(dir_fd)
        os.close(fd)


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
    # A process crash cannot show a missing fsync (the page cache survives it), so
    # watch the calls instead: which inode was synced, and when.
    path = tmp_path / "config.json"
    calls: list[tuple[str, int]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        st = os.fstat(fd)
        calls.append(("fsync dir" if stat.S_ISDIR(st.st_mode) else "fsync file", st.st_ino))
        real_fsync(fd)

    def replace(src: str, dst: Path) -> None:
        assert Path(src).read_bytes() == NEW  # the data is complete before the rename
        calls.append(("replace", os.stat(src).st_ino))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    atomic_write(path, NEW)
    new_inode, dir_inode = os.stat(path).st_ino, os.stat(tmp_path).st_ino
    # The file that was synced is the one renamed into place, synced before the
    # rename; the directory synced afterwards is the one holding the new name.
    assert calls == [("fsync file", new_inode), ("replace", new_inode), ("fsync dir", dir_inode)]
    assert path.read_bytes() == NEW


def test_atomic_write_cleans_up_after_an_ordinary_error(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_bytes(OLD)
    with pytest.raises(TypeError):
        atomic_write(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == OLD
    assert sorted(tmp_path.iterdir()) == [path]


def read_at_every_step(path: Path, write: Callable[[Step], None]) -> list[tuple[str, bytes]]:
    """Run ``write(step)``; at every step it reports, a reader thread reads ``path``.

    The writer is paused inside its ``step`` call until the reader has finished,
    so each read happens at exactly that point of the write. Also reads once
    before the write starts and once after it returns.
    """
    asks: queue.Queue[str | None] = queue.Queue()
    answers: queue.Queue[tuple[str, bytes]] = queue.Queue()

    def reader() -> None:
        while (name := asks.get()) is not None:
            answers.put((name, path.read_bytes()))

    def look(name: str) -> None:
        asks.put(name)
        seen.append(answers.get(timeout=10))

    seen: list[tuple[str, bytes]] = []
    thread = threading.Thread(target=reader)
    thread.start()
    try:
        look("before")
        write(look)
        look("after")
    finally:
        asks.put(None)
        thread.join(timeout=10)
    return seen


def test_concurrent_reader_never_sees_a_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_bytes(OLD)
    before_rename = {"before", "half written", "written", "fsynced"}
    old_reads = new_reads = 0
    for old, new in [(OLD, NEW), (NEW, OLD), (OLD, NEW)]:

        def write(step: Step, new: bytes = new) -> None:
            atomic_write(path, new, step=step)

        seen = read_at_every_step(path, write)
        assert [name for name, _ in seen] == [
            "before",
            "half written",
            "written",
            "fsynced",
            "renamed",
            "directory fsynced",
            "after",
        ]
        for name, content in seen:
            # Until the rename the name still points at the old inode, complete;
            # from the rename on, at the new one, complete.
            assert content == (old if name in before_rename else new), name
            old_reads += name in before_rename
            new_reads += name not in before_rename
    # Both versions were read, at every step, in every round: 4 + 3 reads per write.
    assert (old_reads, new_reads) == (12, 9)


def test_editor_style_backup_keeps_the_old_version_but_not_the_name(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(OLD)

    def read(p: Path) -> bytes | None:
        try:
            return p.read_bytes()
        except FileNotFoundError:
            return None

    seen: dict[str, bytes | None] = {}

    def look(name: str) -> None:
        seen[name] = read(path)

    backup = backup_then_write(path, NEW, step=look)
    # Between the rename and the end of the write, the name readers open is missing,
    # then empty-or-partial: vim's and Emacs's default save is not atomic for readers.
    assert seen == {"backed up": None, "half written": NEW[: len(NEW) // 2], "written": NEW}
    assert backup.read_bytes() == OLD  # the old version is safe, under another name
    # A crash mid-write leaves a torn file under the real name and the old one beside it.
    backup.unlink()
    path.write_bytes(OLD)
    with pytest.raises(SimulatedCrash):
        backup_then_write(path, NEW, crash_at=9)
    assert path.read_bytes() == NEW[:9]
    assert (tmp_path / "notes.txt~").read_bytes() == OLD


def test_in_place_writer_shows_a_concurrent_reader_a_torn_file(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_bytes(OLD)
    seen = dict(read_at_every_step(path, lambda step: naive_write(path, NEW, step=step)))
    assert seen["before"] == OLD
    assert seen["truncated"] == b""  # the old version is gone before the new one exists
    assert seen["half written"] == NEW[: len(NEW) // 2]  # neither old nor new
    assert seen["after"] == NEW


# --- fsync errors (a model of Linux's errseq_t) ------------------------------------


def test_an_fsync_error_is_reported_once_to_each_open_file_description() -> None:
    f = CachedFile()
    a, b = f.open(), f.open()
    f.write(0, b"row 1")
    f.failing = True
    assert a.fsync() == "EIO"
    assert a.fsync() == "ok"  # reported once to a: a retry "succeeds"
    assert b.fsync() == "EIO"  # b was open when it happened: it gets its own report
    assert b.fsync() == "ok"
    assert f.open().fsync() == "ok"  # someone has seen it: a later open is not told


def test_after_a_failed_writeback_the_retry_succeeds_and_the_data_is_gone() -> None:
    f = CachedFile()
    db = f.open()
    f.write(0, b"committed row")
    f.failing = True
    assert db.fsync() == "EIO"
    f.failing = False  # the device recovers (a transient error, a path failover)
    assert db.fsync() == "ok"  # nothing is dirty any more, so nothing fails
    assert f.read(0) == b"committed row"  # reads are served from the cache ...
    assert f.on_disk(0) is None  # ... but the disk never got it: gone after a reboot


def test_an_unseen_error_is_reported_to_a_file_opened_after_it() -> None:
    # Background writeback fails while no descriptor is open (a checkpointer that
    # opens files only to fsync them). Since Linux 4.17 the next open still sees it.
    f = CachedFile()
    f.write(0, b"row")
    f.failing = True
    f.writeback()
    late = f.open()
    assert late.fsync() == "EIO"
    assert late.fsync() == "ok"


def test_a_new_error_after_a_seen_one_is_reported_again() -> None:
    f = CachedFile()
    a = f.open()
    f.failing = True
    f.write(0, b"x")
    assert a.fsync() == "EIO"
    f.write(1, b"y")
    assert a.fsync() == "EIO"  # the counter moved on, so the value differs from a's sample
    assert f.wb_err.value >> 13 == 1  # one bump: the first error had been seen


def test_an_unseen_error_dies_with_an_evicted_inode() -> None:
    # The same failure while no descriptor is open, but before anyone opens the file
    # again the kernel evicts the inode (memory pressure): wb_err lived in it.
    f = CachedFile()
    writer = f.open()
    f.write(0, b"row")
    writer.close()
    f.failing = True
    f.writeback()  # background writeback fails; the page is now clean
    f.evict()
    late = f.open()
    assert late.fsync() == "ok"  # nobody is ever told
    assert f.read(0) is None  # and the data is gone from the cache as from the disk


def test_only_an_unused_clean_inode_is_evicted() -> None:
    f = CachedFile()
    a = f.open()
    with pytest.raises(RuntimeError, match="open or has dirty pages"):
        f.evict()
    a.close()
    a.close()  # a second close changes nothing
    f.write(0, b"dirty")
    with pytest.raises(RuntimeError, match="open or has dirty pages"):
        f.evict()
    f.writeback()
    f.evict()
    assert f.on_disk(0) == b"dirty"


def test_errseq_layout_and_validation() -> None:
    e = ErrSeq()
    assert e.sample() == 0
    e.set(errno.EIO)
    assert e.value == errno.EIO  # low bits: the errno; no SEEN flag, no counter yet
    assert e.check_and_advance(0) == (errno.EIO, errno.EIO | ErrSeq.SEEN)
    with pytest.raises(ValueError, match="between 1 and 4095"):
        e.set(0)


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


def test_a_forked_child_keeps_the_flock_after_the_parent_closes(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    path.touch()
    # The child's inherited descriptor refers to the same open file description,
    # which owns the lock; O_CLOEXEC on it changes nothing, there was no exec.
    assert call_in_subprocess(flock_after_fork, str(path)) == {
        "child_alive": "refused",
        "child_exited": "locked",
        "exit": "0",
    }


@pytest.mark.parametrize(
    ("cloexec", "sees", "while_running"), [(True, "closed", "locked"), (False, "open", "refused")]
)
def test_close_on_exec_decides_whether_an_execd_program_holds_the_flock(
    tmp_path: Path, cloexec: bool, sees: str, while_running: str
) -> None:
    path = tmp_path / "lock"
    path.touch()
    assert call_in_subprocess(flock_across_exec, str(path), cloexec) == {
        "child_sees_fd": sees,
        "child_running": while_running,
        "child_exited": "locked",
        "exit": "0",
    }


def test_python_opens_descriptors_close_on_exec_except_dup2(tmp_path: Path) -> None:
    # PEP 446: descriptors Python creates are non-inheritable unless asked ...
    path = tmp_path / "f"
    path.touch()
    with open(path, "rb") as f:
        assert os.get_inheritable(f.fileno()) is False
        assert fcntl.fcntl(f.fileno(), fcntl.F_GETFD) & fcntl.FD_CLOEXEC == fcntl.FD_CLOEXEC
        copy = os.dup(f.fileno())
        assert os.get_inheritable(copy) is False
        # ... except os.dup2's target, inheritable by default, since dup2 onto 0, 1 or
        # 2 before exec is what it is mostly for (flock_across_exec relies on it).
        spare = os.open(os.devnull, os.O_RDONLY)
        try:
            os.dup2(f.fileno(), spare)
            assert os.get_inheritable(spare) is True
            os.dup2(f.fileno(), spare, inheritable=False)
            assert os.get_inheritable(spare) is False
        finally:
            os.close(spare)
            os.close(copy)
    r, w = os.pipe()
    try:
        assert os.get_inheritable(r) is False
        assert os.get_inheritable(w) is False
    finally:
        os.close(r)
        os.close(w)
    assert try_flock(path) == "locked"


def test_a_forked_child_does_not_inherit_a_posix_lock(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    path.write_bytes(b"x")
    # The lockf lock is the parent process's: the child, through its inherited
    # descriptor, is refused like a stranger, and the parent's close frees the file
    # although the child still has the descriptor open.
    assert call_in_subprocess(lock_after_fork, str(path), "lockf") == {
        "child_tried": "refused",
        "after_parent_closed": "locked",
        "exit": "0",
    }


def test_a_forked_child_shares_the_flock_through_its_descriptor(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    path.write_bytes(b"x")
    # The same steps with flock: the child's descriptor shares the open file description
    # that owns the lock, so its own attempt succeeds at once (it holds it already), and
    # the lock outlives the parent's close.
    assert call_in_subprocess(lock_after_fork, str(path), "flock") == {
        "child_tried": "locked",
        "after_parent_closed": "refused",
        "exit": "0",
    }


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
