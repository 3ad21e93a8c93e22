"""``handbook practice``, ``hint``, ``solution`` and ``progress``, with the learner's code as
untrusted input.

Two kinds of workspace, both built in ``tmp_path``: ``tiny`` holds one small
problem (``add``, two tests) with the real harness (``handbook.leetcode.testing``
copied from this clone), so that an endless loop costs one short timeout;
``real`` holds a copy of the real ``two_sum``. Each run starts a real child
pytest, as a learner's does. No test waits on the clock: ``--watch`` is driven
by an injected sleep.
"""

from __future__ import annotations

import io
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import textwrap
import types
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from handbook.cli import _practice_plugin, children, practice, progress
from handbook.cli.commands import build_parser
from handbook.cli.main import main

REPO = Path(__file__).resolve().parents[3]
LEETCODE = REPO / "packages" / "leetcode"

TINY_MODULE = '''"""Add: the sum of two integers.

Return the sum of the integers ``a`` and ``b``.

Example: ``add(1, 2)`` gives ``3``.

Why interviewers ask this:
    It is small.

Common pitfalls:
    - Subtracting.

Key takeaways:
    - Add.

What to look for in an answer:
    The plus sign.

Complexity:
    O(1) time and space.
"""

DIFFICULTY = "Easy"
TAGS = ("math",)
HINTS = ("Think of arithmetic.", "Which operator combines two numbers into their sum?", "Use +.")


def add(a: int, b: int) -> int:
    """The sum."""
    return a + b
'''

TINY_STUB = '''"""Add.

Return the sum of the integers ``a`` and ``b``.
"""


def add(a: int, b: int) -> int:
    """The sum."""
    raise NotImplementedError("add is not written yet")
'''

TINY_TESTS = """
from handbook.leetcode.testing import Solution, check

add = Solution("add", "add")


def test_small_numbers() -> None:
    check(add, 1, 2, expected=3)


def test_negative_numbers() -> None:
    check(add, -1, -2, expected=-3)
"""

PYPROJECT = """\
[tool.pytest.ini_options]
addopts = ["--import-mode=importlib", "--strict-markers", "--strict-config"]
consider_namespace_packages = true
filterwarnings = ["error"]
timeout = 30
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _harness(root: Path) -> Path:
    """A workspace with the leetcode package's harness and no problem yet."""
    _write(root / "pyproject.toml", PYPROJECT)
    src = root / "packages" / "leetcode" / "src" / "handbook" / "leetcode"
    _write(src / "__init__.py", '"""Practice problems."""\n')
    shutil.copy(LEETCODE / "src" / "handbook" / "leetcode" / "testing.py", src / "testing.py")
    return root


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with one problem, ``add``, selected with HANDBOOK_ROOT."""
    root = _harness(tmp_path / "ws")
    pkg = root / "packages" / "leetcode"
    _write(pkg / "src" / "handbook" / "leetcode" / "add.py", TINY_MODULE)
    _write(pkg / "stubs" / "add.py", TINY_STUB)
    _write(pkg / "tests" / "test_add.py", TINY_TESTS)
    monkeypatch.setenv("HANDBOOK_ROOT", str(root))
    monkeypatch.setenv(practice.TIMEOUT_ENV, "1")
    monkeypatch.chdir(tmp_path)
    return root


@pytest.fixture
def real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with a copy of this clone's two_sum and the root pytest settings."""
    root = _harness(tmp_path / "ws")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    pkg = root / "packages" / "leetcode"
    for rel in (
        "src/handbook/leetcode/two_sum.py",
        "stubs/two_sum.py",
        "tests/test_two_sum.py",
    ):
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(LEETCODE / rel, pkg / rel)
    monkeypatch.setenv("HANDBOOK_ROOT", str(root))
    monkeypatch.chdir(tmp_path)
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def learner(root: Path, slug: str, source: str) -> Path:
    """Write the learner's ``practice/<slug>.py``."""
    path = root / "practice" / f"{slug}.py"
    _write(path, textwrap.dedent(source))
    return path


def recorded(root: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((root / ".handbook" / "progress.json").read_text())
    return data


def problem_record(root: Path, slug: str) -> dict[str, object]:
    problems = recorded(root)["problems"]
    assert isinstance(problems, dict)
    entry: dict[str, object] = problems[slug]
    return entry


# -- listing and finding problems --------------------------------------------------------------


def test_list_shows_difficulty_tags_status_and_a_summary(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "practice")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["problem", "difficulty", "tags", "status"]
    assert lines[1].split() == ["add", "Easy", "math", "new"]
    assert "\n1 problem: 0 solved, 0 attempted, 1 new.\n" in out
    assert "uv run handbook practice add" in out


@pytest.mark.parametrize("typed", ["two-sum", "Two_Sum", "twosum"])
def test_a_bad_slug_suggests_the_problem(
    real: Path, capsys: pytest.CaptureFixture[str], typed: str
) -> None:
    code, out, err = run(capsys, "practice", typed)
    assert code == 2
    assert err == f"handbook: error: unknown problem {typed!r}; did you mean 'two_sum'?\n"
    assert out == ""
    assert not (real / "practice").exists()


def test_the_lesson_id_names_the_problem_too(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learner(tiny, "add", "def add(a, b):\n    return a + b\n")
    code, out, _ = run(capsys, "practice", "leetcode.add")
    assert code == 0, out


@pytest.mark.parametrize("typed", ["practice/add.py", "./practice/add.py", "practice/add"])
def test_the_learners_file_names_the_problem_too(
    tiny: Path, capsys: pytest.CaptureFixture[str], typed: str
) -> None:
    learner(tiny, "add", SOUND)
    code, out, _ = run(capsys, "practice", typed)
    assert code == 0, out
    assert "Testing practice/add.py ..." in out


def test_a_near_miss_of_a_lesson_id_suggests_the_problem(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "practice", "leetcode.ad")
    assert code == 2
    assert err == "handbook: error: unknown problem 'leetcode.ad'; did you mean 'add'?\n"


def test_a_lesson_is_not_a_problem(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "practice", "demo.good")
    assert code == 2
    assert err.startswith(
        "handbook: error: demo.good is a lesson, not a practice problem: "
        "uv run handbook test demo.good"
    )


def test_commands_are_in_the_help() -> None:
    text = build_parser().format_help()
    for command in ("practice", "hint", "solution", "progress"):
        assert command in text


# -- the learner's file ------------------------------------------------------------------------


def test_the_stub_is_copied_once_and_never_overwritten(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "practice", "add")
    path = tiny / "practice" / "add.py"
    assert code == 1
    assert path.read_bytes() == (tiny / "packages/leetcode/stubs/add.py").read_bytes()
    assert "Return the sum of the integers `a` and `b`." in out  # the statement
    assert "Add: the sum" not in out  # the summary line names the technique: not shown
    assert "Why interviewers ask this" not in out
    assert "Your file: practice/add.py (new: a copy of the stub" in out
    assert "All 2 tests fail the same way" in out
    assert "NotImplementedError: add is not written yet" in out
    assert "0 of 2 tests pass." in out
    path.write_text("def add(a, b):\n    return a + b\n")
    before = path.read_bytes()
    code, out, _ = run(capsys, "practice", "add")
    assert code == 0
    assert path.read_bytes() == before
    assert "(new:" not in out


SOUND = "def add(a, b):\n    return a + b\n"


@pytest.mark.parametrize(
    ("source", "code", "expected"),
    [
        pytest.param(
            "def add(a, b)\n    return a + b\n",
            1,
            ["your file could not be used: practice/add.py, line 1: SyntaxError: expected ':'"],
            id="syntax-error",
        ),
        pytest.param(
            "import no_such_module_anywhere\n" + SOUND,
            1,
            [
                "your file could not be used: practice/add.py raised ModuleNotFoundError: "
                "No module named 'no_such_module_anywhere' while it was loaded"
            ],
            id="import-error",
        ),
        pytest.param(
            "def Add(a, b):\n    return a + b\n",
            1,
            ["practice/add.py defines no function add(); it defines Add(): name it add()"],
            id="misnamed-function",
        ),
        pytest.param(
            "def add(a, b):\n    return a + b if a > 0 else [a][b]\n",
            1,
            [
                "  ok    small numbers\n"
                "  FAIL  negative numbers\n"
                "        IndexError: list index out of range\n"
                "        while running add(-1, -2)\n"
                "        at practice/add.py, line 2: return a + b if a > 0 else [a][b]\n",
            ],
            id="exception-in-the-function",
        ),
        pytest.param(
            "import sys\n\ndef add(a, b):\n    sys.exit(3)\n",
            1,
            ["your code called sys.exit() (3): return the answer instead"],
            id="sys-exit-in-the-function",
        ),
        pytest.param(
            "import sys\nsys.exit()\n",
            1,
            ["your file could not be used: practice/add.py called exit() while it was loaded"],
            id="sys-exit-at-load",
        ),
        pytest.param(
            "def add(a, b):\n    return a - b\n",
            1,
            [
                "  FAIL  small numbers\n"
                "        wrong answer: add(1, 2)\n"
                "          expected: 3\n"
                "          got:      -1\n",
                "0 of 2 tests pass.",
            ],
            id="wrong-answer",
        ),
        pytest.param(
            "def add(a, b):\n    print('adding', a, b)\n    return a - b if a < 0 else a + b\n",
            1,
            [
                "  ok    small numbers\n  FAIL  negative numbers\n",
                "        your code printed:\n          adding -1 -2\n",
                "Your code printed to stdout in 2 tests (shown above for a failing test)",
                "1 of 2 tests passes.",
            ],
            id="prints-and-fails",
        ),
        pytest.param(
            "def add(a, b):\n    print('adding', a, b)\n    return a + b\n",
            0,
            ["Your code printed to stdout in 2 tests: fine for debugging", "2 of 2 tests pass."],
            id="prints-and-passes",
        ),
        pytest.param(
            "def add(a, b):\n    return int(input('a + b? '))\n",
            1,
            ["your code called input(): the tests pass the input as arguments"],
            id="input",
        ),
        pytest.param(
            "def add(a, b):\n    raise KeyboardInterrupt\n",
            1,
            [
                "  STOP  small numbers\n        KeyboardInterrupt was raised (by your code?)\n"
                "  (1 more test did not run: the run ended early)\n"
            ],
            id="keyboard-interrupt",
        ),
        pytest.param(
            "import ctypes\n\ndef add(a, b):\n    return ctypes.string_at(0)\n",
            1,
            [
                "  DIED  small numbers\n"
                "        the test process died in the middle of it (Fatal Python error: "
                "Segmentation fault)\n"
                "        at practice/add.py, line 4: return ctypes.string_at(0)\n"
            ],
            id="segfault",
        ),
        pytest.param(
            "class Odd(Exception):\n    def __str__(self):\n        raise ValueError\n\n"
            "def add(a, b):\n    raise Odd\n",
            1,
            ["Odd: <Odd whose str() raised ValueError>"],
            id="exception-whose-str-raises",
        ),
        pytest.param(
            SOUND,
            0,
            [
                "  ok    small numbers\n  ok    negative numbers\n",
                "2 of 2 tests pass.\nSolved! Compare with the reference: "
                "uv run handbook solution add\n",
            ],
            id="correct",
        ),
    ],
)
def test_learner_code_is_reported_in_words(
    tiny: Path,
    capsys: pytest.CaptureFixture[str],
    source: str,
    code: int,
    expected: list[str],
) -> None:
    path = learner(tiny, "add", source)
    before = path.read_bytes()
    got, out, err = run(capsys, "practice", "add")
    assert got == code, out
    for text in expected:
        assert text in out, out
    assert "Traceback" not in out + err
    assert err == ""
    assert path.read_bytes() == before  # the learner's file is never modified


def test_a_file_that_cannot_be_used_is_reported_once(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learner(tiny, "add", "def add(a, b)\n    return a + b\n")
    _, out, _ = run(capsys, "practice", "add")
    assert out.count("could not be used") == 1
    assert "FAIL" not in out


def test_an_endless_loop_times_out_and_stops_the_run(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learner(tiny, "add", "def add(a, b):\n    while True:\n        pass\n")
    code, out, err = run(capsys, "practice", "add")
    assert code == 1
    assert (
        "  FAIL  small numbers\n"
        "        did not finish within 1 s: an endless loop, or far too slow?\n"
        "        while running add(1, 2)\n"
        "        stopped at practice/add.py, line 2: while True:\n"
        "  (1 more test did not run: stopped after the timeout)\n"
    ) in out
    assert "0 of 2 tests pass." in out
    assert "Traceback" not in out + err


# On 3.11 the jump back to the top of the inner loop has no line number, and the
# frame's own is None there too: the report named the def line.
LINELESS_LOOP = """\
def add(a, b):
    while True:
        for x in [a, b]:
            if x == 99:
                pass
"""


def test_an_endless_loop_is_placed_inside_the_loop_on_every_version(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learner(tiny, "add", LINELESS_LOOP)
    code, out, _ = run(capsys, "practice", "add")
    assert code == 1
    lines = [line.strip() for line in out.splitlines() if "stopped at practice/add.py" in line]
    assert len(lines) == 1, out
    number = int(lines[0].split(", line ")[1].split(":")[0])
    assert number in {2, 3, 4, 5}, out  # never 1: the def line


def test_a_loop_at_the_top_of_the_file_is_said_to_be_in_its_loading(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learner(tiny, "add", "while True:\n    pass\n\n" + SOUND)
    code, out, _ = run(capsys, "practice", "add")
    assert code == 1
    assert (
        "        did not finish within 1 s: an endless loop, or far too slow?\n"
        "        while your file was being loaded\n"
        "        stopped at practice/add.py, line 1: while True:\n"
    ) in out
    assert "while running" not in out


# What --watch meets: the learner saves the file while its tests are still running.
SAVED_DURING_THE_RUN = """\
from pathlib import Path


def add(a, b):
    Path(__file__).write_text("def add(a, b):\\n    return a + b\\n" + "# saved\\n" * 9)
    while True:
        pass
"""


def test_a_save_during_the_run_does_not_change_the_line_shown(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learner(tiny, "add", SAVED_DURING_THE_RUN)
    code, out, _ = run(capsys, "practice", "add")
    assert code == 1
    assert "        stopped at practice/add.py, line 6: while True:\n" in out, out


def test_a_crash_after_a_save_gives_the_line_without_todays_text(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learner(
        tiny,
        "add",
        """
        import ctypes
        from pathlib import Path


        def add(a, b):
            Path(__file__).write_text("# saved\\n" * 9)
            return ctypes.string_at(0)
        """,
    )
    code, out, _ = run(capsys, "practice", "add")
    assert code == 1
    assert "        at practice/add.py, line 8 (of the file as it was then)\n" in out, out
    assert "# saved" not in out


def test_running_out_of_memory_is_reported_in_words(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the memory cap is set on Linux only")
    # 4 GiB of zeros: granted lazily without a cap, refused at once with one.
    learner(tiny, "add", "def add(a, b):\n    grid = bytes(4 << 30)\n    return a + b\n")
    code, out, _ = run(capsys, "practice", "add")
    assert code == 1, out
    assert (
        "  FAIL  small numbers\n"
        "        MemoryError: your code needed more than the 1 GiB of memory the tests allow:\n"
        "        does a list, a string or a dict grow without end?\n"
        "        while running add(1, 2)\n"
        "        at practice/add.py, line 2: grid = bytes(4 << 30)\n"
        "  (1 more test did not run: stopped after it ran out of memory)\n"
    ) in out, out


def test_memory_that_ran_out_is_given_back_before_the_failure_is_reported() -> None:
    # What filled the memory is a local of the learner's frame; pytest keeps the frames
    # while it formats the failure, and had too little memory left to do it in time.
    class Big:
        pass

    def fill() -> None:
        big = Big()
        kept.append(weakref.ref(big))
        raise MemoryError

    kept: list[weakref.ref[Big]] = []
    try:
        fill()
    except MemoryError as exc:
        excinfo = pytest.ExceptionInfo.from_exception(exc)
    call = types.SimpleNamespace(excinfo=excinfo, when="call")
    item = types.SimpleNamespace(nodeid="t.py::test_fill", session=types.SimpleNamespace())
    _practice_plugin.pytest_runtest_makereport(item, call)
    assert kept[0]() is None
    assert item.session.shouldstop == "a test ran out of memory"


def test_memory_that_ran_out_reading_back_a_loops_output_is_reported_as_the_loop() -> None:
    # An endless loop that prints: at its timeout pytest reads back gigabytes of output,
    # and runs out of memory while handling the timeout.
    def loop() -> None:
        raise pytest.fail.Exception("Timeout (>1.0s) from pytest-timeout.")

    try:
        try:
            loop()
        except pytest.fail.Exception as timeout:
            raise MemoryError from timeout
    except MemoryError as exc:
        excinfo = pytest.ExceptionInfo.from_exception(exc)
    call = types.SimpleNamespace(excinfo=excinfo, when="call")
    item = types.SimpleNamespace(nodeid="t.py::test_loop", session=types.SimpleNamespace())
    _practice_plugin.pytest_runtest_makereport(item, call)
    failure = _practice_plugin._failures[item.nodeid]
    assert failure["kind"] == "timeout"
    assert failure["notes"] == ["it printed more than the tests could keep in memory"]
    assert item.session.shouldstop == "a test did not finish in time"


def test_returning_none_is_explained_once(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    learner(tiny, "add", "def add(a, b):\n    total = a + b\n")
    code, out, _ = run(capsys, "practice", "add")
    assert code == 1
    assert (
        "  FAIL  small numbers\n"
        "        wrong answer: add(1, 2)\n"
        "          expected: 3\n"
        "          got:      None  (None: does every path of the function return a value?)\n"
        "  FAIL  negative numbers\n"
        "        returned None too, for add(-1, -2)\n"
    ) in out, out
    assert out.count("does every path") == 1


def test_stderr_and_logging_are_shown_like_stdout(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learner(
        tiny,
        "add",
        """
        import logging
        import sys


        def add(a, b):
            print("checking", a, b, file=sys.stderr)
            logging.warning("adding %s and %s", a, b)
            return a - b if a < 0 else a + b
        """,
    )
    code, out, _ = run(capsys, "practice", "add")
    assert code == 1
    assert (
        "        your code printed to stderr:\n"
        "          checking -1 -2\n"
        "        your code logged:\n"
        "          WARNING  root:add.py:8 adding -1 and -2\n"
    ) in out, out
    assert (
        "Your code printed to stderr, and logged in 2 tests (shown above for a failing test)"
    ) in out


def test_a_file_with_a_byte_order_mark_passes(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tiny / "practice" / "add.py"
    path.parent.mkdir()
    path.write_bytes(b"\xef\xbb\xbf" + SOUND.encode())  # what Notepad saves
    code, out, _ = run(capsys, "practice", "add")
    assert code == 0, out


def test_output_the_terminal_cannot_encode_is_escaped(
    tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    learner(
        tiny,
        "add",
        "def add(a, b):\n    print('trying \U0001f680 caf\u00e9')\n    return '\U0001f680'\n",
    )
    raw = io.BytesIO()
    # What a Windows pipe gets (its ANSI code page), or PYTHONIOENCODING=ascii.
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="ascii"))
    code = main(["practice", "add"])
    sys.stdout.flush()
    out = raw.getvalue().decode("ascii")
    assert code == 1
    assert "trying \\U0001f680 caf\\xe9" in out
    assert "got:      '\\U0001f680'" in out
    assert "0 of 2 tests pass." in out


def test_a_loop_that_swallows_the_timeout_is_killed(
    tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(practice, "_KILL_GRACE", 0.5)
    learner(
        tiny,
        "add",
        """
        def add(a, b):
            while True:
                try:
                    while True:
                        pass
                except BaseException:
                    pass
        """,
    )
    code, out, _ = run(capsys, "practice", "add")
    assert code == 1
    assert "  STUCK small numbers\n        did not finish within 1 s, and could not be" in out
    assert "(1 more test did not run" in out


def test_os_exit_in_the_learner_code_is_reported(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learner(
        tiny,
        "add",
        "import os\n\ndef add(a, b):\n    if a < 0:\n        os._exit(7)\n    return a + b\n",
    )
    code, out, _ = run(capsys, "practice", "add")
    assert code == 1
    assert "  ok    small numbers\n  DIED  negative numbers\n" in out
    assert "(exit code 7)" in out
    assert "1 of 2 tests passes." in out


def test_a_crashing_pytest_shows_its_raw_output(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learner(tiny, "add", SOUND)
    _write(tiny / "conftest.py", "raise RuntimeError('the conftest is broken')\n")
    code, out, err = run(capsys, "practice", "add")
    assert code == 1
    assert "The tests could not run (pytest ended with exit code" in out
    assert "the conftest is broken" in out
    assert err == ""
    assert not (tiny / ".handbook" / "progress.json").exists()  # not an attempt


# -- the real two_sum --------------------------------------------------------------------------


def test_a_correct_two_sum_passes(real: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = learner(
        real,
        "two_sum",
        """
        def two_sum(nums: list[int], target: int) -> list[int]:
            seen: dict[int, int] = {}
            for i, x in enumerate(nums):
                if target - x in seen:
                    return [seen[target - x], i]
                seen[x] = i
            return []
        """,
    )
    before = path.read_bytes()
    code, out, _ = run(capsys, "practice", "two_sum")
    assert code == 0, out
    assert "7 of 7 tests pass.\nSolved!" in out
    assert "uv run handbook solution two_sum" in out
    assert path.read_bytes() == before
    assert problem_record(real, "two_sum") == {
        "attempts": 1,
        "passes": 1,
        "hints_shown": 0,
        "reveals": 0,
        "status": "solved",
    }


def test_a_wrong_two_sum_shows_input_expected_and_got(
    real: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learner(
        real,
        "two_sum",
        """
        def two_sum(nums: list[int], target: int) -> list[int]:
            seen = {}
            for i, x in enumerate(nums):
                seen[x] = i
                if target - x in seen:
                    return [seen[target - x], i]
            return []
        """,
    )
    code, out, _ = run(capsys, "practice", "two_sum")
    assert code == 1
    assert (
        "  FAIL  the statement examples\n"
        "        wrong answer: two_sum([3, 2, 4], 6)\n"
        "          expected: [1, 2] (in any order)\n"
        "          got:      [0, 0]\n"
        "  FAIL  an element does not pair with itself\n"
        "        the same failure as 'the statement examples'\n"
    ) in out
    assert "uv run handbook hint two_sum" in out
    assert problem_record(real, "two_sum")["status"] == "attempted"


def test_a_quadratic_two_sum_shows_the_counts(
    real: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learner(
        real,
        "two_sum",
        """
        def two_sum(nums: list[int], target: int) -> list[int]:
            for i, x in enumerate(nums):
                rest = nums[i + 1 :]
                if target - x in rest:
                    return [i, i + 1 + rest.index(target - x)]
            return []
        """,
    )
    code, out, _ = run(capsys, "practice", "two_sum")
    assert code == 1
    assert "  FAIL  time is linear\n        too much work for the time budget:" in out
    assert "n=64:" in out
    assert "6 of 7 tests pass." in out


def test_a_growing_visited_set_is_told_as_memory_not_work(
    real: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg = real / "packages" / "leetcode"
    for rel in (
        "src/handbook/leetcode/__init__.py",
        "src/handbook/leetcode/_nodes.py",
        "src/handbook/leetcode/linked_list_cycle.py",
        "stubs/linked_list_cycle.py",
        "tests/test_linked_list_cycle.py",
    ):
        shutil.copy(LEETCODE / rel, pkg / rel)
    learner(
        real,
        "linked_list_cycle",
        """
        from handbook.leetcode import ListNode


        def has_cycle(head: ListNode | None) -> bool:
            seen: set[int] = set()
            while head is not None:
                if id(head) in seen:
                    return True
                seen.add(id(head))
                head = head.next
            return False
        """,
    )
    code, out, _ = run(capsys, "practice", "linked_list_cycle")
    assert code == 1
    assert "too much memory for the space budget: has_cycle: extra memory grew" in out
    assert "too much work" not in out


def test_file_tests_another_file(
    real: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "mine.py"
    other.write_text("def twoSum(nums, target):\n    return []\n")
    code, out, _ = run(capsys, "practice", "two_sum", "--file", str(other))
    assert code == 1
    assert f"{other} defines no function two_sum(); it defines twoSum(): name it two_sum()" in out
    assert not (real / "practice").exists()


def test_a_deep_path_does_not_cut_the_message_short(
    real: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Named in full, a file 200 characters deep would push "name it two_sum()" past
    # the width a line of the report is cut at.
    deep = tmp_path / ("d" * 100) / ("e" * 100)
    deep.mkdir(parents=True)
    other = deep / "mine.py"
    other.write_text("def twoSum(nums, target):\n    return []\n")
    code, out, _ = run(capsys, "practice", "two_sum", "--file", str(other))
    assert code == 1
    assert f"{other} defines no function two_sum(); it defines twoSum(): name it two_sum()" in out


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.py", "--file missing.py: no such file"),
        ("notes.txt", "--file notes.txt is not a .py file"),
        ("folder.py", "--file folder.py is a folder, not a Python file"),
        ("", "--file needs the path of a .py file"),
    ],
)
def test_file_must_be_an_existing_python_file(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "folder.py").mkdir()
    code, out, err = run(capsys, "practice", "add", "--file", name)
    assert code == 2
    assert out == ""
    assert err == f"handbook: error: {message}\n"


def test_a_bad_timeout_setting_is_a_clear_error(
    tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(practice.TIMEOUT_ENV, "soon")
    code, _, err = run(capsys, "practice", "add")
    assert code == 2
    assert "HANDBOOK_PRACTICE_TIMEOUT must be a positive number of seconds, got 'soon'" in err


def test_a_problem_without_a_stub_is_a_clear_error(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tiny / "packages/leetcode/stubs/add.py").unlink()
    code, _, err = run(capsys, "practice", "add")
    assert code == 2
    assert err == (
        "handbook: error: add has no stub to start from (packages/leetcode/stubs/add.py)\n"
    )


# -- --reset and --watch -----------------------------------------------------------------------


def test_reset_keeps_every_old_attempt(
    tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "utc_stamp", lambda: "20260102T030405Z")
    stub = (tiny / "packages/leetcode/stubs/add.py").read_bytes()
    attempts = tiny / ".handbook" / "attempts"
    learner(tiny, "add", "# first\n")
    code, out, _ = run(capsys, "practice", "add", "--reset")
    assert code == 0
    assert (
        "Your previous practice/add.py is now .handbook/attempts/add-20260102T030405Z.py.\n"
    ) in out
    assert (tiny / "practice/add.py").read_bytes() == stub
    learner(tiny, "add", "# second\n")
    run(capsys, "practice", "add", "--reset")  # the same second: a new name, not over the first
    assert (attempts / "add-20260102T030405Z.py").read_text() == "# first\n"
    assert (attempts / "add-20260102T030405Z-2.py").read_text() == "# second\n"
    assert (tiny / "practice/add.py").read_bytes() == stub
    assert "progress.json" not in os.listdir(tiny / ".handbook")  # a reset runs no tests


def test_watch_reruns_when_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "add.py"
    path.write_text("one")
    runs: list[str] = []
    said: list[str] = []
    looks: Iterator[Callable[[], object]] = iter(
        [
            lambda: None,  # nothing changed
            lambda: path.write_text("three"),  # size changes
            lambda: None,
            path.unlink,
            lambda: path.write_text("four"),
        ]
    )

    def sleep(seconds: float) -> None:
        assert seconds == practice.WATCH_INTERVAL
        next(looks)()

    def once() -> int:
        runs.append(path.read_text())
        return len(runs) % 2

    code = practice.watch(path, once, say=said.append, sleep=sleep, polls=5)
    assert runs == ["one", "three", "four"]
    assert code == 1
    assert "add.py is gone; waiting for it to come back." in said


def test_watch_a_same_size_save_is_seen_by_its_mtime(tmp_path: Path) -> None:
    path = tmp_path / "add.py"
    path.write_text("one")
    runs: list[str] = []

    def touch(seconds: float) -> None:
        stat = path.stat()
        path.write_text("two")
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))

    def once() -> int:
        runs.append(path.read_text())
        return 0

    practice.watch(path, once, say=lambda _: None, sleep=touch, polls=1)
    assert runs == ["one", "two"]


def test_watch_from_the_command_until_ctrl_c(
    tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = learner(tiny, "add", "def add(a, b):\n    return a - b\n")
    looks: list[Callable[[], object]] = [
        lambda: path.write_text(SOUND),
        lambda: None,
    ]

    def sleep(seconds: float) -> None:
        if not looks:
            raise children.Stopped(signal.SIGINT)  # what a Ctrl-C at the terminal raises
        looks.pop(0)()

    monkeypatch.setattr(practice, "_sleep", sleep)
    code, out, err = run(capsys, "practice", "add", "--watch")
    assert code == 130
    assert out.count("Testing practice/add.py ...") == 2
    assert "0 of 2 tests pass." in out
    assert "--- practice/add.py changed: testing it again ---" in out
    assert "2 of 2 tests pass.\nSolved!" in out
    assert out.endswith("\nStopped watching practice/add.py.\n")
    assert err == ""
    assert problem_record(tiny, "add")["attempts"] == 2


# -- hints and the solution --------------------------------------------------------------------


def test_hints_come_one_at_a_time_then_all_again(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outs = [run(capsys, "hint", "add")[1] for _ in range(4)]
    assert outs[0].startswith("Hint 1 of 3 for add:\n\n    Think of arithmetic.\n")
    assert "Another one: uv run handbook hint add" in outs[0]
    assert outs[1].startswith("Hint 2 of 3 for add:\n\n    Which operator")
    assert outs[2].startswith("Hint 3 of 3 for add:\n\n    Use +.\n")
    assert "That was the last one." in outs[2]
    assert outs[3].startswith("You have seen all 3 hints for add:\n")
    for hint in ("Think of arithmetic.", "Which operator", "Use +."):
        assert hint in outs[3]
    assert problem_record(tiny, "add")["hints_shown"] == 3


def test_once_solved_the_hints_point_to_the_solution_without_reveal(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learner(tiny, "add", SOUND)
    run(capsys, "practice", "add")
    outs = [run(capsys, "hint", "add")[1] for _ in range(4)]
    assert outs[3].endswith(
        "\nCompare your solution with the reference: uv run handbook solution add\n"
    )
    assert "--reveal" not in outs[3]


def test_hints_when_progress_cannot_be_saved_are_all_shown(
    tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(src: str, dst: str) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr("handbook.cli.progress.os.replace", fail)
    code, out, err = run(capsys, "hint", "add")
    assert code == 0
    assert out.startswith("Progress cannot be saved, so the hints cannot be shown one at a time")
    for hint in ("Think of arithmetic.", "Which operator", "Use +."):
        assert hint in out
    assert len(err.splitlines()) == 1


def test_an_unmovable_corrupt_progress_file_is_reported_once(
    tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tiny / ".handbook").mkdir()
    (tiny / ".handbook" / "progress.json").write_text("{not json")

    def refuse(*args: object, **kwargs: object) -> Path:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(progress, "move_aside", refuse)
    code, out, err = run(capsys, "hint", "add")
    assert code == 0
    assert "Think of arithmetic." in out
    [line] = err.splitlines()
    assert "cannot be moved aside (Operation not permitted): progress is not recorded" in line


def test_solution_is_refused_until_solved(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "solution", "add")
    assert code == 1
    assert out.count("\n") == 1  # one line
    assert "not solved yet" in out
    assert "uv run handbook solution add --reveal" in out
    assert not (tiny / ".handbook" / "progress.json").exists()


def test_reveal_shows_the_function_and_its_complexity_and_is_recorded(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "solution", "add", "--reveal")
    assert code == 0
    assert (
        '    def add(a: int, b: int) -> int:\n        """The sum."""\n        return a + b\n' in out
    )
    assert "\nComplexity:\n    O(1) time and space.\n" in out
    assert "Why interviewers ask this" not in out
    assert "HINTS" not in out
    assert problem_record(tiny, "add")["reveals"] == 1


def test_the_solution_of_a_solved_problem_needs_no_reveal(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learner(tiny, "add", SOUND)
    assert run(capsys, "practice", "add")[0] == 0
    code, out, _ = run(capsys, "solution", "add")
    assert code == 0
    assert "def add(a: int, b: int) -> int:" in out
    assert problem_record(tiny, "add")["reveals"] == 0


# -- the progress file -------------------------------------------------------------------------


def test_progress_counts_runs_and_passes(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    learner(tiny, "add", "def add(a, b):\n    return a - b\n")
    run(capsys, "practice", "add")
    assert problem_record(tiny, "add")["status"] == "attempted"
    assert run(capsys, "practice")[1].splitlines()[1].split() == [
        "add",
        "Easy",
        "math",
        "attempted",
    ]
    learner(tiny, "add", SOUND)
    run(capsys, "practice", "add")
    learner(tiny, "add", "def add(a, b):\n    return 0\n")
    run(capsys, "practice", "add")
    assert problem_record(tiny, "add") == {
        "attempts": 3,
        "passes": 1,
        "hints_shown": 0,
        "reveals": 0,
        "status": "solved",  # for good: a later failing run does not undo it
    }


def test_progress_is_replaced_atomically(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = progress.Store(tiny)
    store.update(lambda p: setattr(p.problem("add"), "attempts", 1))
    before = store.path.read_bytes()
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        replaced.append((src, dst))
        real_replace(src, dst)

    monkeypatch.setattr("handbook.cli.progress.os.replace", spy)
    store.update(lambda p: setattr(p.problem("add"), "attempts", 2))
    [(src, dst)] = replaced
    assert Path(src).parent == store.folder  # the same file system: a rename, never a copy
    assert Path(dst) == store.path
    assert problem_record(tiny, "add")["attempts"] == 2

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("handbook.cli.progress.os.replace", fail)
    store.path.write_bytes(before)
    assert store.update(lambda p: setattr(p.problem("add"), "attempts", 3)) is None
    assert store.path.read_bytes() == before  # the old file is whole
    assert sorted(os.listdir(store.folder)) == ["progress.json", "progress.lock"]  # no temp file


def test_a_failure_to_save_progress_is_one_line_and_not_fatal(
    tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(src: str, dst: str) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr("handbook.cli.progress.os.replace", fail)
    learner(tiny, "add", SOUND)
    code, out, err = run(capsys, "practice", "add")
    assert code == 0
    # Not recorded as solved, so `handbook solution` needs --reveal: it says so.
    assert "Solved! (Progress could not be saved.) Compare with the reference: " in out
    assert "uv run handbook solution add --reveal\n" in out
    assert err == (
        "handbook: warning: progress not saved in .handbook/progress.json: Read-only file system\n"
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "is not a progress file: not valid JSON"),
        ('{"version": 1, "problems": {"add": {"attempts": -1}}}', "problems.add.attempts"),
        ('{"version": 1, "problems": []}', "'problems' is not an object"),
        ("[]", "not a JSON object"),
        ('{"version": 99}', "unknown version 99"),
        # Deeper than the JSON decoder goes, on every version: a RecursionError.
        ('{"version": 1, "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ('{"version": 1}' + " " * progress.MAX_SIZE, "larger than 1,048,576 bytes"),
    ],
    ids=["not-json", "negative", "not-an-object", "a-list", "version", "deep", "huge"],
)
def test_a_corrupt_progress_file_is_moved_aside(
    tiny: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    content: str,
    reason: str,
) -> None:
    monkeypatch.setattr(progress, "utc_stamp", lambda: "20260102T030405Z")
    folder = tiny / ".handbook"
    folder.mkdir()
    (folder / "progress.json").write_text(content)
    code, out, err = run(capsys, "hint", "add")
    assert code == 0
    assert out.startswith("Hint 1 of 3 for add:")
    [line] = err.splitlines()
    assert line.startswith("handbook: warning: .handbook/progress.json ")
    assert reason in line
    assert line.endswith(
        "moved it to .handbook/progress.json.corrupt-20260102T030405Z and started afresh"
    )
    assert (folder / "progress.json.corrupt-20260102T030405Z").read_text() == content
    assert problem_record(tiny, "add")["hints_shown"] == 1


def test_an_unreadable_progress_file_is_moved_aside(
    tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "utc_stamp", lambda: "20260102T030405Z")
    (tiny / ".handbook" / "progress.json").mkdir(parents=True)  # read() fails: a folder
    code, _, err = run(capsys, "practice")
    assert code == 0
    assert "progress.json cannot be read" in err
    assert (tiny / ".handbook" / "progress.json.corrupt-20260102T030405Z").is_dir()


def test_lesson_tests_and_breaks_are_recorded(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["test", "demo.good", "--", "-q", "-p", "no:cacheprovider"]) == 0
    assert main(["test", "demo", "--", "-q", "-p", "no:cacheprovider"]) in (0, 1)  # a domain
    # A -k that selects nothing runs nothing: neither a pass nor a failure.
    assert main(["test", "demo.good", "--", "-q", "-p", "no:cacheprovider", "-k", "nothing"]) == 5
    assert main(["break", "demo.good", "add-instead"]) == 0
    assert main(["break", "demo.good"]) == 0  # a listing is no run
    capsys.readouterr()
    lessons = recorded(workspace)["lessons"]
    assert lessons == {
        "demo.good": {
            "tests": 1,
            "passes": 1,
            "last_passed": True,
            "breaks": 1,
            "experiments": ["add-instead"],
        }
    }
    code, out, _ = run(capsys, "progress")
    assert code == 0
    assert out.startswith("Lessons: 1 tested of 5 lessons, 1 passed, 1 broken\n")
    assert "demo.good  tested 1 time (last passed); broken with add-instead" in out
    assert "Problems: 0 solved, 0 attempted, 0 new, of 0 problems" in out


def test_progress_summarises_problems(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "progress")
    assert code == 0
    assert "Nothing recorded yet." in out
    # The problem is counted as a problem, not as a lesson.
    assert out.startswith("Lessons: 0 tested of 0 lessons, 0 passed, 0 broken\n")
    run(capsys, "hint", "add")
    run(capsys, "solution", "add", "--reveal")
    code, out, _ = run(capsys, "progress")
    assert (
        "Problems: 0 solved, 0 attempted, 1 new, of 1 problem; 1 hint and 1 reveal used\n"
        "  add  new        0 runs, 1 hint, 1 reveal\n"
    ) in out


def test_a_problems_test_run_is_not_a_lesson(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["test", "leetcode.add", "--", "-q", "-p", "no:cacheprovider"]) == 0
    capsys.readouterr()
    assert not (tiny / ".handbook" / "progress.json").exists()
    # A record an older handbook made of it is not counted either.
    (tiny / ".handbook").mkdir()
    (tiny / ".handbook" / "progress.json").write_text(
        json.dumps({"version": 1, "lessons": {"leetcode.add": {"tests": 1, "passes": 1}}})
    )
    code, out, _ = run(capsys, "progress")
    assert code == 0
    assert out.startswith("Lessons: 0 tested of 0 lessons, 0 passed, 0 broken\n")
    assert "leetcode.add" not in out


# -- stopping ----------------------------------------------------------------------------------

GUARD = 60.0  # seconds; only reached when something hangs

BLOCKING = """
import os
import threading


def add(a, b):
    with open(os.environ["HANDBOOK_TEST_FIFO"], "w") as fifo:
        fifo.write(f"{os.getpid()}\\n")
    threading.Event().wait()
"""


def _default_signals() -> None:
    for sig in children.STOP_SIGNALS:
        signal.signal(sig, signal.SIG_DFL)


def _start(root: Path, tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "handbook.cli.main", *args],
        env={
            **{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
            "HANDBOOK_ROOT": str(root),
            "HANDBOOK_TEST_FIFO": str(tmp_path / "fifo"),
            practice.TIMEOUT_ENV: str(GUARD),
            "TMPDIR": str(tmp),
        },
        preexec_fn=_default_signals,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigterm_during_a_run_kills_the_tests_and_cleans_up(tiny: Path, tmp_path: Path) -> None:
    learner(tiny, "add", BLOCKING)
    os.mkfifo(tmp_path / "fifo")
    reader = os.open(tmp_path / "fifo", os.O_RDWR | os.O_NONBLOCK)
    proc = _start(tiny, tmp_path, "practice", "add")
    try:
        assert select.select([reader], [], [], GUARD)[0], "the learner's code never ran"
        pid = int(os.read(reader, 100).split()[0])
        pidfd = os.pidfd_open(pid)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=GUARD)
    finally:
        os.close(reader)
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 128 + signal.SIGTERM
    assert err.splitlines() == ["handbook: stopped by SIGTERM; your working tree is unchanged"]
    assert select.select([pidfd], [], [], GUARD)[0], "the test process survived"
    os.close(pidfd)
    assert [p.name for p in (tmp_path / "tmp").iterdir()] == []
    assert not (tiny / ".handbook" / "progress.json").exists()  # a stopped run proves nothing


def test_ctrl_c_ends_watch_mode(tiny: Path, tmp_path: Path) -> None:
    learner(tiny, "add", SOUND)
    proc = _start(tiny, tmp_path, "practice", "add", "--watch")
    assert proc.stdout is not None
    try:
        fd = proc.stdout.fileno()
        seen = b""
        while b"\nWatching practice/add.py" not in seen:
            assert select.select([fd], [], [], GUARD)[0], "it never started watching"
            chunk = os.read(fd, 4096)
            assert chunk, seen.decode()
            seen += chunk
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=GUARD)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130
    assert "2 of 2 tests pass." in seen.decode()
    assert out.strip() == "Stopped watching practice/add.py."
    assert err == ""
