"""A pytest plugin loaded by ``handbook break`` and ``handbook verify``.

It records, for every test, how each phase ended and with which exception, and
which file the module under test was imported from, as JSON in the file named by
``$HANDBOOK_PROBE_OUT``. It only records: it never changes an outcome.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import pytest

from handbook.cli import _tracebacks

_results: dict[str, dict[str, Any]] = {}


# A practice problem's tests raise these AssertionError subclasses (handbook.leetcode.testing).
_ASSERTIONS = ("AssertionError", "Failed", "WrongAnswer")


def _kind(typename: str, message: str) -> str:
    if typename == "Failed" and "Timeout" in message:
        return "timeout"
    if typename == "ComplexityError":
        return "complexity"
    if typename in _ASSERTIONS:
        return "assertion"
    return f"exception:{typename}"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_makereport(item: Any, call: Any) -> None:
    """Note the exception of a failing phase (setup, call or teardown)."""
    _tracebacks.repair(call)  # before pytest formats it
    entry = _results.setdefault(item.nodeid, {"outcome": "passed", "kind": None, "message": ""})
    if call.excinfo is None or entry["kind"] is not None:
        return
    typename = call.excinfo.typename
    if typename == "Skipped":
        entry["outcome"] = "skipped"
        return
    message = str(call.excinfo.value).strip().splitlines()
    entry["outcome"] = "failed"
    entry["kind"] = _kind(typename, message[0] if message else "")
    entry["message"] = f"{typename}: {message[0]}" if message else typename


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    """Write what was recorded."""
    out = os.environ.get("HANDBOOK_PROBE_OUT")
    if not out:
        return
    name = os.environ.get("HANDBOOK_PROBE_MODULE", "")
    module = sys.modules.get(name) if name else None
    imported_from = getattr(module, "__file__", None)
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"tests": _results, "imported_from": imported_from}, f)
