"""The ``handbook`` commands: list, show, test, break, verify and readme, and their parser.

:mod:`handbook.cli.main` runs them: signals, pipes and exit codes live there.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from handbook.cli import children, progress
from handbook.cli.catalogue import (
    SECTIONS,
    Catalogue,
    HandbookError,
    Lesson,
    plural,
    rel_path,
    suggest,
)
from handbook.cli.experiments import Experiment, ExperimentError
from handbook.cli.runner import (
    BASE_TOOLS,
    broken_copy,
    lesson_addopts,
    mentioned_tools,
    node_id,
    pytest_plugin_args,
    require_tools,
    run_tests,
)

DESCRIPTION = """\
The Backend Interview Handbook: run it, test it, break it.

Every lesson is a small module (or a fundamentals page) whose tests prove its
claims. A typical session:

  handbook list concurrency                      pick a topic
  handbook show concurrency.race_conditions      read what it teaches
  handbook test concurrency.race_conditions      run its tests
  handbook break concurrency.race_conditions     list its break-it experiments
  handbook break concurrency.race_conditions no-lock
                                                 break it, watch the right test fail
  handbook practice two_sum                      solve a problem in your own file
"""


def _rel(catalogue: Catalogue, path: Path) -> str:
    return rel_path(catalogue.root, path)


def _lessons_and_pages(lessons: Sequence[Lesson]) -> str:
    """``3 lessons``, ``1 page``, ``40 lessons and 13 pages``."""
    pages = sum(lesson.kind == "page" for lesson in lessons)
    parts = [plural(len(lessons) - pages, "lesson")] if len(lessons) > pages or not pages else []
    if pages:
        parts.append(plural(pages, "page"))
    return " and ".join(parts)


def cmd_list(catalogue: Catalogue, args: argparse.Namespace) -> int:
    """Print the catalogue, grouped by domain."""
    groups = catalogue.groups()
    if args.domain is not None:
        if args.domain not in groups:
            raise HandbookError(f"unknown domain {args.domain!r}" + suggest(args.domain, [*groups]))
        groups = {args.domain: groups[args.domain]}
    everything: list[Lesson] = []
    for group, lessons in groups.items():
        kind = "page" if group in catalogue.areas else "lesson"
        print(f"{group} ({plural(len(lessons), kind)})")
        width = max((len(lesson.id) for lesson in lessons), default=0)
        for lesson in lessons:
            print(f"  {lesson.id:<{width}}  {lesson.summary}")
        if not lessons:
            print("  (none yet)")
        everything += lessons
    if args.domain is None:
        areas = sum(group in catalogue.areas for group in groups)
        where = [plural(len(groups) - areas, "domain")] + ([plural(areas, "area")] if areas else [])
        print(f"\n{_lessons_and_pages(everything)} in {' and '.join(where)}.")
    return 0


def cmd_show(catalogue: Catalogue, args: argparse.Namespace) -> int:
    """Print one lesson: its sections, experiments, files and commands."""
    lesson = catalogue.lesson(args.id)
    print(f"{lesson.id}: {lesson.summary}\n")
    for section in SECTIONS:
        if section in lesson.sections:
            print(f"{section}:")
            print(textwrap.indent(lesson.sections[section], "    "))
            print()
    try:
        experiments = lesson.experiments()
    except ExperimentError as exc:
        experiments = []
        print(f"Break-it experiments: cannot be read ({exc})\n")
    if experiments:
        print("Break-it experiments:")
        for exp in experiments:
            print(f"    {exp.name}: expect {exp.expect} in {', '.join(exp.tests)}")
            print(textwrap.indent(textwrap.fill(exp.why, 76), "        "))
        print()
    print(f"Source: {_rel(catalogue, lesson.source)}")
    if lesson.kind == "page" and lesson.code.is_file():
        print(f"Code:   {_rel(catalogue, lesson.code)}")
    print(f"Tests:  {_rel(catalogue, lesson.tests)}")
    print(f"Run:    uv run handbook test {lesson.id}")
    if experiments:
        print(f"Break:  uv run handbook break {lesson.id} {experiments[0].name}")
    return 0


def _pytest_paths(catalogue: Catalogue, target: str) -> list[str]:
    groups = catalogue.groups()
    if target in catalogue.domains:
        return [f"packages/{target}"]
    if target in groups:
        return [f"fundamentals/{target}"]
    lesson = catalogue.lesson(target)
    paths = [_rel(catalogue, lesson.source)]
    if lesson.kind == "page" and lesson.code.is_file():
        paths.append(_rel(catalogue, lesson.code))
    if lesson.tests.exists():
        paths.append(_rel(catalogue, lesson.tests))
    return paths


# pytest's exit code when it collected no test (ExitCode.NO_TESTS_COLLECTED).
_NO_TESTS_RAN = 5


def cmd_test(catalogue: Catalogue, args: argparse.Namespace) -> int:
    """Run pytest on a lesson or a domain; extra arguments go to pytest."""
    extra = list(args.pytest_args)
    if extra[:1] == ["--"]:
        extra = extra[1:]
    paths = _pytest_paths(catalogue, args.target)
    mentioned = mentioned_tools(catalogue.root, [catalogue.root / p for p in paths])
    require_tools([*BASE_TOOLS, *mentioned & {"hypothesis"}])
    print("$ " + " ".join(["pytest", *paths, *extra]), flush=True)
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        *pytest_plugin_args(catalogue.root, mentioned, extra),
        "-o",
        f"addopts={shlex.join(lesson_addopts(catalogue.root))}",
        *paths,
        *extra,
    ]
    env = dict(os.environ)
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # pytest_plugin_args names those it needs
    domain = args.target.split(".", 1)[0]
    if domain in catalogue.domains:
        # The package's source first, so that it is tested even where it is not installed.
        src = catalogue.root / "packages" / domain / "src"
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    # At a terminal pytest shares it: its output, its --pdb prompt, a Ctrl-C at the
    # keyboard. Elsewhere (a script, an editor) it gets a group of its own, so that
    # stopping the command kills everything the tests started.
    proc = children.start(cmd, own_group=not os.isatty(0), cwd=catalogue.root, env=env)
    try:
        code = proc.wait()
    except children.Stopped as stop:
        children.end(proc, stop.signum)
        raise
    finally:
        children.end(proc)
    if code != _NO_TESTS_RAN:  # -k that matched nothing: no run, neither pass nor fail
        progress.record_lesson_test(catalogue, args.target, passed=code == 0)
    return code


def _experiment(lesson: Lesson, name: str) -> Experiment:
    experiments = lesson.experiments()
    for exp in experiments:
        if exp.name == name:
            return exp
    names = [e.name for e in experiments]
    raise HandbookError(
        f"{lesson.id} has no experiment {name!r}"
        + (suggest(name, names) or f"; it has: {', '.join(names) or 'none'}")
    )


def _require_tools_of(catalogue: Catalogue, lessons: Sequence[Lesson]) -> None:
    """Fail in one line before a run when a tool that the lessons' tests need is missing:
    otherwise the failure would look like the lesson's or the experiment's."""
    folders = sorted({lesson.tests.parent for lesson in lessons})
    mentioned = mentioned_tools(catalogue.root, folders)
    require_tools([*BASE_TOOLS, *mentioned & {"hypothesis"}])


def cmd_break(catalogue: Catalogue, args: argparse.Namespace) -> int:
    """Apply an experiment to a temporary copy, run its tests, explain the failure."""
    lesson = catalogue.lesson(args.id)
    if args.experiment is None:
        experiments = lesson.experiments()
        print(f"Break-it experiments of {lesson.id}:")
        for exp in experiments:
            print(f"  {exp.name:<24} makes {', '.join(exp.tests)} fail ({exp.expect})")
        if experiments:
            print(f"\nRun one: handbook break {lesson.id} {experiments[0].name}")
        return 0
    exp = _experiment(lesson, args.experiment)
    _require_tools_of(catalogue, [lesson])
    with broken_copy(catalogue.root, lesson, exp) as copy:
        print(f"Breaking {lesson.id} with {exp.name!r} in a temporary copy:\n")
        print(copy.diff)
        ids = [node_id(lesson, t, catalogue.root) for t in exp.tests]
        print(f"Running {', '.join(exp.tests)} ...\n", flush=True)
        result = run_tests(
            copy.root,
            copy.import_root,
            lesson.probe_module,
            ids,
            timeout=exp.timeout,
            env_extra=copy.env,
        )
    print(result.output.rstrip())
    print()
    as_expected = all(o.status == "failed" and o.kind == exp.expect for o in result.outcomes)
    for o in result.outcomes:
        short = o.test.rsplit("::", 1)[-1]
        got = f"failed ({o.kind})" if o.status == "failed" else o.status
        print(f"  {short}: {got}")
    print("\nWhy:\n" + textwrap.indent(textwrap.fill(exp.why, 76), "    "))
    progress.record_break(catalogue, lesson.id, exp.name)
    if as_expected:
        print(f"\nThe failure is the expected one ({exp.expect}). Your working tree is unchanged.")
        return 0
    print(f"\nNOT the expected failure: expected {exp.expect} in every named test.")
    return 1


def cmd_verify(catalogue: Catalogue, args: argparse.Namespace) -> int:
    """Check the contract, prove every experiment, check the README tables."""
    from handbook.cli.verify import verify  # only verify needs it: keep the others quick

    if args.runs < 1:
        raise HandbookError("--runs must be at least 1")
    lessons = catalogue.select(args.target)
    _require_tools_of(catalogue, lessons)
    if args.target is None:
        readmes = None
    elif args.target in catalogue.domains:
        readmes = {catalogue.root / "packages" / args.target / "README.md"}
    elif args.target in catalogue.areas:
        readmes = {catalogue.root / "fundamentals" / args.target / "README.md"}
    else:
        readmes = set()
    scope = args.target or "everything"
    print(
        f"Verifying {scope}: {_lessons_and_pages(lessons)}, {plural(args.runs, 'run')} each",
        flush=True,
    )

    def progress(line: str) -> None:
        if not args.quiet:
            print("  " + line, flush=True)

    report = verify(
        catalogue, lessons, runs=args.runs, jobs=args.jobs, check_readmes=readmes, progress=progress
    )
    print()
    for subject, message in sorted(report.problems):
        print(f"PROBLEM {subject}: {message}")
    status = "OK" if report.ok else "FAILED"
    print(
        f"\nverify {status}: {_lessons_and_pages(lessons)}, "
        f"{plural(len(report.proven), 'experiment')} proven, "
        f"{plural(len(report.problems), 'problem')}"
    )
    return 0 if report.ok else 1


def cmd_readme(catalogue: Catalogue, args: argparse.Namespace) -> int:
    """Rewrite the generated lesson tables in every README."""
    from handbook.cli.readme import write_readmes

    changed = write_readmes(catalogue)
    for path in changed:
        print(f"updated {_rel(catalogue, path)}")
    if not changed:
        print("every README table is current")
    return 0


def _practice(name: str) -> Callable[[Catalogue, argparse.Namespace], int]:
    """A command of :mod:`handbook.cli.practice`, imported only when it runs."""

    def command(catalogue: Catalogue, args: argparse.Namespace) -> int:
        from handbook.cli import practice

        code: int = getattr(practice, name)(catalogue, args)
        return code

    return command


class _Version(argparse.Action):
    """``--version``: looks the version up only when asked (importlib.metadata is slow)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("handbook-cli")
        except PackageNotFoundError:  # run from a source tree that was never installed
            number = "(not installed)"
        print(f"handbook {number}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``handbook`` command."""
    parser = argparse.ArgumentParser(
        prog="handbook",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action=_Version, nargs=0, help="print the version of handbook-cli and exit"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "list",
        help="list lessons, grouped by domain",
        description="List lessons and fundamentals pages with one-line summaries.",
    )
    p.add_argument("domain", nargs="?", help="only this domain or area (e.g. concurrency, os)")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "show",
        help="show a lesson's sections, experiments and files",
        description="Print a lesson's sections (why interviewers ask, pitfalls, "
        "takeaways, the rubric), its break-it experiments, where its source "
        "and tests are, and the command that runs it.",
    )
    p.add_argument("id", help="lesson id, e.g. concurrency.race_conditions")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser(
        "test",
        help="run the tests of a lesson or a domain",
        description="Run pytest on a lesson (its tests and doctests) or a whole "
        "domain. Arguments after the target go to pytest: "
        "handbook test ds -- -x -v. Only the plugins the lessons use are loaded "
        "(pytest-timeout; Hypothesis's and pytest-xdist's when used); name any "
        "other with -p NAME.",
    )
    p.add_argument("target", help="lesson id (ds.lru_cache) or domain (ds)")
    p.add_argument("pytest_args", nargs=argparse.REMAINDER, help="passed through to pytest")
    p.set_defaults(func=cmd_test)

    p = sub.add_parser(
        "break",
        help="break a lesson on purpose and watch its tests fail",
        description="Apply a break-it experiment to a temporary copy of the "
        "lesson's package (your files are never changed), show the diff, run "
        "the tests that must fail, and explain the failure. Without an "
        "experiment name, list the lesson's experiments.",
    )
    p.add_argument("id", help="lesson id, e.g. ds.lru_cache")
    p.add_argument("experiment", nargs="?", help="experiment name; omit to list them")
    p.set_defaults(func=cmd_break)

    p = sub.add_parser(
        "verify",
        help="prove every lesson honest (contract, experiments, READMEs)",
        description="For each lesson: the docstring sections are present and "
        "non-empty, the test file exists, at least one experiment exists and its "
        "anchor matches exactly one line; the unbroken lesson passes the named "
        "tests and the broken one fails them with the expected kind of failure, "
        "in every one of --runs runs. Also checks the README lesson tables. "
        "Exit code 0 only when everything holds.",
    )
    p.add_argument("target", nargs="?", help="a lesson id or a domain; default: everything")
    p.add_argument("--runs", type=int, default=3, help="runs per check (default: 3)")
    p.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="pytest runs in parallel (default: CPU count)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems and the total")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser(
        "readme",
        help="regenerate the lesson tables in the READMEs",
        description="Rewrite the generated tables (between <!-- NAME:start --> "
        "and <!-- NAME:end --> markers) of the root, package and fundamentals "
        "READMEs from the code. `handbook verify` fails when they are stale.",
    )
    p.set_defaults(func=cmd_readme)

    p = sub.add_parser(
        "practice",
        help="solve an interview problem in your own file, tested as you go",
        description="Without a problem: list the problems with their difficulty, tags "
        "and your status. With one: copy its stub to practice/<problem>.py (once; "
        "your file is never overwritten), print the statement, and run the "
        "problem's tests against your file, saying in words what failed. "
        "Exit code 0 only when every test passes.",
    )
    p.add_argument("slug", nargs="?", help="problem, e.g. two_sum; omit to list them")
    p.add_argument(
        "--file", metavar="PATH", help="test this .py file instead of practice/<problem>.py"
    )
    p.add_argument("--watch", action="store_true", help="test again each time the file is saved")
    p.add_argument(
        "--reset",
        action="store_true",
        help="move practice/<problem>.py to .handbook/attempts/ and start again from the stub",
    )
    p.set_defaults(func=_practice("cmd_practice"))

    p = sub.add_parser(
        "hint",
        help="show the next hint for a problem",
        description="Show the next hint you have not seen (1 of N), from a nudge to the "
        "idea; once you have seen them all, show them all again.",
    )
    p.add_argument("slug", help="problem, e.g. two_sum")
    p.set_defaults(func=_practice("cmd_hint"))

    p = sub.add_parser(
        "solution",
        help="show a problem's reference solution once you have solved it",
        description="Print the reference solution and its complexity, once your file "
        "has passed the problem's tests; --reveal shows it before (and is recorded).",
    )
    p.add_argument("slug", help="problem, e.g. two_sum")
    p.add_argument("--reveal", action="store_true", help="show it even though it is not solved")
    p.set_defaults(func=_practice("cmd_solution"))

    p = sub.add_parser(
        "progress",
        help="summarise what you have tested, broken and solved",
        description="Lessons tested, passed and broken; problems solved, attempted and new, "
        "with the hints and reveals used. Kept in .handbook/progress.json.",
    )
    p.set_defaults(func=progress.cmd_progress)
    return parser
