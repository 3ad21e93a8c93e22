"""Fundamentals pages are broken and verified exactly like lessons.

The ``pages`` workspace (conftest) has one area, ``os``: a sound page whose
experiment edits its own ``<topic>.py``, one whose experiment edits a shared
helper of the area (``file = ...``), and one page that declares no experiments.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.cli.catalogue import Catalogue
from handbook.cli.main import main
from handbook.cli.verify import Report, verify


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
