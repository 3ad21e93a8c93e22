"""The experiment format: validation errors name the problem; edits are exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.cli.experiments import Experiment, ExperimentError, apply, load_experiments

VALID = """
[[experiment]]
name = "no-lock"
replace = "if True:"
tests = ["test_a"]
expect = "assertion"
why = "Because."
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lesson.toml"
    path.write_text(text)
    return path


def test_valid_file_loads(tmp_path: Path) -> None:
    [exp] = load_experiments(write(tmp_path, VALID))
    assert exp == Experiment("no-lock", ("test_a",), "assertion", "Because.", replace="if True:")
    assert exp.anchor == "# break[no-lock]"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('name = "no-lock"', 'name = "No Lock"', "'name' must be kebab-case"),
        ('expect = "assertion"', 'expect = "boom"', "'expect' must be 'assertion'"),
        ('tests = ["test_a"]', "tests = []", "'tests' must be a non-empty list"),
        ('why = "Because."', 'why = " "', "'why' must explain"),
        ('replace = "if True:"', "delete = true\nreplace = 'x'", "exactly one of"),
        ('replace = "if True:"', "", "exactly one of"),
        ('expect = "assertion"', 'expect = "timeout"', "needs 'timeout = <seconds>'"),
        ('why = "Because."', 'why = "B."\ncolour = 1', "unknown key(s) colour"),
        ('name = "no-lock"', 'name = "no-lock"\nfile = "../x.py"', "'file' must be a path"),
        ('replace = "if True:"', 'solution = "wrong/x.py"\nfile = "y.py"', "takes no 'replace'"),
        ('replace = "if True:"', 'solution = "wrong/x.py"\ndelete = true', "takes no 'replace'"),
        ('replace = "if True:"', 'solution = "/tmp/x.py"', "'solution' must be a relative"),
        ('replace = "if True:"', 'solution = "../x.py"', "'solution' must be a path inside"),
        ('replace = "if True:"', 'solution = "wrong/x.txt"', "'solution' must name a .py file"),
    ],
)
def test_invalid_entries_are_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(ExperimentError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_experiments(write(tmp_path, VALID.replace(old, new)))


def test_a_known_wrong_solution_replaces_the_whole_solution(tmp_path: Path) -> None:
    text = VALID.replace('replace = "if True:"', 'solution = "wrong/x/quadratic.py"').replace(
        '"assertion"', '"complexity"'
    )
    [exp] = load_experiments(write(tmp_path, text))
    assert (exp.solution, exp.replace, exp.delete, exp.expect) == (
        "wrong/x/quadratic.py",
        None,
        False,
        "complexity",
    )


def test_duplicate_names_rejected(tmp_path: Path) -> None:
    with pytest.raises(ExperimentError, match="used twice"):
        load_experiments(write(tmp_path, VALID + VALID))


def test_invalid_toml_rejected(tmp_path: Path) -> None:
    with pytest.raises(ExperimentError, match="invalid TOML"):
        load_experiments(write(tmp_path, "[[experiment]\n"))


def test_exception_kind_accepted(tmp_path: Path) -> None:
    [exp] = load_experiments(write(tmp_path, VALID.replace("assertion", "exception:KeyError")))
    assert exp.expect == "exception:KeyError"


def test_apply_keeps_indentation_and_splits_lines() -> None:
    exp = Experiment("x", ("t",), "assertion", "w", replace="a = 1\nb = 2")
    source = "def f():\n    pass  # break[x]\n    return 0\n"
    assert apply(source, exp) == "def f():\n    a = 1\n    b = 2\n    return 0\n"


def test_apply_delete_removes_the_line() -> None:
    exp = Experiment("x", ("t",), "assertion", "w", delete=True)
    assert apply("a\nb  # break[x]\nc\n", exp) == "a\nc\n"


def test_anchor_is_not_a_prefix_match() -> None:
    exp = Experiment("x", ("t",), "assertion", "w", delete=True)
    with pytest.raises(ExperimentError, match="matched 0"):
        apply("a  # break[x-y]\n", exp)


def test_apply_refuses_ambiguous_anchor() -> None:
    exp = Experiment("x", ("t",), "assertion", "w", delete=True)
    with pytest.raises(ExperimentError, match="exactly one line, matched 2"):
        apply("a  # break[x]\nb  # break[x]\n", exp)


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("/etc/hostname", "'file' must be a relative path"),
        ("C:/lesson.py", "'file' must be a relative path"),
        (".", "'file' must name a file, not a folder"),
        ("", "'file' must be the name of a source file"),
        ("../x.py", "'file' must be a path inside the package source"),
    ],
)
def test_file_must_be_a_relative_path_inside_the_package(
    tmp_path: Path, file: str, message: str
) -> None:
    text = VALID.replace('name = "no-lock"', f'name = "no-lock"\nfile = "{file}"')
    with pytest.raises(ExperimentError, match=message):
        load_experiments(write(tmp_path, text))
