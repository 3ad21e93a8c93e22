"""Tracebacks that pytest can format: every entry with a line number.

On CPython 3.11 some instructions carry no line number: the jump back to the
top of a ``for`` loop whose body ends in an ``if`` is one. When pytest-timeout's
signal lands there, the traceback entry of that frame has ``tb_lineno`` None,
and pytest (9.x) fails formatting the failure with an INTERNALERROR instead of
reporting a timeout: measured 4 in 4 runs of an endless such loop. A learner's
endless loop is exactly this, so the plugins of ``handbook practice``,
``break`` and ``verify`` give such an entry the line of the nearest earlier
instruction that has one: the last line of the loop's body. The frame's own line
number is None there too, which left only the ``def`` line.
"""

from __future__ import annotations

import types
from typing import Any


def line_at(code: types.CodeType, offset: int) -> int | None:
    """The line of the instruction at byte ``offset`` of ``code``; for an instruction
    without one, the line of the nearest instruction before it that has one."""
    line = None
    for start, _end, number in code.co_lines():
        if start > offset:
            break
        if number is not None:
            line = number
    return line


def with_line_numbers(tb: types.TracebackType | None) -> types.TracebackType | None:
    """``tb`` itself when every entry has a line number; otherwise an equal chain
    whose lineless entries get the line of :func:`line_at` (or the frame's current
    line, or its first line)."""
    entries: list[types.TracebackType] = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    if all(entry.tb_lineno is not None for entry in entries):
        return entries[0] if entries else None
    rebuilt: types.TracebackType | None = None
    for entry in reversed(entries):
        frame = entry.tb_frame
        # typeshed says int; it is None for the instructions described above.
        line: int | None = entry.tb_lineno
        if line is None:
            line = (
                line_at(frame.f_code, entry.tb_lasti)
                or frame.f_lineno
                or frame.f_code.co_firstlineno
            )
        rebuilt = types.TracebackType(rebuilt, frame, entry.tb_lasti, line)
    return rebuilt


def repair(call: Any) -> None:
    """Give every traceback entry of a pytest ``CallInfo``'s exception, and of the
    exceptions chained to it, a line number, before pytest formats them."""
    excinfo = call.excinfo
    if excinfo is None:
        return
    seen: set[int] = set()
    exc: BaseException | None = excinfo.value
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc.__traceback__ = with_line_numbers(exc.__traceback__)
        exc = exc.__cause__ or exc.__context__
    tb = with_line_numbers(excinfo.tb)
    if tb is not excinfo.tb and tb is not None:
        from _pytest._code import ExceptionInfo

        call.excinfo = ExceptionInfo.from_exc_info((excinfo.type, excinfo.value, tb))
