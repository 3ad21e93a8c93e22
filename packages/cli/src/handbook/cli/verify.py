"""``handbook verify``: the lesson contract, every experiment proven, the READMEs current."""

from __future__ import annotations

import ast
import contextlib
import os
import re
import signal
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from handbook.cli import children
from handbook.cli._forkserver import ForkServer
from handbook.cli.catalogue import REQUIRED_SECTIONS, Catalogue, Lesson, plural, read_literals
from handbook.cli.experiments import Experiment, ExperimentError, anchor_lines
from handbook.cli.readme import stale_readmes
from handbook.cli.runner import (
    SOLUTION_ENV,
    RunResult,
    broken_copy,
    mentioned_tools,
    node_id,
    run_env,
    run_tests,
    solution_file,
    target_file,
)

_ANCHOR = re.compile(r"#\s*break\[([^\]]*)\]")
# The fork server for a run number, or None (each run then starts its own interpreter).
ServerFor = Callable[[int], ForkServer | None]


@dataclass
class Report:
    """What ``verify`` found: problems per subject, and what it proved."""

    problems: list[tuple[str, str]] = field(default_factory=list)
    proven: list[str] = field(default_factory=list)

    def add(self, subject: str, message: str) -> None:
        """Record one problem about ``subject`` (a lesson id, a file)."""
        self.problems.append((subject, message))

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


def _test_names(path: Path) -> set[str]:
    """Test functions and ``Class::method`` names defined in a test module, a
    class's methods including those it inherits from a class of the same module.

    A module-level assignment such as ``TestCache = CacheMachine.TestCase``
    (a Hypothesis state machine) is a test class too: its method is ``runTest``.
    """
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return set()
    names: set[str] = set()
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}

    def methods(cls: ast.ClassDef, seen: frozenset[str] = frozenset()) -> set[str]:
        """Its own methods and those it inherits from classes of the same module."""
        own = {i.name for i in cls.body if isinstance(i, ast.FunctionDef | ast.AsyncFunctionDef)}
        for base in cls.bases:
            if isinstance(base, ast.Name) and base.id in classes and base.id not in seen:
                own |= methods(classes[base.id], seen | {cls.name})
        return own

    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            names.update(f"{node.name}::{m}" for m in methods(node))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id.startswith("Test"):
                    names.update({target.id, f"{target.id}::runTest"})
    return names


def check_contract(lesson: Lesson, report: Report) -> list[Experiment]:
    """Check one lesson's static contract; return its experiments when they are sound."""
    for problem in lesson.problems:
        report.add(lesson.id, problem)
    what = "page" if lesson.kind == "page" else "docstring"
    if not lesson.summary:
        report.add(lesson.id, f"the {what} has no one-line summary")
    for section in REQUIRED_SECTIONS:
        if section not in lesson.sections:
            report.add(lesson.id, f"the {what} lacks the section '{section}'")
        elif not lesson.sections[section].strip():
            report.add(lesson.id, f"the section '{section}' is empty")
    if "Complexity" in lesson.sections and not lesson.sections["Complexity"].strip():
        report.add(lesson.id, "the section 'Complexity' is empty")
    if not lesson.tests.exists():
        report.add(lesson.id, f"no test file {lesson.tests.name}")
    _check_engine_section(lesson, report)
    assert lesson.experiments_file is not None
    if not lesson.experiments_file.exists():
        where = lesson.experiments_file.relative_to(lesson.package_dir).as_posix()
        report.add(lesson.id, f"no experiments file {where}")
        return []
    try:
        experiments = lesson.experiments()
    except ExperimentError as exc:
        report.add(lesson.id, str(exc))
        return []
    if not experiments:
        report.add(lesson.id, "declares no break-it experiment")
    sound = []
    for exp in experiments:
        ok = True
        try:
            path = solution_file(lesson, exp) if exp.solution else target_file(lesson, exp)
        except ExperimentError as exc:
            report.add(lesson.id, str(exc))
            continue
        found = [0] if exp.solution else anchor_lines(path.read_text(encoding="utf-8"), exp)
        if len(found) != 1:
            where = ", ".join(str(i + 1) for i in found) or "no line"
            report.add(
                lesson.id,
                f"experiment {exp.name!r}: anchor {exp.anchor!r} must match exactly one line "
                f"of {path.name}, matched {where}",
            )
            ok = False
        for test in exp.tests:
            file_part, _, name = test.rpartition(".py::")
            test_file = lesson.tests.parent / (file_part + ".py") if file_part else lesson.tests
            wanted = name if file_part else test
            if wanted and wanted not in _test_names(test_file):
                report.add(
                    lesson.id,
                    f"experiment {exp.name!r}: no test {wanted!r} in {test_file.name}",
                )
                ok = False
        if ok:
            sound.append(exp)
    return sound


DIFFICULTIES = ("Easy", "Medium", "Hard")
# A practice problem's known-wrong solutions: at least this many, each rejected by a named test.
MIN_WRONG_SOLUTIONS = 2
MIN_HINTS = 2


def check_problem(lesson: Lesson, experiments: list[Experiment], report: Report) -> None:
    """A practice problem's contract beyond a lesson's: a stub, hints, difficulty, tags,
    and known-wrong solutions. Only for lessons whose package has a ``stubs/`` folder."""
    if lesson.stub is None:
        return
    if not lesson.stub.is_file():
        rel = lesson.stub.relative_to(lesson.package_dir).as_posix()
        report.add(lesson.id, f"no stub {rel} for the learner to start from")
    values = read_literals(lesson.source, ["DIFFICULTY", "TAGS", "HINTS"])
    if values.get("DIFFICULTY") not in DIFFICULTIES:
        report.add(lesson.id, f"DIFFICULTY must be one of {', '.join(DIFFICULTIES)} (a literal)")
    tags = values.get("TAGS")
    if not isinstance(tags, tuple) or not tags or not all(isinstance(t, str) and t for t in tags):
        report.add(lesson.id, "TAGS must be a literal tuple of tag names")
    hints = values.get("HINTS")
    if (
        not isinstance(hints, tuple)
        or len(hints) < MIN_HINTS
        or not all(isinstance(h, str) and h.strip() for h in hints)
    ):
        report.add(lesson.id, f"HINTS must be a literal tuple of at least {MIN_HINTS} hints")
    named = {(lesson.package_dir / exp.solution).resolve() for exp in experiments if exp.solution}
    folder = lesson.package_dir / "wrong" / lesson.name
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
        if path.resolve() not in named:
            rel = path.relative_to(lesson.package_dir).as_posix()
            report.add(lesson.id, f"{rel} is named by no experiment: nothing proves it wrong")
    wrong = sum(exp.solution is not None for exp in experiments)
    if wrong < MIN_WRONG_SOLUTIONS:
        report.add(
            lesson.id,
            f"declares {wrong} known-wrong solution(s); a problem needs {MIN_WRONG_SOLUTIONS}",
        )


def engine_tests(path: Path) -> set[str]:
    """The test functions of ``path`` marked ``@pytest.mark.engine(...)``: they run on
    a real server.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     file = Path(tmp, "test_x.py")
    ...     _ = file.write_text("@pytest.mark.engine('redis')\\ndef test_a(): ...\\n"
    ...                         "def test_b(): ...\\n")
    ...     sorted(engine_tests(file))
    ['test_a']
    """
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return set()
    found = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(call).endswith("mark.engine"):
                    found.add(node.name)
    return found


_TEST_NAME = re.compile(r"\btest_\w+")


def _check_engine_section(lesson: Lesson, report: Report) -> None:
    """The section 'On the real engine' names exactly the lesson's engine tests."""
    marked = engine_tests(lesson.tests)
    section = lesson.sections.get("On the real engine")
    if section is None:
        if marked:
            names = ", ".join(sorted(marked))
            report.add(
                lesson.id,
                f"has engine tests ({names}) but no section 'On the real engine' naming them",
            )
        return
    named = set(_TEST_NAME.findall(section))
    if not named:
        report.add(lesson.id, "the section 'On the real engine' names no test")
    for name in sorted(marked - named):
        report.add(lesson.id, f"the section 'On the real engine' does not name {name}")
    for name in sorted(named - marked):
        report.add(
            lesson.id,
            f"the section 'On the real engine' names {name}, which is not an engine test"
            f" (@pytest.mark.engine) in {lesson.tests.name}",
        )


def _test_functions(path: Path) -> list[str]:
    """The tests a test module defines: ``test_*`` functions and ``Test*`` classes."""
    return sorted(
        name for name in _test_names(path) if "::" not in name and name.startswith(("test", "Test"))
    )


STUB_FAILURE = "exception:NotImplementedError"


def prove_stub(
    catalogue: Catalogue, lesson: Lesson, report: Report, server: ServerFor = lambda _: None
) -> bool:
    """Every test of a problem fails on its stub with NotImplementedError: each test
    checks the learner's solution, and the stub is not already solved."""
    assert lesson.stub is not None
    root = catalogue.root
    names = _test_functions(lesson.tests)
    ids = [node_id(lesson, name, root) for name in names]
    result = run_tests(
        root,
        lesson.import_root,
        lesson.probe_module,
        ids,
        server=server(0),
        env_extra={SOLUTION_ENV: str(lesson.stub)},
    )
    bad = [o for o in result.outcomes if o.status != "failed" or o.kind != STUB_FAILURE]
    for o in bad:
        short = o.test.rsplit("::", 1)[-1]
        got = f"failed ({o.kind}: {o.message[:120]})" if o.status == "failed" else o.status
        report.add(
            lesson.id,
            f"on the stub, {short} {got}: every test must call the solution and fail "
            "with NotImplementedError",
        )
    return not bad and bool(ids)


def stray_anchors(domain: list[Lesson], selected: list[Lesson], report: Report) -> None:
    """Report ``# break[...]`` anchors that no experiment of the package declares.

    ``domain`` is every lesson of one package (or page of one area); anchors are
    looked for in the ``selected`` lessons' modules, and in every module of the
    folder (tests aside) when all are selected.
    """
    declared: set[tuple[Path, str]] = set()
    sources = {lesson.code for lesson in selected if lesson.code.is_file()}
    if selected and len(selected) == len(domain):
        folder = selected[0].code.parent
        sources.update(p for p in folder.glob("*.py") if not p.name.startswith("test_"))
    for lesson in domain:
        try:
            experiments = lesson.experiments()
        except ExperimentError:
            continue
        for exp in experiments:
            if exp.solution is not None:  # a whole file, no anchor
                continue
            with contextlib.suppress(ExperimentError):  # check_contract reports it
                declared.add((target_file(lesson, exp).resolve(), exp.name))
    for path in sorted(sources):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for name in _ANCHOR.findall(line):
                if (path.resolve(), name) not in declared:
                    report.add(
                        f"{path.parent.name}/{path.name}:{number}",
                        f"anchor '# break[{name}]' belongs to no experiment",
                    )


def _describe(result: RunResult) -> str:
    parts = []
    for o in result.outcomes:
        short = o.test.rsplit("::", 1)[-1]
        if o.status == "failed":
            parts.append(f"{short} failed ({o.kind}: {o.message[:120]})")
        else:
            parts.append(f"{short} {o.status}")
    return "; ".join(parts)


def prove_baseline(
    catalogue: Catalogue,
    domain: str,
    pairs: list[tuple[Lesson, Experiment]],
    runs: int,
    report: Report,
    server: ServerFor = lambda _: None,
) -> None:
    """The unbroken lessons of a domain pass every named test in every run.

    ``server(run)`` gives the fork server for run number ``run``, or None.
    """
    root = catalogue.root
    ids = sorted({node_id(lesson, t, root) for lesson, exp in pairs for t in exp.tests})
    owner = {node_id(lesson, t, root): lesson.id for lesson, exp in pairs for t in exp.tests}
    first = pairs[0][0]
    failures: dict[str, list[str]] = {}
    for run in range(runs):
        result = run_tests(root, first.import_root, first.probe_module, ids, server=server(run))
        for o in result.outcomes:
            if o.status != "passed":
                detail = f"{o.status} ({o.kind}: {o.message[:120]})" if o.kind else o.status
                failures.setdefault(o.test, []).append(detail)
    for test, details in failures.items():
        short = test.rsplit("/", 1)[-1]
        report.add(
            owner[test],
            f"unbroken, {short} did not pass in {len(details)} of {runs} runs: {details[0]}",
        )


def prove_experiment(
    catalogue: Catalogue,
    lesson: Lesson,
    exp: Experiment,
    runs: int,
    report: Report,
    server: ServerFor = lambda _: None,
) -> bool:
    """The broken lesson fails every named test, with the expected kind, in every run.

    Returns True when the experiment is proven; otherwise the report says why not.
    """
    root = catalogue.root
    ids = [node_id(lesson, t, root) for t in exp.tests]
    label = f"experiment {exp.name!r}"
    try:
        with broken_copy(root, lesson, exp) as copy:
            expected_runs = 0
            first_bad: RunResult | None = None
            for run in range(runs):
                result = run_tests(
                    copy.root,
                    copy.import_root,
                    lesson.probe_module,
                    ids,
                    timeout=exp.timeout,
                    server=server(run),
                    scratch=not copy.env,  # a known-wrong solution runs in the working tree
                    env_extra=copy.env,
                )
                if result.imported_from is not None and not Path(
                    result.imported_from
                ).is_relative_to(copy.root):
                    report.add(
                        lesson.id,
                        f"{label}: the tests imported {result.imported_from}, not the broken copy",
                    )
                    return False
                if all(o.status == "failed" and o.kind == exp.expect for o in result.outcomes):
                    expected_runs += 1
                elif first_bad is None:
                    first_bad = result
    except ExperimentError as exc:
        report.add(lesson.id, f"{label}: {exc}")
        return False
    if expected_runs == runs:
        report.proven.append(f"{lesson.id}:{exp.name}")
        return True
    assert first_bad is not None
    if expected_runs:
        report.add(
            lesson.id,
            f"{label} is flaky: it broke as expected in {expected_runs} of "
            f"{runs} runs; otherwise: {_describe(first_bad)}",
        )
    elif all(o.status == "passed" for o in first_bad.outcomes):
        report.add(lesson.id, f"{label} breaks nothing: the named tests still pass")
    else:
        report.add(
            lesson.id, f"{label} did not fail as expected ({exp.expect}): {_describe(first_bad)}"
        )
    return False


# Fewer runs per server than this, and starting it costs more than it saves.
_FORK_SERVER_MIN_USES = 3


class _Servers:
    """The fork servers of one ``verify``: for each worker thread, one per run number
    (each server has its own string-hash seed, see :mod:`handbook.cli._forkserver`)
    and set of tools to preload, started on first use; :meth:`close` ends them all."""

    def __init__(self, enabled: bool) -> None:
        self._enabled = enabled
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[ForkServer] = []

    def for_domain(self, preload: tuple[str, ...]) -> ServerFor:
        """The ``server(run)`` function of a domain whose tests need ``preload``."""
        return lambda run: self._get(run, preload)

    def _get(self, run: int, preload: tuple[str, ...]) -> ForkServer | None:
        if not self._enabled:
            return None
        mine: dict[tuple[int, tuple[str, ...]], ForkServer] = self._local.__dict__.setdefault(
            "servers", {}
        )
        if (run, preload) not in mine:
            server = ForkServer(preload, run_env())
            with self._lock:
                self._all.append(server)
            mine[run, preload] = server
        return mine[run, preload]

    def close(self) -> None:
        with self._lock:
            servers, self._all = self._all, []
        for server in servers:
            server.close()


def verify(
    catalogue: Catalogue,
    lessons: list[Lesson],
    *,
    runs: int = 3,
    jobs: int = 2,
    check_readmes: set[Path] | None = None,
    progress: Callable[[str], None] = lambda _: None,
    fork_server: bool | None = None,
) -> Report:
    """Check the contract of ``lessons``, prove their experiments, check READMEs.

    ``check_readmes`` names the README files to check (None: all of them).
    Runs go ``jobs`` at a time; with ``fork_server`` they share interpreter
    start-ups as :mod:`handbook.cli._forkserver` explains. By default they do
    where the platform can fork and each server would serve at least
    :data:`_FORK_SERVER_MIN_USES` runs: a server's start costs about one run.
    The first error (a failed progress print, a signal) stops every run and
    removes every temporary folder before it propagates.
    """
    report = Report()
    plan: dict[str, list[tuple[Lesson, Experiment]]] = {}
    stubs: list[Lesson] = []
    for lesson in lessons:
        sound = check_contract(lesson, report)
        for exp in sound:
            plan.setdefault(lesson.domain, []).append((lesson, exp))
        if lesson.stub is not None:
            with contextlib.suppress(ExperimentError):  # check_contract reported it
                check_problem(lesson, lesson.experiments(), report)
            if lesson.stub.is_file() and lesson.tests.is_file():
                stubs.append(lesson)
    by_domain: dict[str, list[Lesson]] = {}
    for lesson in lessons:
        by_domain.setdefault(lesson.domain, []).append(lesson)
    for domain, selected in by_domain.items():
        stray_anchors(catalogue.groups()[domain], selected, report)
    for problem in stale_readmes(catalogue, check_readmes):
        report.add("README", problem)

    if fork_server is None:
        tasks = len(plan) + sum(len(pairs) for pairs in plan.values()) + len(stubs)
        fork_server = hasattr(os, "fork") and tasks >= _FORK_SERVER_MIN_USES * max(1, jobs)
    servers = _Servers(fork_server)
    server_of: dict[str, ServerFor] = {}
    for domain, pairs in plan.items():
        uses = mentioned_tools(catalogue.root, [pairs[0][0].tests.parent]) & {"hypothesis"}
        server_of[domain] = servers.for_domain(("pytest", *sorted(uses)))

    def baseline(domain: str) -> None:
        prove_baseline(catalogue, domain, plan[domain], runs, report, server_of[domain])
        count = len({lesson.id for lesson, _ in plan[domain]})
        progress(f"baseline {domain}: {plural(count, 'lesson')}")

    def stub(lesson: Lesson) -> None:
        server = server_of.get(lesson.domain) or servers.for_domain(("pytest",))
        proven = prove_stub(catalogue, lesson, report, server)
        progress(f"{'ok' if proven else 'FAILED':6} {lesson.id} [the stub fails every test]")

    def experiment(pair: tuple[Lesson, Experiment]) -> None:
        lesson, exp = pair
        proven = prove_experiment(catalogue, lesson, exp, runs, report, server_of[lesson.domain])
        progress(f"{'ok' if proven else 'FAILED':6} {lesson.id} [{exp.name}]")

    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    stopped_here = False
    try:
        futures = [pool.submit(baseline, d) for d in plan]
        futures += [pool.submit(experiment, pair) for pairs in plan.values() for pair in pairs]
        futures += [pool.submit(stub, lesson) for lesson in stubs]
        done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        for future in futures:
            if future in done:
                future.result()  # the first failure, if any, in submission order
    except BaseException as exc:
        # Queued work is cancelled, and running work ends at once: its children die.
        stopped_here = not isinstance(exc, children.Stopped) and children.stopping() is None
        children.stop_all(exc.signum if isinstance(exc, children.Stopped) else signal.SIGKILL)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        servers.close()
        if stopped_here:  # a caller outside a signal session may go on running
            children.resume()
    return report
