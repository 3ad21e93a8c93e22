"""Break-it experiments: the TOML format, its validation, and applying an edit.

An experiment file ``packages/<domain>/experiments/<lesson>.toml`` holds
``[[experiment]]`` tables; the README's contributor section documents them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

EXPECT_KINDS = ("assertion", "timeout", "complexity")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_EXCEPTION = re.compile(r"^exception:[A-Za-z_][A-Za-z0-9_]*$")
_KEYS = {"name", "replace", "delete", "file", "solution", "tests", "expect", "why", "timeout"}


class ExperimentError(Exception):
    """An experiment file or entry that does not follow the format."""


@dataclass(frozen=True)
class Experiment:
    """One declarative edit to a lesson that must make named tests fail.

    A practice problem's experiment is a known-wrong solution instead: ``solution``
    names a file (relative to the package folder) that the tests check in place of
    the reference, as they check a learner's file.
    """

    name: str
    tests: tuple[str, ...]
    expect: str
    why: str
    replace: str | None = None
    delete: bool = False
    file: str | None = None
    timeout: float | None = None
    solution: str | None = None

    @property
    def anchor(self) -> str:
        """The comment that marks the line this experiment changes."""
        return f"# break[{self.name}]"


def _experiment(entry: object, where: str) -> Experiment:
    if not isinstance(entry, dict):
        raise ExperimentError(f"{where}: each [[experiment]] must be a table")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise ExperimentError(f"{where}: unknown key(s) {', '.join(unknown)}")
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ExperimentError(f"{where}: 'name' must be kebab-case text, got {name!r}")
    where = f"{where} experiment {name!r}"
    replace, delete = entry.get("replace"), entry.get("delete", False)
    solution = entry.get("solution")
    if replace is not None and not isinstance(replace, str):
        raise ExperimentError(f"{where}: 'replace' must be text")
    if not isinstance(delete, bool):
        raise ExperimentError(f"{where}: 'delete' must be true or false")
    if solution is not None:
        if replace is not None or delete or "file" in entry:
            raise ExperimentError(
                f"{where}: 'solution' replaces the whole solution: "
                "it takes no 'replace', 'delete' or 'file'"
            )
        problem = _file_problem(solution, "the package folder")
        if problem is None and not str(solution).endswith(".py"):
            problem = "must name a .py file"
        if problem:
            raise ExperimentError(f"{where}: 'solution' {problem}, got {solution!r}")
    elif (replace is None) == (not delete):
        raise ExperimentError(
            f"{where}: give exactly one of 'replace', 'delete = true' or 'solution'"
        )
    tests = entry.get("tests")
    if (
        not isinstance(tests, list)
        or not tests
        or not all(isinstance(t, str) and t.strip() for t in tests)
    ):
        raise ExperimentError(f"{where}: 'tests' must be a non-empty list of test names")
    expect = entry.get("expect")
    if not isinstance(expect, str) or not (expect in EXPECT_KINDS or _EXCEPTION.match(expect)):
        raise ExperimentError(
            f"{where}: 'expect' must be 'assertion', 'timeout', 'complexity' or "
            "'exception:<Name>', "
            f"got {expect!r}"
        )
    why = entry.get("why")
    if not isinstance(why, str) or not why.strip():
        raise ExperimentError(f"{where}: 'why' must explain the failure")
    file = entry.get("file")
    if file is not None:
        problem = _file_problem(file)
        if problem:
            raise ExperimentError(f"{where}: 'file' {problem}, got {file!r}")
    timeout = entry.get("timeout")
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0
    ):
        raise ExperimentError(f"{where}: 'timeout' must be a positive number of seconds")
    if expect == "timeout" and timeout is None:
        raise ExperimentError(f"{where}: expect = 'timeout' needs 'timeout = <seconds>'")
    return Experiment(
        name=name,
        tests=tuple(t.strip() for t in tests),
        expect=expect,
        why=" ".join(why.split()),
        replace=replace,
        delete=delete,
        file=file,
        timeout=float(timeout) if timeout is not None else None,
        solution=solution,
    )


def _file_problem(file: object, base: str = "the lesson module's folder") -> str | None:
    """Why ``file`` cannot name a source file beside the lesson module, or None.

    Only the form is checked here; :func:`handbook.cli.runner.target_file`
    checks that the file exists inside the package.
    """
    if not isinstance(file, str) or not file.strip():
        return "must be the name of a source file"
    path = PurePosixPath(file)
    if path.is_absolute() or PureWindowsPath(file).is_absolute() or "\\" in file:
        return f"must be a relative path (from {base})"
    if ".." in path.parts:
        return "must be a path inside the package source (no '..')"
    if not path.parts or path.name in (".", ""):
        return "must name a file, not a folder"
    return None


def load_experiments(path: Path) -> list[Experiment]:
    """Read and validate every experiment in ``path``.

    Raises ExperimentError naming the file and the problem.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ExperimentError(f"{path.name}: invalid TOML: {exc}") from None
    unknown = sorted(set(data) - {"experiment"})
    if unknown:
        raise ExperimentError(f"{path.name}: unknown top-level key(s) {', '.join(unknown)}")
    entries = data.get("experiment", [])
    if not isinstance(entries, list):
        raise ExperimentError(f"{path.name}: use [[experiment]] tables")
    experiments = [_experiment(e, path.name) for e in entries]
    seen: set[str] = set()
    for exp in experiments:
        if exp.name in seen:
            raise ExperimentError(f"{path.name}: experiment name {exp.name!r} is used twice")
        seen.add(exp.name)
    return experiments


def anchor_lines(text: str, experiment: Experiment) -> list[int]:
    """0-based indexes of the lines that carry the experiment's anchor comment.

    >>> exp = Experiment("x", ("t",), "assertion", "w", delete=True)
    >>> anchor_lines("a = 1\\nb = 2  # break[x]\\n", exp)
    [1]
    """
    pattern = re.compile(re.escape(experiment.anchor) + r"(?![\w-])")
    return [i for i, line in enumerate(text.splitlines()) if pattern.search(line)]


def apply(text: str, experiment: Experiment) -> str:
    """Return ``text`` with the experiment's edit made on its one anchored line.

    The replacement keeps the original line's indentation; each line of a
    multi-line replacement gets it.

    >>> exp = Experiment("x", ("t",), "assertion", "w", replace="pass")
    >>> apply("if a:\\n    b()  # break[x]\\n", exp)
    'if a:\\n    pass\\n'

    Raises ExperimentError unless exactly one line carries the anchor.
    """
    found = anchor_lines(text, experiment)
    if len(found) != 1:
        raise ExperimentError(
            f"anchor {experiment.anchor!r} must match exactly one line, matched {len(found)}"
        )
    lines = text.splitlines(keepends=True)
    index = found[0]
    old = lines[index]
    indent = old[: len(old) - len(old.lstrip())]
    newline = "\n" if old.endswith("\n") else ""
    if experiment.delete:
        new: list[str] = []
    else:
        assert experiment.replace is not None
        new = [
            (indent + part if part.strip() else "") + "\n"
            for part in experiment.replace.strip("\n").splitlines()
        ]
        if new and not newline:
            new[-1] = new[-1].rstrip("\n")
    return "".join(lines[:index] + new + lines[index + 1 :])
