"""Memory allocators simulated: a free list, a buddy system and a slab allocator.

The code behind ``memory_allocators.md``. Each allocator manages a simulated
heap of ``heap_size`` bytes (addresses are offsets into it), hands out blocks
with ``malloc`` and takes them back with ``free``, and reports what it wastes:

* **internal fragmentation**: bytes handed out minus bytes asked for (rounding
  up to an alignment, a power of two or a size class);
* **external fragmentation**: free memory that exists but cannot serve a
  request, and the requests that failed although enough bytes were free.

The second half reads CPython's own allocator, pymalloc, from the outside:
``sys._debugmallocstats()`` in a fresh interpreter, parsed into numbers.
Standard library only; everything is deterministic (seeded, no clocks).
"""

from __future__ import annotations

import bisect
import os
import random
import re
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Allocator",
    "BuddyAllocator",
    "FreeListAllocator",
    "InvalidFree",
    "MallocStats",
    "Op",
    "SizeClass",
    "SlabAllocator",
    "Snapshot",
    "Stats",
    "glibc_threshold_demo",
    "glibc_trim_demo",
    "parse_mallocstats",
    "replay",
    "run_snapshots",
    "survivors_demo",
    "workload",
]


class InvalidFree(ValueError):
    """``free`` of an address that is not a live allocation: a double free, or a
    pointer ``malloc`` never returned (for instance into the middle of a block)."""


def _whole(value: object, what: str) -> int:
    """``value`` as a positive int, or a TypeError/ValueError naming ``what``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{what} must be a positive number of bytes, got {value}")
    return value


def _power_of_two(value: object, what: str) -> int:
    number = _whole(value, what)
    if number & (number - 1):
        raise ValueError(f"{what} must be a power of two, got {number}")
    return number


def _round_up(size: int, step: int) -> int:
    return -(-size // step) * step


@dataclass(frozen=True)
class Stats:
    """What an allocator holds and wastes at one moment (all sizes in bytes).

    ``requested + internal_fragmentation == allocated``, and
    ``allocated + overhead + free == heap_size``.
    """

    heap_size: int
    live: int
    """Allocations currently handed out."""
    requested: int
    """Bytes the live allocations asked for."""
    allocated: int
    """Bytes handed out for them, after rounding up."""
    overhead: int
    """Bytes the allocator keeps for itself: slab headers and slab tails too
    small for one more object. Zero for the free list and the buddy system."""
    free: int
    """Bytes that could still be handed out (to some request)."""
    external_fragmentation: float | None
    """How scattered the free memory is: ``1 - largest free block / free``
    (0.0 when the free bytes are one block, or none are free). ``None`` for the
    slab allocator, whose free memory is not ranges of addresses and whose
    largest request is capped by its largest class: there the measure is
    ``stranded``."""
    stranded: int
    """Free bytes that only requests of one size class can use: the free slots
    of partly used slabs. Always 0 for the free list and the buddy system,
    whose free blocks serve any request that fits."""
    failures: int
    """Requests so far that returned ``None``."""
    external_failures: int
    """Failed requests for which enough bytes were free in total: external
    fragmentation made them fail, not a full heap."""

    @property
    def internal_fragmentation(self) -> int:
        """Bytes handed out beyond what was asked for."""
        return self.allocated - self.requested


class Allocator:
    """What every allocator here shares: validation, bookkeeping and statistics.

    Subclasses decide how big a block a request gets (``_block_size``), where
    it goes (``_allocate``) and what happens to it on ``free`` (``_release``).
    A refused call (a bad argument) changes nothing; a failed ``malloc`` only
    counts the failure.
    """

    def __init__(self, heap_size: int) -> None:
        self.heap_size = _whole(heap_size, "heap_size")
        self._live: dict[int, tuple[int, int]] = {}  # address -> (requested, block size)
        self._freed: set[int] = set()  # freed and not handed out again: a double free
        self._failures = 0
        self._external_failures = 0

    def malloc(self, size: int) -> int | None:
        """Allocate ``size`` bytes; return the block's address, or ``None`` if no
        block fits (the heap is full or too fragmented), like C's ``malloc``.

        Raises TypeError or ValueError if ``size`` is not a positive int.
        """
        block = self._block_size(_whole(size, "size"))
        address = self._allocate(block)
        if address is None:
            self._failures += 1
            if self._free_bytes() >= block:
                self._external_failures += 1
            return None
        self._live[address] = (size, block)
        self._freed.discard(address)
        return address

    def free(self, address: int) -> None:
        """Give the block at ``address`` back.

        Raises InvalidFree for a double free or an address ``malloc`` did not
        return, TypeError if ``address`` is not an int; the allocator is unchanged.
        """
        if isinstance(address, bool) or not isinstance(address, int):
            raise TypeError(f"address must be an int, got {type(address).__name__}")
        entry = self._live.get(address)
        if entry is None:
            if address in self._freed:
                raise InvalidFree(f"double free of address {address}")
            raise InvalidFree(f"free of address {address}, which malloc did not return")
        self._release(address, entry[1])
        del self._live[address]
        self._freed.add(address)

    def block_size(self, address: int) -> int:
        """The size of the live block at ``address`` (what ``malloc`` really gave)."""
        entry = self._live.get(address)
        if entry is None:
            raise ValueError(f"no live allocation at address {address}")
        return entry[1]

    def stats(self) -> Stats:
        """The current :class:`Stats`. O(blocks)."""
        return Stats(
            heap_size=self.heap_size,
            live=len(self._live),
            requested=sum(asked for asked, _ in self._live.values()),
            allocated=sum(block for _, block in self._live.values()),
            overhead=self._overhead(),
            free=self._free_bytes(),
            external_fragmentation=self._external_fragmentation(),
            stranded=self._stranded(),
            failures=self._failures,
            external_failures=self._external_failures,
        )

    # Subclass hooks -------------------------------------------------------

    def _block_size(self, size: int) -> int:
        raise NotImplementedError

    def _allocate(self, block: int) -> int | None:
        raise NotImplementedError

    def _release(self, address: int, block: int) -> None:
        raise NotImplementedError

    def _free_bytes(self) -> int:
        raise NotImplementedError

    def _overhead(self) -> int:
        return 0

    def _stranded(self) -> int:
        return 0

    def _external_fragmentation(self) -> float | None:
        raise NotImplementedError

    def _check(self) -> None:
        """Assert every invariant of the allocator (the tests call it after each step)."""
        raise NotImplementedError

    def _check_live(self) -> None:
        """Live blocks lie inside the heap, do not overlap, and the bytes add up."""
        end = 0
        for address in sorted(self._live):
            asked, block = self._live[address]
            assert 0 < asked <= block == self._block_size(asked), (address, asked, block)
            assert address >= end, f"live blocks overlap at {address}"
            end = address + block
        assert end <= self.heap_size, "a live block runs past the end of the heap"
        assert not self._freed & self._live.keys(), "an address is both live and freed"
        stats = self.stats()
        assert stats.allocated + stats.overhead + stats.free == self.heap_size, stats


# --------------------------------------------------------------------------
# Free list: first-fit or best-fit, splitting on malloc, coalescing on free
# --------------------------------------------------------------------------


class FreeListAllocator(Allocator):
    """Free blocks kept in address order; a request takes the first block that
    fits (``first-fit``) or the smallest one (``best-fit``) and splits it.

    Sizes are rounded up to ``alignment`` (16 bytes, the granularity of glibc's
    malloc chunks on 64-bit), the model's only internal fragmentation: unlike
    glibc it keeps no header in front of a block and has no minimum size. On ``free`` a
    block is merged with free neighbours on either side, so two adjacent free
    blocks never exist. ``malloc`` scans the list, O(free blocks); ``free`` is
    a binary search plus a list insert, O(free blocks) in the worst case.

    >>> heap = FreeListAllocator(256)
    >>> a, b, c = heap.malloc(100), heap.malloc(64), heap.malloc(10)
    >>> a, b, c, heap.block_size(a)          # 100 rounds up to 112
    (0, 112, 176, 112)
    >>> heap.free_blocks()
    [(192, 64)]
    >>> heap.free(a); heap.free(c); heap.free_blocks()
    [(0, 112), (176, 80)]
    >>> heap.free(b); heap.free_blocks()     # b joins both neighbours
    [(0, 256)]
    """

    def __init__(
        self,
        heap_size: int,
        *,
        policy: Literal["first-fit", "best-fit"] = "first-fit",
        alignment: int = 16,
    ) -> None:
        super().__init__(heap_size)
        if policy not in ("first-fit", "best-fit"):
            raise ValueError(f"policy must be 'first-fit' or 'best-fit', got {policy!r}")
        self.alignment = _power_of_two(alignment, "alignment")
        if heap_size % alignment:
            raise ValueError(f"heap_size {heap_size} is not a multiple of alignment {alignment}")
        self.policy = policy
        self._starts: list[int] = [0]  # free blocks' addresses, sorted
        self._sizes: dict[int, int] = {0: heap_size}

    def free_blocks(self) -> list[tuple[int, int]]:
        """The free blocks as ``(address, size)`` in address order."""
        return [(start, self._sizes[start]) for start in self._starts]

    def largest_free_block(self) -> int:
        """The biggest request that can succeed right now."""
        return max(self._sizes.values(), default=0)

    def _block_size(self, size: int) -> int:
        return _round_up(size, self.alignment)

    def _find(self, block: int) -> int | None:
        """Index in ``_starts`` of the free block the policy picks, if any fits."""
        fitting = (i for i, start in enumerate(self._starts) if self._sizes[start] >= block)
        if self.policy == "first-fit":
            return next(fitting, None)
        # Best fit: the smallest block that fits; the lowest address among equals.
        return min(fitting, key=lambda i: self._sizes[self._starts[i]], default=None)

    def _allocate(self, block: int) -> int | None:
        index = self._find(block)
        if index is None:
            return None
        start = self._starts.pop(index)
        size = self._sizes.pop(start)
        if size > block:  # split: the tail stays free, at the same place in the list
            self._starts.insert(index, start + block)
            self._sizes[start + block] = size - block
        return start

    def _release(self, address: int, block: int) -> None:
        index = bisect.bisect_left(self._starts, address)
        self._starts.insert(index, address)
        self._sizes[address] = block
        self._coalesce(index)  # break[no-coalescing]

    def _coalesce(self, index: int) -> None:
        """Merge the free block at ``index`` with the next one, then the previous
        one, where they touch."""
        start = self._starts[index]
        if index + 1 < len(self._starts):
            following = self._starts[index + 1]
            if start + self._sizes[start] == following:
                self._sizes[start] += self._sizes.pop(following)
                del self._starts[index + 1]
        if index > 0:
            previous = self._starts[index - 1]
            if previous + self._sizes[previous] == start:
                self._sizes[previous] += self._sizes.pop(start)
                del self._starts[index]

    def _free_bytes(self) -> int:
        return sum(self._sizes.values())

    def _external_fragmentation(self) -> float:
        free = self._free_bytes()
        return 1 - self.largest_free_block() / free if free else 0.0

    def _check(self) -> None:
        assert self._starts == sorted(self._sizes), "the free list is out of address order"
        end = -1
        for start in self._starts:
            size = self._sizes[start]
            assert size > 0, f"empty free block at {start}"
            assert start % self.alignment == 0, f"free block at {start} is misaligned"
            assert size % self.alignment == 0, f"free block at {start} has size {size}"
            assert start != end, f"free blocks touching at {start} were not coalesced"
            assert start > end, f"free blocks overlap at {start}"
            end = start + size
        assert end <= self.heap_size
        for address, (_, block) in self._live.items():
            i = bisect.bisect_right(self._starts, address) - 1
            if i >= 0:  # the free block at or before a live block must end before it
                assert self._starts[i] + self._sizes[self._starts[i]] <= address
            if i + 1 < len(self._starts):
                assert address + block <= self._starts[i + 1]
        self._check_live()


# --------------------------------------------------------------------------
# Buddy system: power-of-two blocks, split in halves, merged with the buddy
# --------------------------------------------------------------------------


class BuddyAllocator(Allocator):
    """Blocks of power-of-two sizes, each aligned to its size.

    A request gets the smallest power of two that holds it (at least
    ``min_block``). A bigger free block is split in halves until it has that
    size; on ``free`` a block merges with its *buddy*, the other half of the
    block it was split from, at ``address ^ size``, as long as that buddy is
    free too. Splits and merges are O(log(heap_size / min_block)); finding
    the lowest free block of a size is O(free blocks of that size) here.

    >>> heap = BuddyAllocator(256)
    >>> a = heap.malloc(33)                  # needs 64: 256 -> 128 + 128 -> 64 + 64
    >>> a, heap.block_size(a), heap.free_blocks()
    (0, 64, [(64, 64), (128, 128)])
    >>> heap.free(a); heap.free_blocks()     # 0 ^ 64 = 64 is free: merge, then with 128
    [(0, 256)]
    """

    def __init__(self, heap_size: int, *, min_block: int = 16) -> None:
        super().__init__(_power_of_two(heap_size, "heap_size"))
        self.min_block = _power_of_two(min_block, "min_block")
        if min_block > heap_size:
            raise ValueError(f"min_block {min_block} is larger than heap_size {heap_size}")
        self._free: dict[int, set[int]] = {}
        size = heap_size
        while size >= min_block:
            self._free[size] = set()
            size //= 2
        self._free[heap_size].add(0)

    def free_blocks(self) -> list[tuple[int, int]]:
        """The free blocks as ``(address, size)`` in address order."""
        return sorted((start, size) for size, starts in self._free.items() for start in starts)

    def largest_free_block(self) -> int:
        """The biggest block a request can get right now."""
        return max((size for size, starts in self._free.items() if starts), default=0)

    def _block_size(self, size: int) -> int:
        return max(self.min_block, 1 << (size - 1).bit_length())

    def _allocate(self, block: int) -> int | None:
        size = block
        while size <= self.heap_size and not self._free[size]:
            size *= 2
        if size > self.heap_size:
            return None
        start = min(self._free[size])
        self._free[size].remove(start)
        while size > block:  # keep the lower half, free the upper half (its buddy)
            size //= 2
            self._free[size].add(start + size)
        return start

    def _release(self, address: int, block: int) -> None:
        start, size = address, block
        while size < self.heap_size:
            buddy = start ^ size  # break[wrong-buddy]
            if buddy not in self._free[size]:
                break
            self._free[size].remove(buddy)
            start, size = min(start, buddy), size * 2
        self._free[size].add(start)

    def _free_bytes(self) -> int:
        return sum(size * len(starts) for size, starts in self._free.items())

    def _external_fragmentation(self) -> float:
        free = self._free_bytes()
        return 1 - self.largest_free_block() / free if free else 0.0  # break[buddy-share-inverted]

    def _check(self) -> None:
        blocks = self.free_blocks() + [(a, block) for a, (_, block) in self._live.items()]
        end = 0
        for start, size in sorted(blocks):
            assert size in self._free, f"block size {size} is not a power of two in range"
            assert start % size == 0, f"block at {start} is not aligned to its size {size}"
            assert start == end, f"gap or overlap at {end}: blocks must tile the heap"
            end = start + size
        assert end == self.heap_size, "the blocks do not cover the heap"
        for size, starts in self._free.items():
            for start in starts:
                if size < self.heap_size:
                    assert start ^ size not in starts, (
                        f"free buddies {start} and {start ^ size} of size {size} were not merged"
                    )
        self._check_live()


# --------------------------------------------------------------------------
# Slab allocator: size classes, one class per slab, slabs grouped in arenas
# --------------------------------------------------------------------------


@dataclass
class _Slab:
    index: int
    size_class: int = 0  # 0: empty, belongs to no class
    used: int = 0
    free_slots: list[int] = field(default_factory=list)  # a stack: last freed, first reused


class SlabAllocator(Allocator):
    """Size classes in steps of ``alignment`` up to ``max_size``; each slab
    (pymalloc: a *pool*) holds objects of one class only, after a ``header``;
    slabs are grouped in arenas, and an arena is *in use* while any of its
    slabs holds an object.

    The defaults are pymalloc's on 64-bit CPython 3.10 and later: 16-byte
    classes up to 512 bytes, 16 KiB pools with a 48-byte header, 1 MiB arenas
    (always 64 slabs here; a pymalloc arena has 63 pools when its address is not
    16 KiB-aligned). Like pymalloc, each class keeps a list of its slabs with a
    free slot and ``malloc`` takes from the first one; a full slab that gets a
    slot back goes to the front of that list, and within a slab the slot freed
    last is reused first. A slab that empties goes back to the empty slabs (any
    class may take it next), and a new slab comes from the arena with the
    fewest empty slabs, so lightly used arenas can drain. ``malloc`` and
    ``free`` are O(1) except when a new slab is needed (O(slabs) here).

    >>> heap = SlabAllocator(4096, slab_size=1024, header=32, arena_size=2048)
    >>> heap.capacity(48), (1024 - 32) % 48  # 20 objects fit; 32 tail bytes are lost
    (20, 32)
    >>> a = heap.malloc(40)                  # class 48, in slab 0 after its header
    >>> a, heap.block_size(a), heap.arenas_in_use()
    (32, 48, 1)
    >>> heap.free(a); heap.arenas_in_use()
    0
    """

    def __init__(
        self,
        heap_size: int,
        *,
        slab_size: int = 16 * 1024,
        header: int = 48,
        alignment: int = 16,
        max_size: int = 512,
        arena_size: int = 1024 * 1024,
    ) -> None:
        super().__init__(heap_size)
        self.slab_size = _whole(slab_size, "slab_size")
        self.alignment = _power_of_two(alignment, "alignment")
        self.max_size = _whole(max_size, "max_size")
        self.arena_size = _whole(arena_size, "arena_size")
        if isinstance(header, bool) or not isinstance(header, int) or header < 0:
            raise ValueError(f"header must be a non-negative int, got {header!r}")
        self.header = header
        if max_size % alignment:
            raise ValueError(f"max_size {max_size} is not a multiple of alignment {alignment}")
        if slab_size - header < max_size:
            raise ValueError(f"a {slab_size}-byte slab cannot hold one {max_size}-byte object")
        if arena_size % slab_size or heap_size % arena_size:
            raise ValueError("slab_size must divide arena_size, and arena_size heap_size")
        self._slabs = [_Slab(i) for i in range(heap_size // slab_size)]
        self._partial: dict[int, list[_Slab]] = {}  # per class: slabs with a free slot

    def capacity(self, size_class: int) -> int:
        """How many objects of ``size_class`` bytes one slab holds."""
        return (self.slab_size - self.header) // size_class

    def arenas_in_use(self) -> int:
        """Arenas with at least one object in them: the ones pymalloc cannot return."""
        per_arena = self.arena_size // self.slab_size
        return len({slab.index // per_arena for slab in self._slabs if slab.size_class})

    def slabs_in_use(self) -> int:
        """Slabs holding at least one object."""
        return sum(1 for slab in self._slabs if slab.size_class)

    def largest_free_block(self) -> int:
        """The largest request that can succeed right now: ``max_size`` while a
        slab is empty, else the largest class with a free slot (0 if none).

        Unlike a free list's, a smaller request may still fail: its class may
        have no free slot.
        """
        if any(not slab.size_class for slab in self._slabs):
            return self.max_size
        return max((size for size, slabs in self._partial.items() if slabs), default=0)

    def _block_size(self, size: int) -> int:
        if size > self.max_size:
            raise ValueError(
                f"size {size} is above the largest size class ({self.max_size}); "
                "pymalloc hands such requests to the system malloc"
            )
        return _round_up(size, self.alignment)

    def _empty_slab(self) -> _Slab | None:
        """An empty slab from the arena with the fewest empty slabs (lowest first)."""
        per_arena = self.arena_size // self.slab_size
        best: list[_Slab] = []
        for first in range(0, len(self._slabs), per_arena):
            empty = [s for s in self._slabs[first : first + per_arena] if not s.size_class]
            if empty and (not best or len(empty) < len(best)):  # break[emptiest-arena]
                best = empty
        return best[0] if best else None

    def _allocate(self, block: int) -> int | None:
        partial = self._partial.setdefault(block, [])
        if partial:
            slab = partial[0]
        else:
            empty = self._empty_slab()
            if empty is None:
                return None
            slab = empty
            slab.size_class = block
            base = slab.index * self.slab_size + self.header
            slab.free_slots = [base + k * block for k in reversed(range(self.capacity(block)))]
            partial.insert(0, slab)
        address = slab.free_slots.pop()
        slab.used += 1
        if not slab.free_slots:  # a full slab leaves the list, as a full pool does
            partial.remove(slab)
        return address

    def _release(self, address: int, block: int) -> None:
        slab = self._slabs[address // self.slab_size]
        if not slab.free_slots:  # it was full: first in line to serve its class again
            self._partial[block].insert(0, slab)  # break[full-slab-to-back]
        slab.free_slots.append(address)  # break[oldest-slot-first]
        slab.used -= 1
        if slab.used == 0:
            self._retire(slab)  # break[keep-empty-slabs]

    def _retire(self, slab: _Slab) -> None:
        """An empty slab leaves its class: any size class may take it next."""
        self._partial[slab.size_class].remove(slab)
        slab.size_class, slab.free_slots = 0, []

    def _free_bytes(self) -> int:
        return sum(
            len(s.free_slots) * s.size_class if s.size_class else self.slab_size
            for s in self._slabs
        )

    def _overhead(self) -> int:
        return sum(
            self.header + (self.slab_size - self.header) % s.size_class
            for s in self._slabs
            if s.size_class
        )

    def _stranded(self) -> int:
        return sum(len(s.free_slots) * s.size_class for s in self._slabs if s.size_class)

    def _external_fragmentation(self) -> None:
        return None  # not address ranges: see ``stranded``

    def _check(self) -> None:
        per_slab: dict[int, int] = {}
        for address, (_, block) in self._live.items():
            slab = self._slabs[address // self.slab_size]
            assert slab.size_class == block, f"live block {address} is in a slab of another class"
            assert address not in slab.free_slots, f"live block {address} is on a free list"
            per_slab[slab.index] = per_slab.get(slab.index, 0) + 1
        for slab in self._slabs:
            if not slab.size_class:
                assert slab.used == 0, f"slab {slab.index} has no class but holds objects"
                assert not slab.free_slots, f"slab {slab.index} has no class but has slots"
                continue
            assert slab.used >= 1, f"slab {slab.index} is empty but still kept by its class"
            assert slab.used == per_slab.get(slab.index, 0)
            assert slab.used + len(slab.free_slots) == self.capacity(slab.size_class)
            assert len(set(slab.free_slots)) == len(slab.free_slots), "a slot is free twice"
            base = slab.index * self.slab_size + self.header
            for slot in slab.free_slots:
                offset = slot - base
                assert offset >= 0, f"slot {slot} lies in slab {slab.index}'s header"
                assert offset % slab.size_class == 0, f"slot {slot} is misaligned"
                assert offset + slab.size_class <= self.slab_size - self.header
            listed = self._partial.get(slab.size_class, [])
            assert (slab in listed) == bool(slab.free_slots), f"slab {slab.index} misfiled"
        for size_class, slabs in self._partial.items():
            assert len({s.index for s in slabs}) == len(slabs), "a slab is listed twice"
            assert all(s.size_class == size_class for s in slabs)
        self._check_live()


# --------------------------------------------------------------------------
# A seeded workload, replayed against any allocator
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    """One step of a workload: allocate ``size`` bytes for ``handle``, or free it."""

    kind: Literal["malloc", "free"]
    handle: int
    size: int = 0


def workload(
    seed: int, steps: int, *, sizes: tuple[int, int] = (1, 512), live: int = 32
) -> list[Op]:
    """A reproducible mix of mallocs and frees from ``random.Random(seed)``.

    Sizes are uniform in ``sizes`` (inclusive). Allocation is more likely while
    fewer than ``live`` blocks are held and less likely above it, so the live
    count wanders around ``live``; a free releases a random live handle.

    >>> for op in workload(3, 5, sizes=(1, 100), live=2):
    ...     print(op)
    Op(kind='malloc', handle=0, size=70)
    Op(kind='malloc', handle=1, size=78)
    Op(kind='free', handle=0, size=0)
    Op(kind='free', handle=1, size=0)
    Op(kind='malloc', handle=2, size=30)
    """
    low, high = sizes
    if not 0 < low <= high:
        raise ValueError(f"sizes must be 0 < low <= high, got {sizes}")
    rng = random.Random(seed)
    ops: list[Op] = []
    alive: list[int] = []
    handles = 0
    for _ in range(steps):
        grow = rng.random() < (0.6 if len(alive) < live else 0.4)
        if grow or not alive:
            ops.append(Op("malloc", handles, rng.randint(low, high)))
            alive.append(handles)
            handles += 1
        else:
            i = rng.randrange(len(alive))
            alive[i], alive[-1] = alive[-1], alive[i]
            ops.append(Op("free", alive.pop()))
    return ops


def replay(allocator: Allocator, ops: list[Op], *, check: bool = False) -> Stats:
    """Run ``ops`` against ``allocator`` and return its final :class:`Stats`.

    A free of a handle whose malloc failed is skipped. With ``check`` the
    allocator's invariants are asserted after every step.
    """
    addresses: dict[int, int] = {}
    for op in ops:
        if op.kind == "malloc":
            address = allocator.malloc(op.size)
            if address is not None:
                addresses[op.handle] = address
        elif op.handle in addresses:
            allocator.free(addresses.pop(op.handle))
        if check:
            allocator._check()
    return allocator.stats()


# --------------------------------------------------------------------------
# pymalloc from the outside: sys._debugmallocstats() in a fresh interpreter
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SizeClass:
    """One row of pymalloc's size-class table."""

    index: int
    size: int
    pools: int
    in_use: int
    available: int


@dataclass(frozen=True)
class MallocStats:
    """The numbers ``sys._debugmallocstats()`` prints for pymalloc."""

    threshold: int
    """Largest request pymalloc serves; bigger ones go to the system malloc."""
    classes: tuple[SizeClass, ...]
    """Size classes with at least one pool in use."""
    class_count: int
    arenas: int
    """Arenas allocated right now (each one an ``mmap`` on Linux)."""
    arena_size: int
    pool_size: int
    allocated_bytes: int
    """Bytes in blocks handed out by pymalloc."""
    pool_header_bytes: int
    """Bytes taken by the headers of the pools in use."""
    quantization_bytes: int
    """Bytes at the end of pools in use too small for one more block."""
    unused_pools: int
    """Pools of the allocated arenas that hold no block (free for any class)."""
    arena_alignment_bytes: int
    """One pool per arena whose address is not a multiple of the pool size:
    pymalloc starts the first pool at the next multiple and loses the rest."""

    @property
    def pools_per_arena(self) -> int:
        """Pools in a pool-aligned arena: 64 on 64-bit CPython 3.10 and later."""
        return self.arena_size // self.pool_size

    @property
    def misaligned_arenas(self) -> int:
        """Arenas with one pool fewer (``pools_per_arena - 1``) because mmap only
        aligns them to a page, not to a pool."""
        return self.arena_alignment_bytes // self.pool_size


def _number(pattern: str, text: str) -> int:
    found = re.search(pattern, text, re.MULTILINE)
    if found is None:
        raise ValueError(f"not pymalloc statistics: no line matching {pattern!r}")
    return int(found.group(1).replace(",", ""))


def parse_mallocstats(text: str) -> MallocStats:
    """Parse the pymalloc part of ``sys._debugmallocstats()`` output.

    Raises ValueError naming the missing line if ``text`` is not pymalloc's
    (for instance mimalloc's statistics, or a build without pymalloc).
    """
    classes = tuple(
        SizeClass(*(int(n) for n in row))
        for row in re.findall(r"^\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$", text, re.MULTILINE)
    )
    return MallocStats(
        threshold=_number(r"^Small block threshold = (\d+)", text),
        classes=classes,
        class_count=_number(r"^Small block threshold = \d+, in (\d+) size classes", text),
        arenas=_number(r"^# arenas allocated current\s*=\s*([\d,]+)", text),
        arena_size=_number(r"^\d+ arenas \* (\d+) bytes/arena", text),
        pool_size=_number(r"^\d+ unused pools \* (\d+) bytes", text),
        allocated_bytes=_number(r"^# bytes in allocated blocks\s*=\s*([\d,]+)", text),
        pool_header_bytes=_number(r"^# bytes lost to pool headers\s*=\s*([\d,]+)", text),
        quantization_bytes=_number(r"^# bytes lost to quantization\s*=\s*([\d,]+)", text),
        unused_pools=_number(r"^(\d+) unused pools \* \d+ bytes", text),
        arena_alignment_bytes=_number(r"^# bytes lost to arena alignment\s*=\s*([\d,]+)", text),
    )


@dataclass(frozen=True)
class Snapshot:
    """The state of a fresh interpreter at one labelled point of a script."""

    label: str
    rss: int
    """Resident set size in bytes, from ``/proc/self/statm``."""
    traced: int | None
    """Bytes ``tracemalloc`` counts as allocated, if the script started it."""
    malloc_stats: str
    """What ``sys._debugmallocstats()`` wrote at that point."""

    @property
    def pymalloc(self) -> MallocStats:
        """The statistics parsed (ValueError if they are not pymalloc's)."""
        return parse_mallocstats(self.malloc_stats)


# The descriptor and the buffer exist before the script runs, and preadv fills
# the buffer in place: reading RSS calls no malloc. Opening the file at each
# snapshot would (a file object and its buffers), and the chunk it leaves
# behind at the top of glibc's heap would keep every freed byte below it from
# going back: the measurement would create the effect it is meant to show.
_SNAPSHOT = """\
import os, sys
_statm = os.open("/proc/self/statm", os.O_RDONLY)
_buffer = bytearray(256)
_page = os.sysconf("SC_PAGE_SIZE")
def snapshot(label):
    count = os.preadv(_statm, [_buffer], 0)
    rss = int(_buffer[:count].split()[1]) * _page
    tracing = sys.modules.get("tracemalloc")
    traced = tracing.get_traced_memory()[0] if tracing and tracing.is_tracing() else -1
    sys.stderr.write(f"@@ {label} {rss} {traced}\\n")
    sys.stderr.flush()
    sys._debugmallocstats()
"""


def run_snapshots(
    script: str,
    *,
    allocator: str = "pymalloc",
    env: Mapping[str, str] | None = None,
    timeout: float = 20.0,
) -> dict[str, Snapshot]:
    """Run ``script`` in a fresh interpreter with ``PYTHONMALLOC=allocator`` and
    the variables of ``env`` added; each ``snapshot(label)`` it calls records
    RSS, ``tracemalloc``'s count if it is tracing, and the allocator statistics.

    A fresh interpreter, because a long-lived one (a test runner) has its own
    arenas and free memory that would blur the counts. ``snapshot`` allocates
    nothing outside pymalloc, so it does not disturb glibc's heap. Linux only
    (it reads ``/proc/self/statm``). Raises RuntimeError with the child's
    stderr if it fails, and ``subprocess.TimeoutExpired`` after ``timeout``
    seconds.
    """
    environment = dict(os.environ, PYTHONMALLOC=allocator, **(env or {}))
    code = _SNAPSHOT + textwrap.dedent(script)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the script exited with status {done.returncode}: {done.stderr}")
    snapshots: dict[str, Snapshot] = {}
    for chunk in done.stderr.split("@@ ")[1:]:
        first, _, stats = chunk.partition("\n")
        label, rss, traced = first.rsplit(" ", 2)
        snapshots[label] = Snapshot(label, int(rss), None if traced == "-1" else int(traced), stats)
    return snapshots


def survivors_demo(
    objects: int = 400_000, keep_every: int = 16_384, *, trim: bool = False
) -> dict[str, Snapshot]:
    """Allocate ``objects`` floats, free all but every ``keep_every``-th, allocate
    as many floats again, then free everything.

    A float is 24 bytes, so it lives in pymalloc's 32-byte class: the floats
    fill pools and arenas in order. Snapshots: ``start``, ``allocated``,
    ``survivors`` (after the first round of frees), ``reused`` (after the second
    round of allocations) and ``freed``. With ``trim`` (glibc only), glibc's
    ``malloc_trim(0)`` runs after the first round of frees, and ``trimmed`` is
    taken right after it. The lists holding the references are made before
    ``start``, so they are not part of what is measured.
    """
    trimming = 'ctypes.CDLL(None).malloc_trim(0)\nsnapshot("trimmed")' if trim else ""
    return run_snapshots(
        f"""
import ctypes
first = [None] * {objects}
second = [None] * {objects}
snapshot("start")
for i in range({objects}):
    first[i] = float(i)
snapshot("allocated")
for i in range({objects}):
    if i % {keep_every}:
        first[i] = None
snapshot("survivors")
{trimming}
for i in range({objects}):
    second[i] = float(i)
snapshot("reused")
for i in range({objects}):
    second[i] = None
for i in range(0, {objects}, {keep_every}):
    first[i] = None
snapshot("freed")
"""
    )


def glibc_trim_demo(
    objects: int = 20_000,
    size: int = 1000,
    *,
    keep_top: bool = True,
    keep_every: int = 0,
    trim_threshold: int | None = None,
) -> dict[str, Snapshot]:
    """Allocate ``objects`` bytes objects of ``size`` bytes (above pymalloc's 512,
    so each is a glibc ``malloc``), free them in two rounds, then call glibc's
    ``malloc_trim(0)``.

    The blocks are carved one after another from the top of the heap, so the
    last 30% of them lie at its top. Snapshots: ``start``, ``allocated``,
    ``top-freed`` (the last 30% freed), ``freed`` (all the others freed too)
    and ``trimmed``. With ``keep_top`` the very last block survives both
    rounds; with ``keep_every`` so does every ``keep_every``-th one. With
    ``trim_threshold`` the child runs with ``MALLOC_TRIM_THRESHOLD_`` set to
    it: how big the free top chunk must grow before ``free`` shrinks the heap.
    Needs Linux with glibc.
    """
    if not 0 <= keep_every < objects:
        raise ValueError(f"keep_every must be in [0, objects), got {keep_every}")
    env: dict[str, str] = {}  # break[never-trims]
    if trim_threshold is not None:
        env["MALLOC_TRIM_THRESHOLD_"] = str(trim_threshold)
    last = objects - 1 if keep_top else objects
    drop = f"if i % {keep_every}:\n        objects[i] = None" if keep_every else "objects[i] = None"
    return run_snapshots(
        f"""
import ctypes
objects = [None] * {objects}
size = {size}
snapshot("start")
for i in range({objects}):
    objects[i] = b"x" * size  # a fresh, written block: not a shared constant
snapshot("allocated")
for i in range({objects} * 7 // 10, {last}):
    {drop}
snapshot("top-freed")
for i in range({objects} * 7 // 10):
    {drop}
snapshot("freed")
ctypes.CDLL(None).malloc_trim(0)
snapshot("trimmed")
""",
        env=env,
    )


def glibc_threshold_demo(
    size: int = 4 << 20, *, fixed_threshold: int | None = None
) -> dict[str, Snapshot]:
    """Allocate and free one ``size``-byte ``bytearray``, then five more, free
    three of them (not the last two), then allocate and free 40 MiB.

    With ``fixed_threshold`` the child runs with ``MALLOC_MMAP_THRESHOLD_`` set
    to it, which pins glibc's mmap threshold and turns off its dynamic
    adjustment. Snapshots: ``start``, ``one``, ``one-freed``, ``five``,
    ``three-freed``, ``big`` and ``big-freed``. Needs Linux with glibc.
    """
    env: dict[str, str] = {}  # break[static-mmap-threshold]
    if fixed_threshold is not None:
        env["MALLOC_MMAP_THRESHOLD_"] = str(fixed_threshold)
    return run_snapshots(
        f"""
buffers = [None] * 5
snapshot("start")
first = bytearray({size})  # zero-filled by memset: every page is touched
snapshot("one")
del first
snapshot("one-freed")
for i in range(5):
    buffers[i] = bytearray({size})
snapshot("five")
for i in range(3):
    buffers[i] = None
snapshot("three-freed")
big = bytearray(40 << 20)
snapshot("big")
del big
snapshot("big-freed")
""",
        env=env,
    )
