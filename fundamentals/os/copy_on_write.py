"""Copy-on-write after ``fork``, counted in minor page faults on both sides.

The code behind ``copy_on_write.md``. Every measurement forks, so the tests run
them in a fresh interpreter (``call_in_subprocess``).
"""

from __future__ import annotations

import ctypes
import gc
import json
import mmap
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fundamentals.os.processes import exit_code, fork_child, read_all
from fundamentals.os.procfs import minor_faults


def _touch_pages(m: mmap.mmap, pages: int, value: int) -> int:
    """Write one byte into each page; return the minor faults that cost."""
    before = minor_faults()
    for i in range(pages):
        m[i * mmap.PAGESIZE] = value
    return minor_faults() - before


def _read_pages(m: mmap.mmap, pages: int) -> int:
    """Read one byte from each page; return the minor faults that cost."""
    before = minor_faults()
    total = 0
    for i in range(pages):
        total += m[i * mmap.PAGESIZE]
    return minor_faults() - before


def cow_faults(pages: int) -> dict[str, int]:
    """Fork over ``pages`` populated private pages; count minor faults on both sides.

    Every count is taken with ``getrusage`` inside the process it describes;
    the child reports through a pipe.
    """
    flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS  # break[shared-not-private]
    m = mmap.mmap(-1, pages * mmap.PAGESIZE, flags=flags)
    if hasattr(mmap, "MADV_NOHUGEPAGE"):
        # With transparent huge pages one fault can map 512 pages at once,
        # which would hide the per-page story.
        m.madvise(mmap.MADV_NOHUGEPAGE)
    result = {"first_touch": _touch_pages(m, pages, 1), "rewrite": _touch_pages(m, pages, 2)}
    r, w = os.pipe()

    def child() -> None:
        os.close(r)
        before = minor_faults()
        idle = minor_faults() - before  # what doing nothing costs, for comparison
        counts = {
            "child_idle": idle,
            "child_read": _read_pages(m, pages),
            "child_write": _touch_pages(m, pages, 3),  # break[child-only-reads]
            "child_rewrite": _touch_pages(m, pages, 4),
            "child_sees": m[0],
        }
        os.write(w, json.dumps(counts).encode())

    pid = fork_child(child)
    os.close(w)
    with os.fdopen(r, "rb") as reader:
        result.update(json.loads(reader.read() or b"{}"))
    result["child_exit"] = exit_code(pid)
    result["parent_sees"] = m[0]
    result["parent_write_after_fork"] = _touch_pages(m, pages, 5)
    m.close()
    return result


def faults_in_a_child(action: Callable[[], object]) -> int:
    """Fork; the child counts the minor faults ``action()`` costs it and reports them.

    Nothing of the parent's changes: each call starts from the same shared pages.
    """
    r, w = os.pipe()

    def child() -> None:
        os.close(r)
        before = minor_faults()
        action()
        os.write(w, str(minor_faults() - before).encode())

    pid = fork_child(child)
    os.close(w)
    faults = int(read_all(r))
    if exit_code(pid) != 0:
        raise RuntimeError("the measuring child failed")
    return faults


def _read_every(objects: list[Any]) -> int:
    """Look at every object: the loop takes and drops a reference to each one."""
    total = 0
    for obj in objects:
        total += len(obj)
    return total


def python_object_faults(count: int) -> dict[str, int]:
    """What a forked child pays to *read* ``count`` inherited objects, before and after gc.freeze().

    The parent builds ``count`` strings (not tracked by the cyclic collector)
    and ``count`` empty lists (tracked), then forks one child per measurement:
    doing nothing, iterating over the strings, and running ``gc.collect()``;
    then freezes everything and repeats the last two. Also reports how many
    bytes the strings and the lists occupy (``sys.getsizeof``, exact for both).
    Automatic collection is off, so only the measured action runs a collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        strings = [str(i) * 8 for i in range(count)]
        containers: list[list[int]] = [[] for _ in range(count)]
        result = {
            "string_bytes": sum(map(sys.getsizeof, strings)),
            "container_bytes": sum(map(sys.getsizeof, containers)),
            "nothing": faults_in_a_child(lambda: None),
            "iterate": faults_in_a_child(lambda: _read_every(strings)),
            "collect": faults_in_a_child(gc.collect),
        }
        gc.freeze()  # break[no-freeze]
        try:
            result["iterate_frozen"] = faults_in_a_child(lambda: _read_every(strings))
            result["collect_frozen"] = faults_in_a_child(gc.collect)
        finally:
            gc.unfreeze()
    finally:
        if was_enabled:
            gc.enable()
    return result


def _smaps_entry(address: int) -> dict[str, int]:
    """The kB fields of this process's /proc/self/smaps entry holding ``address``."""
    for block in re.split(r"\n(?=[0-9a-f]+-[0-9a-f]+ )", Path("/proc/self/smaps").read_text()):
        start, end = (int(x, 16) for x in block.split(maxsplit=1)[0].split("-"))
        if start <= address < end:
            return {k: int(v) for k, v in re.findall(r"^(\w+):\s+(\d+) kB", block, re.MULTILINE)}
    raise RuntimeError(f"no mapping holds {address:#x}")


HUGE_PAGE = 2 * 1024 * 1024
"""The size of a transparent huge page on x86-64 (one PMD entry)."""


def huge_page_cow() -> dict[str, Any]:
    """Touch one 2 MiB-aligned huge page (MADV_HUGEPAGE), fork, let the child write one byte.

    Reports the parent's first-touch faults and its smaps entry before the
    fork, and the child's faults and smaps entry after its write: whether the
    huge page survived in the child (``AnonHugePages``) and how much the child
    now holds privately (``Private_Dirty``), in kB.
    """
    m = mmap.mmap(-1, 2 * HUGE_PAGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    base = ctypes.addressof(ctypes.c_char.from_buffer(m))
    offset = -base % HUGE_PAGE  # the first 2 MiB boundary inside the mapping
    m.madvise(mmap.MADV_HUGEPAGE, offset, HUGE_PAGE)
    before = minor_faults()
    for i in range(offset, offset + HUGE_PAGE, mmap.PAGESIZE):
        m[i] = 1
    result: dict[str, Any] = {
        "first_touch": minor_faults() - before,
        "parent": _smaps_entry(base + offset),
    }
    r, w = os.pipe()

    def child() -> None:
        os.close(r)
        before = minor_faults()
        m[offset] = 2
        report = {"write": minor_faults() - before, "smaps": _smaps_entry(base + offset)}
        os.write(w, json.dumps(report).encode())

    pid = fork_child(child)
    os.close(w)
    result["child"] = json.loads(read_all(r))
    result["child_exit"] = exit_code(pid)
    m.close()
    return result


def _reused_pages() -> int:
    """Write faults the kernel resolved by reusing a page in place (``pgreuse``, /proc/vmstat)."""
    for line in Path("/proc/vmstat").read_text().splitlines():
        name, value = line.split()
        if name == "pgreuse":
            return int(value)
    raise RuntimeError("/proc/vmstat has no pgreuse counter (Linux before 5.10?)")


def parent_write_after_child_exit(pages: int) -> dict[str, int]:
    """After the child has exited, the parent's write faults reuse each page instead of copying it.

    Returns the parent's minor faults for writing every page and how many
    write faults the kernel resolved by reuse meanwhile (``pgreuse``, which
    counts system-wide, so other processes can only add to it).
    """
    m = mmap.mmap(-1, pages * mmap.PAGESIZE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    if hasattr(mmap, "MADV_NOHUGEPAGE"):
        m.madvise(mmap.MADV_NOHUGEPAGE)
    _touch_pages(m, pages, 1)
    r, w = os.pipe()

    def child() -> None:
        os.close(w)
        os.read(r, 1)  # returns b"" once the parent closes its write end

    pid = fork_child(child)  # fork write-protects every page in both processes
    os.close(r)
    child_gone_before_we_write = True  # break[write-while-child-lives]
    if child_gone_before_we_write:
        os.close(w)
        exit_code(pid)  # each page has a single mapper again
    reused_before = _reused_pages()
    faults = _touch_pages(m, pages, 2)
    reused = _reused_pages() - reused_before
    if not child_gone_before_we_write:
        os.close(w)
        exit_code(pid)
    m.close()
    return {"faults": faults, "reused": reused}
