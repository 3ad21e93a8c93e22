"""A pytest plugin loaded by ``handbook practice``: what each test did with the learner's file.

It appends one JSON object per line to the file named by ``$HANDBOOK_PRACTICE_OUT``:
``collected`` (the test ids), ``collect_error``, ``start`` (a test began),
``result`` (how it ended: outcome, kind, exception type, message with its
PEP 678 notes, the learner's last line in the traceback, what it printed to
stdout and stderr and logged),
``interrupted`` and ``finished``. A line is written as soon as it is known and
the file is opened afresh for each, so that a run killed while a test hangs,
or ended by the learner's ``os._exit()``, still tells which tests passed and
which one was running. The command reads this file, never pytest's output.

The learner's file is ``$HANDBOOK_SOLUTION``; ``handbook.leetcode.testing``
compiles it under that name, so its frames are found by filename. The plugin
only records: it never changes an outcome.

Where the platform allows (Linux), the test process's address space is capped
at :data:`MEMORY_HEADROOM` more than pytest itself uses when this plugin loads:
a learner's list that grows without end then fails with a MemoryError, reported
in words, before it can take the machine's memory; so does pytest reading back
the gigabytes an endless loop printed. Measured: pytest running any problem's
tests against its reference solution peaks at about 42 MB of address space
(3.11, 3.12 and 3.13), so the cap leaves a correct solution some twenty times
what it needs. After a MemoryError the plugin drops the locals of the failed
test's frames, so that pytest has the memory to report it, and stops the run.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import pytest

from handbook.cli import _tracebacks

# Enough of a learner's debugging prints to recognise them; an endless loop that prints
# can produce hundreds of megabytes in the seconds before its timeout.
MAX_OUTPUT = 4000
MAX_MESSAGE = 8000
MEMORY_HEADROOM = 1 << 30  # bytes of address space beyond pytest's own

_failures: dict[str, dict[str, Any]] = {}
_outcomes: dict[str, str] = {}


# Read once, when pytest loads the plugin: the learner's code may change the environment.
_OUT = os.environ.get("HANDBOOK_PRACTICE_OUT") or None
_SOLUTION = (
    str(Path(os.environ["HANDBOOK_SOLUTION"])) if os.environ.get("HANDBOOK_SOLUTION") else None
)


def _address_space() -> int | None:
    """The bytes of address space this process uses now, where /proc says (Linux)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            pages = int(f.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def cap_memory(headroom: int = MEMORY_HEADROOM) -> int | None:
    """Limit this process (and what it starts) to ``headroom`` bytes of address space
    beyond what it uses now; the limit set, or None where it cannot be (not Linux),
    or where a lower one is already in place."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import resource
    except ImportError:  # pragma: no cover - Linux has it
        return None
    used = _address_space()
    if used is None:
        return None
    limit = used + headroom
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft != resource.RLIM_INFINITY and soft <= limit:
            return None
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):
        return None
    return limit


_MEMORY_LIMIT = cap_memory() if _OUT is not None else None


def _emit(record: dict[str, Any]) -> None:
    if _OUT is None:
        return
    with open(_OUT, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")


def _text(value: object) -> str:
    """``str(value)``, even of a learner's exception whose ``__str__`` raises."""
    try:
        return str(value)
    except Exception as exc:
        return f"<{type(value).__name__} whose str() raised {type(exc).__name__}>"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "\n[...]"


def kind_of(exc: BaseException) -> str:
    """What kind of failure ``exc`` is, by the names of its classes (the plugin does not
    import the problems' harness): ``unusable``, ``wrong``, ``complexity``,
    ``timeout``, ``exit``, ``memory``, ``assertion`` or ``error``."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    if "SolutionError" in names:
        return "unusable"
    if "ComplexityError" in names:
        return "complexity"
    if "WrongAnswer" in names:
        return "wrong"
    if "Failed" in names and _text(exc).startswith("Timeout"):  # pytest-timeout's message
        return "timeout"
    if "SystemExit" in names:
        return "exit"
    if "MemoryError" in names:
        return "memory"
    if "AssertionError" in names:
        return "assertion"
    return "error"


def learner_frame(exc: BaseException, filename: str) -> tuple[int, str, str] | None:
    """(line number, text, function name) of the last frame of ``filename`` in the
    traceback of ``exc``, or of the exceptions it was raised from or during, or None.
    The name is ``<module>`` for a line of the file's top level."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = [f for f in traceback.extract_tb(current.__traceback__) if f.filename == filename]
        if frames:
            last = frames[-1]
            return last.lineno or 0, (last.line or "").strip(), last.name
        # Also through `raise ... from None`: the harness hides its own frames that way,
        # and the learner's line it was raised during (an operation over budget) is the news.
        current = current.__cause__ or current.__context__
    return None


def describe(exc: BaseException, filename: str | None) -> dict[str, Any]:
    """The JSON-ready description of a test's exception."""
    notes = getattr(exc, "__notes__", None)
    frame = learner_frame(exc, filename) if filename else None
    return {
        "kind": kind_of(exc),
        "type": type(exc).__name__,
        "message": _cut(_text(exc), MAX_MESSAGE),
        "notes": [_cut(_text(n), MAX_MESSAGE) for n in notes] if isinstance(notes, list) else [],
        "line": frame[0] if frame else None,
        "code": frame[1] if frame else None,
        "function": frame[2] if frame else None,
    }


def pytest_collectreport(report: Any) -> None:
    """A test file that cannot be collected is the handbook's problem, not the learner's."""
    if report.failed:
        _emit(
            {
                "event": "collect_error",
                "where": report.nodeid,
                "message": _cut(str(report.longrepr), MAX_MESSAGE),
            }
        )


def pytest_collection_finish(session: Any) -> None:
    """The tests that will run, in order."""
    _emit({"event": "collected", "tests": [item.nodeid for item in session.items]})


def pytest_runtest_logstart(nodeid: str, location: Any) -> None:
    """A test begins: if the run dies now, this is the test that was running."""
    _emit({"event": "start", "test": nodeid})


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_makereport(item: Any, call: Any) -> None:
    """Keep the first exception of a test's phases (setup, call, teardown)."""
    _tracebacks.repair(call)  # before pytest formats it
    if call.excinfo is None or item.nodeid in _failures:
        return
    if call.excinfo.typename == "Skipped":
        return
    exc = call.excinfo.value
    failure = describe(exc, _SOLUTION)
    if failure["kind"] == "memory":
        # What filled the memory is held by the frames of the traceback: let it go, or
        # pytest has too little left to report the failure (it then took so long that
        # the timeout went off inside pytest).
        _clear_frames(exc)
        timeout = _chained(exc, "timeout")
        if timeout is not None:
            # pytest ran out of memory reading back what an endless loop printed: the
            # loop is the news.
            failure = describe(timeout, _SOLUTION)
            failure["notes"].append("it printed more than the tests could keep in memory")
    _failures[item.nodeid] = {"when": call.when, **failure}
    if failure["kind"] == "timeout":
        # The other tests would most likely loop too, each for the whole timeout.
        item.session.shouldstop = "a test did not finish in time"
    elif failure["kind"] == "memory":
        item.session.shouldstop = "a test ran out of memory"  # the others would too


def _chained(exc: BaseException, kind: str) -> BaseException | None:
    """The exception of ``kind`` that ``exc`` was raised from or while handling."""
    seen = {id(exc)}
    current = exc.__cause__ or exc.__context__
    while current is not None and id(current) not in seen:
        if kind_of(current) == kind:
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _clear_frames(exc: BaseException) -> None:
    """Drop the local variables of the (finished) frames in the tracebacks of ``exc``
    and of the exceptions chained to it."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__


def pytest_runtest_logreport(report: Any) -> None:
    """After a test's teardown: write how it ended."""
    outcome = _outcomes.get(report.nodeid, "passed")
    if report.failed:
        outcome = "failed"
    elif report.skipped and outcome == "passed":
        outcome = "skipped"
    _outcomes[report.nodeid] = outcome
    if report.when != "teardown":
        return
    record: dict[str, Any] = {
        "event": "result",
        "test": report.nodeid,
        "outcome": outcome,
        "memory_cap": MEMORY_HEADROOM if _MEMORY_LIMIT is not None else None,
    }
    # What the learner's code printed, and what it logged (pytest's logging plugin
    # takes the records that would have gone to stderr).
    for key, text in (
        ("stdout", report.capstdout),
        ("stderr", report.capstderr),
        ("log", report.caplog),
    ):
        record[key] = text[:MAX_OUTPUT]
        record[f"{key}_lines"] = len(text.splitlines())
    if outcome == "failed":
        record.update(
            _failures.get(report.nodeid)
            or {"kind": "error", "type": "", "message": "failed", "notes": [], "line": None}
        )
    _emit(record)


def pytest_keyboard_interrupt(excinfo: Any) -> None:
    """A KeyboardInterrupt ends pytest's whole session, wherever it came from (not the
    stop this plugin asks for after a timeout, which pytest reports through this hook)."""
    if excinfo.typename == "KeyboardInterrupt":
        _emit({"event": "interrupted", "message": _cut(_text(excinfo.value), MAX_MESSAGE)})


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    """The run ended by itself."""
    _emit({"event": "finished", "exitstatus": int(exitstatus)})
