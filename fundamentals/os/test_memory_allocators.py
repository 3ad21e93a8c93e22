"""os.memory_allocators: fragmentation in three simulated allocators, and pymalloc observed.

The simulations are exact, so small cases assert values derived by hand and
seeded workloads assert directions. The pymalloc and glibc demonstrations run
in a fresh interpreter (the test runner's own heap would blur the counts) and
assert directions and ratios, never byte counts, with the reason for each bound.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import sysconfig
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fundamentals.os.memory_allocators import (
    Allocator,
    BuddyAllocator,
    FreeListAllocator,
    InvalidFree,
    SlabAllocator,
    glibc_trim_demo,
    parse_mallocstats,
    replay,
    run_snapshots,
    survivors_demo,
    workload,
)

linux = pytest.mark.skipif(
    sys.platform != "linux", reason="reads /proc/self/statm in a fresh interpreter (Linux)"
)
glibc = pytest.mark.skipif(
    sys.platform != "linux" or platform.libc_ver()[0] != "glibc",
    reason="calls glibc's malloc_trim",
)

# Derandomized so a run never depends on luck; no deadline on slow machines.
exhaustive = settings(max_examples=60, deadline=None, derandomize=True)


def all_allocators(heap_size: int = 4096) -> list[Allocator]:
    return [
        FreeListAllocator(heap_size),
        FreeListAllocator(heap_size, policy="best-fit"),
        BuddyAllocator(heap_size),
        SlabAllocator(heap_size, slab_size=512, header=16, max_size=256, arena_size=1024),
    ]


def checked_malloc(heap: Allocator, size: int) -> int | None:
    address = heap.malloc(size)
    heap._check()
    return address


def checked_free(heap: Allocator, address: int) -> None:
    heap.free(address)
    heap._check()


# --------------------------------------------------------------------------
# Free list
# --------------------------------------------------------------------------


def test_freed_neighbours_coalesce_into_one_block_that_serves_a_bigger_request() -> None:
    heap = FreeListAllocator(64)
    a, b = checked_malloc(heap, 32), checked_malloc(heap, 32)
    assert (a, b) == (0, 32)  # the heap is now full
    assert a is not None
    assert b is not None
    checked_free(heap, a)
    checked_free(heap, b)
    # 32 + 32 adjacent bytes are one 64-byte block again, so a 64-byte request fits.
    assert heap.free_blocks() == [(0, 64)]
    assert checked_malloc(heap, 64) == 0


def two_holes(heap: FreeListAllocator, sizes: list[int], free: list[int]) -> None:
    """Fill the heap with blocks of ``sizes``, then free the blocks at indexes ``free``."""
    addresses = [checked_malloc(heap, size) for size in sizes]
    assert heap.stats().free == 0
    for i in free:
        address = addresses[i]
        assert address is not None
        checked_free(heap, address)


def test_first_fit_fails_where_best_fit_succeeds() -> None:
    # Holes of 48 (at 0) and 16 (at 64), separated by live blocks. A 16-byte
    # request: first-fit carves it from the 48 (leaving 32 + 16), so a 48 no
    # longer fits although 48 bytes are free; best-fit fills the 16-byte hole.
    first, best = FreeListAllocator(96), FreeListAllocator(96, policy="best-fit")
    for heap in (first, best):
        two_holes(heap, [48, 16, 16, 16], free=[0, 2])
    assert checked_malloc(first, 16) == 0
    assert checked_malloc(first, 48) is None
    assert first.stats().free == 48
    assert first.stats().external_failures == 1
    assert checked_malloc(best, 16) == 64
    assert checked_malloc(best, 48) == 0


def test_best_fit_fails_where_first_fit_succeeds() -> None:
    # Holes of 48 (at 0) and 32 (at 64); requests 16, 32, 32. Best-fit puts the
    # 16 in the 32-byte hole, leaving 16 + 48; the first 32 takes the 48,
    # leaving two 16s: 32 bytes free, no 32-byte block. First-fit splits the
    # 48 into 16 + 32 and both 32s fit.
    first, best = FreeListAllocator(128), FreeListAllocator(128, policy="best-fit")
    for heap in (first, best):
        two_holes(heap, [48, 16, 32, 32], free=[0, 2])
    assert [checked_malloc(first, n) for n in (16, 32, 32)] == [0, 16, 64]
    assert [checked_malloc(best, n) for n in (16, 32, 32)] == [64, 0, None]
    assert best.stats().free == 32
    assert best.stats().external_failures == 1


def test_external_fragmentation_is_one_minus_largest_over_free() -> None:
    heap = FreeListAllocator(96)
    two_holes(heap, [48, 16, 16, 16], free=[0, 2])
    # Free: 48 + 16 = 64 bytes, largest block 48: 1 - 48/64 = 0.25.
    assert heap.largest_free_block() == 48
    assert heap.stats().external_fragmentation == 0.25


def test_free_list_internal_fragmentation_is_only_alignment() -> None:
    heap = FreeListAllocator(1024)
    for size in (1, 16, 17, 100):
        checked_malloc(heap, size)
    # Rounded to 16: 16 + 16 + 32 + 112 = 176 given for 134 asked.
    assert heap.stats().allocated == 176
    assert heap.stats().internal_fragmentation == 176 - 134


# --------------------------------------------------------------------------
# Buddy system
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "block"), [(1, 16), (16, 16), (17, 32), (33, 64), (129, 256)])
def test_buddy_rounds_a_request_up_to_a_power_of_two(size: int, block: int) -> None:
    heap = BuddyAllocator(1024)
    address = checked_malloc(heap, size)
    assert address is not None
    assert heap.block_size(address) == block
    assert heap.stats().internal_fragmentation == block - size


def test_buddy_splits_down_and_merges_back_up() -> None:
    heap = BuddyAllocator(256)
    a, b = checked_malloc(heap, 16), checked_malloc(heap, 16)
    # 256 splits into 128 + 128, 64 + 64, 32 + 32, 16 + 16: a and b are the two 16s.
    assert (a, b) == (0, 16)
    assert a is not None
    assert b is not None
    assert heap.free_blocks() == [(32, 32), (64, 64), (128, 128)]
    checked_free(heap, a)  # its buddy 0 ^ 16 = 16 is live: no merge
    assert heap.free_blocks() == [(0, 16), (32, 32), (64, 64), (128, 128)]
    checked_free(heap, b)  # buddy 16 ^ 16 = 0 is free: 0+32, then 0+64, 0+128, 0+256
    assert heap.free_blocks() == [(0, 256)]


def test_buddy_blocks_are_aligned_to_their_size() -> None:
    heap = BuddyAllocator(4096)
    for size in (100, 20, 300, 16, 700, 64):
        address = checked_malloc(heap, size)
        assert address is not None
        assert address % heap.block_size(address) == 0


# --------------------------------------------------------------------------
# Slab allocator
# --------------------------------------------------------------------------


def small_slabs() -> SlabAllocator:
    """4 slabs of 1 KiB with a 32-byte header, 2 slabs per arena."""
    return SlabAllocator(4096, slab_size=1024, header=32, arena_size=2048)


def test_slab_capacity_and_tail_waste() -> None:
    heap = small_slabs()
    # (1024 - 32) // 48 = 20 objects, and (1024 - 32) - 20 * 48 = 32 bytes left over.
    assert heap.capacity(48) == 20
    checked_malloc(heap, 40)
    stats = heap.stats()
    assert (stats.allocated, stats.internal_fragmentation) == (48, 8)
    assert stats.overhead == 32 + 32  # the header and the unusable tail
    assert stats.free == 4096 - 48 - 64


def test_within_one_class_every_freed_slot_serves_the_next_request() -> None:
    heap = small_slabs()
    addresses = [checked_malloc(heap, 48) for _ in range(80)]  # 4 slabs * 20
    assert None not in addresses
    assert checked_malloc(heap, 48) is None
    freed = [a for i, a in enumerate(addresses) if i % 3 == 0 and a is not None]
    for address in freed:
        checked_free(heap, address)
    # Any free slot fits any 48-byte request: exactly as many succeed as were freed.
    again = [checked_malloc(heap, 33) for _ in range(len(freed))]
    assert None not in again
    assert checked_malloc(heap, 48) is None
    assert heap.stats().failures == 2
    assert heap.stats().external_failures == 0


def test_free_slots_are_stranded_until_their_slab_is_empty() -> None:
    heap = small_slabs()
    addresses = [checked_malloc(heap, 48) for _ in range(80)]
    survivors = addresses[::20]  # the first object of each of the 4 slabs
    for address in addresses:
        if address not in survivors and address is not None:
            checked_free(heap, address)
    stats = heap.stats()
    # 76 free 48-byte slots (3648 bytes), all stranded in class-48 slabs.
    assert stats.free == 76 * 48
    assert stats.external_fragmentation == 1.0
    assert checked_malloc(heap, 64) is None
    assert heap.stats().external_failures == 1
    assert (heap.slabs_in_use(), heap.arenas_in_use()) == (4, 2)
    first = survivors[0]
    assert first is not None
    checked_free(heap, first)  # slab 0 empties and leaves class 48
    assert heap.slabs_in_use() == 3
    assert checked_malloc(heap, 64) == 32  # slab 0 again, now holding 64-byte objects


def test_simulated_pymalloc_survivors_pin_slabs_and_arenas() -> None:
    # pymalloc's geometry: 16 KiB pools with a 48-byte header, 64 pools per arena.
    heap = SlabAllocator(2 * 1024 * 1024)
    per_pool = heap.capacity(32)
    assert per_pool == (16384 - 48) // 32 == 510
    floats = [heap.malloc(24) for _ in range(40_000)]  # a float is 24 bytes: class 32
    # 40000 / 510 = 78.4, so 79 pools, which spill from arena 0 (64 pools) into arena 1.
    assert (heap.slabs_in_use(), heap.arenas_in_use()) == (79, 2)
    for i, address in enumerate(floats):
        if i % 1000 and address is not None:
            heap.free(address)
    # 40 survivors 1000 objects apart: each in its own pool (1000 > 510), so 40
    # pools stay in use and both arenas stay: 0.1% of the objects pin them all.
    assert (heap.slabs_in_use(), heap.arenas_in_use()) == (40, 2)
    for address in floats[::1000]:
        assert address is not None
        heap.free(address)
    assert (heap.slabs_in_use(), heap.arenas_in_use()) == (0, 0)
    heap._check()


# --------------------------------------------------------------------------
# Seeded workloads: directions, not exact values
# --------------------------------------------------------------------------

SEEDS = range(1, 6)
HEAP = 64 * 1024


@pytest.mark.parametrize("seed", SEEDS)
def test_buddy_wastes_far_more_inside_blocks_than_first_fit(seed: int) -> None:
    ops = workload(seed, 3000, sizes=(1, 512), live=240)
    first = replay(FreeListAllocator(HEAP), ops)
    buddy = replay(BuddyAllocator(HEAP), ops)
    # Sizes are uniform in 1..512. Rounding to 16 wastes 7.5 bytes per block on
    # average, about 3% of the mean request (256.5); rounding to a power of two
    # wastes about a quarter of the block (a request in (256, 512] gets 512),
    # about a third of the request. Bounds with room: under 5% and over 20%.
    first_share = first.internal_fragmentation / first.requested
    buddy_share = buddy.internal_fragmentation / buddy.requested
    assert first_share < 0.05
    assert buddy_share > 0.2
    assert buddy.failures > first.failures


@pytest.mark.parametrize("seed", SEEDS)
def test_first_fit_fails_requests_while_enough_bytes_are_free(seed: int) -> None:
    ops = workload(seed, 3000, sizes=(1, 512), live=240)
    stats = replay(FreeListAllocator(HEAP), ops)
    # About 240 blocks of 256 bytes on average is 61440 bytes: a 64 KiB heap is
    # close to full, and the free space is in pieces.
    assert stats.failures > 0
    assert stats.external_failures == stats.failures  # never because the heap was full
    assert stats.external_fragmentation > 0.5


@pytest.mark.parametrize("make", range(4))
def test_invariants_hold_after_every_step_of_a_seeded_workload(make: int) -> None:
    heap = all_allocators(8192)[make]
    sizes = (1, 256)
    stats = replay(heap, workload(11, 800, sizes=sizes, live=40), check=True)
    assert stats.live > 0
    assert stats.requested > 0


# --------------------------------------------------------------------------
# Properties: any sequence of operations, every allocator
# --------------------------------------------------------------------------

operations = st.lists(
    st.tuples(st.booleans(), st.integers(min_value=1, max_value=256), st.integers(0, 63)),
    max_size=40,
)


@exhaustive
@given(ops=operations)
def test_any_sequence_keeps_invariants_and_freeing_all_restores_the_heap(
    ops: list[tuple[bool, int, int]],
) -> None:
    for heap in all_allocators():
        live: list[int] = []
        for is_malloc, size, pick in ops:
            if is_malloc or not live:
                address = checked_malloc(heap, size)
                if address is not None:
                    assert address not in live
                    live.append(address)
            else:
                checked_free(heap, live.pop(pick % len(live)))
        for address in live:
            checked_free(heap, address)
        stats = heap.stats()
        assert (stats.live, stats.allocated, stats.overhead) == (0, 0, 0)
        assert stats.free == heap.heap_size  # every split was merged back
        if isinstance(heap, FreeListAllocator | BuddyAllocator):
            assert heap.free_blocks() == [(0, heap.heap_size)]


# --------------------------------------------------------------------------
# Bad input: a clear error, and the allocator unchanged
# --------------------------------------------------------------------------


@pytest.mark.parametrize("make", range(4))
def test_bad_calls_raise_and_change_nothing(make: int) -> None:
    heap = all_allocators()[make]
    a = heap.malloc(40)
    b = heap.malloc(100)
    assert a is not None
    assert b is not None
    heap.free(b)
    before = heap.stats()
    with pytest.raises(ValueError, match="size must be a positive number of bytes, got 0"):
        heap.malloc(0)
    with pytest.raises(ValueError, match="got -5"):
        heap.malloc(-5)
    with pytest.raises(TypeError, match="size must be an int, got float"):
        heap.malloc(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="got bool"):
        heap.malloc(True)
    with pytest.raises(InvalidFree, match=f"double free of address {b}"):
        heap.free(b)
    with pytest.raises(InvalidFree, match="which malloc did not return"):
        heap.free(a + 8)  # inside a live block
    with pytest.raises(TypeError, match="address must be an int"):
        heap.free("0")  # type: ignore[arg-type]
    assert heap.stats() == before
    heap._check()
    heap.free(a)  # the live block is still there and still frees cleanly
    heap._check()


def test_slab_refuses_sizes_above_its_largest_class() -> None:
    heap = SlabAllocator(1024 * 1024)
    with pytest.raises(ValueError, match="above the largest size class \\(512\\)"):
        heap.malloc(513)
    assert heap.stats().failures == 0
    assert heap.malloc(512) is not None


def test_buddy_heap_must_be_a_power_of_two() -> None:
    with pytest.raises(ValueError, match="heap_size must be a power of two, got 1000"):
        BuddyAllocator(1000)


def test_a_request_larger_than_the_heap_fails_without_an_error() -> None:
    for heap in all_allocators()[:3]:
        assert heap.malloc(heap.heap_size + 1) is None
        assert heap.stats().failures == 1
        assert heap.stats().external_failures == 0


# --------------------------------------------------------------------------
# pymalloc, observed in a fresh interpreter
# --------------------------------------------------------------------------

POOL_HEADER = 48 if sys.maxsize > 2**32 else 32
"""sizeof(struct pool_header) rounded up to the alignment: a union padded to a
pointer, three pointers and four unsigned ints; 8 + 24 + 16 = 48 on 64-bit."""


@linux
def test_pymalloc_geometry_matches_this_build() -> None:
    stats = run_snapshots('snapshot("now")')["now"].pymalloc
    if sys.maxsize > 2**32:  # 64-bit: 16-byte alignment (bpo-27987), so 512 / 16 classes
        alignment = 16
        # Pools of 16 KiB in 1 MiB arenas since 3.10 (with the radix-tree arena
        # map); 4 KiB pools in 256 KiB arenas before.
        pool, arena = (16384, 1 << 20) if sys.version_info >= (3, 10) else (4096, 1 << 18)
    else:
        alignment, pool, arena = 8, 4096, 1 << 18
    assert stats.threshold == 512
    assert stats.class_count == 512 // alignment
    assert (stats.pool_size, stats.arena_size) == (pool, arena)
    assert stats.classes, "a running interpreter has objects in some size class"
    model = SlabAllocator(arena, slab_size=pool, header=POOL_HEADER, alignment=alignment)
    for row in stats.classes:
        assert row.size == (row.index + 1) * alignment
        # Every pool of a class holds the same number of blocks: in use + available.
        assert row.in_use + row.available == row.pools * model.capacity(row.size)
    # The slab model's overhead is pymalloc's: one header per pool in use, and
    # the tail of each pool that is too small for one more block.
    pools = sum(row.pools for row in stats.classes)
    assert stats.pool_header_bytes == pools * POOL_HEADER
    tails = sum(row.pools * ((pool - POOL_HEADER) % row.size) for row in stats.classes)
    assert stats.quantization_bytes == tails


@linux
def test_requests_above_512_bytes_go_to_the_system_malloc() -> None:
    snaps = run_snapshots("""
        import sys
        n = 512 - sys.getsizeof(b"")  # a bytes object of n bytes needs exactly 512
        small = [None] * 2000
        big = [None] * 2000
        snapshot("start")
        for i in range(2000):
            small[i] = b"x" * n
        snapshot("512")
        for i in range(2000):
            big[i] = b"x" * (n + 1)
        snapshot("513")
    """)

    def in_class_512(label: str) -> int:
        rows = [r for r in snaps[label].pymalloc.classes if r.size == 512]
        return rows[0].in_use if rows else 0

    # 2000 blocks of exactly 512 bytes land in the last size class (a few
    # dozen of the interpreter's own may come and go meanwhile)...
    assert 2000 <= in_class_512("512") - in_class_512("start") <= 2050
    # ...and 2000 of 513 bytes do not: pymalloc's allocated bytes barely move
    # (less than 5% of the 1 MB asked for), because they went to malloc.
    assert abs(in_class_512("513") - in_class_512("512")) <= 50
    grown = snaps["513"].pymalloc.allocated_bytes - snaps["512"].pymalloc.allocated_bytes
    assert grown < 0.05 * 2000 * 513


@linux
def test_a_few_survivors_keep_pymalloc_arenas_and_rss() -> None:
    on_glibc = platform.libc_ver()[0] == "glibc"
    snaps = survivors_demo(objects=400_000, keep_every=16_384, trim=on_glibc)
    arenas = {label: snap.pymalloc.arenas for label, snap in snaps.items()}
    rss = {label: snap.rss - snaps["start"].rss for label, snap in snaps.items()}
    # 400000 floats * 32 bytes = 12.2 MiB; 510 per pool * 64 pools = 32640 per
    # arena, so 12.25 arenas' worth: at least 10 new arenas even if arenas that
    # existed before absorb up to two arenas' worth, at most 14.
    assert 10 <= arenas["allocated"] - arenas["start"] <= 14
    grown = rss["allocated"]
    assert grown > 0.9 * 400_000 * 32
    # 25 survivors (800 bytes), two per arena: no arena empties, none goes back,
    # and the emptied pools inside them stay resident.
    assert arenas["survivors"] >= arenas["allocated"] - 1
    assert rss["survivors"] > 0.9 * grown
    if on_glibc:  # malloc_trim works on malloc's heap; arenas are separate mappings
        assert arenas["trimmed"] == arenas["survivors"]
        assert rss["trimmed"] > 0.9 * grown
    # Not a leak: as many floats again fit in the freed pools.
    assert arenas["reused"] <= arenas["allocated"] + 1
    assert rss["reused"] < rss["allocated"] + 0.1 * grown
    # With every float gone the arenas are unmapped; CPython keeps at most one
    # empty arena in reserve (bpo-37257), and one more may hold other objects.
    assert arenas["freed"] <= arenas["start"] + 2
    # What stays resident is about those arenas still mapped, not the 12 MiB.
    kept = arenas["freed"] - arenas["start"] + 1
    assert rss["freed"] < min(0.3 * grown, kept * snaps["freed"].pymalloc.arena_size)


@glibc
def test_glibc_keeps_freed_heap_memory_until_malloc_trim() -> None:
    snaps = glibc_trim_demo(objects=20_000, size=1000, keep_every=100)
    start = snaps["start"].rss
    grown = snaps["allocated"].rss - start
    assert grown > 0.9 * 20_000 * 1000  # every block was written, so it is resident
    # 99% freed, but the last block sits at the top of the heap: glibc shrinks
    # the heap only from the top, so the freed chunks stay resident.
    assert snaps["survivors"].rss - start > 0.9 * grown
    # malloc_trim(0) gives back whole free pages anywhere in the heap. The 201
    # survivors pin at most two pages each (a 1 KiB block can straddle two).
    assert snaps["trimmed"].rss - start < 201 * 2 * 4096 + 0.05 * grown
    # A block above the largest mmap threshold is a mapping of its own: it is
    # resident once written and unmapped as soon as it is freed.
    big = 40 << 20
    assert snaps["big"].rss - snaps["trimmed"].rss > 0.9 * big
    assert snaps["big-freed"].rss - snaps["trimmed"].rss < 0.1 * big


def fresh(script: str, allocator: str = "pymalloc") -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh interpreter with ``PYTHONMALLOC=allocator``."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=20,
        env=dict(os.environ, PYTHONMALLOC=allocator),
        check=False,
    )


def test_pymalloc_reuses_the_block_freed_last() -> None:
    # A freed block goes to the front of its pool's free list, so the next
    # request of the same class (object() is 16 bytes) gets that address back.
    done = fresh("""
        hits = 0
        for _ in range(1000):
            a = object()
            address = id(a)
            del a
            b = object()
            hits += id(b) == address
            del b
        print(hits)
    """)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == 1000


def test_pythonmalloc_mimalloc_is_there_from_3_13() -> None:
    done = fresh("import sys; sys._debugmallocstats()", allocator="mimalloc")
    if sys.version_info >= (3, 13):
        # 3.13 builds mimalloc in (the free-threaded build requires it); the
        # default build selects it only on request, and then has no arenas.
        assert sysconfig.get_config_var("WITH_MIMALLOC")
        assert done.returncode == 0
        with pytest.raises(ValueError, match="arenas allocated current"):
            parse_mallocstats(done.stderr)
    else:
        assert done.returncode != 0
        assert "PYTHONMALLOC: unknown allocator" in done.stderr


@pytest.mark.skipif(not os.path.exists("/proc/buddyinfo"), reason="Linux's /proc/buddyinfo")
def test_the_kernel_page_allocator_is_a_buddy_system() -> None:
    # "Node 0, zone   Normal  n0 n1 ...": free blocks of 2**k pages for each order k.
    with open("/proc/buddyinfo") as f:
        rows = [line.split()[4:] for line in f if line.strip()]
    assert rows
    assert all(len(row) == len(rows[0]) for row in rows)
    assert all(int(count) >= 0 for row in rows for count in row)
    if platform.machine() == "x86_64":
        assert len(rows[0]) == 11  # orders 0 to 10: blocks of 4 KiB to 4 MiB


def test_parse_mallocstats_names_what_is_missing() -> None:
    with pytest.raises(ValueError, match="not pymalloc statistics"):
        parse_mallocstats(textwrap.dedent("nothing here\n"))
