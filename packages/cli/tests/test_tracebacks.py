"""An endless loop ends as a timeout, not as pytest's INTERNALERROR, on every version."""

from __future__ import annotations

import signal
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from handbook.cli import _tracebacks
from handbook.cli.runner import run_tests

from .conftest import PYPROJECT

# On 3.11 the jump back to the top of this loop has no line number; a timeout signal
# landing there gave pytest a traceback entry it could not format.
LOOP = """
def test_loop() -> None:
    x = 0
    for i in range(10**12):
        if i % 2:
            x += 1
"""


def test_an_endless_loop_with_an_if_is_reported_as_a_timeout(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "test_loop.py").write_text(LOOP)
    for _ in range(3):  # the signal lands on a lineless jump in most runs, not all
        ids = ["test_loop.py::test_loop"]
        result = run_tests(tmp_path, tmp_path, "test_loop", ids, timeout=0.3)
        assert "INTERNALERROR" not in result.output
        assert [(o.status, o.kind) for o in result.outcomes] == [("failed", "timeout")]


# The same shape as a learner's: on 3.11 the jump back to the top of the inner loop has
# no line, and the frame's f_lineno is None there too.
SPIN = """\
def spin(nums, target):
    while True:
        for x in nums:
            if x == target:
                pass
"""


def _spin_lines(tb: types.TracebackType | None) -> list[int | None]:
    lines: list[int | None] = []
    while tb is not None:
        if tb.tb_frame.f_code.co_name == "spin":
            lines.append(tb.tb_lineno)
        tb = tb.tb_next
    return lines


def test_a_lineless_instruction_gets_the_line_before_it() -> None:
    namespace: dict[str, Any] = {}
    exec(compile(SPIN, "spin.py", "exec"), namespace)
    code = namespace["spin"].__code__
    previous = None
    for start, _end, line in code.co_lines():
        expected = line if line is not None else previous
        assert _tracebacks.line_at(code, start) == expected
        previous = expected
    lineless = [start for start, _end, line in code.co_lines() if line is None]
    if sys.version_info[:2] == (3, 11):
        assert lineless, "3.11 compiles this loop with a lineless jump"
    for start in lineless:
        assert _tracebacks.line_at(code, start) == 5  # the loop's last line, not the def


def test_an_interrupted_loop_is_placed_inside_the_loop_not_on_its_def() -> None:
    namespace: dict[str, Any] = {}
    exec(compile(SPIN, "spin.py", "exec"), namespace)

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError

    raw: list[int | None] = []
    repaired: list[int | None] = []
    old = signal.signal(signal.SIGALRM, stop)
    try:
        for _ in range(5):
            signal.setitimer(signal.ITIMER_REAL, 0.02)
            with pytest.raises(TimeoutError) as info:
                namespace["spin"](list(range(1000)), -1)
            raw += _spin_lines(info.value.__traceback__)
            repaired += _spin_lines(_tracebacks.with_line_numbers(info.value.__traceback__))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    if sys.version_info[:2] == (3, 11):
        assert None in raw  # the signal is handled at the lineless jump back
    assert repaired
    assert all(line in {2, 3, 4, 5} for line in repaired), (raw, repaired)
