"""A pytest plugin loaded by ``handbook practice``: what each test did with the learner's file.

It appends one JSON object per line to the file named by ``$HANDBOOK_PRACTICE_OUT``:
``collected`` (the test ids), ``collect_error``, ``start`` (a test began),
``result`` (how it ended: outcome, kind, exception type, message with its
PEP 678 notes, the learner's last line in the traceback, captured output),
``interrupted`` and ``finished``. A line is written as soon as it is known and
the file is opened afresh for each, so that a run killed while a test hangs,
or ended by the learner's ``os._exit()``, still tells which tests passed and
which one was running. The command reads this file, never pytest's output.

The learner's file is ``$HANDBOOK_SOLUTION``; ``handbook.leetcode.testing``
compiles it under that name, so its frames are found by filename. The plugin
only records: it never changes an outcome.
"""

from __future__ import annotations

import json
import os
import traceback
from pathlib import Path
from typing import Any

import pytest

from handbook.cli import _tracebacks

# Enough of a learner's debugging prints to recognise them; an endless loop that prints
# can produce hundreds of megabytes in the seconds before its timeout.
MAX_OUTPUT = 4000
MAX_MESSAGE = 8000

_failures: dict[str, dict[str, Any]] = {}
_outcomes: dict[str, str] = {}


# Read once, when pytest loads the plugin: the learner's code may change the environment.
_OUT = os.environ.get("HANDBOOK_PRACTICE_OUT") or None
_SOLUTION = (
    str(Path(os.environ["HANDBOOK_SOLUTION"])) if os.environ.get("HANDBOOK_SOLUTION") else None
)


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
    ``timeout``, ``exit``, ``assertion`` or ``error``."""
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
    if "AssertionError" in names:
        return "assertion"
    return "error"


def learner_frame(exc: BaseException, filename: str) -> tuple[int, str] | None:
    """(line number, text) of the last frame of ``filename`` in the traceback of ``exc``,
    or of the exceptions it was raised from or during, or None."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = [f for f in traceback.extract_tb(current.__traceback__) if f.filename == filename]
        if frames:
            last = frames[-1]
            return last.lineno or 0, (last.line or "").strip()
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
    failure = describe(call.excinfo.value, _SOLUTION)
    _failures[item.nodeid] = {"when": call.when, **failure}
    if failure["kind"] == "timeout":
        # The other tests would most likely loop too, each for the whole timeout.
        item.session.shouldstop = "a test did not finish in time"


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
        "stdout": report.capstdout[:MAX_OUTPUT],
        "stdout_lines": len(report.capstdout.splitlines()),
        "stderr": report.capstderr[:MAX_OUTPUT],
    }
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
