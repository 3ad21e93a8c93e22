"""Hash maps: open addressing with perturbed probing, tombstones and resizing.

Why interviewers ask this:
    Every backend engineer leans on hash maps all day; "how does a dict work?"
    checks that you know why lookups are O(1) on average and what makes them
    O(n): collisions, clustering, a full table, deleted slots. Implementing one
    shows whether you understand that a delete in an open-addressed table
    cannot simply empty its slot.

Common pitfalls:
    - Emptying the slot on delete: every key that was placed *after* it on the
      same probe path becomes unreachable (break it: ``delete-empties-slot``).
      Deletes must leave a tombstone that lookups probe past and inserts reuse.
    - Counting only live keys towards the load factor: tombstones still make
      probe paths longer, and a table full of tombstones has no empty slot to
      stop a failed lookup (break it: ``load-ignores-tombstones``).
    - Comparing keys before hashes: ``__eq__`` can be expensive; compare the
      stored hash first, and identity before equality (``k is key or k == key``).
      Keys that only share a probe path then never meet ``__eq__``: a lookup
      calls it once, on the key it finds (the tests count the calls).
    - Mutating before every check that can fail: an unhashable key or a key
      whose ``__eq__`` raises must leave the map unchanged, so hash and probe
      first, write last.
    - Linear probing with Python's identity hash for ints: keys that share
      their low bits (multiples of 1024) land on one cluster, and the k-th
      of them costs k probes (``LinearProbingHashMap`` shows it; the tests
      count 210 probes for 20 such keys, against 57 with perturbation).

Key takeaways:
    - Chaining (Java's ``HashMap``: a list per bucket, turned into a small
      red-black tree when it grows past 8 entries in a table of at least 64
      buckets) puts colliding keys in a per-slot structure; open addressing
      (CPython's ``dict``, this class) probes other slots of one array:
      fewer allocations, better locality, but deletes need tombstones. Go's
      map was chained buckets of 8 slots up to Go 1.23; since Go 1.24 it is
      a Swiss table, open addressing that probes groups of 8 slots at once
      through one control byte per slot: 7 bits of the key's hash for a full
      slot, or a marker for an empty or deleted one.
    - Probing here is CPython's: ``i = (5 * i + 1 + perturb) % size`` with
      ``perturb`` starting at the hash and shifted right by 5 each step, so
      each probe brings in 5 more bits of the hash and keys that share their
      low bits separate within a few probes (multiples of 1024 in a 32-slot
      table share their first two slots and split at the third). Once
      ``perturb`` reaches 0 the recurrence visits every slot (5i + 1 is a
      full-period generator modulo a power of two).
    - Load factor 2/3, counting tombstones: probes stay short (under uniform
      hashing a miss expects at most 1 / (1 - 2/3) = 3 probes) and an empty
      slot always ends a search. An insert that reuses a tombstone adds
      nothing to the count, the rule of CPython's dict before 3.6
      (``ma_fill``). Since 3.6 its compact layout appends every new entry to
      a dense entries array, and a deleted entry keeps its place there until
      the next resize, so an insert uses up capacity even when it reuses a
      deleted slot of the index (the tests watch a dict resize that way).
      Growing rebuilds the table for the *live* keys, which purges every
      tombstone; stored hashes mean no key is hashed again.
    - Iteration follows slot order, which is arbitrary (``dict`` adds an
      insertion-ordered entry array to keep its order).

What to look for in an answer:
    A strong answer explains hashing to a slot, collision handling by chaining
    or probing, the load factor and resize (amortized O(1)), tombstones for
    deletes, and the hash/eq contract (equal keys must hash equal; mutable keys
    break it). Follow-ups:
    - Why can hash flooding be a denial-of-service attack, and what defends
      against it? (Crafted colliding keys make every operation O(n). CPython
      randomises the hashes of ``str`` and ``bytes`` per process with a keyed
      SipHash (``PYTHONHASHSEED`` fixes or disables the key), but a
      non-negative ``int`` hashes to itself modulo 2**61 - 1 (on 64-bit
      builds) in every process, so int keys chosen by an attacker still
      collide; Java 8 turns long chains into trees.)
    - How is CPython's dict laid out? (Since 3.6, compactly: a sparse index
      array of 1-, 2-, 4- or 8-byte ints, as narrow as the table size allows,
      pointing into a dense array of (hash, key, value) entries kept in
      insertion order (since 3.11 just (key, value) when every key is a
      ``str``, whose hash is cached in the string). That order is why dicts
      iterate in insertion order, and the entries array holds only 2/3 of
      the slot count. On a 64-bit build a small table of int keys costs one
      byte per slot plus 24 bytes per usable entry: growing from 8 to 16
      slots adds 8 + 5 * 24 = 128 bytes, as the tests measure.)
    - Does a dict shrink when you delete? (No: deleting 999 of 1,000 keys
      leaves its memory as it was. Only a resize can shrink it, and only an
      insert that finds the entries array used up starts one, sized from the
      live keys; ``clear()``, or copying the few survivors into a new dict,
      gives the memory back.
      ``HashMap`` here behaves the same way: inserts rebuild it for the live
      keys, deletes only leave tombstones.)
    - Java 8 turns a long chain into a red-black tree: when, and does that
      always help? (A bin becomes a tree when it grows past 8 entries
      (``TREEIFY_THRESHOLD``) in a table of at least 64 buckets; a resize
      that splits it down to 6 or fewer (``UNTREEIFY_THRESHOLD``) turns it
      back into a list, and the gap keeps a bin hovering around 8 from
      converting back and forth. The tree is ordered by hash first, so
      colliding keys with different hashes are found in O(log n); keys with
      *equal* hashes are ordered only if they are ``Comparable`` with each
      other (``String`` is). Otherwise a lookup cannot choose a subtree and
      may search both: O(n) again, so flooding with equal-hash keys of a
      non-``Comparable`` class still works.)
    - Why does Java's ``HashMap.hash`` compute ``h ^ (h >>> 16)``? (The
      bucket is ``hash & (n - 1)``, the low bits only; folding the high 16
      bits into the low ones makes hashes that differ only above bit 16 land
      in different buckets. CPython gets the same effect later, from
      ``perturb``, once the first probe has collided.)
    - Why is the table size a power of two, and what does that demand of the
      hash function? (Masking is cheap but uses only low bits; perturbation or
      a mixing step brings in the high ones.)

Complexity:
    get, set, delete, ``in``: O(1) average, O(n) worst case (every key
    colliding). Resize: O(n), amortized O(1) per insert. Iteration: O(size).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from itertools import islice
from typing import Any, TypeVar

__all__ = ["HashMap", "LinearProbingHashMap", "linear_probes", "perturbed_probes"]

K = TypeVar("K")
V = TypeVar("V")

_REPR_LIMIT = 10


class _Sentinel:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


_EMPTY: Any = _Sentinel("<empty>")  # never used: ends every probe
_DELETED: Any = _Sentinel("<deleted>")  # a tombstone: probe past it, reuse it on insert


def perturbed_probes(h: int, mask: int) -> Iterator[int]:
    """CPython's probe order for hash ``h`` in a table of ``mask + 1`` slots; endless.

    O(1) per slot. The first slot uses the low bits only; every later step
    shifts 5 more bits of the hash into ``perturb``, until it is 0 and the
    plain ``5 * i + 1`` cycle takes over.

    >>> from itertools import islice
    >>> list(islice(perturbed_probes(3 * 1024, 31), 4))  # perturb: 96, then 3, then 0
    [0, 1, 9, 14]
    """
    perturb = h & 0xFFFF_FFFF_FFFF_FFFF  # as an unsigned 64-bit value, like C's size_t
    i = h & mask
    while True:
        yield i
        perturb >>= 5  # break[no-perturb]
        i = (5 * i + 1 + perturb) & mask


def linear_probes(h: int, mask: int) -> Iterator[int]:
    """Linear probing: the home slot of ``h``, then each next slot, wrapping; endless.

    O(1) per slot.

    >>> from itertools import islice
    >>> list(islice(linear_probes(3 * 1024, 31), 4))
    [0, 1, 2, 3]
    """
    i = h & mask
    while True:
        yield i
        i = (i + 1) & mask


class HashMap(MutableMapping[K, V]):
    """A dict-like map built on open addressing, for learning what ``dict`` does inside.

    Three parallel arrays (keys, values, stored hashes) of a power-of-two size;
    CPython's perturbed probing; tombstones for deletes; load factor 2/3
    counting tombstones; growth to about 3x the live count, which purges
    tombstones. Iteration order is slot order (arbitrary); mutating the map
    while iterating raises RuntimeError. ``==`` compares with any mapping.
    Not thread-safe.

    >>> m = HashMap({"a": 1})
    >>> m["b"] = 2; del m["a"]
    >>> m, "a" in m, m.get("a", 0), len(m)
    (HashMap({'b': 2}), False, 0, 1)
    """

    __slots__ = ("_fill", "_hashes", "_keys", "_len", "_values", "_version")

    MIN_SIZE = 8

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._reset(self.MIN_SIZE)
        self._version = 0
        pairs = items.items() if isinstance(items, Mapping) else items
        for key, value in pairs:
            self[key] = value

    def _reset(self, size: int) -> None:
        self._keys: list[Any] = [_EMPTY] * size
        self._values: list[Any] = [None] * size
        self._hashes: list[int] = [0] * size
        self._len = 0  # live keys
        self._fill = 0  # live keys + tombstones: the slots that are not empty

    def _probes(self, h: int, mask: int) -> Iterator[int]:
        """The probe order; ``LinearProbingHashMap`` overrides it to compare."""
        return perturbed_probes(h, mask)

    def _find(self, key: object, h: int) -> tuple[int, int, int]:
        """Probe for ``key``: (its slot or -1, the slot an insert should use, slots visited).

        Compares only. The first tombstone on the path is the insert slot, so
        deleted slots are reused; the search itself only stops at an empty
        slot or the key. ``__eq__`` may raise here, before anything has been
        written.
        """
        keys, hashes = self._keys, self._hashes
        free = -1
        for visited, i in enumerate(self._probes(h, len(keys) - 1), start=1):
            k = keys[i]
            if k is _EMPTY:
                return -1, (i if free < 0 else free), visited
            if k is _DELETED:
                if free < 0:
                    free = i
            elif hashes[i] == h and (k is key or k == key):  # break[eq-before-hash]
                return i, i, visited
        raise AssertionError("unreachable: the probe sequence is endless")

    def _empty_slot(self, h: int) -> int:
        """The first empty slot on ``h``'s probe path (a fresh table has no tombstones)."""
        keys = self._keys
        for i in self._probes(h, len(keys) - 1):
            if keys[i] is _EMPTY:
                return i
        raise AssertionError("unreachable: the probe sequence is endless")

    def _resize(self, live: int) -> None:
        """Rebuild for ``live`` keys at load <= 1/3: purges tombstones, reuses stored hashes."""
        size = self.MIN_SIZE
        while size < 3 * live:
            size *= 2
        entries = [
            (k, v, h)
            for k, v, h in zip(self._keys, self._values, self._hashes, strict=True)
            if k is not _EMPTY and k is not _DELETED
        ]
        self._reset(size)
        keys, values, hashes = self._keys, self._values, self._hashes
        for k, v, h in entries:
            i = self._empty_slot(h)  # keys are distinct: no comparisons needed
            keys[i], values[i], hashes[i] = k, v, h
        self._len = self._fill = len(entries)

    def __getitem__(self, key: K) -> V:
        """The value for ``key``. O(1) average.

        Raises KeyError if absent, TypeError if unhashable; an exception from
        the key's ``__eq__`` propagates.

        >>> HashMap({"a": 1})["a"]
        1
        """
        i, _, _ = self._find(key, hash(key))
        if i < 0:
            raise KeyError(key)
        value: V = self._values[i]
        return value

    def __setitem__(self, key: K, value: V) -> None:
        """Insert or update ``key``. O(1) amortized (a resize now and then is O(n)).

        Raises TypeError if unhashable; that, or an exception from ``__eq__``,
        leaves the map unchanged.

        >>> m = HashMap[str, int](); m["a"] = 1; m["a"] = 2; m
        HashMap({'a': 2})
        """
        h = hash(key)
        i, slot, _ = self._find(key, h)  # everything that can fail happens before any write
        if i >= 0:
            self._values[i] = value
            return
        if self._keys[slot] is _EMPTY:
            if (self._fill + 1) * 3 > len(self._keys) * 2:  # break[load-ignores-tombstones]
                self._resize(self._len + 1)
                slot = self._empty_slot(h)
            self._fill += 1
        self._keys[slot], self._values[slot], self._hashes[slot] = key, value, h
        self._len += 1
        self._version += 1

    def __delitem__(self, key: K) -> None:
        """Remove ``key``, leaving a tombstone. O(1) average. KeyError if absent.

        >>> m = HashMap({"a": 1}); del m["a"]; len(m)
        0
        """
        i, _, _ = self._find(key, hash(key))
        if i < 0:
            raise KeyError(key)
        self._keys[i] = _DELETED  # break[delete-empties-slot]
        self._values[i] = None  # release the value now, not at the next resize
        self._len -= 1
        self._version += 1

    def __contains__(self, key: object) -> bool:
        """True if ``key`` is present. O(1) average. TypeError if unhashable."""
        return self._find(key, hash(key))[0] >= 0

    def probe_count(self, key: K) -> int:
        """How many slots a lookup of ``key`` visits, up to the key or an empty slot. O(1) average.

        The cost the lesson counts: 1 means the key (or a hole) sits in its home
        slot. Raises TypeError if ``key`` is unhashable; an exception from the
        key's ``__eq__`` propagates.

        >>> m = HashMap({0: "a", 1024: "b"})  # the same home slot in an 8-slot table
        >>> m.probe_count(0), m.probe_count(1024), m.probe_count(5)
        (1, 2, 1)
        """
        return self._find(key, hash(key))[2]

    def __len__(self) -> int:
        """Number of keys. O(1)."""
        return self._len

    def __iter__(self) -> Iterator[K]:
        """Keys in slot order. O(size). RuntimeError if keys are added or removed meanwhile."""
        version = self._version
        for k in self._keys:
            if k is not _EMPTY and k is not _DELETED:
                yield k
                if self._version != version:
                    raise RuntimeError("HashMap changed size during iteration")

    def popitem(self) -> tuple[K, V]:
        """Remove and return the pair in the first occupied slot. O(size) worst case.

        The scan for an occupied slot is what costs; the removal is ``del``.
        Raises KeyError if the map is empty.

        >>> m = HashMap({"a": 1}); m.popitem(), len(m)
        (('a', 1), 0)
        """
        for i, k in enumerate(self._keys):
            if k is not _EMPTY and k is not _DELETED:
                value: V = self._values[i]
                del self[k]
                return k, value
        raise KeyError("popitem(): HashMap is empty")

    def clear(self) -> None:
        """Remove every key and shrink to the minimum size. O(1) plus freeing.

        >>> m = HashMap({"a": 1}); m.clear(); m
        HashMap({})
        """
        self._reset(self.MIN_SIZE)
        self._version += 1

    def __repr__(self) -> str:
        pairs = ", ".join(f"{k!r}: {self[k]!r}" for k in islice(self, _REPR_LIMIT))
        more = self._len - _REPR_LIMIT
        if more > 0:
            pairs += f", ...<{more} more>"
        return f"HashMap({{{pairs}}})"

    @property
    def _tombstones(self) -> int:
        return self._fill - self._len

    def _check(self) -> None:
        keys, hashes, size = self._keys, self._hashes, len(self._keys)
        assert size >= self.MIN_SIZE, f"size {size} is below the minimum"
        assert size & (size - 1) == 0, f"size {size} is not a power of two"
        assert len(self._values) == len(hashes) == size
        live = [i for i, k in enumerate(keys) if k is not _EMPTY and k is not _DELETED]
        dead = sum(1 for k in keys if k is _DELETED)
        assert len(live) == self._len, f"{len(live)} live slots, len() says {self._len}"
        assert len(live) + dead == self._fill, "fill must count live keys and tombstones"
        assert self._fill * 3 <= size * 2, f"load {self._fill}/{size} is above 2/3"
        for i in live:
            assert hashes[i] == hash(keys[i]), f"slot {i} stores a stale hash"
            assert self._find(keys[i], hashes[i])[0] == i, f"{keys[i]!r} is unreachable"


class LinearProbingHashMap(HashMap[K, V]):
    """``HashMap`` with linear probing instead of perturbation: the clustering it avoids.

    Everything else (tombstones, load factor, resizing) is the same; only the
    probe order differs, so ``probe_count`` compares the two directly. Not
    thread-safe.

    >>> keys = [i * 1024 for i in range(4)]  # one home slot for all four
    >>> m = LinearProbingHashMap((k, k) for k in keys)
    >>> [m.probe_count(k) for k in keys]
    [1, 2, 3, 4]
    """

    __slots__ = ()

    def _probes(self, h: int, mask: int) -> Iterator[int]:
        return linear_probes(h, mask)
