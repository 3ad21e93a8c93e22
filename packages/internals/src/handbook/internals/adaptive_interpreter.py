"""The specializing adaptive interpreter (PEP 659): hot bytecode rewrites itself for the types seen.

Why interviewers ask this:
    "Why did Python get faster in 3.11?" The main answer is PEP 659: each
    code object's instructions count their executions and, once warm,
    rewrite themselves in place into a specialised form for the types they
    actually saw (``BINARY_OP`` on two ints becomes an int-only add; an
    attribute load learns where the attribute lives). A guard checks the
    assumption each time; when it fails often the instruction falls back
    and may specialise again. It is a quickening interpreter, not a JIT:
    no machine code is generated (3.13 adds an experimental JIT behind a
    build flag). ``dis.dis(func, adaptive=True)`` (3.11+) shows the forms.

Common pitfalls:
    - Thinking the warm-up counts *calls*. It counts executions. 3.12 and
      3.13 quicken a code object before it first runs and give each adaptive
      instruction a counter of 1 (``ADAPTIVE_WARMUP_VALUE`` in
      ``Include/internal/pycore_code.h``, ``pycore_backoff.h`` in 3.13): it
      specialises on its *second* execution. 3.11 first counts warm-up
      events on the code object, each call (``RESUME``) and each loop back
      edge (``JUMP_BACKWARD``), quickens after 8 (``QUICKENING_WARMUP_DELAY``),
      and the adaptive instruction then specialises at its next execution.
      So a plain ``a + b`` needs 2 calls on 3.12/3.13 and 8 on 3.11, while a
      loop of a few iterations specialises during its *first* call: 2
      iterations on 3.12/3.13, 8 on 3.11 (tests pin these per version).
    - Asserting a specialised *name*: they are internal and change between
      releases. Ask "did the instruction leave its generic form?".
    - Benchmarking under a tracer or coverage: on 3.11 a trace function
      (``sys.settrace``, coverage's tracer) keeps instructions from
      specialising at all; on 3.12+ ``sys.monitoring`` replaces instrumented
      instructions with ``INSTRUMENTED_*`` forms while the others still
      specialise. Either way, measured speed is not production speed.
    - Polymorphic call sites (one line fed ints, then strings, then floats)
      keep deoptimising; type-stable hot code is what benefits.

Key takeaways:
    - A cold function shows only generic instructions; after warm-up some
      instruction takes a specialised form (3.11, 3.12, 3.13).
    - The specialisation follows the types: an add warmed with ints and
      then re-warmed with strings ends up in a different specialised form.
    - State lives on the code object, shared by every function made from it
      (each closure a factory returns, for instance); a fresh code object
      (``code.replace()``) starts cold.
    - A hot loop is specialised while it runs, in its first call; on 3.12+
      ``FOR_ITER`` over a ``range`` also becomes ``FOR_ITER_RANGE``.
    - Java's HotSpot and Go differ: HotSpot profiles and JIT-compiles hot
      methods to machine code (with deoptimisation on failed guards, the same
      idea one level down); Go is compiled ahead of time.

What to look for in an answer:
    A strong candidate says "specialisation with inline caches and guards,
    per instruction, after warm-up", separates it from a JIT, knows it is
    invisible to semantics (only speed changes) and that tracing/profiling
    interferes. Follow-ups:
    - What is an inline cache? (Extra ``CACHE`` entries after an instruction
      in ``co_code`` holding the counter and the learned data, such as a type
      version or a dict key index; ``dis(show_caches=True)`` shows them.)
    - What happens when the guard fails? (The specialised instruction runs
      its generic version and counts a miss; after enough misses (53 on
      3.12+, ``ADAPTIVE_COOLDOWN_VALUE`` 52) it specialises again for the
      types it now sees, backing off exponentially if that keeps failing.)
    - Does this make threads unsafe? (No: specialisation is per code object
      under the GIL; the free-threaded build in 3.13 disables it, and 3.14
      re-enables a thread-safe subset.)
"""

from __future__ import annotations

import dis
import sys
import types
from collections.abc import Callable

__all__ = [
    "add",
    "calls_until_specialised",
    "fresh_copy",
    "instrumented",
    "loop_sum",
    "specialised",
    "tracing_active",
    "warm_up",
]


def add(a: object, b: object) -> object:
    """``a + b``: one ``BINARY_OP`` whose specialised form depends on the operand types.

    >>> add(1, 2), add("a", "b")
    (3, 'ab')
    """
    return a + b  # type: ignore[operator]


def loop_sum(n: int) -> int:
    """Sum ``range(n)`` with ``+=`` in a loop: one ``BINARY_OP`` executed ``n`` times per call.

    >>> loop_sum(10)
    45
    """
    total = 0
    for i in range(n):
        total += i
    return total


def _is_specialisation(generic: str, adaptive: str) -> bool:
    # A specialised form is named after its family: BINARY_OP -> BINARY_OP_ADD_INT.
    # Exclude 3.11's not-yet-specialised *_ADAPTIVE / *_QUICK forms and the
    # 3.11/3.12 superinstructions (LOAD_FAST__LOAD_FAST), which are not specialisations.
    return (
        adaptive != generic
        and adaptive.startswith(generic + "_")
        and "__" not in adaptive
        and not adaptive.endswith(("_ADAPTIVE", "_QUICK"))
    )


def specialised(func: Callable[..., object]) -> dict[str, str]:
    """Generic opcode name -> the specialised form it took, for ``func``'s instructions now."""
    generic = dis.get_instructions(func)
    adaptive = dis.get_instructions(func, adaptive=True)  # break[no-adaptive-flag]
    pairs = zip(generic, adaptive, strict=True)
    return {g.opname: a.opname for g, a in pairs if _is_specialisation(g.opname, a.opname)}


def instrumented(func: Callable[..., object]) -> list[str]:
    """Adaptive opcode names that ``sys.monitoring`` instrumented (3.12+; always empty on 3.11)."""
    names = [i.opname for i in dis.get_instructions(func, adaptive=True)]
    return [name for name in names if name.startswith("INSTRUMENTED_")]


def warm_up(func: Callable[..., object], *args: object, times: int = 1000) -> None:
    """Call ``func(*args)`` ``times`` times: far past any version's warm-up."""
    for _ in range(times):  # break[no-warm-up]
        func(*args)


def fresh_copy(func: Callable[..., object]) -> types.FunctionType:
    """The same function on a brand-new code object, so with cold counters."""
    if not isinstance(func, types.FunctionType):
        raise TypeError(f"need a Python function, got {func!r}")
    code = func.__code__.replace()  # break[shared-code]
    return types.FunctionType(code, func.__globals__, func.__name__)


def calls_until_specialised(func: Callable[..., object], *args: object, limit: int = 1000) -> int:
    """Calls of a fresh copy of ``func`` until its ``BINARY_OP`` specialises, or ``limit``.

    The copy matters twice: a function that already ran would report a
    warm-up that is partly or wholly over, and measuring ``func`` itself
    would warm it for whoever uses it next.
    """
    cold = fresh_copy(func)  # break[measure-in-place]
    for calls in range(1, limit + 1):
        cold(*args)
        if "BINARY_OP" in specialised(cold):
            return calls
    return limit


def tracing_active() -> bool:
    """True under a trace function or any ``sys.monitoring`` tool (coverage, debuggers)."""
    if sys.gettrace() is not None:
        return True
    monitoring = getattr(sys, "monitoring", None)
    if monitoring is None:
        return False
    return any(monitoring.get_tool(tool) is not None for tool in range(6))
