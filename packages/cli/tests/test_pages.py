"""Fundamentals pages are broken and verified exactly like lessons.

A miniature workspace with one area (``os``): a sound page whose experiment
edits its own ``<topic>.py``, one whose experiment edits a shared helper of the
area (``file = ...``), and one page that declares no experiments.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from handbook.cli.catalogue import Catalogue
from handbook.cli.main import main
from handbook.cli.verify import Report, verify

PAGE = """\
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

PYPROJECT = """\
[tool.pytest.ini_options]
addopts = ["--import-mode=importlib", "--strict-markers", "--strict-config"]
consider_namespace_packages = true
pythonpath = ["."]
filterwarnings = ["error"]
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


def make_pages(root: Path) -> Path:
    """A workspace with no lessons and three pages in ``fundamentals/os``."""
    _write(root / "pyproject.toml", PYPROJECT)
    (root / "packages").mkdir(parents=True)
    area = root / "fundamentals" / "os"
    _write(area / "sound.md", PAGE.format(title="Sound", summary="A sound page."))
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
    _write(area / "shared.md", PAGE.format(title="Shared", summary="Uses a helper."))
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
    _write(area / "bare.md", PAGE.format(title="Bare", summary="No experiments."))
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


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_pages(tmp_path_factory.mktemp("pages") / "ws")


@pytest.fixture(scope="module")
def report(pages: Path) -> Report:
    catalogue = Catalogue.load(pages)
    return verify(catalogue, catalogue.select("os"), runs=1, jobs=2, check_readmes=set())


def test_page_experiments_are_proven_like_lessons(report: Report) -> None:
    assert sorted(report.proven) == ["os.shared:tiny-pages", "os.sound:off-by-one"]


def test_page_without_experiments_and_its_stray_anchor_are_reported(report: Report) -> None:
    assert sorted(report.problems) == [
        ("os.bare", "no experiments file bare.toml"),
        ("os/bare.py:1", "anchor '# break[stray]' belongs to no experiment"),
    ]


def test_break_runs_a_page_experiment_on_a_copy(
    pages: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HANDBOOK_ROOT", str(pages))
    before = (pages / "fundamentals/os/sound.py").read_text()
    assert main(["break", "os.sound", "off-by-one"]) == 0
    out = capsys.readouterr().out
    assert "-    return faults - 1  # break[off-by-one]\n+    return faults\n" in out
    assert "The failure is the expected one (assertion)." in out
    assert (pages / "fundamentals/os/sound.py").read_text() == before


def test_show_and_break_list_name_the_page_code_and_experiments(
    pages: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HANDBOOK_ROOT", str(pages))
    assert main(["show", "os.sound"]) == 0
    out = capsys.readouterr().out
    assert "Code:   fundamentals/os/sound.py" in out
    assert "off-by-one: expect assertion in test_frames" in out
    assert main(["break", "os.shared"]) == 0
    assert "tiny-pages" in capsys.readouterr().out
