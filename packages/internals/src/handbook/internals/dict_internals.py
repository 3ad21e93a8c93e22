"""Dict and set internals: salted string hashes, int hashes mod 2**61-1, the compact dict layout.

Why interviewers ask this:
    "Why does the order of my set of strings change between runs but my set
    of ints looks sorted?" and "can an attacker make your dict slow?" go one
    level below the hash/eq contract (the basics lessons ``dicts`` and
    ``hashing_sets`` cover that). The answers are hash randomization
    (``PYTHONHASHSEED``), the numeric hash (value mod a Mersenne prime, not
    salted), and the compact layout that gives dicts their insertion order.

Common pitfalls:
    - Tests or output that depend on the iteration order of a set of strings:
      it changes with the per-process hash seed, so a test passes on your
      laptop and fails in CI. Sort, or use a dict (insertion-ordered).
    - Concluding sets are ordered from a set of small ints: ``{3, 1, 2}``
      iterates 1, 2, 3 only because ``hash(n) == n`` and each int lands in
      its own slot (a CPython detail, not a guarantee).
    - Believing ints are safe from collision attacks: the int hash is not
      salted, so keys that are multiples of ``2**61 - 1`` all hash to 0 and
      every insert compares against every earlier key (quadratic). Cap or
      validate numeric keys from untrusted input.
    - Pinning the seed for a child with ``python -I`` (or ``-E``): isolated
      mode ignores every ``PYTHON*`` variable, ``PYTHONHASHSEED`` included,
      so the "fixed" child is salted at random.
    - Expecting a dict to shrink when you delete from it: a deletion only
      marks its entry dead, so ``sys.getsizeof`` stays the same. A copy is
      not a reliable fix either: ``d.copy()`` clones the table as it is
      (dead entries included) while at least 2/3 of the entries array is
      live (``ma_used >= dk_nentries * 2 // 3`` in ``PyDict_Copy``) and
      compacts only below that; ``dict(d)`` clones only a dict with no dead
      entries (``ma_used == dk_nentries``), otherwise it reinserts the live
      keys into a table sized for them (the smallest power of two >= 1.5 *
      len, ``estimate_log2_keysize``), which is smaller only if ``len(d)``
      fits a smaller table. Measured on
      3.11-3.13 with 1000 int keys (2048 slots): ``copy()`` keeps the size
      with 666 live keys and halves it with 665; ``dict(d)`` keeps it with
      683 and halves it with 682.
    - Believing a set keeps insertion order because a dict does: adding 1
      and then 8 iterates ``[8, 1]``. A set is one sparse table walked in
      slot order, and ``8 % 8 == 0`` puts 8 in slot 0 of the 8-slot table.

Key takeaways:
    - ``str`` and ``bytes`` hashes are salted per process with SipHash
      (PEP 456; ``sys.hash_info.algorithm`` is ``siphash13`` on default
      3.11+ builds). Seeds 0 and 1 give different hashes and different orders
      for the same set; the same seed repeats exactly (``PYTHONHASHSEED=0``
      disables the salt). ``hash(12345)`` and ``hash("")`` (0) do not move.
    - ``hash(n)`` for an int is ``n`` mod ``sys.hash_info.modulus`` (2**61 - 1
      on 64-bit builds) with the sign kept, and ``-1`` becomes ``-2``
      because -1 is the C error value (``int_hash`` reimplements it). It
      does not depend on the seed, which keeps ``hash(1) == hash(1.0)``.
    - The compact dict (3.6, order a language guarantee since 3.7) is two
      arrays: a small index table of slot numbers, probed by hash, and a
      dense entries array appended in insertion order. Iteration walks the
      entries array, hence insertion order; deleting marks an entry dead and
      never shrinks the table (only a resize or a compacting copy does).
    - Java's ``String.hashCode`` is unsalted and ``HashMap`` (Java 8+) turns
      long collision chains into trees; Go salts every map with a random seed and
      randomizes iteration order on purpose.

What to look for in an answer:
    The candidate explains *why* strings are salted (hash flooding: a
    request with many colliding keys made dicts quadratic, CVE-2012-1150,
    default since 3.3), why numbers are not (numeric equality across
    int/float/Decimal/Fraction needs one deterministic hash), and draws the
    two-array layout. Follow-ups:
    - How do you make set order reproducible for a test? (Sort the output,
      or run with ``PYTHONHASHSEED=0``; never rely on it in production.)
    - Why is ``hash(-1) == hash(-2)``? (The C slot returns -1 for "error",
      so CPython maps -1 to -2.)
    - Why is the compact dict smaller than the old one? (Entries are dense;
      only the index table is sparse, and its slots are 1-8 bytes, not a
      24-byte entry.)
    - Is a set compact too? (No: a set is still one sparse hash table, so
      its order follows hash values and history, not insertion.)
    - What is hash flooding and what did PEP 456 change? (An attacker who
      can predict hashes sends many keys that collide, so each insert
      probes every earlier key and a request costs O(n**2). 3.3 salted the
      old FNV-style hash by default, but its secret could be recovered from
      outputs; PEP 456 (3.4) made ``str``/``bytes`` use SipHash-2-4, a keyed
      pseudo-random function, and 3.11 switched to the faster SipHash-1-3.
      ``PYTHONHASHSEED`` unset or ``random`` draws a key per process, an
      integer fixes it, 0 turns the salt off. ``int``, ``float`` and tuples
      of them are not salted, and ``hash("")`` is 0 whatever the seed.)
    - Why does ``d.copy()`` of a mostly-deleted dict come out smaller but a
      lightly-deleted one not? (Cloning the memory block is fastest, so
      CPython clones while at most a third of the entries are dead and
      rebuilds only past that, to avoid copying a huge, mostly empty table.)

Complexity:
    Lookup and insert O(1) on average, O(n) when every key collides; hashing
    a string is O(len) once (the hash is cached on the ``str``).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field

__all__ = [
    "Collider",
    "copy_keeps_table",
    "count_eq_calls",
    "int_hash",
    "presized_slots",
    "seeded_hashes",
    "set_order_with_seed",
]


def int_hash(n: int) -> int:
    """Reimplement ``hash(n)`` for an int: sign * (abs(n) mod 2**61 - 1), and -1 -> -2.

    >>> int_hash(12345), int_hash(2**61 - 1), int_hash(-1)
    (12345, 0, -2)
    """
    modulus = sys.hash_info.modulus
    value = abs(n) % modulus
    if n < 0:
        value = -value
    return -2 if value == -1 else value  # break[no-minus-one]


def _run_with_seed(code: str, args: list[str], seed: int) -> list[str]:
    """Run ``code`` in a fresh interpreter with ``PYTHONHASHSEED=seed``; its stdout lines."""
    env = {"PYTHONHASHSEED": str(seed)}  # break[no-seed]
    done = subprocess.run(
        # Not -I or -E: both ignore every PYTHON* variable, the seed included.
        [sys.executable, "-S", "-c", code, *args],  # break[isolated-mode]
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=20,
    )
    return done.stdout.splitlines()


def set_order_with_seed(words: list[str], seed: int) -> tuple[list[str], int]:
    """In a fresh interpreter with ``PYTHONHASHSEED=seed``: the set's order and ``hash(12345)``."""
    code = "import sys; w = sys.argv[1:]; print(' '.join(set(w))); print(hash(12345))"
    order, int_line = _run_with_seed(code, words, seed)
    return order.split(), int(int_line)


def seeded_hashes(seed: int) -> dict[str, int]:
    """``hash()`` of a str, its bytes, the empty str and an int, under ``PYTHONHASHSEED=seed``."""
    code = "print(hash('alpha'), hash(b'alpha'), hash(''), hash(12345))"
    (line,) = _run_with_seed(code, [], seed)
    text, data, empty, number = (int(part) for part in line.split())
    return {"str": text, "bytes": data, "empty": empty, "int": number}


def copy_keeps_table(live: int, entries: int) -> bool:
    """Whether ``d.copy()`` clones the table as is (same size) rather than compacting it.

    ``live`` is ``len(d)``, ``entries`` the used length of the entries array
    (live plus dead). ``PyDict_Copy`` clones while at least 2/3 are live.

    >>> copy_keeps_table(666, 1000), copy_keeps_table(665, 1000)
    (True, False)
    """
    return live >= entries * 2 // 3  # break[copy-half]


def presized_slots(n: int) -> int:
    """Index-table slots of a dict built to hold ``n`` keys in one go (``dict(d)`` after deletes).

    The smallest power of two, at least 8, that is >= (3n + 1) // 2, so that
    n keys fit the usable 2/3 of it (``estimate_log2_keysize``).

    >>> presized_slots(5), presized_slots(6), presized_slots(682), presized_slots(683)
    (8, 16, 1024, 2048)
    """
    wanted = (3 * n + 1) // 2
    slots = 8
    while slots < wanted:  # break[presize-2n]
        slots *= 2
    return slots


@dataclass(eq=False)
class Collider:
    """A key with a chosen hash that counts how often ``__eq__`` is called."""

    value: int
    fixed_hash: int
    calls: list[int] = field(default_factory=list)

    def __hash__(self) -> int:
        return self.fixed_hash

    def __eq__(self, other: object) -> bool:
        self.calls.append(1)
        return isinstance(other, Collider) and other.value == self.value


def count_eq_calls(n: int, *, same_hash: bool) -> int:
    """Insert n distinct keys into a dict and count ``__eq__`` calls.

    >>> count_eq_calls(10, same_hash=False)
    0
    """
    calls: list[int] = []
    table: dict[Collider, int] = {}
    for i in range(n):
        table[Collider(i, 0 if same_hash else i, calls)] = i
    return len(calls)
