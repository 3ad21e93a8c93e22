"""Bytecode with ``dis``: ``x += 1`` is load, op, store; constants are folded at compile time.

Why interviewers ask this:
    "Is ``x += 1`` atomic?" and "why is a local faster than a global?" are
    both answered by reading bytecode. A candidate who can run ``dis`` sees
    that an augmented assignment is a load, an operation and a store, that
    locals are indexed slots (``LOAD_FAST``) while globals are dict lookups
    (``LOAD_GLOBAL``), and that ``2 * 3600`` costs nothing at run time
    because the compiler stored ``7200`` in ``co_consts``.

Common pitfalls:
    - Memorising opcode names: they change between versions. 3.11 merged
      ``BINARY_ADD``/``INPLACE_ADD`` and friends into one ``BINARY_OP`` with
      an argument; 3.12 added ``RETURN_CONST``; 3.13 fuses two local loads
      into ``LOAD_FAST_LOAD_FAST``; 3.14 adds more (``LOAD_SMALL_INT``,
      borrowed ``LOAD_FAST_BORROW``). Reason in families: load, op, store.
    - Believing the compiler folds everything, or that it checks the size of
      the result. On 3.11-3.13 ``Python/ast_opt.c`` guards only ``*``, ``**``
      and ``<<``, and judges the *operands* (``MAX_INT_SIZE`` = 128 bits,
      ``MAX_STR_SIZE`` = 4096, ``MAX_COLLECTION_SIZE`` = 256): ``a * b`` on
      ints folds when ``a.bit_length() + b.bit_length() <= 128``; ``a ** n``
      when ``a.bit_length() <= 128 // n``, so ``2 ** 64`` folds and
      ``2 ** 65`` (a 66-bit result) does not; ``a << n`` when ``n <= 128``
      and ``a.bit_length() <= 128 - n``; a str/bytes (tuple) repeated ``n``
      times when ``0 <= n <= 4096 // len`` (``256 // len``). ``+``, ``-``
      and ``//`` are folded whatever the size. ``folding_allowed`` states the
      rule; the tests compare it with the compiler on every version.
    - Hand-"optimising" ``SECONDS = 60 * 60`` into ``3600``: already done.

Key takeaways:
    - ``x += 1`` on a local compiles to a load of ``x``, a load of the
      constant, one binary operation and a store; on an attribute it is a
      ``LOAD_ATTR`` ... ``STORE_ATTR`` pair with the operation between.
    - Constant expressions (``2 * 3600``, ``"ab" * 10``) are folded: the
      result is in ``co_consts`` and no operation runs. Products, powers and
      shifts past the operand limits (``2 ** 65``, ``"a" * 5000``) stay run-time
      ``BINARY_OP`` instructions.
    - ``x in [1, 2, 3]`` stores the list as a constant *tuple*; ``if 0:``
      bodies emit no instructions (their names still appear in ``co_names``).
    - Locals are ``LOAD_FAST`` (an array slot), globals ``LOAD_GLOBAL``.
    - Java: ``javap -c`` shows the same stack machine (``iload``, ``iadd``,
      ``istore``; ``iinc`` for a local ``+= 1``); ``javac`` folds compile-time
      constants too. Go compiles to machine code: ``go build -gcflags=-S``.

What to look for in an answer:
    A strong candidate runs ``dis`` instead of guessing, talks about the
    value stack, knows that opcodes are a CPython implementation detail that
    changes every release, and connects "several instructions" to thread
    safety. Follow-ups:
    - Where does the docstring live? (Still in ``co_consts`` on 3.11-3.13, as
      its first constant.)
    - Why is ``LOAD_GLOBAL`` slower than ``LOAD_FAST``? (A dict lookup in the
      module then builtins, sped up by an inline cache since 3.11; a local
      is an index into the frame.)
    - What is the peephole optimiser? (A pass over the compiled code that
      removes dead jumps and NOPs and rewrites patterns; since 3.12 it lives
      in ``Python/flowgraph.c``; constant folding is done on the AST in
      ``Python/ast_opt.c``.)
    - Is bytecode portable? (No: ``.pyc`` files carry a magic number per
      version and are regenerated.)
"""

from __future__ import annotations

import dis
from collections.abc import Callable

# The limits in Python/ast_opt.c (3.11-3.13): MAX_INT_SIZE, MAX_STR_SIZE, MAX_COLLECTION_SIZE.
MAX_INT_BITS = 128
MAX_STR_LEN = 4096
MAX_COLLECTION_LEN = 256

__all__ = [
    "attribute_increment",
    "contains_literal",
    "dead_branch",
    "families",
    "family",
    "folded_seconds",
    "folding_allowed",
    "is_folded",
    "local_increment",
    "opnames",
    "unfolded_big_string",
    "unfolded_small_power",
]


def family(opname: str) -> str:
    """Map an opcode name to a version-tolerant family.

    >>> family("LOAD_FAST_LOAD_FAST"), family("BINARY_OP"), family("INPLACE_ADD")
    ('load', 'op', 'op')
    """
    if opname.startswith(("LOAD_FAST", "LOAD_NAME", "LOAD_GLOBAL", "LOAD_DEREF")):
        return "load"
    if opname.startswith(("LOAD_CONST", "LOAD_SMALL_INT")):
        return "const"
    if opname.startswith(("BINARY_OP", "BINARY_ADD", "INPLACE_")):
        return "op"
    if opname.startswith(("STORE_FAST", "STORE_NAME", "STORE_GLOBAL", "STORE_DEREF")):
        return "store"
    if opname.startswith("LOAD_ATTR"):
        return "load_attr"
    if opname.startswith("STORE_ATTR"):
        return "store_attr"
    return "other"


def opnames(func: Callable[..., object]) -> list[str]:
    """The opcode names of ``func``'s code, in order (no ``RESUME``/``NOP`` bookkeeping)."""
    return [i.opname for i in dis.get_instructions(func) if i.opname not in ("RESUME", "NOP")]


def families(func: Callable[..., object]) -> list[str]:
    """The families of ``func``'s instructions, dropping the ones that are neither."""
    return [f for f in map(family, opnames(func)) if f != "other"]


def local_increment(x: int) -> int:
    """``x += 1`` on a local, then return it.

    >>> local_increment(41)
    42
    """
    x += 1  # break[plain-assignment]
    return x


class _Counter:
    value = 0


def attribute_increment(counter: _Counter) -> None:
    """``counter.value += 1``: the attribute form of the same read-modify-write."""
    counter.value += 1


def folded_seconds() -> int:
    """Seconds in two hours, written as arithmetic the compiler folds to one constant.

    >>> folded_seconds()
    7200
    """
    return 2 * 3600  # break[runtime-arithmetic]


def unfolded_big_string() -> str:
    """A product too large to fold: the compiler leaves the multiplication to run time."""
    return "a" * 5000


def unfolded_small_power() -> int:
    """``2 ** 65``: a 66-bit result, far below 128 bits, yet computed at run time.

    >>> unfolded_small_power().bit_length()
    66
    """
    return 2**65  # break[power-at-the-limit]


def is_folded(expression: str) -> bool:
    """True when the compiler reduced ``expression`` to a constant (no binary operation left).

    >>> is_folded("2 * 3600"), is_folded("2 ** 64"), is_folded("2 ** 65")
    (True, True, False)

    Raises ``SyntaxError`` if ``expression`` is not a Python expression.
    """
    code = compile(expression, "<expression>", "eval")
    return not any(family(i.opname) == "op" for i in dis.get_instructions(code))


def folding_allowed(left: object, op: str, right: object) -> bool:
    """Whether 3.11-3.13 fold ``left op right`` for constants, as ``Python/ast_opt.c`` decides.

    Only ``*``, ``**`` and ``<<`` are guarded (``safe_multiply``, ``safe_power``,
    ``safe_lshift``); the guard looks at the operands, never at the result.
    A zero operand is always allowed. An expression that raises when
    evaluated (``0 ** -1``, ``1 / 0``) is never folded, whatever this says:
    the error is left for run time.

    >>> folding_allowed(2, "**", 64), folding_allowed(2, "**", 65)
    (True, False)
    >>> folding_allowed(2**64, "*", 2**63)  # the product has only 128 bits
    False
    >>> folding_allowed("ab", "*", 2048), folding_allowed("ab", "*", 2049)
    (True, False)

    Raises ``ValueError`` for another operator and ``TypeError`` for operand
    types the guard does not cover (floats, nested tuples).
    """
    if op not in ("*", "**", "<<"):
        raise ValueError(f"only *, ** and << are guarded, got {op!r}")
    if op == "*" and not isinstance(left, int):
        left, right = right, left  # the C code swaps a sequence to the right
    if not isinstance(left, int) or isinstance(left, bool):
        raise TypeError(f"unsupported left operand {left!r}")
    if isinstance(right, int) and not isinstance(right, bool):
        if left == 0 or right == 0:
            return True
        if op == "*":
            return left.bit_length() + right.bit_length() <= MAX_INT_BITS  # break[result-size]
        if op == "**":
            return right < 0 or left.bit_length() <= MAX_INT_BITS // right
        return 0 < right <= MAX_INT_BITS and left.bit_length() <= MAX_INT_BITS - right
    if op == "*" and isinstance(right, str | bytes):
        return not right or 0 <= left <= MAX_STR_LEN // len(right)
    if op == "*" and isinstance(right, tuple) and not any(isinstance(x, tuple) for x in right):
        return not right or 0 <= left <= MAX_COLLECTION_LEN // len(right)
    raise TypeError(f"unsupported operands {left!r} {op} {right!r}")


def contains_literal(x: int) -> bool:
    """Membership in a literal list: stored as a constant tuple.

    >>> contains_literal(2), contains_literal(9)
    (True, False)
    """
    return x in [1, 2, 3]


def dead_branch(x: int) -> int:
    """An ``if 0:`` body is dropped by the compiler: no instruction loads ``undefined_name``."""
    if 0:  # break[live-branch]
        return undefined_name()  # type: ignore[name-defined,unreachable]  # noqa: F821
    return x
