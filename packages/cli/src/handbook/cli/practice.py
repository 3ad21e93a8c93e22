"""``handbook practice``, ``hint`` and ``solution``: interview problems solved in your own file.

A problem is a module of the ``leetcode`` domain (its slug is the module's name):
its docstring holds the statement, its literals ``DIFFICULTY``, ``TAGS`` and
``HINTS`` the rest, and its functions the reference solution. All of it is
read with :mod:`ast`, never imported: a problem is text to this process.

``handbook practice <slug>`` copies the problem's stub to ``practice/<slug>.py``
(once: the learner's file is never overwritten nor edited) and runs the
problem's tests against it in a child pytest, with
:mod:`handbook.cli._practice_plugin` recording what happened. The learner's
code is untrusted: whatever it does (a syntax error, ``sys.exit()``, an endless
loop, ``os._exit()``), the command reports it in words and never shows a
traceback of its own.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import functools
import json
import linecache
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handbook.cli import children
from handbook.cli.catalogue import (
    SECTIONS,
    Catalogue,
    HandbookError,
    Lesson,
    module_literals,
    plural,
    rel_path,
    suggest,
)
from handbook.cli.progress import ProblemRecord, Progress, Store, move_aside, tolerant_output
from handbook.cli.runner import BASE_TOOLS, require_tools

DOMAIN = "leetcode"
PRACTICE_FOLDER = "practice"
ATTEMPTS_FOLDER = ".handbook/attempts"
DEFAULT_TIMEOUT = 10.0
TIMEOUT_ENV = "HANDBOOK_PRACTICE_TIMEOUT"
WATCH_INTERVAL = 0.5
# pytest starts and collects before the first test begins (a third of a second here);
# a run that shows no sign of life for this long is stuck, not slow.
_STARTUP_SECONDS = 60.0
# Beyond its own timeout, how long a test may take before the whole run is killed: only
# a loop that pytest-timeout cannot stop (inside one builtin call, or one that catches
# the timeout's exception and carries on) gets that far.
_KILL_GRACE = 5.0
_CHECK_SECONDS = 0.25
_sleep = time.sleep  # how --watch waits between looks at the file
_HEADING = re.compile(r"^(" + "|".join(re.escape(s) for s in SECTIONS) + r"):\s*$")
_MAX_LINES = 12
_MAX_WIDTH = 160
_WRAP = 88
_OUTPUT_PART = 32_768  # bytes of pytest's output kept from its start, and from its end


# -- the problems ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Parsed:
    """What a problem module says about itself, read without running it."""

    source: str
    tree: ast.Module | None
    error: str | None
    literals: dict[str, object]


@dataclass(frozen=True)
class Problem:
    """One practice problem: a lesson of the ``leetcode`` domain, and its stub."""

    lesson: Lesson
    root: Path

    @property
    def slug(self) -> str:
        """The module's name: ``two_sum``."""
        return self.lesson.name

    @property
    def stub(self) -> Path:
        """The file a learner starts from."""
        return self.lesson.package_dir / "stubs" / f"{self.slug}.py"

    @property
    def tests(self) -> Path:
        """The problem's tests; they check the file named by ``$HANDBOOK_SOLUTION``."""
        return self.lesson.tests

    @property
    def practice_file(self) -> Path:
        """Where the learner's own attempt lives."""
        return self.root / PRACTICE_FOLDER / f"{self.slug}.py"

    @functools.cached_property
    def _parsed(self) -> _Parsed:
        try:
            source = self.lesson.source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return _Parsed("", None, f"cannot be read ({exc})", {})
        try:
            tree = ast.parse(source, filename=str(self.lesson.source))
        except (SyntaxError, ValueError) as exc:
            return _Parsed(source, None, f"cannot be parsed ({exc})", {})
        return _Parsed(source, tree, None, module_literals(tree, ("DIFFICULTY", "TAGS", "HINTS")))

    def _text_literal(self, name: str) -> str | None:
        value = self._parsed.literals.get(name)
        return value if isinstance(value, str) else None

    def _texts_literal(self, name: str) -> tuple[str, ...] | None:
        value = self._parsed.literals.get(name)
        if isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        return None

    @property
    def difficulty(self) -> str:
        """``Easy``, ``Medium`` or ``Hard``; ``?`` when the module does not say."""
        return self._text_literal("DIFFICULTY") or "?"

    @property
    def tags(self) -> tuple[str, ...]:
        """The topics, as the module lists them."""
        return self._texts_literal("TAGS") or ()

    def hints(self) -> tuple[str, ...]:
        """The hints, from a nudge to the idea. Raises HandbookError when they cannot be read."""
        self._require_parsed()
        if "HINTS" not in self._parsed.literals:
            return ()
        hints = self._texts_literal("HINTS")
        if hints is None:
            raise HandbookError(
                f"HINTS in {self._rel_source} is not a tuple of strings written as literals"
            )
        return hints

    @property
    def _rel_source(self) -> str:
        return rel_path(self.root, self.lesson.source)

    def _require_parsed(self) -> ast.Module:
        if self._parsed.tree is None:
            raise HandbookError(f"{self._rel_source} {self._parsed.error}")
        return self._parsed.tree

    @property
    def statement(self) -> str:
        """The docstring's text after its one-line summary and before its first section:
        the summary names the technique, which is the learner's to find."""
        tree = self._parsed.tree
        doc = (ast.get_docstring(tree, clean=True) if tree is not None else None) or ""
        lines = doc.strip("\n").splitlines()[1:]
        for i, line in enumerate(lines):
            if _HEADING.match(line):
                lines = lines[:i]
                break
        return "\n".join(lines).strip("\n").replace("``", "`")

    @property
    def complexity(self) -> str:
        """The docstring's Complexity section, or ``''``."""
        return self.lesson.sections.get("Complexity", "")

    def solution_source(self) -> str:
        """The source of the functions (and classes) the module defines, decorators
        included, in file order: the reference solution without the docstring."""
        tree = self._require_parsed()
        source = self._parsed.source
        parts: list[str] = []
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            segment = ast.get_source_segment(source, node) or ""
            decorators = [
                "@" + (ast.get_source_segment(source, d) or "") for d in node.decorator_list
            ]
            parts.append("\n".join([*decorators, segment]))
        return "\n\n\n".join(parts)


def problems(catalogue: Catalogue) -> list[Problem]:
    """Every problem of the workspace, in the catalogue's order."""
    return [Problem(lesson, catalogue.root) for lesson in catalogue.domains.get(DOMAIN, [])]


def _wanted(slug: str) -> str:
    """The problem a command-line argument names: ``two_sum`` for itself, for its lesson
    id ``leetcode.two_sum`` and for the learner's file ``practice/two_sum.py`` (what tab
    completion gives)."""
    path = Path(slug)
    if path.parent.name == PRACTICE_FOLDER and path.suffix in ("", ".py") and path.stem:
        return path.stem
    return slug.removeprefix(f"{DOMAIN}.")


def find_problem(catalogue: Catalogue, slug: str) -> Problem:
    """The problem ``slug`` (``two_sum``, its lesson id ``leetcode.two_sum``, or
    ``practice/two_sum.py``); a near miss gets suggestions."""
    known = problems(catalogue)
    wanted = _wanted(slug)
    for problem in known:
        if problem.slug == wanted:
            return problem
    lesson = next((lesson for lesson in catalogue.all_lessons() if lesson.id == slug), None)
    if lesson is not None:
        raise HandbookError(
            f"{slug} is a lesson, not a practice problem: uv run handbook test {slug} "
            "(uv run handbook practice lists the problems)"
        )
    if not known:
        raise HandbookError(f"unknown problem {slug!r}: this workspace has no practice problems")
    raise HandbookError(
        f"unknown problem {slug!r}"
        + (suggest(wanted, [p.slug for p in known]) or "; `uv run handbook practice` lists them")
    )


# -- one run of a problem's tests --------------------------------------------------------------


@dataclass(frozen=True)
class CaseResult:
    """How one test ended, as the plugin recorded it."""

    test: str
    outcome: str  # passed, failed or skipped
    kind: str = ""  # unusable, wrong, complexity, timeout, exit, assertion or error
    type: str = ""
    message: str = ""
    notes: tuple[str, ...] = ()
    line: int | None = None
    code: str = ""
    function: str = ""  # the learner's function that line is in; <module>: the top level
    stdout: str = ""  # the first few thousand characters
    stdout_lines: int = 0  # how many lines it printed in all
    stderr: str = ""
    stderr_lines: int = 0
    log: str = ""  # what it logged (pytest's logging plugin takes it from stderr)
    log_lines: int = 0
    memory_cap: int | None = None  # bytes the test process may use beyond pytest's own


@dataclass
class Run:
    """What one child pytest did."""

    tests: list[str] = field(default_factory=list)  # collected, in order
    results: dict[str, CaseResult] = field(default_factory=dict)
    running: str | None = None  # began and never ended
    collect_errors: list[str] = field(default_factory=list)
    interrupted: str | None = None  # a KeyboardInterrupt ended the session
    finished: bool = False
    recorded: bool = False  # the plugin wrote anything at all
    killed: bool = False  # stuck: it showed no progress and was killed
    returncode: int = 0
    output: str = ""
    file_changed: bool = False  # the learner's file was saved again while the tests ran

    @property
    def passed(self) -> list[CaseResult]:
        """The tests that passed."""
        return [r for r in self.results.values() if r.outcome == "passed"]

    @property
    def failed(self) -> list[CaseResult]:
        """The tests that failed."""
        return [r for r in self.results.values() if r.outcome == "failed"]

    @property
    def not_run(self) -> list[str]:
        """Collected tests that never started."""
        return [t for t in self.tests if t not in self.results and t != self.running]

    @property
    def ok(self) -> bool:
        """Every test ran, and none failed."""
        return (
            self.finished
            and not self.collect_errors
            and self.interrupted is None
            and bool(self.passed)
            and not self.failed
            and not self.not_run
        )


def _result(record: dict[str, Any]) -> CaseResult:
    def text(key: str) -> str:
        value = record.get(key)
        return value if isinstance(value, str) else ""

    def number(key: str) -> int | None:
        value = record.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    notes = record.get("notes")
    return CaseResult(
        test=text("test"),
        outcome=text("outcome") or "failed",
        kind=text("kind"),
        type=text("type"),
        message=text("message"),
        notes=tuple(str(n) for n in notes) if isinstance(notes, list) else (),
        line=number("line"),
        code=text("code"),
        function=text("function"),
        stdout=text("stdout"),
        stdout_lines=number("stdout_lines") or 0,
        stderr=text("stderr"),
        stderr_lines=number("stderr_lines") or 0,
        log=text("log"),
        log_lines=number("log_lines") or 0,
        memory_cap=number("memory_cap"),
    )


def read_records(text: str, run: Run) -> None:
    """Fill ``run`` from the plugin's JSON lines; a line cut short by a kill is ignored."""
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        run.recorded = True
        event = record.get("event")
        if event == "collected" and isinstance(record.get("tests"), list):
            run.tests = [str(t) for t in record["tests"]]
        elif event == "collect_error":
            run.collect_errors.append(str(record.get("message", "")))
        elif event == "start":
            run.running = str(record.get("test"))
        elif event == "result":
            result = _result(record)
            run.results[result.test] = result
            if run.running == result.test:
                run.running = None
        elif event == "interrupted":
            run.interrupted = str(record.get("message", ""))
        elif event == "finished":
            run.finished = True


def timeout_seconds() -> float:
    """The per-test timeout: 10 s, or ``$HANDBOOK_PRACTICE_TIMEOUT``."""
    raw = os.environ.get(TIMEOUT_ENV)
    if raw is None or not raw.strip():
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value < 1e6:
        raise HandbookError(f"{TIMEOUT_ENV} must be a positive number of seconds, got {raw!r}")
    return value


def _stamp(path: Path) -> tuple[int, int] | None:
    """What changes when a file is written: (mtime in ns, size); None when it is gone."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _wait(proc: subprocess.Popen[str], records: Path, stall: float) -> bool:
    """Wait for the run to end; False if it showed no progress (no new record) for
    ``stall`` seconds, or for the start-up allowance before its first record."""
    last = _stamp(records)
    deadline = time.monotonic() + max(_STARTUP_SECONDS, stall)
    with _exit_waiter(proc) as ended_within:
        while not ended_within(_CHECK_SECONDS):
            stamp = _stamp(records)
            if stamp != last:
                last, deadline = stamp, time.monotonic() + stall
            elif time.monotonic() > deadline:
                return False
    proc.wait()
    return True


@contextlib.contextmanager
def _exit_waiter(proc: subprocess.Popen[str]) -> Iterator[Callable[[float], bool]]:
    """A function that waits up to some seconds for ``proc`` to end and says whether it did.

    On Linux a pidfd wakes it the moment the child ends; ``Popen.wait`` with a timeout
    polls, and may notice up to 50 ms late, in every run of a learner's loop.
    """
    try:
        fd = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):  # not Linux, or before 5.3

        def polled(seconds: float) -> bool:
            try:
                proc.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                return False
            return True

        yield polled
        return
    try:
        yield lambda seconds: bool(select.select([fd], [], [], seconds)[0])
    finally:
        os.close(fd)


def run_problem(problem: Problem, file: Path, timeout: float) -> Run:
    """Run the problem's tests against ``file`` in a child pytest and read what it recorded."""
    root = problem.root
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "timeout",
        "-p",
        "handbook.cli._practice_plugin",
        "-p",
        "no:cacheprovider",
        "-q",
        "--no-header",
        "-o",
        "addopts=--import-mode=importlib --strict-markers --strict-config",
        f"--timeout={timeout:g}",
        rel_path(root, problem.tests),
    ]
    run = Run()
    before = _stamp(file)
    with tempfile.TemporaryDirectory(prefix="handbook-practice-") as tmp:
        records = Path(tmp) / "results.jsonl"
        records.touch()
        env = dict(os.environ)
        # The command line above is the whole configuration: a learner's own pytest
        # options or plugins (--cov, say) would fail with autoloading off.
        for name in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS", "HANDBOOK_PROBE_OUT"):
            env.pop(name, None)
        env["HANDBOOK_SOLUTION"] = str(file)
        src = problem.lesson.import_root
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        env["HANDBOOK_PRACTICE_OUT"] = str(records)
        output_file = Path(tmp) / "output.txt"
        with open(output_file, "wb") as output:
            proc = children.start(
                cmd,
                own_group=True,
                cwd=root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
            try:
                run.killed = not _wait(proc, records, timeout + _KILL_GRACE)
            except children.Stopped as stop:
                children.end(proc, stop.signum)
                raise
            finally:
                children.end(proc)
            run.returncode = proc.returncode
        run.file_changed = _stamp(file) != before
        run.output = _head_and_tail(output_file)
        read_records(records.read_text(encoding="utf-8", errors="replace"), run)
    return run


def _head_and_tail(path: Path, part: int = _OUTPUT_PART) -> str:
    """The start and the end of what the child printed: a learner's print in an endless
    loop can make pytest's output hundreds of megabytes long."""
    with open(path, "rb") as f:
        size = f.seek(0, os.SEEK_END)
        f.seek(0)
        if size <= 2 * part:
            data = f.read()
        else:
            head = f.read(part)
            f.seek(size - part)
            data = head + f"\n[... {size - 2 * part:,} bytes left out ...]\n".encode() + f.read()
    return data.decode("utf-8", errors="replace")


# -- the report --------------------------------------------------------------------------------


def in_words(nodeid: str) -> str:
    """A test's name in words.

    >>> in_words("packages/leetcode/tests/test_two_sum.py::test_the_pair_at_the_far_ends")
    'the pair at the far ends'
    >>> in_words("t.py::TestEdges::test_empty[0-1]")
    'empty [0-1]'
    """
    name = nodeid.rsplit("::", 1)[-1]
    base, bracket, param = name.partition("[")
    words = base.removeprefix("test_").replace("_", " ").strip() or base
    return f"{words} [{param}" if bracket else words


def shorten(text: str, lines: int = _MAX_LINES, width: int = _MAX_WIDTH) -> str:
    """At most ``lines`` lines of at most ``width`` characters, saying what was left out.

    >>> shorten("a" * 10, width=5)
    'aaaa…'
    >>> shorten("1\\n2\\n3", lines=2)
    '1\\n2\\n… (1 more line)'
    """
    kept = [
        line if len(line) <= width else line[: width - 1] + "…"
        for line in text.rstrip("\n").splitlines()
    ]
    if len(kept) > lines:
        extra = len(kept) - lines
        kept = [*kept[:lines], f"… ({plural(extra, 'more line')})"]
    return "\n".join(kept)


def _fill(text: str) -> str:
    return textwrap.fill(text, _WRAP, break_long_words=False, break_on_hyphens=False)


def _where(result: CaseResult, shown_file: str) -> str:
    if result.line is None:
        return ""
    return f"{shown_file}, line {result.line}: {shorten(result.code, lines=1)}"


def named(message: str, file: Path, shown_file: str) -> str:
    """The harness's message with the learner's file named as the report names it
    (``practice/two_sum.py``), not by its bare name (``two_sum.py``) or in full.

    >>> named("a.py, line 1: SyntaxError", Path("/w/practice/a.py"), "practice/a.py")
    'practice/a.py, line 1: SyntaxError'
    """
    message = message.replace(str(file), shown_file)
    if shown_file == file.name:
        return message
    # Where the harness puts the name: first, after "at " on a line of its own, and in
    # "two_sum in two_sum.py is a list".
    return re.sub(
        rf"(^|\n    at | in ){re.escape(file.name)}(?=[ ,:]|$)",
        lambda m: m[1] + shown_file,
        message,
    )


def told(message: str, file: Path | None, shown_file: str) -> str:
    """The harness's message as the report tells it: the file named as the report names
    it, and shortened, with room for that name, so a deep path does not push the end of
    the message (often what to do) out of the line.

    >>> deep = "/" + "d" * 200 + "/a.py"
    >>> told("a.py defines no function f(); name it f()", Path("/w/a.py"), deep)[-11:]
    'name it f()'
    """
    if file is not None:
        message = named(message, file, shown_file)
    return shorten(message, width=_MAX_WIDTH + len(shown_file))


def _size(count: int) -> str:
    """``1 GiB``, ``512 MiB``."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count:,} bytes"


def _returned_none(result: CaseResult) -> bool:
    return result.kind == "wrong" and "(None: does every path" in result.message


def describe_failure(
    result: CaseResult, timeout: float, shown_file: str, file: Path | None = None
) -> list[str]:
    """The lines that say what went wrong in one failing test."""
    where = _where(result, shown_file)
    message = told(result.message, file, shown_file)
    calls = list(result.notes)  # "while running two_sum([2, 7, 11, 15], 9)"
    if result.function == "<module>":
        # The file is loaded inside the first call: no call of the function had begun.
        calls = [
            "while your file was being loaded",
            *(n for n in calls if not n.startswith("while running ")),
        ]
    at = f"at {where}"
    if result.kind == "unusable":
        # The file failed before any call: the call in the note is beside the point.
        return [f"your file could not be used: {message}"]
    if result.kind == "wrong":
        lines = [f"wrong answer: {message}"]
    elif result.kind == "complexity":
        # ComplexityError is raised by the time budgets and by the extra-space check.
        space = "extra memory" in result.message
        budget = (
            "too much memory for the space budget" if space else "too much work for the time budget"
        )
        lines = [_fill(f"{budget}: {result.message}")]
        at = f"measured at {where}" if space else f"counting stopped at {where}"
    elif result.kind == "timeout":
        lines = [f"did not finish within {timeout:g} s: an endless loop, or far too slow?"]
        at = f"stopped at {where}"
    elif result.kind == "memory":
        allowed = (
            f"more than the {_size(result.memory_cap)} of memory the tests allow"
            if result.memory_cap
            else "more memory than there is"
        )
        lines = [
            f"MemoryError: your code needed {allowed}:",
            "does a list, a string or a dict grow without end?",
        ]
    elif result.kind == "exit":
        code = f" ({message})" if message and message != "None" else ""
        lines = [f"your code called sys.exit(){code}: return the answer instead"]
    elif "reading from stdin" in result.message:
        lines = ["your code called input(): the tests pass the input as arguments"]
    else:
        lines = [f"{result.type}: {message}" if message else result.type or "failed"]
    return [*lines, *calls, *([at] if where else [])]


def _signature(result: CaseResult) -> tuple[str, str, str, int | None]:
    # A file that cannot be used fails the first test with the traceback of its loading,
    # and the others with the same message from the harness's cache, without one.
    line = None if result.kind == "unusable" else result.line
    return result.kind, result.type, result.message, line


def _printed(result: CaseResult, shown: int = 6) -> list[str]:
    """What the test's code printed to stdout and stderr, and logged: the first lines."""
    out: list[str] = []
    for text, total, title in (
        (result.stdout, result.stdout_lines, "your code printed:"),
        (result.stderr, result.stderr_lines, "your code printed to stderr:"),
        (result.log, result.log_lines, "your code logged:"),
    ):
        if not text.strip():
            continue
        lines = [shorten(line, lines=1) for line in text.splitlines()[:shown]]
        more = max(total, len(text.splitlines())) - len(lines)
        if more > 0:
            lines.append(f"… ({more:,} more {'line' if more == 1 else 'lines'})")
        out += [title, textwrap.indent("\n".join(lines), "  ")]
    return out


def _output_note(results: list[CaseResult], failed: list[CaseResult]) -> str:
    """One line saying that the code printed or logged, and where it is shown."""
    printing = [r for r in results if r.stdout.strip() or r.stderr.strip() or r.log.strip()]
    if not printing:
        return ""
    streams = [
        name
        for name, used in (
            ("stdout", any(r.stdout.strip() for r in printing)),
            ("stderr", any(r.stderr.strip() for r in printing)),
        )
        if used
    ]
    did = [f"printed to {' and '.join(streams)}"] if streams else []
    if any(r.log.strip() for r in printing):
        did.append("logged")
    shown = " (shown above for a failing test)" if any(_printed(r) for r in failed) else ""
    return _fill(
        f"Your code {', and '.join(did)} in {plural(len(printing), 'test')}{shown}: "
        "fine for debugging, but the tests only check what it returns."
    )


def _indent(lines: list[str], prefix: str) -> str:
    return textwrap.indent("\n".join(lines), prefix)


_PROGRESS_LINE = re.compile(r"^[.FEsxX]+(\s+\[\s*\d+%\])?$")
_FAULT_FRAME = re.compile(r'^\s*File "(?P<file>.+)", line (?P<line>\d+) in ')


def _crash(run: Run, file: Path, shown_file: str) -> list[str]:
    """Why the test process died without a word: faulthandler's report, or the exit code."""
    output = run.output.splitlines()
    fatal = next((line.strip() for line in output if line.startswith("Fatal Python error")), "")
    if fatal:
        why = fatal
    elif run.returncode < 0:
        try:
            why = f"killed by {signal.Signals(-run.returncode).name}"
        except ValueError:
            why = f"killed by signal {-run.returncode}"
    else:
        why = f"exit code {run.returncode}"
    lines = [_fill(f"the test process died in the middle of it ({why})")]
    # faulthandler lists the most recent call first.
    for line in output:
        match = _FAULT_FRAME.match(line)
        if match and match["file"] == str(file):
            number = int(match["line"])
            if run.file_changed:  # its line now may not be the one that ran
                lines.append(f"at {shown_file}, line {number} (of the file as it was then)")
            else:
                code = linecache.getline(str(file), number).strip()
                lines.append(f"at {shown_file}, line {number}: {shorten(code, lines=1)}")
            break
    lines.append(
        "did your code call os._exit()?"
        if not fatal and run.returncode >= 0
        else "did your code crash Python (ctypes, a C extension, a recursion limit raised too far)?"
    )
    return lines


def _details(run: Run, file: Path, shown_file: str, timeout: float) -> list[str]:
    """One line per test that ran, with what went wrong under each failure."""
    out: list[str] = []
    seen: dict[tuple[str, str, str, int | None], str] = {}
    none_shown = False  # a None answer is explained once; later ones name their call
    for test in run.tests:
        result = run.results.get(test)
        if result is None:
            continue
        words = in_words(test)
        if result.outcome != "failed":
            out.append(f"  {'ok' if result.outcome == 'passed' else 'skip':<5} {words}")
            continue
        out.append(f"  FAIL  {words}")
        signature = _signature(result)
        if signature in seen:
            out.append(f"        the same failure as {seen[signature]!r}")
        elif _returned_none(result) and none_shown:
            call = result.message.splitlines()[0] if result.message else "it"
            out.append(f"        returned None too, for {shorten(call, lines=1)}")
        else:
            seen[signature] = words
            none_shown = none_shown or _returned_none(result)
            out.append(_indent(describe_failure(result, timeout, shown_file, file), "        "))
        out.append(_indent(_printed(result), "        "))
    if run.running is not None:
        words = in_words(run.running)
        if run.killed:
            out.append(f"  STUCK {words}")
            out.append(
                _indent(
                    [
                        _fill(
                            f"did not finish within {timeout:g} s, and could not be stopped "
                            "but by killing it: an endless loop inside one builtin call, or "
                            "one that catches every exception (except BaseException, or a "
                            "bare except:)?"
                        )
                    ],
                    "        ",
                )
            )
        elif run.interrupted is not None:
            out.append(f"  STOP  {words}")
            out.append("        KeyboardInterrupt was raised (by your code?)")
        else:
            out.append(f"  DIED  {words}")
            out.append(_indent(_crash(run, file, shown_file), "        "))
    not_run = run.not_run
    if not_run:
        kinds = {r.kind for r in run.failed}
        if run.killed or "timeout" in kinds:
            why = "stopped after the timeout"
        elif "memory" in kinds:
            why = "stopped after it ran out of memory"
        else:
            why = "the run ended early"
        out.append(f"  ({plural(len(not_run), 'more test')} did not run: {why})")
    return [line for line in out if line]


def report(run: Run, problem: Problem, file: Path, shown_file: str, timeout: float) -> str:
    """The report of one run: what failed and why, in words, and the count."""
    shown_tests = rel_path(problem.root, problem.tests)
    if not run.recorded:
        raw = run.output.rstrip() or "(no output)"
        return (
            f"The tests could not run (pytest ended with exit code {run.returncode}). "
            f"Its output:\n\n{textwrap.indent(raw, '  ')}"
        )
    if run.collect_errors:
        errors = shorten("\n".join(run.collect_errors), lines=40)
        return f"The problem's tests ({shown_tests}) could not be loaded:\n\n" + textwrap.indent(
            errors, "  "
        )
    if not run.tests:
        raw = run.output.rstrip() or "(no output)"
        return f"No tests were found in {shown_tests}. pytest's output:\n\n" + textwrap.indent(
            raw, "  "
        )
    out: list[str] = []
    failed = run.failed
    if len(failed) == len(run.tests) > 1 and len({_signature(r) for r in failed}) == 1:
        first = failed[0]
        if first.kind == "unusable":
            out.append(f"your file could not be used: {told(first.message, file, shown_file)}")
        else:
            out.append(
                f"All {plural(len(failed), 'test')} fail the same way; "
                f"the first, {in_words(first.test)!r}:"
            )
            out.append(_indent(describe_failure(first, timeout, shown_file, file), "    "))
            out.append(_indent(_printed(first), "    "))
    else:
        out.extend(_details(run, file, shown_file, timeout))
    note = _output_note(list(run.results.values()), failed)
    if note:
        out.append("\n" + note)
    passed = len(run.passed)
    verb = "passes" if passed == 1 else "pass"
    out.append(f"\n{passed} of {plural(len(run.tests), 'test')} {verb}.")
    return "\n".join(line for line in out if line)


# -- handbook practice -------------------------------------------------------------------------


def _list(catalogue: Catalogue) -> int:
    found = problems(catalogue)
    progress = Store(catalogue.root).load()
    if not found:
        print("No practice problems in this workspace yet.")
        return 0
    rows = [
        (
            p.slug,
            p.difficulty,
            ", ".join(p.tags),
            progress.problems.get(p.slug, ProblemRecord()).status,
        )
        for p in found
    ]
    header = ("problem", "difficulty", "tags", "status")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    statuses = [row[3] for row in rows]
    counts = ", ".join(f"{statuses.count(s)} {s}" for s in ("solved", "attempted", "new"))
    print(f"\n{plural(len(rows), 'problem')}: {counts}.")
    todo = next((row[0] for row in rows if row[3] != "solved"), None)
    if todo is not None:
        print(f"Start one: uv run handbook practice {todo}")
    return 0


def _learner_file(problem: Problem, given: str | None) -> tuple[Path, bool]:
    """The file to test (absolute, links kept) and whether it was just created from the stub."""
    if given is not None:
        if not given.strip():
            raise HandbookError("--file needs the path of a .py file")
        path = Path(os.path.abspath(given))
        if not path.exists():
            raise HandbookError(f"--file {given}: no such file")
        if path.is_dir():
            raise HandbookError(f"--file {given} is a folder, not a Python file")
        if path.suffix != ".py":
            raise HandbookError(f"--file {given} is not a .py file")
        return path, False
    path = problem.practice_file
    if path.is_dir():
        raise HandbookError(f"{rel_path(problem.root, path)} is a folder, not your solution file")
    if path.exists():
        return path, False
    return path, _create_from_stub(problem, path)


def _create_from_stub(problem: Problem, path: Path) -> bool:
    """Copy the stub to ``path`` unless something is there already; True if copied."""
    try:
        stub = problem.stub.read_bytes()
    except OSError:
        raise HandbookError(
            f"{problem.slug} has no stub to start from ({rel_path(problem.root, problem.stub)})"
        ) from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as f:  # exclusive: never over a file (or a link) that is there
            f.write(stub)
    except FileExistsError:
        return False
    except OSError as exc:
        raise HandbookError(
            f"cannot create {rel_path(problem.root, path)}: {exc.strerror or exc}"
        ) from None
    return True


def _reset(problem: Problem) -> None:
    root = problem.root
    path = problem.practice_file
    shown = rel_path(root, path)
    if path.is_dir():
        raise HandbookError(f"{shown} is a folder, not your solution file")
    if path.exists() or path.is_symlink():
        try:
            moved = move_aside(path, root / ATTEMPTS_FOLDER, problem.slug, ".py")
        except OSError as exc:
            raise HandbookError(f"cannot move {shown} aside: {exc.strerror or exc}") from None
        print(f"Your previous {shown} is now {rel_path(root, moved)}.")
    else:
        print(f"There was no {shown} to keep.")
    _create_from_stub(problem, path)
    print(f"{shown} is the stub again.")


def _header(problem: Problem) -> str:
    tags = ", ".join(problem.tags)
    about = "; ".join(filter(None, [problem.difficulty, tags]))
    return f"{problem.slug} ({about})"


def _record_run(root: Path, slug: str, ok: bool) -> Progress | None:
    def change(progress: Progress) -> None:
        record = progress.problem(slug)
        record.attempts += 1
        record.passes += ok

    return Store(root).update(change)


def _next_problem(catalogue: Catalogue, slug: str, progress: Progress | None) -> str | None:
    solved = {s for s, r in (progress.problems if progress else {}).items() if r.status == "solved"}
    names = [p.slug for p in problems(catalogue)]
    after = names[names.index(slug) + 1 :] + names[: names.index(slug)] if slug in names else names
    return next((s for s in after if s not in solved and s != slug), None)


def _test_once(
    catalogue: Catalogue, problem: Problem, file: Path, timeout: float, *, watching: bool = False
) -> int:
    shown = rel_path(catalogue.root, file)
    print(f"Testing {shown} ...\n", flush=True)
    run = run_problem(problem, file, timeout)
    print(report(run, problem, file, shown, timeout))
    if run.recorded and run.tests and not run.collect_errors:
        progress = _record_run(catalogue.root, problem.slug, run.ok)
    else:
        progress = None
    if run.ok:
        if progress is None:
            # Not recorded as solved: `handbook solution` would refuse without --reveal.
            print(
                "Solved! (Progress could not be saved.) Compare with the reference: "
                f"uv run handbook solution {problem.slug} --reveal"
            )
        else:
            print(f"Solved! Compare with the reference: uv run handbook solution {problem.slug}")
        later = _next_problem(catalogue, problem.slug, progress)
        if later is not None:
            print(f"Then try the next one: uv run handbook practice {later}")
        sys.stdout.flush()
        return 0
    if run.recorded and run.tests and not run.collect_errors:
        again = "save it to test again" if watching else "run this again (or add --watch)"
        print(f"Edit {shown} and {again}; stuck? uv run handbook hint {problem.slug}", flush=True)
    return 1


def watch(
    path: Path,
    run: Callable[[], int],
    *,
    say: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] | None = None,
    interval: float = WATCH_INTERVAL,
    polls: int | None = None,
    label: str | None = None,
) -> int:
    """Run, then run again each time ``path``'s (mtime_ns, size) changes, looking every
    ``interval`` seconds; after ``polls`` looks (None: until stopped) return the last
    run's exit code. ``say`` defaults to printing at once (the output may be a pipe to
    ``tee``), ``sleep`` to :func:`time.sleep`; ``label`` names the file in messages
    (default: its name)."""
    pause = sleep or _sleep
    say = say or functools.partial(print, flush=True)
    name = label or path.name
    last = _stamp(path)  # before the run: a save during it is a change to test
    code = run()
    say(f"\nWatching {name}: save it to test again; Ctrl-C stops.")
    looks = 0
    while polls is None or looks < polls:
        pause(interval)
        looks += 1
        stamp = _stamp(path)
        if stamp == last:
            continue
        last = stamp
        if stamp is None:
            say(f"{name} is gone; waiting for it to come back.")
            continue
        say(f"\n--- {name} changed: testing it again ---\n")
        code = run()
        say(f"\nWatching {name}: save it to test again; Ctrl-C stops.")
    return code


def cmd_practice(catalogue: Catalogue, args: argparse.Namespace) -> int:
    """List the problems, or test the learner's file of one (``--watch``: on every save)."""
    tolerant_output()
    if args.slug is None:
        if args.file is not None or args.watch or args.reset:
            raise HandbookError(
                "--file, --watch and --reset need a problem: handbook practice SLUG"
            )
        return _list(catalogue)
    problem = find_problem(catalogue, args.slug)
    if args.reset and args.file is not None:
        raise HandbookError(f"--reset restarts practice/{problem.slug}.py; it takes no --file")
    if not problem.tests.is_file():
        raise HandbookError(
            f"{problem.slug} has no tests ({rel_path(catalogue.root, problem.tests)} is missing)"
        )
    timeout = timeout_seconds()
    if args.reset:
        _reset(problem)
    file, created = _learner_file(problem, args.file)
    shown = rel_path(catalogue.root, file)
    print(_header(problem) + "\n")
    statement = problem.statement
    if statement:
        print(textwrap.indent(statement, "    ") + "\n")
    print(
        f"Your file: {shown}"
        + (" (new: a copy of the stub to write your solution in)" if created else "")
    )
    if args.reset and not args.watch:
        print(f"Write your solution there, then run: uv run handbook practice {problem.slug}")
        return 0
    require_tools(BASE_TOOLS)
    print()

    def once() -> int:
        return _test_once(catalogue, problem, file, timeout, watching=args.watch)

    if not args.watch:
        return once()
    try:
        return watch(file, once, label=shown)
    except children.Stopped as stop:
        if stop.signum != signal.SIGINT:
            raise
        with contextlib.suppress(OSError):
            print(f"\nStopped watching {shown}.")
        return 128 + stop.signum


# -- handbook hint and handbook solution -------------------------------------------------------


def cmd_hint(catalogue: Catalogue, args: argparse.Namespace) -> int:
    """Show the next hint not yet seen, and remember it; once all are seen, all of them."""
    tolerant_output()
    problem = find_problem(catalogue, args.slug)
    hints = problem.hints()
    slug = problem.slug
    store = Store(catalogue.root)
    if not hints:
        solved = store.load().problems.get(slug, ProblemRecord()).status == "solved"
        print(f"{slug} has no hints. The solution: {_solution_command(slug, solved)}")
        return 0
    before: list[int] = []
    solved_before: list[bool] = []

    def change(progress: Progress) -> None:
        record = progress.problem(slug)
        before.append(record.hints_shown)
        solved_before.append(record.status == "solved")
        record.hints_shown = min(record.hints_shown, len(hints))
        if record.hints_shown < len(hints):
            record.hints_shown += 1

    saved = store.update(change)  # a failure is reported once, there
    seen = min(before[0] if before else 0, len(hints))
    total = len(hints)
    if saved is None and seen < total:
        # Nothing remembers which hint was shown: one at a time would be hint 1 for ever.
        print(
            _fill(
                "Progress cannot be saved, so the hints cannot be shown one at a time: "
                f"here are all {plural(total, 'hint')} for {slug}, from a nudge to the idea."
            )
        )
        _all_hints(hints)
        return 0
    if seen < total:
        print(f"Hint {seen + 1} of {total} for {slug}:\n")
        print(textwrap.indent(textwrap.fill(hints[seen], 76), "    "))
        if seen + 1 < total:
            print(f"\nAnother one: uv run handbook hint {slug}")
        else:
            print(f"\nThat was the last one. Test your file: uv run handbook practice {slug}")
        return 0
    print(f"You have seen all {plural(total, 'hint')} for {slug}:")
    _all_hints(hints)
    command = _solution_command(slug, any(solved_before))
    if any(solved_before):
        print(f"\nCompare your solution with the reference: {command}")
    else:
        print(f"\nStill stuck? {command}")
    return 0


def _all_hints(hints: tuple[str, ...]) -> None:
    for i, hint in enumerate(hints, 1):
        print(f"\nHint {i} of {len(hints)}:\n")
        print(textwrap.indent(textwrap.fill(hint, 76), "    "))


def _solution_command(slug: str, solved: bool) -> str:
    """How to see the solution: it needs --reveal until the problem is solved."""
    return f"uv run handbook solution {slug}" + ("" if solved else " --reveal")


def cmd_solution(catalogue: Catalogue, args: argparse.Namespace) -> int:
    """Show the reference solution once the learner's file has passed, or with --reveal."""
    tolerant_output()
    problem = find_problem(catalogue, args.slug)
    slug = problem.slug
    store = Store(catalogue.root)
    solved = store.load().problems.get(slug, ProblemRecord()).status == "solved"
    if not solved and not args.reveal:
        print(
            f"{slug} is not solved yet: pass its tests first (uv run handbook practice {slug}), "
            f"or see the solution anyway: uv run handbook solution {slug} --reveal"
        )
        return 1
    source = problem.solution_source()
    if not solved:

        def change(progress: Progress) -> None:
            progress.problem(slug).reveals += 1

        store.update(change)
    print(
        f"The reference solution of {slug} ({rel_path(catalogue.root, problem.lesson.source)}):\n"
    )
    print(textwrap.indent(source, "    "))
    if problem.complexity:
        print("\nComplexity:")
        print(textwrap.indent(problem.complexity, "    "))
    return 0
