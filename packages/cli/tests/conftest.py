"""Miniature handbook workspaces: lessons (one sound, several broken) and fundamentals pages."""

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
pythonpath = ["."]
filterwarnings = ["error"]
"""


PAGE_HEADER = """\
# {title}

{summary}

## Why interviewers ask this

Because it matters.

## Common pitfalls

- Forgetting it.

## Key takeaways

- Remember it.

## What to look for in an answer

The rubric. Follow-up: why?
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


def make_pages(root: Path) -> Path:
    """A workspace with no lessons and three pages in ``fundamentals/os``."""
    _write(root / "pyproject.toml", PYPROJECT)
    (root / "packages").mkdir(parents=True)
    area = root / "fundamentals" / "os"
    _write(area / "sound.md", PAGE_HEADER.format(title="Sound", summary="A sound page."))
    _write(
        area / "sound.py",
        """
        def frames_after(faults: int) -> int:
            return faults - 1  # break[off-by-one]
        """,
    )
    _write(
        area / "test_sound.py",
        """
        from fundamentals.os.sound import frames_after

        def test_frames() -> None:
            assert frames_after(3) == 2
        """,
    )
    _write(
        area / "sound.toml",
        """
        [[experiment]]
        name = "off-by-one"
        replace = "return faults"
        tests = ["test_frames"]
        expect = "assertion"
        why = "Three faults leave two frames, not three."
        """,
    )
    _write(area / "shared.md", PAGE_HEADER.format(title="Shared", summary="Uses a helper."))
    _write(area / "shared.py", "from fundamentals.os.helper import PAGE_SIZE\n")
    _write(area / "helper.py", "PAGE_SIZE = 4096  # break[tiny-pages]\n")
    _write(
        area / "test_shared.py",
        """
        from fundamentals.os.shared import PAGE_SIZE

        def test_page_size() -> None:
            assert PAGE_SIZE == 4096
        """,
    )
    _write(
        area / "shared.toml",
        """
        [[experiment]]
        name = "tiny-pages"
        file = "helper.py"
        replace = "PAGE_SIZE = 512"
        tests = ["test_page_size"]
        expect = "assertion"
        why = "The helper's constant is what the page's module exports."
        """,
    )
    _write(area / "bare.md", PAGE_HEADER.format(title="Bare", summary="No experiments."))
    _write(area / "bare.py", "VALUE = 1  # break[stray]\n")
    _write(
        area / "test_bare.py",
        """
        from fundamentals.os.bare import VALUE

        def test_value() -> None:
            assert VALUE == 1
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


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with no lessons and three fundamentals pages (``os``)."""
    return make_pages(tmp_path_factory.mktemp("pages") / "ws")


RecordInDemo = Callable[[Path, str, Path], None]


@pytest.fixture
def record_in_demo(monkeypatch: pytest.MonkeyPatch) -> RecordInDemo:
    """``record(root, expression, out)``: make the workspace's ``demo.good`` test append
    ``expression``, evaluated inside the test run (``gc``, ``os`` imported), as a line to ``out``.
    """

    def record(root: Path, expression: str, out: Path) -> None:
        monkeypatch.setenv("HANDBOOK_TEST_RECORD", str(out))
        test_file = root / "packages/demo/tests/test_good.py"
        test_file.write_text(
            "import gc, os\n"
            + test_file.read_text().replace(
                "def test_double() -> None:\n",
                "def test_double() -> None:\n"
                "    with open(os.environ['HANDBOOK_TEST_RECORD'], 'a') as f:\n"
                f"        f.write(f'{{{expression}}}\\n')\n",
            )
        )

    return record
