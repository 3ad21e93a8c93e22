"""Run a lesson's tests in a subprocess, on the working tree or on a broken copy."""

from __future__ import annotations

import contextlib
import difflib
import glob
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import textwrap
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from handbook.cli import children
from handbook.cli._forkserver import ForkServer, ServerGone
from handbook.cli.catalogue import HandbookError, Lesson
from handbook.cli.experiments import Experiment, ExperimentError, apply

# Bytecode is copied: the modules and tests an experiment leaves alone keep their
# valid .pyc (checked against the source's size and modification time, which the
# copy keeps), assert-rewritten tests included, so the copy's first run compiles
# only the file the experiment changed (whose bytecode the copy drops).
_IGNORE = shutil.ignore_patterns(".pytest_cache", ".mypy_cache", ".hypothesis", "build", "dist")
# Extra seconds a whole pytest run may take beyond its tests' own timeouts.
_RUN_SLACK = 60.0
DEFAULT_TEST_TIMEOUT = 30.0


@dataclass(frozen=True)
class Outcome:
    """How one named test ended: ``passed``, ``failed`` (with a kind), ``skipped``
    or ``missing`` (not collected)."""

    test: str
    status: str
    kind: str | None = None
    message: str = ""


@dataclass(frozen=True)
class RunResult:
    """One pytest run over some named tests."""

    outcomes: tuple[Outcome, ...]
    output: str
    returncode: int
    imported_from: str | None


def node_id(lesson: Lesson, test: str, root: Path) -> str:
    """The pytest node id, relative to ``root``, of a test named in an experiment.

    ``test_x`` and ``TestC::test_x`` live in the lesson's own test file;
    ``test_other.py::test_x`` in another test file of the same package (or,
    for a page, of the same fundamentals area).
    """
    tests_dir = lesson.tests.parent.relative_to(root).as_posix()
    first, _, rest = test.partition("::")
    if first.endswith(".py"):
        return f"{tests_dir}/{first}::{rest}" if rest else f"{tests_dir}/{first}"
    return f"{tests_dir}/{lesson.tests.name}::{test}"


def _matches(nodeid: str, wanted: str) -> bool:
    """A named test matches itself, its parametrized cases and a class's methods."""
    return nodeid == wanted or nodeid.startswith((wanted + "[", wanted + "::"))


# The modules every lesson run needs (the root config sets pytest-timeout's
# ``timeout``, which --strict-config rejects without the plugin), and the
# distribution that provides each.
BASE_TOOLS = ("pytest", "pytest_timeout")
_DISTRIBUTIONS = {
    "pytest": "pytest",
    "pytest_timeout": "pytest-timeout",
    "hypothesis": "hypothesis",
}
# The pytest plugins (entry-point names) that `handbook test` loads when the files it
# tests use the tool; it loads no other. Autoloading them all costs a learner's every
# run, measured on 2 idle cores: the Hypothesis plugin imports all of Hypothesis (0.4 s)
# even for tests that never use it, and with $PYTHONDONTWRITEBYTECODE set pytest
# rewrites the asserts of every module of every plugin's distribution, all of
# Hypothesis included, at each start (0.7 s of the 1.4 s run of ds.lru_cache).
_OPTIONAL_PLUGINS = {"hypothesis": ("hypothesispytest",), "platformdirs": ("platformdirs",)}
_MENTIONS = {
    # An import (in code or a doctest), or the marker that the Hypothesis plugin registers.
    "hypothesis": re.compile(
        rb"^[ \t]*(?:>>>[ \t]*)?(?:from|import)[ \t]+hypothesis\b|\bmark\.hypothesis\b", re.M
    ),
    # Its plugin only provides a fixture, used by name.
    "platformdirs": re.compile(rb"platformdirs"),
}
# pytest-xdist's options: a run keeps xdist when any of them may be among its arguments.
# A short-option bundle with n, d or f may hold -n, -d or -f; keeping xdist is never wrong.
_XDIST_OPTION = re.compile(
    r"^(-[^-]*[ndf]|--(numprocesses|maxprocesses|max-worker-restart|dist|tx|px|rsyncdir"
    r"|rsyncignore|looponfail|maxschedchunk|testrunuid))|xdist"
)


def mentioned_tools(root: Path, paths: Iterable[Path]) -> set[str]:
    """Which optional tools (``hypothesis``, ``platformdirs``) the files pytest
    reads for ``paths`` use: the files (or every ``.py`` and ``.md`` under a
    folder) and each ``conftest.py`` from their folder up to ``root``."""
    files: set[Path] = set()
    for path in paths:
        folder = path if path.is_dir() else path.parent
        if path.is_dir():
            files.update(p for p in path.rglob("*") if p.suffix in (".py", ".md"))
        else:
            files.add(path)
        for parent in [folder, *folder.parents]:
            files.add(parent / "conftest.py")
            if parent == root:
                break
    found: set[str] = set()
    for file in files:
        with contextlib.suppress(OSError):
            text = file.read_bytes()
            found.update(tool for tool, pattern in _MENTIONS.items() if pattern.search(text))
    return found


def require_tools(modules: Iterable[str]) -> None:
    """Raise HandbookError, in one line naming what to install, unless every
    module can be imported by this Python (the one that runs pytest)."""
    missing = [_DISTRIBUTIONS.get(m, m) for m in modules if not _importable(m)]
    if missing:
        names = " and ".join(missing)
        raise HandbookError(
            f"the lessons' tests need {names}, not installed for {sys.executable}: "
            f"python -m pip install {' '.join(missing)}"
        )


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # ValueError: in sys.modules without a spec
        return False


def pytest_plugin_args(root: Path, mentioned: set[str], extra: Sequence[str]) -> list[str]:
    """``-p NAME`` for each plugin a ``handbook test`` run needs, which runs with
    ``PYTEST_DISABLE_PLUGIN_AUTOLOAD=1``.

    Always pytest-timeout (the root config sets its ``timeout``); the Hypothesis
    plugin when :func:`mentioned_tools` found it in the files to test or the
    user's pytest arguments ``extra`` name it; pytest-xdist whenever ``extra``,
    the root config's ``addopts`` or ``$PYTEST_ADDOPTS`` may use one of its
    options. A user's own ``-p NAME`` in ``extra`` loads any other.
    """
    text = " ".join(extra)
    args = ["-p", "timeout"]
    for tool, plugins in _OPTIONAL_PLUGINS.items():
        if tool in mentioned or tool in text:
            args += [arg for plugin in plugins for arg in ("-p", plugin)]
    options = [*extra, *lesson_addopts(root), *shlex.split(os.environ.get("PYTEST_ADDOPTS", ""))]
    if any(_XDIST_OPTION.search(option) for option in options):
        args += ["-p", "xdist", "-p", "xdist.looponfail"]
    return args


def _root_addopts(root: Path) -> list[str]:
    try:
        config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return []
    addopts = config.get("tool", {}).get("pytest", {}).get("ini_options", {}).get("addopts", [])
    return shlex.split(addopts) if isinstance(addopts, str) else [str(a) for a in addopts]


# The options with which the root config spreads a run over worker processes.
_WORKER_OPTIONS = ("-n", "--numprocesses", "--dist")
_WORKER_PREFIXES = ("-n", "--numprocesses=", "--dist=")  # "-nauto", "--dist=loadfile"


def lesson_addopts(root: Path) -> list[str]:
    r"""The root config's ``addopts`` for a ``handbook test`` run: all but the ones
    that start worker processes (``-n auto``).

    The whole suite runs on every core by default; a lesson's or a domain's tests
    run in one process, where worker start-up would cost more than it saves and
    ``--pdb`` works. A user's own ``-n`` still spreads them.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = Path(tmp, "pyproject.toml").write_text(
    ...         '[tool.pytest.ini_options]\naddopts = ["-ra", "-n", "auto", "--dist=loadfile"]\n'
    ...     )
    ...     lesson_addopts(Path(tmp))
    ['-ra']
    """
    kept: list[str] = []
    skip = False
    for option in _root_addopts(root):
        if skip:
            skip = False
        elif option in _WORKER_OPTIONS:
            skip = True  # its value is the next item
        elif not option.startswith(_WORKER_PREFIXES):
            kept.append(option)
    return kept


# Names the file a practice problem's tests check instead of the reference
# (handbook.leetcode.testing.SOLUTION_ENV); a run sets it only for a known-wrong solution.
SOLUTION_ENV = "HANDBOOK_SOLUTION"


def run_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of every lesson run (and of a fork server that serves them)."""
    env = dict(os.environ)
    # A learner's own setting would make the unbroken runs test their file, not the reference.
    env.pop(SOLUTION_ENV, None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # Only the plugins a lesson run needs: each autoloaded one costs start-up
    # time in every one of verify's hundreds of runs (hypothesis alone ~0.4 s).
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    env.update(extra or {})
    return env


def run_tests(
    config_root: Path,
    import_root: Path,
    module: str,
    ids: Sequence[str],
    *,
    timeout: float | None = None,
    extra_args: Sequence[str] = (),
    server: ForkServer | None = None,
    scratch: bool = False,
    env_extra: Mapping[str, str] | None = None,
) -> RunResult:
    """Run the tests ``ids`` (node ids relative to ``config_root``) in a fresh process.

    ``config_root`` holds the pyproject.toml whose pytest settings apply, and
    ``import_root`` the folder the code under test is imported from (a
    package's ``src`` or a workspace root, the real one or a broken copy's): it
    goes first on PYTHONPATH so that a copy shadows the installed code. The
    run reports which file ``module`` was imported from. With a ``server``
    the process is forked from it (see :mod:`handbook.cli._forkserver`); if
    the server cannot serve, the run starts its own interpreter. A
    ``scratch`` tree (a broken copy) may keep the bytecode, assert-rewritten
    tests included, that one run compiles for the next; the working tree never.

    ``env_extra`` adds to the run's environment (a known-wrong solution's file).

    Raises :class:`~handbook.cli.children.Stopped` when the command is stopped
    meanwhile: a killed run proves nothing either way.
    """
    with tempfile.TemporaryDirectory(prefix="handbook-probe-") as probe_dir:
        probe = Path(probe_dir) / "probe.json"
        env = run_env(
            {**(env_extra or {}), "HANDBOOK_PROBE_OUT": str(probe), "HANDBOOK_PROBE_MODULE": module}
        )
        if scratch:
            # Measured on ds.lru_cache: compiling and rewriting the tests is a third of
            # a run; the second and third runs of an experiment reuse the first's.
            env.pop("PYTHONDONTWRITEBYTECODE")
        # Also for what the tests start (a subprocess, a spawned worker): the copy first.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(import_root), env.get("PYTHONPATH")]))
        args = [
            "-p",
            "pytest_timeout",
            "-p",
            "handbook.cli._probe",
            "-p",
            "no:cacheprovider",
            "-q",
            "--no-header",
            "--tb=short",
            "-o",
            "addopts=--import-mode=importlib --strict-markers --strict-config",
        ]
        if timeout is not None:
            args.append(f"--timeout={timeout:g}")
        args += [*extra_args, *ids]
        limit = (timeout or DEFAULT_TEST_TIMEOUT) * len(ids) + _RUN_SLACK
        ran: tuple[str, int] | None = None
        if server is not None:
            output_file = Path(probe_dir) / "output.txt"
            try:
                code = server.run(
                    args,
                    cwd=config_root,
                    env=env,
                    path_first=import_root,
                    output=output_file,
                    timeout=limit,
                )
                ran = (output_file.read_text(errors="replace"), code)
            except (ServerGone, OSError):
                _raise_if_stopping()
        if ran is None:
            ran = _run_fresh([sys.executable, "-m", "pytest", *args], config_root, env, limit)
        _raise_if_stopping()
        output, returncode = ran
        if returncode == -1:
            output += "\n[handbook: the run hung; killed]"
        try:
            data = json.loads(probe.read_text())
        except (OSError, ValueError):  # no report: pytest never got that far
            data = {"tests": {}}
    recorded: dict[str, dict[str, str]] = data.get("tests", {})
    return RunResult(
        tuple(_outcome(wanted, recorded, returncode) for wanted in ids),
        output,
        returncode,
        data.get("imported_from"),
    )


def _run_fresh(cmd: list[str], cwd: Path, env: dict[str, str], limit: float) -> tuple[str, int]:
    """Run ``cmd`` in its own process group; (output, exit code), -1 if it hung and was killed."""
    proc = children.start(
        cmd,
        own_group=True,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        output, _ = proc.communicate(timeout=limit)
        return output, proc.returncode
    except subprocess.TimeoutExpired:
        children.end(proc)
        return proc.communicate()[0] or "", -1
    finally:
        # On Ctrl-C or any error, the child (and all it started) ends before the
        # temporary folders it uses are removed.
        children.end(proc)


def _raise_if_stopping() -> None:
    signum = children.stopping()
    if signum is not None:
        raise children.Stopped(signum)


def _outcome(wanted: str, recorded: dict[str, dict[str, str]], returncode: int) -> Outcome:
    hits = [r for nid, r in recorded.items() if _matches(nid, wanted)]
    if not hits:
        if returncode == -1:
            return Outcome(wanted, "failed", "timeout", "the run hung and was killed")
        return Outcome(wanted, "missing")
    failing = [h for h in hits if h["outcome"] == "failed"]
    if failing:
        kinds = {h["kind"] for h in failing}
        kind = kinds.pop() if len(kinds) == 1 and len(failing) == len(hits) else "mixed"
        return Outcome(wanted, "failed", kind, failing[0]["message"])
    if all(h["outcome"] == "skipped" for h in hits):
        return Outcome(wanted, "skipped")
    return Outcome(wanted, "passed")


@contextlib.contextmanager
def broken_copy(root: Path, lesson: Lesson, experiment: Experiment) -> Iterator[BrokenCopy]:
    """Copy the lesson's package or the page's area (and the root pytest config)
    to a temporary folder and apply the experiment there. The working tree is never written;
    the copy is removed on exit, including on KeyboardInterrupt.

    A known-wrong solution (``solution``) needs no copy: the tests of the working
    tree check that file instead of the reference, as they check a learner's.
    """
    if experiment.solution is not None:
        path = solution_file(lesson, experiment)
        source = path.read_text(encoding="utf-8")
        rel = path.relative_to(root).as_posix()
        shown = f"The known-wrong solution {rel}:\n\n" + textwrap.indent(source, "    ")
        yield BrokenCopy(
            root, lesson.package_dir, lesson.import_root, shown, {SOLUTION_ENV: str(path)}
        )
        return
    with tempfile.TemporaryDirectory(prefix=f"handbook-break-{lesson.name}-") as tmp:
        work = Path(tmp)
        shutil.copy2(root / "pyproject.toml", work / "pyproject.toml")
        if (root / "conftest.py").is_file():  # the workspace's fixtures (real engines)
            shutil.copy2(root / "conftest.py", work / "conftest.py")
        copy_dir = work / lesson.package_dir.relative_to(root)
        shutil.copytree(lesson.package_dir, copy_dir, ignore=_IGNORE)
        original = target_file(lesson, experiment)
        copied = copy_dir / original.relative_to(lesson.package_dir)
        before = original.read_text(encoding="utf-8")
        after = apply(before, experiment)
        copied.write_text(after, encoding="utf-8")
        for stale in copied.parent.glob(f"__pycache__/{glob.escape(copied.stem)}.*.pyc"):
            stale.unlink()
        rel = original.relative_to(root).as_posix()
        diff = "".join(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile=f"a/{rel}",
                tofile=f"b/{rel}",
                n=2,
            )
        )
        import_root = work / lesson.import_root.relative_to(root)
        yield BrokenCopy(work, copy_dir, import_root, diff)


@dataclass(frozen=True)
class BrokenCopy:
    """A temporary copy of a package or fundamentals area with one experiment applied."""

    root: Path
    package_dir: Path
    import_root: Path
    diff: str
    env: dict[str, str] = field(default_factory=dict)


def target_file(lesson: Lesson, experiment: Experiment) -> Path:
    """The source file an experiment edits: the lesson module or the page's
    ``<topic>.py`` unless ``file`` names another one (relative to the module's folder).

    Raises ExperimentError unless it is an existing file inside the lesson's
    package (or fundamentals area), links resolved.
    """
    if experiment.file is None:
        return lesson.code
    path = lesson.code.parent / experiment.file
    where = f"experiment {experiment.name!r}: file {experiment.file!r}"
    if not path.resolve().is_relative_to(lesson.package_dir.resolve()):
        raise ExperimentError(f"{where} is outside {lesson.package_dir.name}")
    if not path.exists():
        raise ExperimentError(f"{where} does not exist")
    if not path.is_file():
        raise ExperimentError(f"{where} is not a file")
    return path


def solution_file(lesson: Lesson, experiment: Experiment) -> Path:
    """The known-wrong solution an experiment names, relative to the lesson's package.

    Raises ExperimentError unless it is an existing ``.py`` file inside the package.
    """
    assert experiment.solution is not None
    path = lesson.package_dir / experiment.solution
    where = f"experiment {experiment.name!r}: solution {experiment.solution!r}"
    if not path.resolve().is_relative_to(lesson.package_dir.resolve()):
        raise ExperimentError(f"{where} is outside {lesson.package_dir.name}")
    if not path.exists():
        raise ExperimentError(f"{where} does not exist")
    if not path.is_file():
        raise ExperimentError(f"{where} is not a file")
    return path
