"""What the problems' tests share: the solution under test, answers checked with the case
shown, and time and space budgets checked by counting, never by timing.

The solution under test is the reference, ``handbook.leetcode.<slug>``, unless
``$HANDBOOK_SOLUTION`` names a file: a learner's attempt (``handbook practice``)
or a known-wrong solution (``handbook verify``). The file is untrusted: it is
compiled and run here, inside the test that first calls it, so that a syntax
error, an exception at import, a missing function or an endless loop (the
per-test timeout) fails that test with a message naming the learner's line.

Counting: :func:`count_operations` adds up two things, both deterministic for a
given interpreter and input:

- every bytecode instruction executed in the solution's own file (``sys.monitoring``
  on 3.12+, ``sys.settrace`` with ``f_trace_opcodes`` on 3.11): loops written in Python;
- every operation made on the counted values the tests pass in
  (:class:`CountedInt`, :class:`CountedStr`): comparisons, hashing and
  arithmetic on each element, and the characters a string method or slice
  touches. This is the work done inside builtins: ``x in nums`` costs one
  instruction but ``len(nums)`` comparisons.

The package README states what this cannot see. This module is not a lesson
(``handbook list`` skips ``testing`` modules).
"""

from __future__ import annotations

import difflib
import importlib
import io
import itertools
import linecache
import os
import reprlib
import sys
import tokenize
import traceback
import tracemalloc
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, SupportsIndex, overload

__all__ = [
    "SOLUTION_ENV",
    "ComplexityError",
    "CountedInt",
    "CountedStr",
    "Solution",
    "SolutionError",
    "WrongAnswer",
    "assert_constant_space",
    "assert_time_budget",
    "check",
    "count_operations",
    "counted_ints",
    "short",
]

SOLUTION_ENV = "HANDBOOK_SOLUTION"
"""The environment variable naming the file whose functions the tests check."""


class SolutionError(Exception):
    """The solution file cannot be used: it does not compile, fails while it is
    loaded, or does not define the function the problem asks for."""


class WrongAnswer(AssertionError):
    """The solution returned a wrong value; the message shows the case."""


class ComplexityError(AssertionError):
    """The solution's operation count (or memory) grew faster than the budget allows."""


class _OverBudget(BaseException):
    """Raised inside the solution to stop counting. A BaseException, so that the
    learner's ``except Exception`` cannot swallow it."""


# -- the solution under test ------------------------------------------------------------

_loaded: dict[str, types.ModuleType | str] = {}


@dataclass(frozen=True)
class Solution:
    """The function ``name`` of problem ``slug`` under test, loaded on first use.

    >>> Solution("two_sum", "two_sum")([3, 2, 4], 6)
    [1, 2]
    """

    slug: str
    name: str

    def module(self) -> types.ModuleType:
        """The module under test: the file ``$HANDBOOK_SOLUTION`` or the reference.

        Raises SolutionError when the file cannot be loaded.
        """
        path = os.environ.get(SOLUTION_ENV)
        if not path:
            return importlib.import_module(f"handbook.leetcode.{self.slug}")
        cached = _loaded.get(path)
        if isinstance(cached, str):
            raise SolutionError(cached)
        if cached is None:
            try:
                cached = _load_file(Path(path), self.slug)
            except SolutionError as exc:
                _loaded[path] = str(exc)
                raise
            except BaseException:  # a timeout or Ctrl-C while the file's top level ran
                _loaded[path] = f"{Path(path).name} did not finish loading (see the first failure)"
                raise
            _loaded[path] = cached
        return cached

    def function(self) -> Callable[..., Any]:
        """The function itself. Raises SolutionError when the module lacks it."""
        module = self.module()
        found = getattr(module, self.name, None)
        if callable(found):
            return found  # type: ignore[no-any-return]
        where = Path(module.__file__ or "?").name
        if found is not None:
            raise SolutionError(
                f"{self.name} in {where} is a {type(found).__name__}, not a function"
            )
        raise SolutionError(f"{where} defines no function {self.name}(){_near(module, self.name)}")

    @property
    def filename(self) -> str:
        """The file whose bytecode :func:`count_operations` counts."""
        return self.module().__file__ or ""

    def __call__(self, *args: Any) -> Any:
        return self.function()(*args)


def _load_file(path: Path, slug: str) -> types.ModuleType:
    """Compile and run the file at ``path`` as a module, as ``python path`` would read it:
    from its bytes, so that a UTF-8 BOM and a PEP 263 coding line are honoured."""
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SolutionError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SolutionError(f"{path} is a folder, not a Python file") from None
    except OSError as exc:
        raise SolutionError(f"{path} cannot be read: {exc.strerror or exc}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SolutionError(f"{name} is saved as UTF-16, not UTF-8: save it as UTF-8 text")
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        raise SolutionError(
            f"{name}, line {line}: the file contains a null byte (\\x00), which Python "
            "source cannot: save it as UTF-8 text"
        )
    try:
        code = compile(data, str(path), "exec", dont_inherit=True)
    except SyntaxError as exc:
        where = f", line {exc.lineno}" if exc.lineno else ""
        text = f"\n    {exc.text.strip()}" if exc.text and exc.text.strip() else ""
        # Not for 'unicodeescape' ("C:\Users" in a string): the file is UTF-8 there.
        advice = "; save the file as UTF-8" if "'utf-8' codec can't" in str(exc.msg) else ""
        raise SolutionError(
            f"{name}{where}: {type(exc).__name__}: {exc.msg}{advice}{text}"
        ) from None
    except ValueError as exc:  # a null byte, before 3.11.4 and 3.12
        raise SolutionError(f"{name} cannot be compiled: {exc}") from None
    # The lines that were compiled, for every traceback of this file from now on: a file
    # saved again while the tests run must not show its new lines as the ones that ran.
    # An mtime of None is never invalidated by linecache.checkcache().
    source = _decoded(data, name)
    linecache.cache[str(path)] = (len(source), None, source.splitlines(True), str(path))
    module = types.ModuleType(f"handbook_practice_{slug}")
    module.__file__ = str(path)
    # Registered, so that dataclasses and typing in the learner's file can find it.
    sys.modules[module.__name__] = module
    try:
        exec(code, module.__dict__)
    except Exception as exc:
        said = _text(exc)
        raise SolutionError(
            f"{name} raised {type(exc).__name__}{': ' + said if said else ''} while it was loaded"
            + learner_line(exc, str(path))
        ) from None
    except SystemExit:
        raise SolutionError(f"{name} called exit() while it was loaded") from None
    return module


def _decoded(data: bytes, name: str) -> str:
    """The text of source that compiled, with universal newlines. compile() skips the
    bytes of a comment that are not in the file's encoding; ``python`` refuses them,
    and so does this."""
    try:
        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError:  # its first lines are not UTF-8: decoding says where
        encoding = "utf-8"
    if encoding == "utf-8-sig":  # a BOM: offsets in errors then count from after it
        data, encoding = data.removeprefix(b"\xef\xbb\xbf"), "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SolutionError(
            f"{name}, line {line}: not {encoding.upper()} text ({exc.reason}): "
            "save the file as UTF-8"
        ) from None
    except LookupError as exc:  # compile() refuses an unknown encoding first
        raise SolutionError(f"{name}: {exc}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _text(exc: BaseException) -> str:
    """``str(exc)``, even of an exception whose ``__str__`` raises."""
    try:
        return str(exc)
    except Exception:
        return f"<{type(exc).__name__} whose str() raised>"


def learner_line(exc: BaseException, filename: str) -> str:
    """``\\n    at two_sum.py, line 7: return nums[i]``: the last line of ``filename``
    in the exception's traceback, or ``''`` when it has none."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    if not frames:
        return ""
    last = frames[-1]
    return f"\n    at {Path(filename).name}, line {last.lineno}: {(last.line or '').strip()}"


def _near(module: types.ModuleType, name: str) -> str:
    """A hint naming what the module defines instead: ``twoSum``, a LeetCode class."""
    functions = [
        n
        for n, v in vars(module).items()
        if callable(v)
        and not n.startswith("_")
        and getattr(v, "__module__", None) == module.__name__
    ]
    squashed = {n.replace("_", "").casefold(): n for n in functions}
    if name.replace("_", "").casefold() in squashed:
        return f"; it defines {squashed[name.replace('_', '').casefold()]}(): name it {name}()"
    if "Solution" in functions:
        return f"; write a module-level function {name}(), not LeetCode's class Solution"
    close = difflib.get_close_matches(name, functions, n=1)
    if close:
        return f"; did you mean to name {close[0]}() {name}()?"
    return f" (it defines: {', '.join(functions)})" if functions else ""


# -- checking answers ---------------------------------------------------------------------

_short = reprlib.Repr()
_short.maxlist = _short.maxtuple = _short.maxset = _short.maxdict = 12
_short.maxstring = 70
_short.maxother = 120
_short.maxlevel = 4


def short(value: object) -> str:
    """``repr(value)``, shortened for a failure message.

    >>> short(list(range(100)))
    '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ...]'
    """
    return _short.repr(value)


def check(
    solve: Solution,
    *args: Any,
    expected: Any,
    key: Callable[[Any], Any] | None = None,
    note: str = "",
) -> None:
    """Call ``solve(*args)`` and raise WrongAnswer unless it returns ``expected``.

    With ``key``, ``key(actual) == key(expected)`` decides (``key=sorted`` for an
    answer in any order); ``note`` says so in the message (``"in any order"``).
    The input is shown as it was before the call, even if the solution changes it.
    An exception from the solution gets a note naming the call.

    >>> check(Solution("two_sum", "two_sum"), [3, 2, 4], 6, expected=[2, 1], key=sorted)
    """
    call = f"{solve.name}({', '.join(short(a) for a in args)})"
    try:
        actual = solve(*args)
    except BaseException as exc:
        exc.add_note(f"while running {call}")
        if isinstance(exc, RecursionError):
            exc.add_note(
                f"the recursion went deeper than this interpreter allows "
                f"(sys.getrecursionlimit() is {sys.getrecursionlimit()}): keep your own stack "
                "in a loop instead"
            )
        raise
    try:
        same = key(actual) == key(expected) if key is not None else actual == expected
    except Exception:  # key cannot digest it: a None, a number where a list belongs
        same = False
    if not same:
        why = f" ({note})" if note else ""
        hint = ""
        if actual is None and expected is not None:
            hint = "  (None: does every path of the function return a value?)"
        raise WrongAnswer(
            f"{call}\n  expected: {short(expected)}{why}\n  got:      {short(actual)}{hint}"
        )


# -- counting -------------------------------------------------------------------------------


class _Tally:
    __slots__ = ("active", "count", "limit")

    def __init__(self) -> None:
        self.active = False
        self.count = 0
        self.limit: int | None = None


_TALLY = _Tally()


def _tick(amount: int = 1) -> None:
    tally = _TALLY
    if tally.active:
        tally.count += amount
        if tally.limit is not None and tally.count > tally.limit:
            tally.active = False
            raise _OverBudget


class CountedInt(int):
    """An int that counts each comparison, hash and arithmetic operation made with it,
    while :func:`count_operations` runs. Results of arithmetic are plain ints.

    >>> count_operations(Solution("two_sum", "two_sum"), counted_ints([1, 2]), 3) > 0
    True
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        _tick()
        return int.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        _tick()
        return int.__ne__(self, other)

    def __hash__(self) -> int:
        _tick()
        return int.__hash__(self)

    def __lt__(self, other: int) -> bool:
        _tick()
        return int.__lt__(self, other)

    def __le__(self, other: int) -> bool:
        _tick()
        return int.__le__(self, other)

    def __gt__(self, other: int) -> bool:
        _tick()
        return int.__gt__(self, other)

    def __ge__(self, other: int) -> bool:
        _tick()
        return int.__ge__(self, other)

    def __add__(self, other: int) -> int:
        _tick()
        return int.__add__(self, other)

    def __radd__(self, other: int) -> int:
        _tick()
        return int.__radd__(self, other)

    def __sub__(self, other: int) -> int:
        _tick()
        return int.__sub__(self, other)

    def __rsub__(self, other: int) -> int:
        _tick()
        return int.__rsub__(self, other)

    def __mul__(self, other: int) -> int:
        _tick()
        return int.__mul__(self, other)

    def __rmul__(self, other: int) -> int:
        _tick()
        return int.__rmul__(self, other)

    def __truediv__(self, other: int) -> float:
        _tick()
        return int.__truediv__(self, other)

    def __rtruediv__(self, other: int) -> float:
        _tick()
        return int.__rtruediv__(self, other)

    def __floordiv__(self, other: int) -> int:
        _tick()
        return int.__floordiv__(self, other)

    def __mod__(self, other: int) -> int:
        _tick()
        return int.__mod__(self, other)

    def __neg__(self) -> int:
        _tick()
        return int.__neg__(self)

    def __index__(self) -> int:
        _tick()
        return int(self)


def counted_ints(values: Sequence[int]) -> list[int]:
    """The values as a list of :class:`CountedInt`."""
    return [CountedInt(v) for v in values]


class CountedStr(str):
    """A str that counts, while :func:`count_operations` runs, the characters its
    methods touch: a slice costs its length, ``in`` and ``find`` the string's
    length, iteration one per character (and yields CountedStr characters), a
    comparison or hash one. Its hash is str's, so it mixes with plain strings
    in sets and dicts.
    """

    __slots__ = ()

    @overload
    def __getitem__(self, key: SupportsIndex) -> str: ...
    @overload
    def __getitem__(self, key: slice) -> str: ...
    def __getitem__(self, key: SupportsIndex | slice) -> str:
        part = str.__getitem__(self, key)
        _tick(max(1, len(part)))
        return CountedStr(part)

    def __iter__(self) -> Iterator[str]:
        for char in str.__iter__(self):
            _tick()
            yield CountedStr(char)

    def __contains__(self, key: object) -> bool:
        _tick(max(1, len(self)))
        return str.__contains__(self, key)  # type: ignore[operator]

    def count(self, *args: Any) -> int:
        _tick(max(1, len(self)))
        return str.count(self, *args)

    def find(self, *args: Any) -> int:
        _tick(max(1, len(self)))
        return str.find(self, *args)

    def index(self, *args: Any) -> int:
        _tick(max(1, len(self)))
        return str.index(self, *args)

    def startswith(self, *args: Any) -> bool:
        _tick(max(1, len(args[0]) if args and isinstance(args[0], str) else 1))
        return str.startswith(self, *args)

    def __eq__(self, other: object) -> bool:
        _tick()
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        _tick()
        return str.__ne__(self, other)

    def __hash__(self) -> int:
        _tick()
        return str.__hash__(self)

    def __lt__(self, other: str) -> bool:
        _tick()
        return str.__lt__(self, other)

    def __gt__(self, other: str) -> bool:
        _tick()
        return str.__gt__(self, other)

    def __le__(self, other: str) -> bool:
        _tick()
        return str.__le__(self, other)

    def __ge__(self, other: str) -> bool:
        _tick()
        return str.__ge__(self, other)

    def __add__(self, other: str) -> str:
        _tick(max(1, len(self) + len(other)))
        return CountedStr(str.__add__(self, other))

    def __radd__(self, other: str) -> str:
        _tick(max(1, len(self) + len(other)))
        return CountedStr(str.__add__(other, self))


def _scanning(name: str) -> Callable[..., Any]:
    """A str method that costs the string's length and keeps results counted."""
    method = getattr(str, name)

    def counted(self: str, *args: Any, **kwargs: Any) -> Any:
        _tick(max(1, len(self)))
        result = method(self, *args, **kwargs)
        if isinstance(result, str):
            return CountedStr(result)
        if isinstance(result, list):
            return [CountedStr(r) if isinstance(r, str) else r for r in result]
        return result

    counted.__name__ = counted.__qualname__ = name
    counted.__doc__ = method.__doc__
    return counted


# Each of these reads the whole string. (``sep.join(parts)`` is called on the separator,
# which is rarely the counted string: it is not counted.)
for _name in ("rfind", "rindex", "endswith", "replace", "split", "strip", "lower", "upper"):
    setattr(CountedStr, _name, _scanning(_name))


def count_operations(solve: Solution, *args: Any, limit: int | None = None) -> int:
    """How many operations ``solve(*args)`` makes: bytecode instructions executed in
    the solution's file plus operations on counted values.

    With ``limit``, counting stops with :class:`ComplexityError`'s private
    signal once the count passes it; :func:`assert_time_budget` uses this to
    stop a quadratic solution early.
    """
    function = solve.function()  # loaded before counting starts
    filename = solve.filename
    _TALLY.count, _TALLY.limit, _TALLY.active = 0, limit, True
    try:
        if sys.version_info >= (3, 12):
            _run_monitored(function, args, filename)
        else:
            _run_traced(function, args, filename)
    finally:
        _TALLY.active = False
    return _TALLY.count


def _run_traced(function: Callable[..., Any], args: tuple[Any, ...], filename: str) -> None:
    """3.11: ``sys.settrace`` with per-instruction events in the solution's frames."""

    def local(frame: types.FrameType, event: str, arg: object) -> Any:
        if event == "opcode":
            _tick()
        return local

    def tracer(frame: types.FrameType, event: str, arg: object) -> Any:
        if frame.f_code.co_filename == filename:
            frame.f_trace_opcodes = True
            return local
        return None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        function(*args)
    finally:
        sys.settrace(previous)


def _run_monitored(function: Callable[..., Any], args: tuple[Any, ...], filename: str) -> None:
    """3.12+: ``sys.monitoring`` INSTRUCTION events. ``settrace`` is not used there: on
    3.12 and 3.13 a code object's first traced call reports no opcode events when
    ``f_trace_opcodes`` is set in its call event (measured: 0, then 30, 30 for the
    same call), which would make the first count differ from the next."""
    monitoring = sys.monitoring  # type: ignore[attr-defined,unused-ignore]
    # Never DEBUGGER_ID (0): pytest-timeout takes a tool there for an attached debugger
    # and stops timing the test, so an endless loop would hang the run for good.
    ids = (monitoring.PROFILER_ID, monitoring.OPTIMIZER_ID, 3, 4, monitoring.COVERAGE_ID)
    tool = next((t for t in ids if monitoring.get_tool(t) is None), None)
    if tool is None:
        raise RuntimeError("every sys.monitoring tool id is in use: cannot count instructions")
    instruction = monitoring.events.INSTRUCTION
    disable = monitoring.DISABLE

    def on_instruction(code: types.CodeType, offset: int) -> Any:
        if code.co_filename != filename:
            return disable  # other code: no more events from this instruction
        _tick()
        return None

    monitoring.use_tool_id(tool, "handbook.leetcode.testing")
    try:
        monitoring.register_callback(tool, instruction, on_instruction)
        monitoring.set_events(tool, instruction)
        function(*args)
    finally:
        monitoring.set_events(tool, 0)
        monitoring.register_callback(tool, instruction, None)
        monitoring.free_tool_id(tool)
        monitoring.restart_events()  # what DISABLE turned off, for the next count


# Sizes grow by this factor between runs; a budget of O(n^e) allows the count to grow by
# FACTOR ** (e + 0.5) per step: halfway, on a log scale, to the next power. A log factor
# (n log n against O(n)) stays inside; one more power of n does not.
FACTOR = 4
# Operations the smallest size may take. A correct counting sort over kth_largest's
# 20,001 possible values makes 130,120 per call, about 2.1 million for its batch of 16:
# the most a correct solution here was seen to need. Past this, an endless loop.
FIRST_SIZE_CAP = 10_000_000
BUDGETS = {"O(log n)": 0, "O(n)": 1, "O(n log n)": 1, "O(n^2)": 2}


def assert_time_budget(
    solve: Solution,
    make_args: Callable[[int], tuple[Any, ...]],
    budget: str,
    sizes: Sequence[int] = (64, 256, 1024),
) -> list[int]:
    """Count ``solve(*make_args(n))`` at each size; raise ComplexityError when the count
    grows by more than the budget allows between two sizes. Returns the counts.

    Sizes must grow by :data:`FACTOR`. A run stops as soon as its count passes
    the allowance, so a quadratic solution costs about as much as the budget.
    """
    if budget not in BUDGETS:
        raise ValueError(f"budget must be one of {', '.join(BUDGETS)}, got {budget!r}")
    if len(sizes) < 2 or any(b != a * FACTOR for a, b in itertools.pairwise(sizes)):
        raise ValueError(f"sizes must grow by {FACTOR} at each step, got {list(sizes)}")
    allowed = FACTOR ** (BUDGETS[budget] + 0.5)
    counts: list[int] = []
    for size in sizes:
        args = make_args(size)
        # The first size has a cap too: an endless loop stops here, not at the timeout.
        limit = int(max(counts[-1], 1) * allowed) if counts else FIRST_SIZE_CAP
        try:
            counts.append(count_operations(solve, *args, limit=limit))
        except _OverBudget:
            if not counts:
                raise ComplexityError(
                    f"{solve.name}: more than {limit:,} operations at the smallest size, "
                    f"n={size} (counting stopped there): an endless loop, or far more work "
                    f"than {budget} needs."
                ) from None
            table = ", ".join(f"n={n}: {c:,}" for n, c in zip(sizes, counts, strict=False))
            raise ComplexityError(
                f"{solve.name}: operations grew faster than {budget}: {table}, "
                f"then n={size}: more than {limit:,} (counting stopped there). "
                f"{budget} allows at most x{allowed:g} per x{FACTOR} in size."
            ) from None
    return counts


def assert_constant_space(
    solve: Solution,
    make_args: Callable[[int], tuple[Any, ...]],
    sizes: Sequence[int] = (64, 4096),
    slack: int = 2048,
) -> list[int]:
    """Measure the peak memory ``solve(*make_args(n))`` allocates (tracemalloc) at each
    size; raise ComplexityError when the peak at the largest size exceeds the peak at
    the smallest by more than ``slack`` bytes. Returns the peaks.

    Memory that the input holds is allocated before measuring and not counted.
    """
    peaks: list[int] = []
    function = solve.function()
    was_tracing = tracemalloc.is_tracing()
    for size in sizes:
        args = make_args(size)
        if not was_tracing:
            tracemalloc.start()
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        try:
            function(*args)
            peaks.append(tracemalloc.get_traced_memory()[1] - before)
        finally:
            if not was_tracing:
                tracemalloc.stop()
    if peaks[-1] - peaks[0] > slack:
        table = ", ".join(f"n={n}: {p:,} bytes" for n, p in zip(sizes, peaks, strict=False))
        raise ComplexityError(
            f"{solve.name}: extra memory grew with the input ({table}); O(1) extra space "
            f"allows at most {slack:,} bytes of growth"
        )
    return peaks
