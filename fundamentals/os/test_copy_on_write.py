"""os.copy_on_write: a forked child faults only on the inherited pages it writes.

Every measurement in ``copy_on_write`` forks, so it runs in a fresh interpreter:
a crash in the child can never take pytest down. ``ru_minflt`` is read
*inside* each process and the child reports its numbers through a pipe.
"""

from __future__ import annotations

import mmap
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from fundamentals.os.copy_on_write import (
    cow_faults,
    huge_page_cow,
    parent_write_after_child_exit,
    python_object_faults,
)
from fundamentals.os.processes import call_in_subprocess

PAGES = 2048  # 8 MiB of 4 KiB pages: big enough that interpreter noise is small
# Generous bounds: the interpreter's own stack and heap cost the child about ten
# faults whatever it does; a per-page effect costs PAGES.
NOISE = PAGES // 8

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="measures Linux page-fault accounting (ru_minflt) around fork",
)


@pytest.fixture(scope="module")
def faults() -> dict[str, int]:
    result: dict[str, int] = call_in_subprocess(cow_faults, PAGES)
    assert result["child_exit"] == 0
    return result


def test_first_touch_of_fresh_memory_faults_once_per_page(faults: dict[str, int]) -> None:
    # mmap only reserves addresses; each page is allocated on its first write.
    assert PAGES <= faults["first_touch"] <= PAGES + NOISE
    assert faults["rewrite"] < NOISE


def test_child_reads_inherited_pages_without_faulting(faults: dict[str, int]) -> None:
    # fork copied the page-table entries, so reading shares the parent's frames.
    # The few faults left are the interpreter's own (its stack and heap), the
    # same handful that two getrusage calls with nothing between them cost.
    assert faults["child_read"] < NOISE
    assert faults["child_idle"] < NOISE


def test_child_write_faults_once_per_inherited_page(faults: dict[str, int]) -> None:
    # Every entry was write-protected at fork: the first write to each page traps
    # and the kernel copies that one page.
    assert PAGES - NOISE <= faults["child_write"] <= PAGES + NOISE
    # The copy is private and writable now: writing again is free.
    assert faults["child_rewrite"] < NOISE


def test_copies_are_private(faults: dict[str, int]) -> None:
    assert faults["child_sees"] == 4
    assert faults["parent_sees"] == 2


def test_parent_pays_write_faults_after_fork_too(faults: dict[str, int]) -> None:
    # fork write-protected the parent's entries as well, so the parent's next
    # write to each page traps even though the child is gone by then.
    assert PAGES - NOISE <= faults["parent_write_after_fork"] <= PAGES + NOISE


def reuse_counter_missing() -> bool:
    vmstat = Path("/proc/vmstat")
    return not vmstat.exists() or "pgreuse " not in vmstat.read_text()


@pytest.mark.skipif(reuse_counter_missing(), reason="/proc/vmstat has no pgreuse (Linux < 5.10)")
def test_a_page_with_one_mapper_left_is_reused_not_copied() -> None:
    # The child has exited, so each write-protected page is mapped by the
    # parent alone: the fault handler makes it writable in place (pgreuse)
    # instead of copying it. pgreuse is system-wide: others can only add.
    result = call_in_subprocess(parent_write_after_child_exit, PAGES)
    assert PAGES - NOISE <= result["faults"] <= PAGES + NOISE
    assert result["reused"] >= PAGES


# --- Python objects: reading is writing ---------------------------------------

OBJECTS = 100_000


@pytest.fixture(scope="module")
def object_faults() -> dict[str, int]:
    result: dict[str, int] = call_in_subprocess(python_object_faults, OBJECTS)
    return result


def test_reading_python_objects_in_a_child_copies_their_pages(
    object_faults: dict[str, int],
) -> None:
    # The loop takes and drops a reference to each string: a write to its
    # reference count, so every page the strings fill is copied once (a few
    # may have been copied before the count started). Doing nothing costs a
    # handful of faults.
    string_pages = object_faults["string_bytes"] // mmap.PAGESIZE
    assert object_faults["iterate"] >= string_pages - NOISE
    assert object_faults["nothing"] < NOISE


def test_gc_freeze_spares_the_collectors_writes_not_the_reference_counts(
    object_faults: dict[str, int],
) -> None:
    # gc.collect() writes into the header of every object it tracks, so the
    # child copies every page of the 100 000 lists. After gc.freeze() they sit
    # in the permanent generation, which collections skip...
    container_pages = object_faults["container_bytes"] // mmap.PAGESIZE
    assert object_faults["collect"] >= container_pages - NOISE
    assert object_faults["collect_frozen"] < NOISE
    # ...but freezing does nothing about reference counts: reading still copies.
    string_pages = object_faults["string_bytes"] // mmap.PAGESIZE
    assert object_faults["iterate_frozen"] >= string_pages - NOISE


# --- transparent huge pages ---------------------------------------------------


def thp_setting() -> str | None:
    path = Path("/sys/kernel/mm/transparent_hugepage/enabled")
    if not path.exists():
        return None
    text = path.read_text()
    return text[text.index("[") + 1 : text.index("]")]


def kernel_version() -> tuple[int, int]:
    major, minor = os.uname().release.split(".")[:2]
    return int(major), int("".join(c for c in minor if c.isdigit()))


@pytest.mark.skipif(
    thp_setting() in (None, "never") or not hasattr(mmap, "MADV_HUGEPAGE"),
    reason="transparent huge pages are off or missing on this kernel",
)
def test_copy_on_write_of_a_huge_page_copies_4_kib_since_linux_5_8() -> None:
    result: dict[str, Any] = call_in_subprocess(huge_page_cow)
    assert result["child_exit"] == 0
    parent, child = result["parent"], result["child"]["smaps"]
    # One 2 MiB page backs the region: a handful of faults, not 512.
    assert parent["AnonHugePages"] == 2048, "the kernel gave us no huge page"
    assert result["first_touch"] < 512 // 8
    page_kib = mmap.PAGESIZE // 1024
    if kernel_version() >= (5, 8):
        # The child's one-byte write split the huge mapping and copied one
        # 4 KiB page; the other 2044 KiB are still shared with the parent.
        assert child["AnonHugePages"] == 0
        assert child["Private_Dirty"] == page_kib
        assert child["Shared_Dirty"] == 2048 - page_kib
        # Proportional set size: shared pages count half in each process.
        assert child["Pss"] == child["Shared_Dirty"] // 2 + child["Private_Dirty"]
    else:
        # Older kernels allocated a new huge page for the writer and copied 2 MiB.
        assert child["AnonHugePages"] == 2048
        assert child["Private_Dirty"] == 2048
