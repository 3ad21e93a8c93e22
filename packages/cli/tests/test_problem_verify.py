"""verify on practice problems: known-wrong solutions, the stub, and the problem contract."""

from __future__ import annotations

import textwrap
from pathlib import Path

from handbook.cli.catalogue import Catalogue
from handbook.cli.verify import Report, verify

from .conftest import HEADER, PYPROJECT

# The test module of a problem: it checks the file $HANDBOOK_SOLUTION names, or the reference.
TESTS = '''
from __future__ import annotations

import importlib
import os
import runpy
from typing import Any


class ComplexityError(AssertionError):
    """What a budget failure raises (handbook.leetcode.testing has one of this name)."""


def solve(*args: Any) -> Any:
    path = os.environ.get("HANDBOOK_SOLUTION")
    if path:
        return runpy.run_path(path)["add"](*args)
    return importlib.import_module("handbook.puzzles.add").add(*args)


def test_adds() -> None:
    assert solve(2, 3) == 5


def test_is_quick() -> None:
    if solve(0, 0) == "slow":
        raise ComplexityError("grew too fast")
    assert solve(1, 1) == 2
'''

PROBLEM = (
    HEADER.format(summary="Add two numbers.")
    + """
DIFFICULTY = "Easy"
TAGS = ("math",)
HINTS = ("Think of +.", "Use +.")


def add(a: int, b: int) -> int:
    return a + b
"""
)

EXPERIMENTS = """
[[experiment]]
name = "subtracts"
solution = "wrong/add/subtracts.py"
tests = ["test_adds"]
expect = "assertion"
why = "2 - 3 is not 5."

[[experiment]]
name = "slow"
solution = "wrong/add/slow.py"
tests = ["test_is_quick"]
expect = "complexity"
why = "It reports itself slow."
"""

STUB = """
def add(a: int, b: int) -> int:
    raise NotImplementedError("add is not written yet")
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


def make_problem_workspace(root: Path) -> Path:
    _write(root / "pyproject.toml", PYPROJECT)
    pkg = root / "packages" / "puzzles"
    _write(pkg / "src" / "handbook" / "puzzles" / "__init__.py", '"""Puzzles."""\n')
    _write(pkg / "src" / "handbook" / "puzzles" / "add.py", PROBLEM)
    _write(pkg / "tests" / "test_add.py", TESTS)
    _write(pkg / "experiments" / "add.toml", EXPERIMENTS)
    _write(pkg / "stubs" / "add.py", STUB)
    _write(pkg / "wrong" / "add" / "subtracts.py", "def add(a, b):\n    return a - b\n")
    _write(
        pkg / "wrong" / "add" / "slow.py",
        "def add(a, b):\n    return 'slow' if a == b == 0 else a + b\n",
    )
    return root


def run_verify(root: Path) -> Report:
    catalogue = Catalogue.load(root)
    return verify(catalogue, catalogue.select("puzzles"), runs=1, jobs=1, check_readmes=set())


def test_known_wrong_solutions_and_the_stub_are_proven(tmp_path: Path) -> None:
    report = run_verify(make_problem_workspace(tmp_path))
    assert report.problems == []
    assert sorted(report.proven) == ["puzzles.add:slow", "puzzles.add:subtracts"]


def test_a_test_that_passes_on_the_stub_is_reported(tmp_path: Path) -> None:
    root = make_problem_workspace(tmp_path)
    tests = root / "packages" / "puzzles" / "tests" / "test_add.py"
    tests.write_text(tests.read_text() + "\n\ndef test_nothing() -> None:\n    assert True\n")
    report = run_verify(root)
    assert [m for _, m in report.problems] == [
        "on the stub, test_nothing passed: every test must call the solution and fail "
        "with NotImplementedError"
    ]


def test_a_wrong_solution_that_passes_is_reported(tmp_path: Path) -> None:
    root = make_problem_workspace(tmp_path)
    (root / "packages" / "puzzles" / "wrong" / "add" / "subtracts.py").write_text(
        "def add(a, b):\n    return a + b\n"
    )
    report = run_verify(root)
    assert report.problems == [
        ("puzzles.add", "experiment 'subtracts' breaks nothing: the named tests still pass")
    ]


def test_the_problem_contract_is_checked(tmp_path: Path) -> None:
    root = make_problem_workspace(tmp_path)
    module = root / "packages" / "puzzles" / "src" / "handbook" / "puzzles" / "add.py"
    module.write_text(
        module.read_text()
        .replace('HINTS = ("Think of +.", "Use +.")', 'HINTS = ("Only one.",)')
        .replace('DIFFICULTY = "Easy"', 'DIFFICULTY = "easy"')
    )
    experiments = root / "packages" / "puzzles" / "experiments" / "add.toml"
    first = experiments.read_text().split("\n\n[[experiment]]")[0]
    experiments.write_text(first.replace("wrong/add/subtracts.py", "wrong/add/gone.py"))
    (root / "packages" / "puzzles" / "stubs" / "add.py").unlink()
    messages = sorted(m for _, m in run_verify(root).problems)
    assert messages == [
        "DIFFICULTY must be one of Easy, Medium, Hard (a literal)",
        "HINTS must be a literal tuple of at least 2 hints",
        "declares 1 known-wrong solution(s); a problem needs 2",
        "experiment 'subtracts': solution 'wrong/add/gone.py' does not exist",
        "no stub stubs/add.py for the learner to start from",
        "wrong/add/slow.py is named by no experiment: nothing proves it wrong",
        "wrong/add/subtracts.py is named by no experiment: nothing proves it wrong",
    ]


def test_a_wrong_solution_no_experiment_names_is_reported(tmp_path: Path) -> None:
    root = make_problem_workspace(tmp_path)
    (root / "packages" / "puzzles" / "wrong" / "add" / "forgotten.py").write_text(
        "def add(a, b):\n    return 0\n"
    )
    assert [m for _, m in run_verify(root).problems] == [
        "wrong/add/forgotten.py is named by no experiment: nothing proves it wrong"
    ]
