"""``handbook verify`` reports each kind of broken lesson, and proves the sound one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from handbook.cli.catalogue import Catalogue, Lesson
from handbook.cli.readme import write_readmes
from handbook.cli.runner import broken_copy
from handbook.cli.verify import Report, _check_engine_section, _test_names, verify


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, make_ws: Callable[[Path], Path]) -> Report:
    root = make_ws(tmp_path_factory.mktemp("verify") / "ws")
    catalogue = Catalogue.load(root)
    write_readmes(catalogue)
    # One run proves or disproves the deterministic fixtures; the flaky one needs three.
    # The runs are forked from fork servers, as in a big verify, and must tell the same.
    flaky = catalogue.lesson("demo.flaky")
    others = [lesson for lesson in catalogue.all_lessons() if lesson is not flaky]
    first = verify(catalogue, others, runs=1, jobs=2, fork_server=True)
    second = verify(catalogue, [flaky], runs=3, jobs=2, fork_server=True)
    return Report(first.problems + second.problems, first.proven + second.proven)


def problems_of(report: Report, subject: str) -> list[str]:
    return [message for who, message in report.problems if who == subject]


def test_sound_experiment_is_proven(report: Report) -> None:
    # noheader lacks sections, yet its experiment itself is sound and proven.
    assert sorted(report.proven) == ["demo.good:add-instead", "demo.noheader:zero"]
    assert problems_of(report, "demo.good") == []


def test_missing_header_is_reported(report: Report) -> None:
    problems = problems_of(report, "demo.noheader")
    for section in ("Why interviewers ask this", "Common pitfalls", "Key takeaways"):
        assert f"the docstring lacks the section '{section}'" in problems


def test_anchor_matching_nothing_is_reported(report: Report) -> None:
    [problem] = problems_of(report, "demo.noanchor")
    assert "anchor '# break[gone]' must match exactly one line" in problem
    assert "matched no line" in problem


def test_experiment_that_breaks_nothing_is_reported(report: Report) -> None:
    assert problems_of(report, "demo.harmless") == [
        "experiment 'noop' breaks nothing: the named tests still pass"
    ]


def test_sometimes_breaking_experiment_is_flaky(report: Report) -> None:
    [problem] = problems_of(report, "demo.flaky")
    assert "experiment 'sometimes' is flaky: it broke as expected in 2 of 3 runs" in problem


def test_report_is_not_ok(report: Report) -> None:
    assert not report.ok


def test_stale_readme_and_stray_anchor_are_reported(
    tmp_path: Path, make_ws: Callable[[Path], Path]
) -> None:
    root = make_ws(tmp_path / "ws")
    source = root / "packages/demo/src/handbook/demo/good.py"
    source.write_text(source.read_text() + "EXTRA = 1  # break[orphan]\n")
    catalogue = Catalogue.load(root)
    lessons = [catalogue.lesson("demo.good")]
    result = verify(catalogue, lessons, runs=1, check_readmes={root / "packages/demo/README.md"})
    messages = [f"{who}: {message}" for who, message in result.problems]
    assert any("the lessons table is out of date" in m for m in messages), messages
    assert any(
        "good.py:" in m and "'# break[orphan]' belongs to no experiment" in m for m in messages
    ), messages


def test_unbroken_failure_is_reported(tmp_path: Path, make_ws: Callable[[Path], Path]) -> None:
    root = make_ws(tmp_path / "ws")
    test_file = root / "packages/demo/tests/test_good.py"
    test_file.write_text(test_file.read_text().replace("== 6", "== 7"))
    catalogue = Catalogue.load(root)
    write_readmes(catalogue)
    result = verify(catalogue, [catalogue.lesson("demo.good")], runs=1)
    assert any(
        "unbroken, test_good.py::test_double did not pass in 1 of 1 runs" in m
        for _, m in result.problems
    ), result.problems


def test_state_machine_test_cases_are_valid_targets(tmp_path: Path) -> None:
    module = tmp_path / "test_m.py"
    module.write_text(
        "class Machine: ...\n"
        "TestMachine = Machine.TestCase\n"
        "helper = 1\n"
        "class TestPlain:\n"
        "    def test_x(self) -> None: ...\n"
    )
    assert _test_names(module) == {
        "Machine",
        "TestMachine",
        "TestMachine::runTest",
        "TestPlain",
        "TestPlain::test_x",
    }


def test_inherited_test_methods_are_valid_targets(tmp_path: Path) -> None:
    module = tmp_path / "test_m.py"
    module.write_text(
        "class Shared:\n"
        "    def test_drains(self) -> None: ...\n"
        "class TestAsync(Shared):\n"
        "    def test_own(self) -> None: ...\n"
        "class TestLoop(TestLoop):\n"  # a cycle must not hang the scan
        "    pass\n"
    )
    names = _test_names(module)
    assert {"TestAsync::test_drains", "TestAsync::test_own", "Shared::test_drains"} <= names
    assert "TestLoop" in names


@pytest.mark.parametrize(
    ("stem", "reason"),
    [
        ("dataclasses", "shadows the standard library module 'dataclasses'"),
        ("finally", "is a Python keyword"),
    ],
)
def test_a_lesson_module_that_cannot_be_imported_by_its_name_is_reported(
    tmp_path: Path, make_ws: Callable[[Path], Path], stem: str, reason: str
) -> None:
    root = make_ws(tmp_path / "ws")
    src = root / "packages/demo/src/handbook/demo"
    (src / f"{stem}.py").write_text((src / "good.py").read_text())
    catalogue = Catalogue.load(root)
    lesson = catalogue.lesson(f"demo.{stem}")
    assert any(reason in problem for problem in lesson.problems), lesson.problems
    result = verify(catalogue, [lesson], runs=1)
    assert any(reason in message for who, message in result.problems if who == lesson.id)
    assert not catalogue.lesson("demo.good").problems


def test_each_run_number_has_its_own_hash_seed_under_fork_servers(
    tmp_path: Path,
    make_ws: Callable[[Path], Path],
    monkeypatch: pytest.MonkeyPatch,
    record_in_demo: Callable[[Path, str, Path], None],
) -> None:
    # Runs forked from one server share its string-hash seed; verify gives each run
    # number a server of its own, so an experiment's runs still see different seeds.
    monkeypatch.delenv("PYTHONHASHSEED", raising=False)
    seeds = tmp_path / "seeds.txt"
    root = make_ws(tmp_path / "ws")
    record_in_demo(root, 'hash("handbook")', seeds)
    catalogue = Catalogue.load(root)
    result = verify(catalogue, [catalogue.lesson("demo.good")], runs=3, jobs=1, fork_server=True)
    assert result.proven == ["demo.good:add-instead"]
    recorded = seeds.read_text().split()
    assert len(recorded) == 6  # three unbroken runs, three broken ones
    assert len(set(recorded)) == 3


def test_fork_server_runs_start_with_the_preloaded_objects_frozen(
    tmp_path: Path,
    make_ws: Callable[[Path], Path],
    record_in_demo: Callable[[Path, str, Path], None],
) -> None:
    # Frozen, pytest's collection at the end of each run skips what the server
    # preloaded; a fresh interpreter freezes nothing.
    counts = tmp_path / "counts.txt"
    root = make_ws(tmp_path / "ws")
    record_in_demo(root, "gc.get_freeze_count()", counts)
    catalogue = Catalogue.load(root)
    lesson = catalogue.lesson("demo.good")
    assert verify(catalogue, [lesson], runs=1, jobs=1, fork_server=True).proven
    forked = [int(n) for n in counts.read_text().split()]
    counts.unlink()
    assert verify(catalogue, [lesson], runs=1, jobs=1, fork_server=False).proven
    fresh = [int(n) for n in counts.read_text().split()]
    assert len(forked) == len(fresh) == 2  # the unbroken run and the broken one
    # pytest's modules and their objects. A fresh 3.12 already reports a few hundred
    # (the count is not only what gc.freeze() moved: see internals.cyclic_gc).
    assert min(forked) > max(fresh) + 1000


def test_a_broken_copy_keeps_bytecode_except_the_changed_files(
    tmp_path: Path, make_ws: Callable[[Path], Path]
) -> None:
    root = make_ws(tmp_path / "ws")
    catalogue = Catalogue.load(root)
    lesson = catalogue.lesson("demo.good")
    [experiment] = lesson.experiments()
    cache = root / "packages/demo/src/handbook/demo/__pycache__"
    cache.mkdir()
    for name in ("good.cpython-311.pyc", "good.cpython-313.pyc", "goodness.cpython-311.pyc"):
        (cache / name).write_bytes(b"stale")
    with broken_copy(root, lesson, experiment) as copy:
        copied = sorted(p.name for p in copy.package_dir.glob("src/handbook/demo/__pycache__/*"))
    # Only the file the experiment changed loses its bytecode, for every interpreter.
    assert copied == ["goodness.cpython-311.pyc"]
    assert len(list(cache.iterdir())) == 3  # the working tree is untouched


def test_a_broken_copy_carries_the_workspace_conftest(
    tmp_path: Path, make_ws: Callable[[Path], Path]
) -> None:
    root = make_ws(tmp_path / "ws")
    (root / "conftest.py").write_text("ENGINES = 'the workspace fixtures'\n")
    lesson = Catalogue.load(root).lesson("demo.good")
    [experiment] = lesson.experiments()
    with broken_copy(root, lesson, experiment) as copy:
        # The engine fixtures live at the root; tests of the copy must find them.
        assert (copy.root / "conftest.py").read_text() == "ENGINES = 'the workspace fixtures'\n"


def test_a_testing_module_holds_shared_helpers_and_is_not_a_lesson(
    tmp_path: Path, make_ws: Callable[[Path], Path]
) -> None:
    root = make_ws(tmp_path / "ws")
    src = root / "packages/demo/src/handbook/demo"
    (src / "testing.py").write_text('"""Helpers the demo tests share."""\n')
    catalogue = Catalogue.load(root)
    names = [lesson.name for lesson in catalogue.all_lessons()]
    assert "testing" not in names
    assert "good" in names


def _engine_lesson(tmp_path: Path, section: str) -> Report:
    """check_contract's findings for a lesson with two engine tests and a plain one,
    whose docstring ends with ``section``."""
    src = tmp_path / "packages" / "demo" / "src" / "handbook" / "demo" / "twin.py"
    tests = tmp_path / "packages" / "demo" / "tests" / "test_twin.py"
    src.parent.mkdir(parents=True)
    tests.parent.mkdir(parents=True)
    src.write_text(f'"""A lesson with a twin.\n\n{section}"""\n')
    tests.write_text(
        "import pytest\n\n"
        "@pytest.mark.engine('redis')\ndef test_on_redis() -> None: ...\n\n"
        "@pytest.mark.engine('postgres')\ndef test_on_postgres() -> None: ...\n\n"
        "def test_plain() -> None: ...\n"
    )
    lesson = Lesson("demo.twin", "demo", "twin", src, tests, None)
    report = Report()
    _check_engine_section(lesson, report)
    return report


def test_engine_tests_are_named_in_their_own_section(tmp_path: Path) -> None:
    section = "On the real engine:\n    test_on_redis and test_on_postgres, on Redis 7.\n"
    assert _engine_lesson(tmp_path, section).problems == []


def test_engine_tests_without_the_section_are_reported(tmp_path: Path) -> None:
    [(who, message)] = _engine_lesson(tmp_path, "").problems
    assert who == "demo.twin"
    assert "has engine tests (test_on_postgres, test_on_redis)" in message
    assert "no section 'On the real engine'" in message


def test_the_engine_section_must_name_exactly_the_engine_tests(tmp_path: Path) -> None:
    section = "On the real engine:\n    test_on_redis and test_plain.\n"
    problems = [message for _, message in _engine_lesson(tmp_path, section).problems]
    assert problems == [
        "the section 'On the real engine' does not name test_on_postgres",
        "the section 'On the real engine' names test_plain, which is not an engine test"
        " (@pytest.mark.engine) in test_twin.py",
    ]
