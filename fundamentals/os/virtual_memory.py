"""Virtual memory: mapping reserves addresses, the first touch of each page costs a fault.

The code behind ``virtual_memory.md``. ``demo_page_faults`` measures the
current process; ``demo_cow_accounting`` forks and reads ``smaps_rollup`` of
parent and child; ``demo_tmpfs_charge`` and ``demo_pipe_charge`` read what our
memory cgroup is charged. All of them run in a fresh interpreter.
"""

from __future__ import annotations

import contextlib
import fcntl
import mmap
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from fundamentals.os.processes import call_in_subprocess, exit_code, fork_child
from fundamentals.os.procfs import minor_faults, resident_pages


def _no_huge_pages(m: mmap.mmap) -> bool:
    """Ask for 4 KiB pages only; ``True`` if huge pages are ruled out for ``m``.

    One transparent huge page (2 MiB) is one fault for 512 pages: with THP the
    "one fault per page" count would be far lower, and right.
    """
    advice = getattr(mmap, "MADV_NOHUGEPAGE", None)
    if advice is not None:
        try:
            m.madvise(advice)
            return True
        except OSError:  # EINVAL: a kernel built without THP, so no huge pages anyway
            return True
    try:
        mode = Path("/sys/kernel/mm/transparent_hugepage/enabled").read_text()
    except OSError:
        return True
    return "[always]" not in mode


def _touch(m: mmap.mmap, *, write: bool) -> tuple[int, int]:
    """Read or write a byte in every page of ``m``; return (minor faults, resident pages) added."""
    faults, rss = minor_faults(), resident_pages()
    total = 0
    for offset in range(0, len(m), mmap.PAGESIZE):
        if write:  # break[read-writes]
            m[offset] = 1
        else:
            total += m[offset]
    return minor_faults() - faults, resident_pages() - rss


def demo_page_faults(pages: int = 2048) -> dict[str, Any]:
    """Count minor faults and resident pages for fresh private anonymous mappings.

    ``write``: write every page once. ``read`` then ``read_then_write``: read
    every page of another mapping, then write it. ``untouched``: map 1 GiB and
    touch nothing (read-only if the kernel refuses to overcommit that much
    writable memory; ``untouched_writable`` says which).
    """
    flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
    result: dict[str, Any] = {"pages": pages}
    m = mmap.mmap(-1, pages * mmap.PAGESIZE, flags=flags)
    result["small_pages_only"] = _no_huge_pages(m)
    result["write"] = _touch(m, write=True)
    m.close()
    m = mmap.mmap(-1, pages * mmap.PAGESIZE, flags=flags)
    _no_huge_pages(m)
    result["read"] = _touch(m, write=False)
    result["read_then_write"] = _touch(m, write=True)
    m.close()
    faults, rss = minor_faults(), resident_pages()
    try:
        big = mmap.mmap(-1, 1 << 30, flags=flags)
        result["untouched_writable"] = True
    except OSError:  # strict overcommit (vm.overcommit_memory=2) refuses to promise 1 GiB;
        # a read-only private mapping is never charged against the commit limit.
        big = mmap.mmap(-1, 1 << 30, flags=flags, prot=mmap.PROT_READ)
        result["untouched_writable"] = False
    result["untouched"] = (minor_faults() - faults, resident_pages() - rss)
    result["untouched_pages"] = len(big) // mmap.PAGESIZE
    big.close()
    return result


def page_fault_table(pages: int = 2048) -> str:
    """Run ``demo_page_faults`` in a fresh interpreter; tabulate the cost per page.

    Costs are rounded to whole faults (or resident pages) per page touched,
    so the table is the same on every Linux machine while small noise (a few
    faults from the interpreter itself) disappears.
    """
    r = call_in_subprocess(demo_page_faults)
    if not r["small_pages_only"]:
        raise RuntimeError("transparent huge pages could not be ruled out; counts would be lower")
    rows = [
        (f"write 1 byte in each of {pages} fresh pages", r["write"], pages),
        (f"read 1 byte in each of {pages} fresh pages", r["read"], pages),
        ("...then write 1 byte in each of them", r["read_then_write"], pages),
        ("map 1 GiB, touch nothing", r["untouched"], r["untouched_pages"]),
    ]
    width = max(len(label) for label, _, _ in rows)
    lines = [
        f"| {'what the program did':<{width}} | faults per page | new resident pages per page |",
        f"|{'-' * (width + 2)}|----------------:|----------------------------:|",
    ]
    for label, (faults, rss), n in rows:
        lines.append(f"| {label:<{width}} | {round(faults / n):>15} | {round(rss / n):>27} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# After fork: RSS, PSS and private dirty memory
# --------------------------------------------------------------------------

COW_COUNTERS = ("Rss", "Pss", "Shared_Dirty", "Private_Dirty")
"""The ``smaps_rollup`` lines the fork demonstration reports, each in KiB."""


def smaps_rollup(pid: int) -> dict[str, int]:
    """The totals of ``/proc/<pid>/smaps_rollup`` (Linux 4.14+), in KiB, by line name.

    ``Rss`` counts every resident page mapped, shared or not; ``Pss`` divides
    each page by the number of processes mapping it; ``Private_Dirty`` counts
    modified pages that only this process maps.

    >>> totals = smaps_rollup(os.getpid())
    >>> totals["Rss"] >= totals["Pss"] >= totals["Private_Dirty"] > 0
    True
    """
    totals: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, _, value = line.partition(":")
        parts = value.split()
        if len(parts) == 2 and parts[1] == "kB":
            totals[key] = int(parts[0])
    return totals


def _write_every_page(m: mmap.mmap, value: int) -> None:
    for offset in range(0, len(m), mmap.PAGESIZE):
        m[offset] = value


def _measure_around_child(action: Callable[[], object]) -> dict[str, Any]:
    """Fork; read both processes' ``COW_COUNTERS`` before and after the child runs ``action``.

    The two sides talk over pipes, so each measurement happens while the other
    side waits, and the child stays alive (still mapping everything) until
    the parent has measured. Returns ``before``, ``after`` and ``child_exit``.
    """
    to_parent_r, to_parent_w = os.pipe()
    to_child_r, to_child_w = os.pipe()

    def child() -> None:
        os.close(to_parent_r)
        os.close(to_child_w)
        os.write(to_parent_w, b"r")  # ready: measure us sharing everything
        if os.read(to_child_r, 1) != b"g":
            return
        action()
        os.write(to_parent_w, b"d")  # done: measure again
        os.read(to_child_r, 1)  # stay alive until the parent is done

    pid = fork_child(child)
    os.close(to_parent_w)
    os.close(to_child_r)
    me = os.getpid()
    result: dict[str, Any] = {}

    def measure() -> dict[str, dict[str, int]]:
        ours, theirs = smaps_rollup(me), smaps_rollup(pid)
        return {
            "parent": {k: ours[k] for k in COW_COUNTERS},
            "child": {k: theirs[k] for k in COW_COUNTERS},
        }

    try:
        if os.read(to_parent_r, 1) != b"r":
            raise RuntimeError("the child died before it was ready")
        result["before"] = measure()
        os.write(to_child_w, b"g")
        if os.read(to_parent_r, 1) != b"d":
            raise RuntimeError("the child died before it finished")
        result["after"] = measure()
    finally:
        os.close(to_child_w)  # EOF: the child's last read returns and it exits
        os.close(to_parent_r)
        result["child_exit"] = exit_code(pid)
    return result


def demo_cow_accounting(pages: int = 4096) -> dict[str, Any]:
    """Fork over ``pages`` populated private pages; the child writes every page.

    Returns ``COW_COUNTERS`` of parent and child, each in KiB, ``before`` the
    child writes and ``after`` (both alive and still mapping the memory),
    with ``mapping_kib`` and the child's exit code.
    """
    m = mmap.mmap(-1, pages * mmap.PAGESIZE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    small_pages = _no_huge_pages(m)
    _write_every_page(m, 1)  # populated: every page resident, private to us

    def child_writes() -> None:
        _write_every_page(m, 2)  # break[child-does-not-write]

    try:
        result = _measure_around_child(child_writes)
    finally:
        m.close()
    return {"mapping_kib": pages * mmap.PAGESIZE // 1024, "small_pages_only": small_pages, **result}


def demo_reading_python_objects(count: int = 200_000) -> dict[str, Any]:
    """Fork over a list of ``count`` floats; the child only reads them (it sums them).

    Returns what ``_measure_around_child`` does, plus ``payload_kib``: the
    least memory the float objects themselves take (``sys.getsizeof`` each;
    pymalloc rounds each up to a 32-byte block). Reading a float means taking
    a reference to it, which writes its reference count, so its page is copied.
    """
    numbers = [float(i) for i in range(count)]
    payload = count * sys.getsizeof(0.5) // 1024

    def child_reads() -> None:
        sum(numbers)  # break[child-reads-no-objects]

    return {"payload_kib": payload, **_measure_around_child(child_reads)}


def _halves(x: float) -> str:
    """``x`` rounded to the nearest half, signed: ``+1``, ``+0.5``, ``0``, ``-1``."""
    value = round(x * 2) / 2
    if value == 0:
        return "0"
    text = f"{value:+.1f}"
    return text.removesuffix(".0")


def cow_accounting_table(pages: int = 4096) -> str:
    """Run ``demo_cow_accounting`` in a fresh interpreter; tabulate what the child's writes changed.

    See ``format_cow_table`` for the rounding.
    """
    return format_cow_table(call_in_subprocess(demo_cow_accounting, pages))


def format_cow_table(r: dict[str, Any]) -> str:
    """A ``demo_cow_accounting`` result as a table of changes, in mappings (1 = the whole mapping).

    Each change is rounded to the nearest half: the interpreter's own few
    pages disappear, and PSS's halves stay.
    """
    if not r["small_pages_only"]:
        raise RuntimeError("transparent huge pages could not be ruled out")
    if r["child_exit"] != 0:
        raise RuntimeError(f"the child exited with {r['child_exit']}")
    size = r["mapping_kib"]
    lines = [
        "| smaps_rollup line | parent | child |",
        "|-------------------|-------:|------:|",
    ]
    for key in COW_COUNTERS:
        change = [
            _halves((r["after"][who][key] - r["before"][who][key]) / size)
            for who in ("parent", "child")
        ]
        lines.append(f"| {key:<17} | {change[0]:>6} | {change[1]:>5} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# What a memory cgroup is charged
# --------------------------------------------------------------------------


def own_memory_cgroup() -> tuple[int, Path] | None:
    """(cgroup version, folder) of this process's memory cgroup, or ``None`` if there is none.

    Finds the cgroup2 mount (or, on a cgroup v1 host, the ``memory``
    controller's mount) in ``/proc/self/mountinfo`` and our path in it in
    ``/proc/self/cgroup``; a v2 folder counts only if the memory controller is
    enabled there (it has ``memory.stat``).
    """
    try:
        mountinfo = Path("/proc/self/mountinfo").read_text().splitlines()
        membership = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    mounts: dict[int, tuple[str, str]] = {}  # version -> (mount root, mount point)
    for line in mountinfo:
        left, _, right = line.partition(" - ")
        fields, (fstype, _, options) = left.split(), right.split()[:3]
        if fstype == "cgroup2":
            mounts.setdefault(2, (fields[3], fields[4]))
        elif fstype == "cgroup" and "memory" in options.split(","):
            mounts.setdefault(1, (fields[3], fields[4]))
    for line in membership:
        hierarchy, controllers, path = line.split(":", 2)
        version = 2 if hierarchy == "0" else 1 if "memory" in controllers.split(",") else 0
        if version not in mounts:
            continue
        root, point = mounts[version]
        if root != "/" and not path.startswith(root):
            continue
        relative = path[len(root) :] if root != "/" else path
        folder = Path(point, relative.lstrip("/"))
        if (folder / "memory.stat").exists():
            return version, folder
    return None


def memory_charges(cgroup: tuple[int, Path]) -> dict[str, int | None]:
    """What a memory cgroup is charged now, in bytes.

    ``usage`` is the figure the limit is compared with (``memory.current`` in
    v2, ``memory.usage_in_bytes`` in v1); ``shmem`` is tmpfs and shared memory
    (``memory.stat``); ``kernel`` is kernel memory (``kernel`` in v2's
    ``memory.stat``, from Linux 5.18; ``memory.kmem.usage_in_bytes`` in v1),
    ``None`` where the kernel does not report it or does not account it.
    """
    version, folder = cgroup
    stat = {}
    for line in (folder / "memory.stat").read_text().splitlines():
        key, _, value = line.partition(" ")
        stat[key] = int(value)
    if version == 2:
        usage = int((folder / "memory.current").read_text())
        kernel = stat.get("kernel")
    else:
        usage = int((folder / "memory.usage_in_bytes").read_text())
        kmem = folder / "memory.kmem.usage_in_bytes"
        # 0 means kernel-memory accounting is off (cgroup.memory=nokmem): no figure.
        kernel = (int(kmem.read_text()) or None) if kmem.exists() else None
    return {"usage": usage, "shmem": stat.get("shmem"), "kernel": kernel}


def _rss_bytes() -> int:
    return resident_pages() * mmap.PAGESIZE


def file_system_type(path: str) -> str | None:
    """The type of the file system ``path`` is on (``tmpfs``, ``ext4``...), from mountinfo.

    >>> file_system_type("/proc")
    'proc'
    """
    best, kind = "", None
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        point = left.split()[4]
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, right.split()[0]
    return kind


@contextlib.contextmanager
def _one_cgroup_demo_at_a_time() -> Iterator[None]:
    """Hold a lock file while a cgroup demonstration measures.

    The counters are the whole cgroup's: two runs of these demonstrations side
    by side (parallel test runs) would each see the other's 16 MiB come and go.
    """
    path = Path(tempfile.gettempdir(), "fundamentals-os-cgroup-demo.lock")
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def demo_tmpfs_charge(mib: int = 16, directory: str = "/dev/shm") -> dict[str, Any]:
    """Write a ``mib`` MiB tmpfs file and close it, then delete it; our cgroup's charges each time.

    The file is written 64 KiB at a time from one small buffer, so the
    process's own memory does not grow: the pages belong to the file system,
    and ``written`` is measured after the file is closed. ``cgroup`` is
    ``None`` when this process has no memory cgroup to read; nothing is
    measured then, nor when ``directory`` is not on tmpfs.
    """
    cgroup = own_memory_cgroup()
    result: dict[str, Any] = {
        "cgroup": None if cgroup is None else cgroup[0],
        "bytes": mib << 20,
        "file_system": file_system_type(directory),
    }
    if cgroup is None or result["file_system"] != "tmpfs":
        return result
    chunk = b"x" * (64 << 10)
    with _one_cgroup_demo_at_a_time():
        result["before"], rss = memory_charges(cgroup), _rss_bytes()
        fd, path = tempfile.mkstemp(dir=directory, prefix="virtual-memory-")
        try:
            with open(fd, "wb", buffering=0) as f:
                for _ in range(mib * 16):  # break[no-tmpfs-file]
                    f.write(chunk)
            result["written"] = memory_charges(cgroup)
            result["rss_growth"] = _rss_bytes() - rss
        finally:
            os.unlink(path)
        result["deleted"] = memory_charges(cgroup)
    return result


def demo_pipe_charge(pipes: int = 16, size: int = 1 << 20) -> dict[str, Any]:
    """Fill ``pipes`` pipes of ``size`` bytes each (where the kernel allows); our charges and RSS.

    A pipe's buffer is kernel memory: it is in no process's address space, yet
    it is charged to the cgroup of the process that wrote it. ``F_SETPIPE_SZ``
    asks for ``size``; a kernel limit (``/proc/sys/fs/pipe-max-size``) may keep
    a pipe at its default 64 KiB, so ``bytes`` says how much the pipes held.
    """
    cgroup = own_memory_cgroup()
    result: dict[str, Any] = {"cgroup": None if cgroup is None else cgroup[0]}
    if cgroup is None:
        return result
    chunk = b"x" * mmap.PAGESIZE
    opened: list[int] = []
    held = 0
    with _one_cgroup_demo_at_a_time():
        result["before"], rss = memory_charges(cgroup), _rss_bytes()
        try:
            for _ in range(pipes):
                r, w = os.pipe()
                opened += [r, w]
                with contextlib.suppress(OSError):
                    fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, size)
                os.set_blocking(w, False)
                with contextlib.suppress(BlockingIOError):  # full
                    while True:
                        held += os.write(w, chunk)
            result["filled"] = memory_charges(cgroup)
            result["rss_growth"] = _rss_bytes() - rss
        finally:
            for fd in opened:
                os.close(fd)
    result["bytes"] = held
    return result
