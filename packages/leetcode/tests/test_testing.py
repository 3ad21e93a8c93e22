"""The harness the problems' tests share: loading a learner's file, checking answers,
and counting operations. Each claim of the package README about counting is tested here."""

from __future__ import annotations

import itertools
import sys
import textwrap
import traceback
from pathlib import Path

import pytest

from handbook.leetcode.testing import (
    SOLUTION_ENV,
    ComplexityError,
    CountedStr,
    Solution,
    SolutionError,
    WrongAnswer,
    assert_constant_space,
    assert_time_budget,
    check,
    count_operations,
    counted_ints,
)


@pytest.fixture
def learner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A learner's file that the solution loader reads; written by each test."""
    path = tmp_path / "attempt.py"
    monkeypatch.setenv(SOLUTION_ENV, str(path))
    return path


def write(path: Path, source: str) -> Solution:
    path.write_text(textwrap.dedent(source))
    # Each test has its own tmp_path: the loader caches a file (by path) once per process.
    return Solution("two_sum", "two_sum")


def test_without_the_variable_the_reference_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SOLUTION_ENV, raising=False)
    solve = Solution("two_sum", "two_sum")
    assert solve.module().__name__ == "handbook.leetcode.two_sum"
    assert solve([2, 7, 11, 15], 9) == [0, 1]


def test_a_syntax_error_names_the_line(learner: Path) -> None:
    solve = write(learner, "def two_sum(nums, target)\n    return []\n")
    with pytest.raises(
        SolutionError, match=r"attempt.py, line 1: SyntaxError: .*\n    def two_sum"
    ):
        solve([1, 2], 3)


def test_an_exception_while_loading_names_the_line(learner: Path) -> None:
    solve = write(learner, "import os\nx = 1 / 0\n")
    with pytest.raises(SolutionError) as info:
        solve([1, 2], 3)
    assert str(info.value) == (
        "attempt.py raised ZeroDivisionError: division by zero while it was loaded\n"
        "    at attempt.py, line 2: x = 1 / 0"
    )


def test_the_failure_is_remembered_and_the_file_runs_once(
    learner: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    solve = write(learner, "import sys\nsys.stderr.write('loaded\\n')\nraise ValueError('no')\n")
    messages = []
    for _ in range(3):
        with pytest.raises(SolutionError) as info:
            solve([1, 2], 3)
        messages.append(str(info.value))
    assert len(set(messages)) == 1
    assert capsys.readouterr().err == "loaded\n"


def test_exit_while_loading_is_a_solution_error(learner: Path) -> None:
    solve = write(learner, "raise SystemExit(3)\n")
    with pytest.raises(SolutionError, match="called exit"):
        solve([1, 2], 3)


def test_a_camel_case_name_gets_a_hint(learner: Path) -> None:
    solve = write(learner, "def twoSum(nums, target):\n    return []\n")
    with pytest.raises(SolutionError, match=r"defines no function two_sum\(\); it defines twoSum"):
        solve([1, 2], 3)


def test_leetcodes_class_solution_gets_a_hint(learner: Path) -> None:
    solve = write(
        learner, "class Solution:\n    def twoSum(self, nums, target):\n        return []\n"
    )
    with pytest.raises(SolutionError, match="module-level function two_sum"):
        solve([1, 2], 3)


def test_a_name_that_is_not_a_function_is_refused(learner: Path) -> None:
    solve = write(learner, "two_sum = [0, 1]\n")
    with pytest.raises(SolutionError, match=r"two_sum in attempt\.py is a list, not a function"):
        solve([1, 2], 3)


def test_a_missing_file_is_a_solution_error(learner: Path) -> None:
    with pytest.raises(SolutionError, match="no such file"):
        Solution("two_sum", "two_sum")([1, 2], 3)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\xef\xbb\xbfdef two_sum(nums, target):\n    return [0, 1]\n", id="bom"),
        pytest.param(
            b"# -*- coding: latin-1 -*-\n# caf\xe9\ndef two_sum(nums, target):\n"
            b"    return [0, 1] if '\xe9' else []\n",
            id="pep-263",
        ),
        pytest.param(b"def two_sum(nums, target):\r\n    return [0, 1]\r\n", id="crlf"),
    ],
)
def test_a_file_python_runs_is_loaded(learner: Path, data: bytes) -> None:
    learner.write_bytes(data)
    assert Solution("two_sum", "two_sum")([3, 4], 7) == [0, 1]


def test_a_file_that_is_not_utf8_names_the_line(learner: Path) -> None:
    learner.write_bytes(b"def two_sum(nums, target):\n    return 'caf\xe9'\n")
    with pytest.raises(SolutionError) as info:
        Solution("two_sum", "two_sum")([1, 2], 3)
    message = str(info.value)
    assert message.startswith("attempt.py, line 2: SyntaxError: (unicode error) 'utf-8' codec")
    assert "; save the file as UTF-8" in message


def test_a_comment_that_is_not_utf8_is_refused_as_python_does(learner: Path) -> None:
    # compile() skips a comment's bytes; `python attempt.py` refuses the file.
    learner.write_bytes(b"# caf\xe9\ndef two_sum(nums, target):\n    return [0, 1]\n")
    with pytest.raises(SolutionError) as info:
        Solution("two_sum", "two_sum")([1, 2], 3)
    assert str(info.value) == (
        "attempt.py, line 1: not UTF-8 text (invalid continuation byte): save the file as UTF-8"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            b"x = 1\ny = '\x00'\n",
            "attempt.py, line 2: the file contains a null byte (\\x00), which Python source "
            "cannot: save it as UTF-8 text",
            id="null-byte",
        ),
        pytest.param(
            "def two_sum(nums, target):\n    return []\n".encode("utf-16"),
            "attempt.py is saved as UTF-16, not UTF-8: save it as UTF-8 text",
            id="utf-16",
        ),
    ],
)
def test_bytes_that_are_not_source_are_named(learner: Path, data: bytes, message: str) -> None:
    learner.write_bytes(data)
    with pytest.raises(SolutionError) as info:
        Solution("two_sum", "two_sum")([1, 2], 3)
    assert str(info.value) == message


# A file saved again while its tests run (``handbook practice --watch``): the traceback
# must show the line that ran, not the line now on disk with the same number.
SAVES_ITSELF = """\
from pathlib import Path

def two_sum(nums, target):
    Path(__file__).write_text("# saved again\\n" * 9)
    return [nums[9], 0]
"""


def test_a_traceback_shows_the_line_that_ran_after_the_file_is_saved_again(
    learner: Path,
) -> None:
    solve = write(learner, SAVES_ITSELF)
    with pytest.raises(IndexError) as info:
        solve([3, 2, 4], 6)
    frames = traceback.extract_tb(info.value.__traceback__)
    assert [(f.lineno, f.line) for f in frames if f.filename == str(learner)] == [
        (5, "return [nums[9], 0]")
    ]


def test_a_load_failure_after_a_save_shows_the_line_that_ran(learner: Path) -> None:
    solve = write(
        learner, "from pathlib import Path\nPath(__file__).write_text('# saved\\n' * 9)\n1 / 0\n"
    )
    with pytest.raises(SolutionError) as info:
        solve([1, 2], 3)
    assert str(info.value).endswith("\n    at attempt.py, line 3: 1 / 0")


def test_a_wrong_answer_shows_the_call_expected_and_got(learner: Path) -> None:
    solve = write(learner, "def two_sum(nums, target):\n    nums.clear()\n    return None\n")
    with pytest.raises(WrongAnswer) as info:
        check(solve, [3, 2, 4], 6, expected=[1, 2], key=sorted, note="in any order")
    # The input is shown as it was before the solution emptied it.
    assert str(info.value) == (
        "two_sum([3, 2, 4], 6)\n"
        "  expected: [1, 2] (in any order)\n"
        "  got:      None  (None: does every path of the function return a value?)"
    )


def test_an_exception_in_the_solution_gets_a_note_naming_the_call(learner: Path) -> None:
    solve = write(learner, "def two_sum(nums, target):\n    return [nums[9], 0]\n")
    with pytest.raises(IndexError) as info:
        check(solve, [3, 2, 4], 6, expected=[1, 2])
    assert info.value.__notes__ == ["while running two_sum([3, 2, 4], 6)"]


def test_membership_inside_builtins_is_counted(learner: Path) -> None:
    solve = write(learner, "def two_sum(nums, target):\n    return [int(target in nums), 0]\n")
    # One line either way; the comparisons inside `in` are what grows.
    few = count_operations(solve, counted_ints(range(10)), -1)
    many = count_operations(solve, counted_ints(range(1000)), -1)
    assert many - few == 990


def test_loops_in_the_learners_file_are_counted_by_instruction(learner: Path) -> None:
    solve = write(
        learner,
        """
        def two_sum(nums, target):
            total = 0
            for _ in range(target):
                total += 1
            return [total, 0]
        """,
    )
    counts = [count_operations(solve, [], n) for n in (10, 20, 30)]
    # Each iteration runs the same instructions: the counts grow by equal steps.
    assert counts[2] - counts[1] == counts[1] - counts[0] > 10


def test_counts_are_the_same_on_every_run(learner: Path) -> None:
    solve = write(learner, "def two_sum(nums, target):\n    return sorted(set(nums))[:2]\n")
    nums = counted_ints([5, 3, 9, 1, 7] * 40)
    assert len({count_operations(solve, nums, 0) for _ in range(5)}) == 1


def test_a_quadratic_solution_fails_a_linear_budget_and_stops_early(learner: Path) -> None:
    solve = write(
        learner,
        """
        def two_sum(nums, target):
            for i in range(len(nums)):
                for j in range(i + 1, len(nums)):
                    if nums[i] + nums[j] == target:
                        return [i, j]
            return []
        """,
    )
    with pytest.raises(ComplexityError) as info:
        assert_time_budget(solve, lambda n: (counted_ints(range(n)), -1), "O(n)")
    message = str(info.value)
    assert "grew faster than O(n): n=64: " in message
    assert "then n=256: more than" in message
    assert "counting stopped there" in message


def test_a_linear_solution_passes_and_an_n_log_n_one_too(learner: Path) -> None:
    solve = write(learner, "def two_sum(nums, target):\n    return sorted(nums)[:2]\n")
    counts = assert_time_budget(solve, lambda n: (counted_ints(range(n, 0, -1)), 0), "O(n)")
    ratios = [b / a for a, b in itertools.pairwise(counts)]
    # Sorting n reversed items is a log factor over linear: inside the x8 allowance.
    assert all(3 < r < 8 for r in ratios)


def test_a_linear_scan_fails_a_logarithmic_budget(learner: Path) -> None:
    solve = write(learner, "def two_sum(nums, target):\n    return [nums.index(target), 0]\n")
    with pytest.raises(ComplexityError, match="faster than O\\(log n\\)"):
        assert_time_budget(solve, lambda n: (counted_ints(range(n)), n - 1), "O(log n)")


def test_counting_stops_even_if_the_solution_catches_exceptions(learner: Path) -> None:
    solve = write(
        learner,
        """
        def two_sum(nums, target):
            try:
                return [sum(1 for a in nums for b in nums if a == b), 0]
            except Exception:
                return [0, 0]
        """,
    )
    with pytest.raises(ComplexityError):
        assert_time_budget(solve, lambda n: (counted_ints(range(n)), 0), "O(n)")


def test_counted_strings_count_the_characters_in_and_a_slice_touch(learner: Path) -> None:
    solve = write(
        learner, "def two_sum(nums, target):\n    return [int('z' in nums), len(nums[3:50])]\n"
    )
    few = count_operations(solve, CountedStr("a" * 100), 0)
    many = count_operations(solve, CountedStr("a" * 1000), 0)
    # `in` reads the whole string (900 more characters); the slice is 47 long in both.
    assert many - few == 900
    assert isinstance(CountedStr("abc")[1:], CountedStr)


def test_an_unknown_budget_or_uneven_sizes_are_refused() -> None:
    solve = Solution("two_sum", "two_sum")
    with pytest.raises(ValueError, match="budget must be one of"):
        assert_time_budget(solve, lambda n: ([1, 2], 3), "O(n!)")
    with pytest.raises(ValueError, match="sizes must grow by 4"):
        assert_time_budget(solve, lambda n: ([1, 2], 3), "O(n)", sizes=(10, 20))


def test_constant_space_rejects_a_set_that_grows_with_the_input(learner: Path) -> None:
    solve = write(learner, "def two_sum(nums, target):\n    seen = set(nums)\n    return [0, 1]\n")
    with pytest.raises(ComplexityError, match="extra memory grew with the input"):
        assert_constant_space(solve, lambda n: (list(range(n)), 0))


def test_constant_space_accepts_a_loop_with_two_variables(learner: Path) -> None:
    solve = write(
        learner,
        """
        def two_sum(nums, target):
            best = 0
            for x in nums:
                best = max(best, x)
            return [best, 0]
        """,
    )
    peaks = assert_constant_space(solve, lambda n: (list(range(n)), 0))
    assert peaks[-1] - peaks[0] <= 2048


def test_an_endless_loop_stops_at_the_first_size(learner: Path) -> None:
    solve = write(learner, "def two_sum(nums, target):\n    while True:\n        pass\n")
    with pytest.raises(ComplexityError, match="more than 10,000,000 operations at the smallest"):
        assert_time_budget(solve, lambda n: ([1, 2], 3), "O(n)")


@pytest.mark.skipif(sys.version_info < (3, 12), reason="sys.monitoring is new in 3.12")
def test_counting_leaves_the_debugger_tool_id_free(learner: Path) -> None:
    # pytest-timeout stops timing a test when a tool holds DEBUGGER_ID: a loop would hang.
    monitoring = sys.monitoring  # type: ignore[attr-defined,unused-ignore]
    seen: list[object] = []
    solve = write(learner, "def two_sum(nums, target):\n    return [0, 1]\n")
    original = monitoring.use_tool_id

    def spy(tool: int, name: str) -> None:
        seen.append(tool)
        original(tool, name)

    monitoring.use_tool_id = spy
    try:
        count_operations(solve, [1, 2], 3)
    finally:
        monitoring.use_tool_id = original
    assert seen
    assert monitoring.DEBUGGER_ID not in seen


def test_a_recursion_error_gets_a_note_naming_the_limit(learner: Path) -> None:
    solve = write(
        learner,
        """
        def two_sum(nums, target):
            return two_sum(nums, target)
        """,
    )
    with pytest.raises(RecursionError) as info:
        check(solve, [1, 2], 3, expected=[0, 1])
    notes = info.value.__notes__
    assert notes[0] == "while running two_sum([1, 2], 3)"
    assert f"sys.getrecursionlimit() is {sys.getrecursionlimit()}" in notes[1]
