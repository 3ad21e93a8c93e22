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
    glibc_threshold_demo,
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
    assert heap.stats().stranded == 0  # any request up to 48 bytes can use any free byte


def test_free_list_internal_fragmentation_is_only_alignment() -> None:
    heap = FreeListAllocator(1024)
    for size in (1, 16, 17, 100):
        checked_malloc(heap, size)
    # Rounded to 16: 16 + 16 + 32 + 112 = 176 given for 134 asked.
    assert heap.stats().allocated == 176
    assert heap.stats().internal_fragmentation == 176 - 134


@pytest.mark.skipif(
    platform.libc_ver()[0] != "glibc" or sys.maxsize < 2**32,
    reason="reads 64-bit glibc's chunk header through ctypes",
)
def test_glibc_adds_a_header_and_a_minimum_chunk_that_the_model_leaves_out() -> None:
    done = fresh("""
        import ctypes
        libc = ctypes.CDLL(None)
        libc.malloc.restype = ctypes.c_void_p
        libc.malloc.argtypes = [ctypes.c_size_t]
        libc.malloc_usable_size.restype = ctypes.c_size_t
        libc.malloc_usable_size.argtypes = [ctypes.c_void_p]
        for size in (1, 24, 25, 40, 41, 100, 1000, 1033):
            # Several blocks: one taken from a bigger free chunk may come with
            # its slack (a remainder under 32 bytes is not split off).
            blocks = [libc.malloc(size) for _ in range(32)]
            usable = [libc.malloc_usable_size(b) for b in blocks]
            headers = [ctypes.c_size_t.from_address(b - 8).value for b in blocks]
            sizes_match = all(h & ~7 == u + 8 for h, u in zip(headers, usable))
            in_heap = not any(h & 2 for h in headers)
            print(size, min(usable), sizes_match, in_heap)
        big = libc.malloc(40 << 20)
        print("big", bool(ctypes.c_size_t.from_address(big - 8).value & 2))
    """)
    assert done.returncode == 0, done.stderr
    *lines, big = done.stdout.splitlines()
    sizes = (1, 24, 25, 40, 41, 100, 1000, 1033)
    assert len(lines) == len(sizes)
    for line, size in zip(lines, sizes, strict=True):
        # A chunk is the request plus one 8-byte size word, rounded up to 16,
        # and at least 32 bytes; the caller may use all of it but that word:
        # 1 -> 24 usable, 25 -> 40, 41 -> 56, 1033 -> 1048 (a 1056-byte chunk).
        chunk = max(32, -(-(size + 8) // 16) * 16)
        # The size word sits just before the block, which is how free() knows
        # the size; bit 1 (IS_MMAPPED) of it is clear for a chunk of the heap.
        assert line == f"{size} {chunk - 8} True True"
    # 40 MiB is above the largest mmap threshold (32 MiB): a mapping of its own,
    # flagged IS_MMAPPED so that free() unmaps it instead of binning it.
    assert big == "big True"


@pytest.mark.skipif(
    platform.libc_ver()[0] != "glibc" or sys.maxsize < 2**32,
    reason="reads 64-bit glibc's chunk headers through ctypes",
)
def test_glibc_boundary_tags_let_free_find_the_previous_chunk() -> None:
    # Freeing a chunk clears PREV_INUSE (bit 0) in the next chunk's size word
    # and leaves the free chunk's size in the word below it, so free() finds
    # both neighbours without a search. A 1100-byte request (1120-byte chunk)
    # is above the tcache's largest (1032 usable) and the fastbins' (128-byte
    # chunks), so free() merges it at once; a 100-byte one goes to the tcache
    # or a fastbin, still marked in use, and is not merged. A fresh interpreter,
    # so that the number of free chunks the heap already has is always the same.
    done = fresh("""
        import ctypes, itertools
        libc = ctypes.CDLL(None)
        libc.malloc.restype = ctypes.c_void_p
        libc.malloc.argtypes = [ctypes.c_size_t]
        libc.free.argtypes = [ctypes.c_void_p]
        def size_word(address, below=1):
            return ctypes.c_size_t.from_address(address - 8 * below).value
        for size in (1100, 100):
            # Once free chunks of this size run out, chunks are carved one
            # after another: among 256 there are pairs where b starts at a's end.
            blocks = [libc.malloc(size) for _ in range(256)]
            a, b = next(
                (a, b) for a, b in itertools.pairwise(blocks) if b - a == size_word(a) & ~7
            )
            before = size_word(b) & 1
            libc.free(a)
            after = size_word(b) & 1
            # Valid only once the chunk below b is free: its size, so that it
            # starts at b - 16 - that size, at or below a (it may have merged).
            starts_at_or_below_a = b - 16 - size_word(b, below=2) <= a - 16
            print(size, before, after, starts_at_or_below_a if not after else "-")
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["1100 1 0 True", "100 1 1 -"]


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


def test_buddy_external_fragmentation_is_one_minus_largest_over_free() -> None:
    heap = BuddyAllocator(256)
    checked_malloc(heap, 16)
    checked_malloc(heap, 16)
    # Free: 32 + 64 + 128 = 224 bytes, largest block 128: 1 - 128/224 = 3/7.
    stats = heap.stats()
    assert (stats.free, heap.largest_free_block()) == (224, 128)
    assert stats.external_fragmentation == 1 - 128 / 224
    assert stats.stranded == 0


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
    # 76 free 48-byte slots (3648 bytes), all stranded in class-48 slabs: the
    # largest request that fits is 48 bytes.
    assert stats.free == stats.stranded == 76 * 48
    assert stats.external_fragmentation is None  # the free list's measure does not apply
    assert heap.largest_free_block() == 48
    assert checked_malloc(heap, 64) is None
    assert heap.stats().external_failures == 1
    assert (heap.slabs_in_use(), heap.arenas_in_use()) == (4, 2)
    first = survivors[0]
    assert first is not None
    checked_free(heap, first)  # slab 0 empties and leaves class 48
    assert heap.slabs_in_use() == 3
    assert heap.largest_free_block() == 512  # an empty slab serves any class
    assert heap.stats().stranded == 57 * 48  # 3 slabs, 19 free slots each
    assert checked_malloc(heap, 64) == 32  # slab 0 again, now holding 64-byte objects


def test_slab_reuse_order_is_pymalloc_s_head_slab_first() -> None:
    # Mirrors test_pymalloc_next_object_comes_from_the_pool_at_the_head below.
    heap = small_slabs()
    a = [address for _ in range(20) if (address := checked_malloc(heap, 48)) is not None]
    b = [address for _ in range(20) if (address := checked_malloc(heap, 48)) is not None]
    assert len(a) == len(b) == 20  # slabs 0 and 1, both full
    assert a[0] == 32
    assert b[0] == 1024 + 32
    checked_free(heap, a[10])  # slab 0 was full: it becomes the head of class 48
    checked_free(heap, a[5])
    # Within the head slab, the slot freed last is reused first (a stack).
    assert checked_malloc(heap, 48) == a[5]
    checked_free(heap, b[10])  # slab 1 was full: now it is the head
    checked_free(heap, a[15])  # slab 0 is not full, so it stays behind slab 1
    # Freed last is a[15], but the next request is served by the head slab.
    assert checked_malloc(heap, 48) == b[10]
    assert checked_malloc(heap, 48) == a[15]
    assert checked_malloc(heap, 48) == a[10]


def test_a_new_slab_comes_from_the_arena_with_the_fewest_empty_slabs() -> None:
    heap = small_slabs()  # arenas {slab 0, slab 1} and {slab 2, slab 3}
    assert checked_malloc(heap, 48) == 32  # a tie (2 empty each): the lowest arena
    # Now arena 0 has 1 empty slab and arena 1 has 2: class 64 goes to slab 1,
    # so arena 1 stays empty and could be given back.
    assert checked_malloc(heap, 64) == 1024 + 32
    assert heap.arenas_in_use() == 1


def test_simulated_pymalloc_survivors_pin_slabs_and_arenas() -> None:
    # pymalloc's geometry: 16 KiB pools with a 48-byte header, 64 pools per
    # arena (the model's arenas are always pool-aligned).
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
    assert stats.external_fragmentation is not None
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
def test_an_arena_that_is_not_pool_aligned_has_one_pool_fewer() -> None:
    # 100,000 floats need a few arenas more, so several mmap addresses are seen.
    snaps = run_snapshots("""
        floats = [float(i) for i in range(100_000)]
        snapshot("now")
    """)
    stats = snaps["now"].pymalloc
    assert stats.arenas >= 4
    assert stats.pools_per_arena == 64  # 1 MiB / 16 KiB, and 256 KiB / 4 KiB before 3.10
    # "bytes lost to arena alignment" is one whole pool per arena whose address
    # is not a multiple of the pool size: mmap aligns to a page (4 KiB), the
    # pools to 16 KiB, so pymalloc skips to the next multiple and the arena
    # holds one pool fewer. How many arenas are misaligned depends on where
    # mmap puts them (2 to 7 in 90 runs here); the count of pools, each in use
    # by a class or unused, matches it whatever it is.
    assert stats.arena_alignment_bytes % stats.pool_size == 0
    assert 0 <= stats.misaligned_arenas <= stats.arenas
    pools_in_use = sum(row.pools for row in stats.classes)
    assert (
        pools_in_use + stats.unused_pools
        == stats.arenas * stats.pools_per_arena - stats.misaligned_arenas
    )


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
    # 400000 floats * 32 bytes = 12.2 MiB; 510 per pool * 63 or 64 pools =
    # 32130 to 32640 per arena, so 12.3 to 12.5 arenas' worth: at least 10 new
    # arenas even if arenas that existed before absorb up to two arenas'
    # worth, at most 14.
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
def test_glibc_trims_its_heap_from_the_top_by_itself() -> None:
    # The control: nothing survives, and snapshot() reads RSS without calling
    # malloc, so no live chunk is left above the freed ones.
    snaps = glibc_trim_demo(objects=20_000, size=1000, keep_top=False)
    start = snaps["start"].rss
    grown = snaps["allocated"].rss - start
    assert grown > 0.9 * 20_000 * 1000  # every block was written, so it is resident
    # The last 30% of the blocks were carved from the top of the heap, one after
    # another: freed, they merge into the top chunk, which exceeds the trim
    # threshold, and free() itself shrinks the heap (brk) by about that much.
    # Not exactly 30%: some blocks filled older holes lower down, and glibc
    # keeps M_TOP_PAD (128 KiB) of the top.
    returned = snaps["allocated"].rss - snaps["top-freed"].rss
    assert 0.2 * grown < returned < 0.4 * grown
    # With everything freed, the whole top goes back without malloc_trim.
    assert snaps["freed"].rss - start < 0.1 * grown


@glibc
def test_free_shrinks_the_heap_only_past_the_trim_threshold() -> None:
    # The same frees with M_TRIM_THRESHOLD at 64 MiB, more than the 20 MB the
    # blocks take: the top chunk never gets that big, so free() returns
    # nothing, and only malloc_trim(0) does.
    snaps = glibc_trim_demo(objects=20_000, size=1000, keep_top=False, trim_threshold=64 << 20)
    start = snaps["start"].rss
    grown = snaps["allocated"].rss - start
    assert snaps["top-freed"].rss - start > 0.9 * grown
    assert snaps["freed"].rss - start > 0.9 * grown
    assert snaps["trimmed"].rss - start < 0.05 * grown


@glibc
def test_one_live_block_at_the_top_pins_the_heap_below_it_until_malloc_trim() -> None:
    snaps = glibc_trim_demo(objects=20_000, size=1000, keep_top=True)
    start = snaps["start"].rss
    grown = snaps["allocated"].rss - start
    # The same frees as the control above, but the last block survives: the
    # free memory is below a live chunk, never part of the top chunk, so
    # nothing goes back by itself (the control returned 30%, then all).
    assert snaps["top-freed"].rss - start > 0.9 * grown
    assert snaps["freed"].rss - start > 0.9 * grown  # 19,999 of 20,000 freed
    # malloc_trim(0) gives back the whole free pages below the survivor.
    assert snaps["trimmed"].rss - start < 0.05 * grown


@glibc
def test_malloc_trim_returns_free_pages_between_scattered_survivors() -> None:
    snaps = glibc_trim_demo(objects=20_000, size=1000, keep_top=False, keep_every=100)
    start = snaps["start"].rss
    grown = snaps["allocated"].rss - start
    # 200 survivors, the highest at 19,900: the 99 blocks above it (about
    # 100 KiB) are too few to pass the trim threshold, so nothing goes back.
    assert snaps["freed"].rss - start > 0.9 * grown
    # The holes lie between live blocks, not at the top; malloc_trim(0) still
    # releases every whole free page in them. A survivor (1056-byte chunk)
    # keeps the one or two pages it touches: at least 200 pages stay (half
    # that, for pages the interpreter had free before the start), at most 400.
    kept = snaps["trimmed"].rss - start
    page = os.sysconf("SC_PAGE_SIZE")
    assert 0.5 * 200 * page < kept < 200 * 2 * page + 0.05 * grown


@glibc
def test_a_freed_mapped_block_raises_glibc_s_mmap_threshold() -> None:
    size = 4 << 20
    dynamic = glibc_threshold_demo(size)
    fixed = glibc_threshold_demo(size, fixed_threshold=128 * 1024)
    for snaps in (dynamic, fixed):
        rss = {label: snap.rss for label, snap in snaps.items()}
        # The first 4 MiB buffer is above the initial threshold (128 KiB): a
        # mapping of its own, unmapped on free.
        assert rss["one"] - rss["start"] > 0.9 * size
        assert rss["one"] - rss["one-freed"] > 0.9 * size
        assert rss["five"] - rss["one-freed"] > 0.9 * 5 * size
        # 40 MiB is above the highest the threshold can go (32 MiB on 64-bit):
        # always mapped, always unmapped on free.
        assert rss["big"] - rss["three-freed"] > 0.9 * (40 << 20)
        assert rss["big"] - rss["big-freed"] > 0.9 * (40 << 20)
    # Freeing that first buffer raised the threshold to its size (and the trim
    # threshold to twice that), so the next five came from the brk heap:
    # freeing three of them below the two others returns nothing.
    assert dynamic["five"].rss - dynamic["three-freed"].rss < 0.1 * 3 * size
    # MALLOC_MMAP_THRESHOLD_ fixes the threshold (no dynamic adjustment): each
    # buffer is its own mapping, and all three go back at once.
    assert fixed["five"].rss - fixed["three-freed"].rss > 0.9 * 3 * size


@glibc
def test_tracemalloc_counts_live_blocks_not_resident_memory() -> None:
    snaps = run_snapshots("""
        import tracemalloc
        objects = [None] * 20_000
        size = 1000
        tracemalloc.start()
        snapshot("start")
        for i in range(20_000):
            objects[i] = b"x" * size
        snapshot("allocated")
        for i in range(20_000 - 1):  # the last one, at the top of the heap, stays
            objects[i] = None
        snapshot("freed")
    """)
    traced = {label: snap.traced for label, snap in snaps.items()}
    assert None not in traced.values()
    start, allocated, freed = (traced[k] or 0 for k in ("start", "allocated", "freed"))
    rss = {label: snap.rss - snaps["start"].rss for label, snap in snaps.items()}
    # tracemalloc counts what was asked for: 20,000 bytes objects of 1033 bytes
    # (1000 + a 33-byte header), not glibc's 1056-byte chunks or the pages.
    assert 20_000 * 1033 <= allocated - start < 20_000 * 1033 + 10_000
    # After the frees it counts one object (plus small change); RSS still
    # holds nearly all of it, pinned by that one block at the top.
    assert freed - start < 2 * 1033
    assert rss["freed"] > 0.9 * rss["allocated"]


@glibc
def test_glibc_gives_a_second_thread_an_arena_of_its_own() -> None:
    script = """
        import ctypes, threading
        libc = ctypes.CDLL(None)
        libc.malloc.restype = ctypes.c_void_p
        libc.malloc.argtypes = [ctypes.c_size_t]
        with open("/proc/self/maps") as maps:
            line = next(line for line in maps if line.rstrip().endswith("[heap]"))
        low, high = (int(part, 16) for part in line.split()[0].split("-"))
        seen = []
        def allocate():
            seen.append(libc.malloc(1000))
        thread = threading.Thread(target=allocate)
        thread.start()
        thread.join()
        main = libc.malloc(1000)
        print(low <= main < high, low <= seen[0] < high)
    """
    # A thread's first malloc attaches it to a new arena (an mmap'd heap of
    # its own) while fewer than 8 per core exist, so its block is outside the
    # main thread's [heap]; MALLOC_ARENA_MAX=1 forces every thread onto the
    # main arena.
    default = fresh(script)
    capped = fresh(script, env={"MALLOC_ARENA_MAX": "1"})
    assert default.returncode == capped.returncode == 0, default.stderr + capped.stderr
    assert default.stdout.split() == ["True", "False"]
    assert capped.stdout.split() == ["True", "True"]


def fresh(
    script: str, allocator: str = "pymalloc", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh interpreter with ``PYTHONMALLOC=allocator``."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=20,
        env=dict(os.environ, PYTHONMALLOC=allocator, **(env or {})),
        check=False,
    )


def test_pymalloc_reuses_the_block_freed_last_when_its_pool_is_at_the_head() -> None:
    # A freed block goes to the front of its pool's free list, and allocation
    # takes from the pool at the head of its class's list. Here the pool of
    # the object just freed is that head (it just served the allocation, or it
    # was full and freeing put it there), so the next request of the same class
    # (object() is 16 bytes) gets that address back every time.
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


def test_pymalloc_next_object_comes_from_the_pool_at_the_head() -> None:
    done = fresh("""
        POOL = 16384  # pools are aligned to their size: address // POOL names one
        objs = [object() for _ in range(6000)]  # about 6 pools of 1021 blocks
        def pool_of(i):
            return id(objs[i]) // POOL
        a = [i for i in range(6000) if pool_of(i) == pool_of(1500)]
        b = [i for i in range(6000) if pool_of(i) == pool_of(3500)]
        full = len(a) == len(b) == 1021  # (16384 - 48) // 16: pools A and B are full
        x, z, w, y = a[10], a[20], a[30], b[10]
        address = {i: id(objs[i]) for i in (x, z, w, y)}
        objs[x] = None  # A was full: it goes to the head of the 16-byte class
        objs[z] = None  # A is the head: z is on top of its free list
        first = id(object()) == address[z]
        objs[y] = None  # B was full: now B is the head
        objs[w] = None  # freed last, but A is not the head
        kept = object()
        print(full, first, id(kept) == address[y], id(kept) == address[w])
    """)
    assert done.returncode == 0, done.stderr
    # The block freed last is reused only when its pool heads the list.
    assert done.stdout.split() == ["True", "True", "True", "False"]


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


THP_SIZE = "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"


@pytest.mark.skipif(
    platform.machine() != "x86_64" or not os.path.exists(THP_SIZE),
    reason="x86-64 kernel with transparent huge pages",
)
def test_a_transparent_huge_page_is_an_order_9_buddy_block() -> None:
    with open(THP_SIZE) as f:
        huge = int(f.read())
    page = os.sysconf("SC_PAGE_SIZE")
    # 2 MiB / 4 KiB = 512 = 2**9 contiguous pages: the buddy allocator must
    # find a free block of order 9, which fragmented memory may not have.
    assert (huge, page) == (2 << 20, 4096)
    assert huge // page == 1 << 9


def test_parse_mallocstats_names_what_is_missing() -> None:
    with pytest.raises(ValueError, match="not pymalloc statistics"):
        parse_mallocstats(textwrap.dedent("nothing here\n"))
