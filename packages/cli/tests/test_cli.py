"""The handbook command as a user meets it: output, exit codes, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.cli.main import build_parser, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_groups_lessons_with_counts(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert out.startswith("demo (5 lessons)\n")
    assert "  demo.good      A sound lesson.\n" in out
    assert "5 lessons and pages in 1 domains and areas." in out


def test_unknown_domain_suggests(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", "dmeo")
    assert code == 2
    assert out == ""
    assert err == "handbook: error: unknown domain 'dmeo'; did you mean 'demo'?\n"


def test_show_prints_sections_experiments_and_paths(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "show", "demo.good")
    assert code == 0
    for expected in (
        "demo.good: A sound lesson.",
        "Why interviewers ask this:\n    Because it matters.",
        "What to look for in an answer:\n    The rubric. Follow-up: why?",
        "add-instead: expect assertion in test_double",
        "Source: packages/demo/src/handbook/demo/good.py",
        "Tests:  packages/demo/tests/test_good.py",
        "Run:    uv run handbook test demo.good",
    ):
        assert expected in out


def test_unknown_lesson_suggests_closest(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "show", "demo.god")
    assert code == 2
    assert "unknown lesson 'demo.god'; did you mean 'demo.good'" in err
    assert "Traceback" not in err


def test_bare_lesson_name_suggests_its_id(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, err = run(capsys, "show", "harmless")
    assert "did you mean 'demo.harmless'?" in err


def test_break_lists_experiments(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "break", "demo.good")
    assert code == 0
    assert "add-instead" in out
    assert "handbook break demo.good add-instead" in out


def test_break_runs_and_leaves_tree_unchanged(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = workspace / "packages/demo/src/handbook/demo/good.py"
    before = source.read_bytes()
    code, out, _ = run(capsys, "break", "demo.good", "add-instead")
    assert code == 0
    assert "-    return x * 2  # break[add-instead]\n+    return x + 2" in out
    assert "test_double: failed (assertion)" in out
    assert "3 + 2 is 5, not 6." in out
    assert "The failure is the expected one (assertion)." in out
    assert source.read_bytes() == before


def test_break_that_breaks_nothing_exits_1(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "break", "demo.harmless", "noop")
    assert code == 1
    assert "NOT the expected failure" in out


def test_unknown_experiment_suggests(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "break", "demo.good", "add-instaed")
    assert code == 2
    assert "demo.good has no experiment 'add-instaed'; did you mean 'add-instead'?" in err


def test_test_command_runs_pytest(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "demo.good", "--", "-q", "-p", "no:cacheprovider"]) == 0


def test_readme_then_verify_of_sound_lesson_is_green(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["readme"]) == 0
    assert (
        "| [`demo.good`](src/handbook/demo/good.py) | A sound lesson. | `add-instead` |"
        in (workspace / "packages/demo/README.md").read_text()
    )
    code, out, _ = run(capsys, "verify", "demo.good", "--runs", "1")
    assert code == 0
    assert "verify OK: 1 lessons and pages, 1 experiments proven, 0 problems" in out


def test_verify_rejects_zero_runs(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "verify", "--runs", "0")
    assert code == 2
    assert "--runs must be at least 1" in err


def test_help_names_every_command() -> None:
    text = build_parser().format_help()
    for command in ("list", "show", "test", "break", "verify", "readme"):
        assert command in text


def test_missing_workspace_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HANDBOOK_ROOT", str(tmp_path))
    code, _, err = run(capsys, "list")
    assert code == 2
    assert "HANDBOOK_ROOT=" in err
    assert "has no packages/ folder" in err
