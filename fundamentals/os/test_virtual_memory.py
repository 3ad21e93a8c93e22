"""os.virtual_memory: memory is reserved by mmap but paid for, page by page, on first touch.

The counts come from ``virtual_memory.demo_page_faults`` run in a fresh interpreter:
inside pytest, the runner's own allocations would add faults of their own.
Bounds are generous (a few dozen faults of interpreter noise, and at most 50%
more than one per page) but far apart: one fault per page versus almost none.
The fork and cgroup demonstrations also run in fresh interpreters and assert
shares of the memory they moved (at least 90%, at most 10%), never exact bytes.
"""

from __future__ import annotations

import mmap
import sys
from pathlib import Path
from typing import Any

import pytest

from fundamentals.os.processes import call_in_subprocess
from fundamentals.os.virtual_memory import (
    demo_cow_accounting,
    demo_page_faults,
    demo_pipe_charge,
    demo_reading_python_objects,
    demo_tmpfs_charge,
    format_cow_table,
    page_fault_table,
)

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


# --- after fork: RSS does not move, Private_Dirty and PSS do -------------------

COW_PAGES = 4096  # 16 MiB: the interpreter's own copied pages are a few hundred KiB at most


@pytest.fixture(scope="module")
def cow() -> dict[str, Any]:
    if not Path("/proc/self/smaps_rollup").exists():
        pytest.skip("/proc/<pid>/smaps_rollup is missing (Linux before 4.14)")
    result = call_in_subprocess(demo_cow_accounting, COW_PAGES)
    assert result["small_pages_only"] is True  # one huge page would be one fault, not 512
    assert result["child_exit"] == 0
    assert result["mapping_kib"] == COW_PAGES * mmap.PAGESIZE // 1024
    return result


def change(cow: dict[str, Any], who: str, key: str) -> float:
    """What the child's writes changed in ``who``'s ``key``, as a share of the mapping."""
    moved: int = cow["after"][who][key] - cow["before"][who][key]
    size: int = cow["mapping_kib"]
    return moved / size


def test_after_fork_the_populated_pages_are_shared_and_counted_half(cow: dict[str, Any]) -> None:
    size = cow["mapping_kib"]
    for who in ("parent", "child"):
        before = cow["before"][who]
        assert before["Shared_Dirty"] >= 0.9 * size  # both map every page, and it is dirty
        assert before["Rss"] - before["Pss"] >= 0.45 * size  # PSS counts each shared page 1/2


def test_breaking_copy_on_write_raises_private_dirty_not_rss(cow: dict[str, Any]) -> None:
    # The page was resident in the child before it wrote (shared) and after (its copy),
    # so RSS sees nothing; Private_Dirty gains every page the child copied.
    assert change(cow, "child", "Private_Dirty") >= 0.9
    assert abs(change(cow, "child", "Rss")) < 0.1
    assert change(cow, "child", "Shared_Dirty") <= -0.9


def test_the_parents_pages_turn_private_too(cow: dict[str, Any]) -> None:
    # The parent wrote nothing, but each of its pages now has one mapper: itself.
    assert change(cow, "parent", "Private_Dirty") >= 0.9
    assert abs(change(cow, "parent", "Rss")) < 0.1


def test_pss_grows_by_half_the_mapping_in_each_process(cow: dict[str, Any]) -> None:
    # Before: 2 mappers, 1/2 page each. After: 1 mapper of each copy, a whole page.
    for who in ("parent", "child"):
        assert 0.4 <= change(cow, who, "Pss") <= 0.6


def test_summed_pss_sees_the_new_copies_summed_rss_does_not(cow: dict[str, Any]) -> None:
    # The child's writes made one mapping's worth of new pages in RAM.
    both = ("parent", "child")
    assert sum(change(cow, who, "Pss") for who in both) >= 0.9
    assert abs(sum(change(cow, who, "Rss") for who in both)) < 0.1


def test_the_fork_table_rounds_to_the_page(cow: dict[str, Any]) -> None:
    rows = [row.split("|")[1:4] for row in format_cow_table(cow).splitlines()[2:]]
    assert [[cell.strip() for cell in row] for row in rows] == [
        ["Rss", "0", "0"],
        ["Pss", "+0.5", "+0.5"],
        ["Shared_Dirty", "-1", "-1"],
        ["Private_Dirty", "+1", "+1"],
    ]


def test_a_child_that_only_reads_python_objects_copies_their_pages() -> None:
    result = call_in_subprocess(demo_reading_python_objects)
    assert result["child_exit"] == 0
    before, after = result["before"]["child"], result["after"]["child"]
    payload = result["payload_kib"]
    # sum() takes a reference to each float: a write to its reference count, so every
    # page of floats is copied though the program never assigns to one.
    assert after["Private_Dirty"] - before["Private_Dirty"] >= 0.9 * payload
    assert abs(after["Rss"] - before["Rss"]) < 0.1 * payload


# --- what a memory cgroup is charged ------------------------------------------

NO_CGROUP = (
    "no memory cgroup is readable here (needs memory.stat in our cgroup v2 folder, or a "
    "cgroup v1 memory controller); the claim rests on the kernel's "
    "Documentation/admin-guide/cgroup-v2.rst"
)


@pytest.fixture(scope="module")
def tmpfs() -> dict[str, Any]:
    result = call_in_subprocess(demo_tmpfs_charge)
    if result["cgroup"] is None:
        pytest.skip(NO_CGROUP)
    if result["file_system"] != "tmpfs":
        pytest.skip(f"/dev/shm is {result['file_system']}, not tmpfs")
    return result


def test_a_tmpfs_file_is_charged_to_the_cgroup_but_not_to_rss(tmpfs: dict[str, Any]) -> None:
    size, before, written = tmpfs["bytes"], tmpfs["before"], tmpfs["written"]
    # The counter is the whole cgroup's: other processes in it may add or free some
    # shared memory meanwhile, a few KiB in this suite, far below 10% of 16 MiB. (The
    # total, memory.current, moves with every allocation of every process in the
    # cgroup, so it is not asserted.) memory.stat is flushed when read after this
    # many updates, so the figure is current.
    assert written["shmem"] - before["shmem"] >= 0.9 * size
    assert tmpfs["rss_growth"] < 0.1 * size  # no page of it is in our address space


def test_deleting_the_tmpfs_file_returns_its_charge(tmpfs: dict[str, Any]) -> None:
    # The charge outlived the close (it was measured after it); only the unlink frees it.
    assert tmpfs["written"]["shmem"] - tmpfs["deleted"]["shmem"] >= 0.9 * tmpfs["bytes"]


def test_pipe_buffers_are_kernel_memory_charged_to_the_cgroup() -> None:
    result = call_in_subprocess(demo_pipe_charge)
    if result["cgroup"] is None:
        pytest.skip(NO_CGROUP)
    before, filled, held = result["before"], result["filled"], result["bytes"]
    if before["kernel"] is None:
        pytest.skip("this kernel reports no kernel-memory charge for the cgroup")
    # 16 pipes of 1 MiB, or of the default 64 KiB where pipe-max-size forbids more.
    assert held >= 16 * 65536
    # Other processes of the cgroup change its kernel memory too (page tables, slab),
    # typically by well under a MiB while this runs: small against 16 MiB of pipes.
    assert filled["kernel"] - before["kernel"] >= 0.9 * held
    assert result["rss_growth"] < 0.1 * held
