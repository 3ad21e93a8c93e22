"""os.copy_on_write: a forked child faults only on the inherited pages it writes.

The measurement (``copy_on_write.cow_faults``) forks, so it runs in a fresh interpreter:
a crash in the child can never take pytest down. ``ru_minflt`` is read
*inside* each process and the child reports its numbers through a pipe.
"""

from __future__ import annotations

import sys

import pytest

from fundamentals.os.copy_on_write import cow_faults
from fundamentals.os.processes import call_in_subprocess

PAGES = 2048  # 8 MiB of 4 KiB pages: big enough that interpreter noise is small
# Generous bounds: Python's own bookkeeping (reference counts, small allocations)
# costs a few dozen faults of its own in the child; a per-page effect costs PAGES.
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
    assert faults["child_read"] < NOISE


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
    # fork write-protected the parent's entries as well. Now that the child is
    # gone each page has one owner again, so the kernel reuses it instead of
    # copying, but it still takes the fault to find that out.
    assert PAGES - NOISE <= faults["parent_write_after_fork"] <= PAGES + NOISE
