"""The handbook command as a user meets it: output, exit codes, clear errors."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import pytest

from handbook.cli.commands import build_parser
from handbook.cli.main import main
from handbook.cli.runner import mentioned_tools, pytest_plugin_args


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
    assert out.endswith("\n5 lessons in 1 domain.\n")


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


def test_test_runs_a_lesson_in_one_process_when_the_suite_uses_workers(
    workspace: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    record_in_demo: Callable[[Path, str, Path], None],
) -> None:
    # When this test itself runs in an xdist worker, its child would inherit the name.
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    config = workspace / "pyproject.toml"
    config.write_text(
        config.read_text().replace(
            'addopts = ["--import-mode=importlib",',
            'addopts = ["-n", "2", "--dist", "loadfile", "--import-mode=importlib",',
        )
    )
    # The root's own workers are dropped, so xdist is neither loaded nor needed.
    assert pytest_plugin_args(workspace, set(), []) == ["-p", "timeout"]
    seen = tmp_path / "worker.txt"
    record_in_demo(workspace, 'os.environ.get("PYTEST_XDIST_WORKER", "none")', seen)
    assert main(["test", "demo.good", "--", "-q", "-p", "no:cacheprovider"]) == 0
    assert seen.read_text() == "none\n"  # no xdist worker ran it


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
    assert "Verifying demo.good: 1 lesson, 1 run each" in out
    assert "verify OK: 1 lesson, 1 experiment proven, 0 problems" in out


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


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"handbook {version('handbook-cli')}\n"


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("DEMO.GOOD", "did you mean 'demo.good'?"),  # case is ignored
        ("Demo.Harmless", "did you mean 'demo.harmless'?"),
        # closest only: not 'demo.noheader', which merely shares "demo.no"
        ("demo.noanchr", "did you mean 'demo.noanchor'?"),
    ],
)
def test_suggestions_rank_by_closeness_ignoring_case(
    workspace: Path, capsys: pytest.CaptureFixture[str], typed: str, suggestion: str
) -> None:
    code, _, err = run(capsys, "show", typed)
    assert code == 2
    assert err == f"handbook: error: unknown lesson {typed!r}; {suggestion}\n"


def test_root_without_pyproject_is_a_clear_error(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workspace / "pyproject.toml").unlink()
    for argv in (["break", "demo.good", "add-instead"], ["readme"]):
        code, _, err = run(capsys, *argv)
        assert code == 2
        assert "has packages/ but no pyproject.toml" in err, err


def test_readme_names_a_missing_readme(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workspace / "packages/demo/README.md").unlink()
    code, _, err = run(capsys, "readme")
    assert code == 2
    assert err == "handbook: error: packages/demo/README.md is missing\n"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("missing.py", "file 'missing.py' does not exist"),
        ("../../../../../pyproject.toml", "'file' must be a path inside the package source"),
        ("/etc/hostname", "'file' must be a relative path"),
        (".", "'file' must name a file, not a folder"),
        ("__pycache__", "file '__pycache__' is not a file"),
    ],
)
def test_break_names_a_bad_experiment_file(
    workspace: Path, capsys: pytest.CaptureFixture[str], file: str, message: str
) -> None:
    (workspace / "packages/demo/src/handbook/demo/__pycache__").mkdir(exist_ok=True)
    toml = workspace / "packages/demo/experiments/good.toml"
    toml.write_text(
        toml.read_text().replace(
            'name = "add-instead"\n', f'name = "add-instead"\nfile = "{file}"\n'
        )
    )
    code, out, err = run(capsys, "break", "demo.good", "add-instead")
    assert code == 2
    assert message in err
    assert "Traceback" not in err + out


def test_verify_does_not_read_a_file_outside_the_package(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("x = 1  # break[add-instead]\n")
    (workspace / "packages/demo/src/handbook/demo/link.py").symlink_to(outside)
    toml = workspace / "packages/demo/experiments/good.toml"
    toml.write_text(
        toml.read_text().replace(
            'name = "add-instead"\n', 'name = "add-instead"\nfile = "link.py"\n'
        )
    )
    code, out, _ = run(capsys, "verify", "demo.good", "--runs", "1")
    assert code == 1
    assert "PROBLEM demo.good: experiment 'add-instead': file 'link.py' is outside demo" in out
    assert "must match exactly one line" not in out  # the outside file was never read


def test_test_loads_only_the_plugins_a_lesson_needs(workspace: Path) -> None:
    tests = workspace / "packages/demo/tests"
    # The Hypothesis plugin imports all of Hypothesis: loaded only when the tests use it.
    assert mentioned_tools(workspace, [tests / "test_good.py"]) == set()
    assert pytest_plugin_args(workspace, set(), []) == ["-p", "timeout"]
    (tests / "conftest.py").write_text("from hypothesis import settings\n")
    assert mentioned_tools(workspace, [tests / "test_good.py"]) == {"hypothesis"}
    assert pytest_plugin_args(workspace, {"hypothesis"}, []) == [
        *("-p", "timeout", "-p", "hypothesispytest")
    ]
    # Any argument that may be pytest-xdist's loads it.
    for extra in (["-n", "2"], ["-xn2"], ["--dist=load"], ["-p", "xdist"]):
        assert "xdist" in pytest_plugin_args(workspace, set(), extra), extra
