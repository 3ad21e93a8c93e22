"""Virtual memory: mapping reserves addresses, the first touch of each page costs a fault.

The code behind ``virtual_memory.md``. ``demo_page_faults`` and
``demo_huge_page_faults`` measure the current process; ``demo_cow_accounting``,
``demo_reading_python_objects`` and ``demo_what_a_child_copies`` fork and read
``smaps_rollup`` of parent and child; ``demo_tmpfs_charge``,
``demo_pipe_charge`` and ``demo_socket_charge`` read what our memory cgroup is
charged. All of them run in a fresh interpreter. ``commit_limit`` recomputes
the kernel's overcommit limit from ``/proc``.
"""

from __future__ import annotations

import array
import contextlib
import fcntl
import gc
import mmap
import os
import socket
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


THP_ENABLED = Path("/sys/kernel/mm/transparent_hugepage/enabled")
THP_SIZE = Path("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")


def thp_mode() -> str | None:
    """The bracketed choice in ``THP_ENABLED`` (``always``, ``madvise``, ``never``), or ``None``.

    ``None`` means the kernel has no transparent huge pages at all.
    """
    try:
        text = THP_ENABLED.read_text()
    except OSError:
        return None
    start, end = text.find("["), text.find("]")
    return text[start + 1 : end] if 0 <= start < end else None


def demo_huge_page_faults(mib: int = 64) -> dict[str, Any]:
    """Write every 4 KiB page of a ``mib`` MiB mapping advised ``MADV_HUGEPAGE``; count faults.

    Returns the minor faults taken, the 4 KiB ``pages`` written, and
    ``huge_pages``: how many transparent huge pages back the mapping afterwards
    (the growth of ``AnonHugePages`` in ``smaps_rollup``, over ``huge_page_kib``).
    Where a huge page could not be had (fragmented memory, an unaligned edge
    of the mapping) the kernel falls back to 4 KiB pages, so the faults are
    predicted from what it did: one per huge page plus one per small page.
    """
    result: dict[str, Any] = {"mode": thp_mode(), "pages": (mib << 20) // mmap.PAGESIZE}
    if result["mode"] in (None, "never"):
        return result
    huge_kib = int(THP_SIZE.read_text()) // 1024
    m = mmap.mmap(-1, mib << 20, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    try:
        m.madvise(mmap.MADV_HUGEPAGE)  # break[no-huge-page-advice]
        huge_before, faults = smaps_rollup(os.getpid())["AnonHugePages"], minor_faults()
        _write_every_page(m, 1)
        faults = minor_faults() - faults
        huge = smaps_rollup(os.getpid())["AnonHugePages"] - huge_before
    finally:
        m.close()
    result.update(faults=faults, huge_page_kib=huge_kib, huge_pages=huge // huge_kib)
    return result


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


def demo_huge_page_after_fork(mib: int = 32) -> dict[str, Any]:
    """Populate a ``MADV_HUGEPAGE`` mapping, fork, and have the child write 1 byte per huge page.

    Returns ``mode``, ``huge_pages`` (how many back the mapping before the
    fork), ``huge_page_kib`` and the child's growth of ``Private_Dirty`` in
    KiB. Since Linux 5.8 a write to a shared huge page splits it and copies
    only the 4 KiB page written; before, the whole huge page was copied.
    """
    result: dict[str, Any] = {"mode": thp_mode()}
    if result["mode"] in (None, "never"):
        return result
    huge_kib = int(THP_SIZE.read_text()) // 1024
    m = mmap.mmap(-1, mib << 20, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    try:
        m.madvise(mmap.MADV_HUGEPAGE)
        before = smaps_rollup(os.getpid())["AnonHugePages"]
        _write_every_page(m, 1)
        huge = (smaps_rollup(os.getpid())["AnonHugePages"] - before) // huge_kib

        def child_writes_one_byte_per_huge_page() -> None:
            for offset in range(0, len(m), huge_kib * 1024):
                m[offset + mmap.PAGESIZE] = 2

        r = _measure_around_child(child_writes_one_byte_per_huge_page)
    finally:
        m.close()
    child = r["after"]["child"]["Private_Dirty"] - r["before"]["child"]["Private_Dirty"]
    result.update(huge_pages=huge, huge_page_kib=huge_kib, writes=(mib << 10) // huge_kib)
    result.update(child_private_dirty_kib=child, child_exit=r["child_exit"])
    return result


def interned_strings_are_immortal(version: tuple[int, ...] = sys.version_info[:3]) -> bool:
    """Does ``sys.intern`` make a string immortal in CPython ``version``?

    3.12.0 to 3.12.6 made every interned string immortal (PEP 683's
    implementation). gh-113993 made strings interned at run time mortal
    again: in 3.13.0, and backported to 3.12.7. Before 3.12 nothing is
    immortal.

    >>> [interned_strings_are_immortal(v) for v in [(3, 11, 9), (3, 12, 1), (3, 12, 7), (3, 13, 0)]]
    [False, True, False, False]
    """
    return (3, 12) <= tuple(version[:3]) < (3, 12, 7)


def _iterate(items: list[Any]) -> None:
    for _ in items:  # each step takes a reference to the item: a write to its count
        pass


CHILD_READS = (
    "iterate interned strings",
    "sum an array of doubles",
    "gc.collect() over lists",
    "gc.collect() over frozen lists",
    "iterate frozen lists",
)
"""What ``demo_what_a_child_copies`` has a forked child do, in this order."""


def demo_what_a_child_copies(count: int = 100_000) -> dict[str, dict[str, Any]]:
    """Fork over objects of several kinds; each child only reads one kind.

    The parent holds ``count`` interned strings, an ``array('d')`` of
    ``10 * count`` doubles (one buffer, no object per number) and ``2 * count``
    empty lists. For each of ``CHILD_READS``: ``payload_kib`` (the objects'
    size by ``sys.getsizeof``, or the array's buffer) and the child's growth
    of ``Private_Dirty`` and ``Rss``, in KiB. The collector is off, so only
    the child's own action writes: a reference taken (to interned strings,
    mortal or not by version, or to lists), a buffer read, or a collection,
    which writes to every object it tracks unless ``gc.freeze()`` moved them
    out of its reach before the fork. Forks: run it in a fresh interpreter.
    """
    gc.disable()
    strings = [sys.intern(f"s{i:07d}") for i in range(count)]  # made at run time
    doubles = array.array("d", bytes(8 * 10 * count))  # break[objects-not-a-buffer]
    lists: list[list[int]] = [[] for _ in range(2 * count)]
    lists_size = len(lists) * sys.getsizeof([])
    actions: dict[str, tuple[int, Callable[[], object]]] = {
        "iterate interned strings": (
            sum(sys.getsizeof(s) for s in strings),
            lambda: _iterate(strings),
        ),
        "sum an array of doubles": (len(doubles) * 8, lambda: sum(doubles)),  # 8-byte doubles
        "gc.collect() over lists": (lists_size, gc.collect),
    }
    result: dict[str, dict[str, Any]] = {}

    def measure(name: str, payload: int, action: Callable[[], object]) -> None:
        r = _measure_around_child(action)
        before, after = r["before"]["child"], r["after"]["child"]
        result[name] = {
            "payload_kib": payload // 1024,
            "private_dirty_kib": after["Private_Dirty"] - before["Private_Dirty"],
            "rss_kib": after["Rss"] - before["Rss"],
            "child_exit": r["child_exit"],
        }

    for name, (payload, action) in actions.items():
        measure(name, payload, action)
    gc.freeze()  # break[no-freeze]
    try:
        measure("gc.collect() over frozen lists", lists_size, gc.collect)
        measure("iterate frozen lists", lists_size, lambda: _iterate(lists))
    finally:
        gc.unfreeze()
    return result


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


USAGE_FILE = {2: "memory.current", 1: "memory.usage_in_bytes"}
"""The file holding the figure a memory limit is compared with, by cgroup version."""


def own_memory_cgroup(
    mountinfo_text: str | None = None, cgroup_text: str | None = None
) -> tuple[int, Path] | None:
    """(cgroup version, folder) of this process's memory cgroup, or ``None`` if there is none.

    Finds the cgroup2 mount (or, on a cgroup v1 host, the ``memory``
    controller's mount) in ``/proc/self/mountinfo`` and our path in it in
    ``/proc/self/cgroup`` (or in the texts given instead). A folder counts
    only if it has both ``memory.stat`` and its version's ``USAGE_FILE``: the
    v2 root cgroup has a ``memory.stat`` but no ``memory.current``, and no
    limit to charge against.
    """
    try:
        if mountinfo_text is None:
            mountinfo_text = Path("/proc/self/mountinfo").read_text()
        if cgroup_text is None:
            cgroup_text = Path("/proc/self/cgroup").read_text()
    except OSError:
        return None
    mountinfo, membership = mountinfo_text.splitlines(), cgroup_text.splitlines()
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
        if (folder / "memory.stat").exists() and (folder / USAGE_FILE[version]).exists():
            return version, folder
    return None


def memory_charges(cgroup: tuple[int, Path]) -> dict[str, int | None]:
    """What a memory cgroup is charged now, in bytes.

    ``usage`` is the figure the limit is compared with (``USAGE_FILE``:
    ``memory.current`` in v2, ``memory.usage_in_bytes`` in v1); ``shmem`` is
    tmpfs and shared memory (``memory.stat``); ``kernel`` is kernel memory
    (``kernel`` in v2's ``memory.stat``, from Linux 5.18;
    ``memory.kmem.usage_in_bytes`` in v1); ``tcp`` is v1's separate TCP
    buffer counter (``memory.kmem.tcp.usage_in_bytes``; v2 has none, it
    charges socket buffers to ``usage``). Each is ``None`` where the kernel
    does not report it or does not account it. Raises ``ValueError`` for a
    folder that is not a memory cgroup with a usage counter.
    """
    version, folder = cgroup
    if version not in USAGE_FILE:
        raise ValueError(f"cgroup version must be 1 or 2, got {version}")
    for name in ("memory.stat", USAGE_FILE[version]):
        if not (folder / name).exists():
            raise ValueError(f"{folder} has no {name}: not a memory cgroup with a usage counter")
    stat = {}
    for line in (folder / "memory.stat").read_text().splitlines():
        key, _, value = line.partition(" ")
        stat[key] = int(value)
    usage = int((folder / USAGE_FILE[version]).read_text())
    tcp = None
    if version == 2:
        kernel = stat.get("kernel")
    else:
        kmem = folder / "memory.kmem.usage_in_bytes"
        # 0 means kernel-memory accounting is off (cgroup.memory=nokmem): no figure.
        kernel = (int(kmem.read_text()) or None) if kmem.exists() else None
        tcp_file = folder / "memory.kmem.tcp.usage_in_bytes"
        tcp = int(tcp_file.read_text()) if tcp_file.exists() else None
    return {"usage": usage, "shmem": stat.get("shmem"), "kernel": kernel, "tcp": tcp}


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


def demo_socket_charge(connections: int = 4) -> dict[str, Any]:
    """Queue as much as loopback TCP connections hold; what do our cgroup's counters say?

    Each sender writes without blocking until the kernel says EAGAIN, so the
    bytes sit in the two sockets' buffers (the receiver's and the sender's),
    kernel memory outside every address space. ``queued`` is how many bytes
    that was. Cgroup v2 charges socket buffers to ``usage`` (``memory.current``,
    the limit's figure; ``sock`` in ``memory.stat``). Cgroup v1 never charges
    them to ``usage``: only to its own TCP counter, and only once a TCP limit
    has been written for the group. Several connections make the total many
    times the counter's own fuzz: v1 charges ``usage`` in per-CPU batches of
    pages (64 pages at a time in current kernels), and every other process in
    the group moves it too.
    """
    cgroup = own_memory_cgroup()
    result: dict[str, Any] = {"cgroup": None if cgroup is None else cgroup[0]}
    if cgroup is None:
        return result
    chunk = b"x" * (64 << 10)  # one buffer for every send: our own memory does not grow
    with (
        _one_cgroup_demo_at_a_time(),
        socket.create_server(("127.0.0.1", 0), backlog=connections) as server,
        contextlib.ExitStack() as stack,
    ):
        senders = []
        for _ in range(connections):
            senders.append(stack.enter_context(socket.create_connection(server.getsockname())))
            stack.enter_context(server.accept()[0])
        queued = 0
        result["before"] = memory_charges(cgroup)
        for sender in senders:
            sender.setblocking(False)
            with contextlib.suppress(BlockingIOError):  # both buffers full
                while True:
                    queued += sender.send(chunk)  # break[charged-not-queued]
        result["filled"] = memory_charges(cgroup)
    result["queued"] = queued
    return result


def commit_limit(
    meminfo: str | None = None, ratio: int | None = None, kbytes: int | None = None
) -> int:
    """The kernel's ``CommitLimit`` in kB, recomputed from RAM, swap and the overcommit sysctls.

    ``mm/util.c`` ``vm_commit_limit``: ``vm.overcommit_kbytes`` if set, else
    (RAM minus hugetlb pages) times ``vm.overcommit_ratio`` / 100, in whole
    pages; plus all of swap. Only ``vm.overcommit_memory=2`` enforces it
    (``Committed_AS`` may not pass it); the other modes just show it. The
    arguments default to ``/proc/meminfo`` and ``/proc/sys/vm``.

    >>> commit_limit("MemTotal: 8000 kB\\nSwapTotal: 1000 kB\\nHugetlb: 0 kB\\n", 50, 0)
    5000
    """
    text = Path("/proc/meminfo").read_text() if meminfo is None else meminfo
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if value.strip().endswith("kB"):
            fields[key] = int(value.split()[0])
    if ratio is None:
        ratio = int(Path("/proc/sys/vm/overcommit_ratio").read_text())
    if kbytes is None:
        kbytes = int(Path("/proc/sys/vm/overcommit_kbytes").read_text())
    page_kib = mmap.PAGESIZE // 1024
    if kbytes:
        allowed = kbytes // page_kib
    else:
        ram = (fields["MemTotal"] - fields.get("Hugetlb", 0)) // page_kib
        allowed = ram * ratio // 100
    return (allowed + fields["SwapTotal"] // page_kib) * page_kib
