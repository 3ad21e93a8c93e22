"""os.virtual_memory: memory is reserved by mmap but paid for, page by page, on first touch.

The counts come from ``virtual_memory.demo_page_faults`` run in a fresh interpreter:
inside pytest, the runner's own allocations would add faults of their own.
Bounds are generous (a few dozen faults of interpreter noise, and at most 50%
more than one per page) but far apart: one fault per page versus almost none.
"""

from __future__ import annotations

import mmap
import sys
from typing import Any

import pytest

from fundamentals.os.processes import call_in_subprocess
from fundamentals.os.virtual_memory import demo_page_faults, page_fault_table

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="relies on Linux fault accounting and /proc/self/statm"
)

SLACK = 64
"""Faults or resident pages the interpreter itself may add while the loop runs."""


@pytest.fixture(scope="module")
def counts() -> dict[str, Any]:
    """One fresh-interpreter run of every scenario (they use separate mappings)."""
    result = call_in_subprocess(demo_page_faults)
    assert result["pages"] == 2048
    return result


def about_one_per_page(count: int, pages: int) -> bool:
    return 0.9 * pages <= count <= 1.5 * pages + SLACK


def test_huge_pages_are_ruled_out_so_one_fault_means_one_page(counts: dict[str, Any]) -> None:
    # With transparent huge pages one fault could map 512 pages; MADV_NOHUGEPAGE
    # (or a kernel without THP "always") makes the per-page count meaningful.
    assert counts["small_pages_only"] is True


def test_writing_each_fresh_page_costs_one_minor_fault(counts: dict[str, Any]) -> None:
    faults, resident = counts["write"]
    assert about_one_per_page(faults, counts["pages"])
    assert about_one_per_page(resident, counts["pages"])  # and each page is now in RAM


def test_an_untouched_gigabyte_costs_almost_nothing(counts: dict[str, Any]) -> None:
    faults, resident = counts["untouched"]
    assert counts["untouched_pages"] == (1 << 30) // mmap.PAGESIZE
    assert faults <= SLACK  # 262144 pages of address space, no page of memory
    assert resident <= SLACK


def test_reading_a_fresh_page_maps_the_shared_zero_page(counts: dict[str, Any]) -> None:
    faults, resident = counts["read"]
    assert about_one_per_page(faults, counts["pages"])
    assert resident <= SLACK  # one read-only zero page backs them all


def test_writing_after_reading_faults_again_to_get_a_private_copy(
    counts: dict[str, Any],
) -> None:
    faults, resident = counts["read_then_write"]
    assert about_one_per_page(faults, counts["pages"])
    assert about_one_per_page(resident, counts["pages"])


def test_the_page_table_shows_one_fault_per_page_touched() -> None:
    rows = [row.split("|")[2:4] for row in page_fault_table().splitlines()[2:]]
    assert [[int(cell) for cell in row] for row in rows] == [[1, 1], [1, 0], [1, 1], [0, 0]]
