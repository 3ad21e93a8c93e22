"""A miniature handbook workspace with one sound lesson and several broken ones."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

HEADER = '''"""{summary}

Why interviewers ask this:
    Because it matters.

Common pitfalls:
    - Forgetting it.

Key takeaways:
    - Remember it.

What to look for in an answer:
    The rubric. Follow-up: why?
"""
'''

PYPROJECT = """\
[tool.pytest.ini_options]
addopts = ["--import-mode=importlib", "--strict-markers", "--strict-config"]
consider_namespace_packages = true
filterwarnings = ["error"]
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


def make_workspace(root: Path) -> Path:
    """Build the fixture workspace under ``root`` and return ``root``."""
    _write(root / "pyproject.toml", PYPROJECT)
    _write(root / "README.md", "# Demo\n\n<!-- catalogue:start -->\n<!-- catalogue:end -->\n")
    pkg = root / "packages" / "demo"
    src = pkg / "src" / "handbook" / "demo"
    _write(pkg / "README.md", "# demo\n\n<!-- lessons:start -->\n<!-- lessons:end -->\n")
    _write(src / "__init__.py", '"""Demo domain."""\n')

    # A sound lesson: the experiment breaks the named test every time.
    _write(
        src / "good.py",
        HEADER.format(summary="A sound lesson.")
        + textwrap.dedent("""
        def double(x: int) -> int:
            return x * 2  # break[add-instead]
        """),
    )
    _write(
        pkg / "tests" / "test_good.py",
        """
        from handbook.demo.good import double

        def test_double() -> None:
            assert double(3) == 6
        """,
    )
    _write(
        pkg / "experiments" / "good.toml",
        """
        [[experiment]]
        name = "add-instead"
        replace = "return x + 2"
        tests = ["test_double"]
        expect = "assertion"
        why = "3 + 2 is 5, not 6."
        """,
    )

    # A lesson whose docstring lacks a section.
    _write(src / "noheader.py", '"""No sections."""\n\nVALUE = 1  # break[zero]\n')
    _write(
        pkg / "tests" / "test_noheader.py",
        """
        from handbook.demo.noheader import VALUE

        def test_value() -> None:
            assert VALUE == 1
        """,
    )
    _write(
        pkg / "experiments" / "noheader.toml",
        """
        [[experiment]]
        name = "zero"
        replace = "VALUE = 0"
        tests = ["test_value"]
        expect = "assertion"
        why = "0 is not 1."
        """,
    )

    # An experiment whose anchor matches no line.
    _write(src / "noanchor.py", HEADER.format(summary="Anchor missing.") + "VALUE = 1\n")
    _write(
        pkg / "tests" / "test_noanchor.py",
        """
        from handbook.demo.noanchor import VALUE

        def test_value() -> None:
            assert VALUE == 1
        """,
    )
    _write(
        pkg / "experiments" / "noanchor.toml",
        """
        [[experiment]]
        name = "gone"
        delete = true
        tests = ["test_value"]
        expect = "assertion"
        why = "There is nothing to delete."
        """,
    )

    # An experiment that breaks nothing.
    _write(
        src / "harmless.py",
        HEADER.format(summary="Harmless break.")
        + textwrap.dedent("""
        def value() -> int:
            unused = 0  # break[noop]
            return 1
        """),
    )
    _write(
        pkg / "tests" / "test_harmless.py",
        """
        from handbook.demo.harmless import value

        def test_value() -> None:
            assert value() == 1
        """,
    )
    _write(
        pkg / "experiments" / "harmless.toml",
        """
        [[experiment]]
        name = "noop"
        replace = "unused = 1"
        tests = ["test_value"]
        expect = "assertion"
        why = "It should have broken something."
        """,
    )

    # An experiment that breaks only on odd-numbered runs: verify must call it flaky.
    _write(
        src / "flaky.py",
        HEADER.format(summary="Sometimes breaks.")
        + textwrap.dedent("""
        from pathlib import Path

        def _runs() -> int:
            counter = Path(__file__).with_name("runs.txt")
            runs = int(counter.read_text()) + 1 if counter.exists() else 1
            counter.write_text(str(runs))
            return runs

        def value() -> int:
            return 1  # break[sometimes]
        """),
    )
    _write(
        pkg / "tests" / "test_flaky.py",
        """
        from handbook.demo.flaky import value

        def test_value() -> None:
            assert value() == 1
        """,
    )
    _write(
        pkg / "experiments" / "flaky.toml",
        """
        [[experiment]]
        name = "sometimes"
        replace = "return 1 + _runs() % 2"
        tests = ["test_value"]
        expect = "assertion"
        why = "It breaks on odd runs only."
        """,
    )
    return root


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh fixture workspace, selected with HANDBOOK_ROOT."""
    root = make_workspace(tmp_path / "ws")
    monkeypatch.setenv("HANDBOOK_ROOT", str(root))
    return root


@pytest.fixture(scope="session")
def make_ws() -> Callable[[Path], Path]:
    """The workspace builder, for tests that need their own copy or scope."""
    return make_workspace
