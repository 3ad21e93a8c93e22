"""Run a lesson's tests in a subprocess, on the working tree or on a broken copy."""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from handbook.cli.catalogue import Lesson
from handbook.cli.experiments import Experiment, apply

_IGNORE = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".pytest_cache", ".mypy_cache", ".hypothesis", "build", "dist"
)
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


def run_tests(
    config_root: Path,
    import_root: Path,
    module: str,
    ids: Sequence[str],
    *,
    timeout: float | None = None,
    extra_args: Sequence[str] = (),
) -> RunResult:
    """Run the tests ``ids`` (node ids relative to ``config_root``) in a subprocess.

    ``config_root`` holds the pyproject.toml whose pytest settings apply, and
    ``import_root`` the folder the code under test is imported from (a
    package's ``src`` or a workspace root, the real one or a broken copy's): it
    goes first on PYTHONPATH so that a copy shadows the installed code. The
    run reports which file ``module`` was imported from.
    """
    with tempfile.TemporaryDirectory(prefix="handbook-probe-") as probe_dir:
        probe = Path(probe_dir) / "probe.json"
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(import_root), env.get("PYTHONPATH")]))
        env["HANDBOOK_PROBE_OUT"] = str(probe)
        env["HANDBOOK_PROBE_MODULE"] = module
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        # Only the plugins a lesson run needs: each autoloaded one costs start-up
        # time in every one of verify's hundreds of runs (hypothesis alone ~0.4 s).
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        cmd = [
            sys.executable,
            "-m",
            "pytest",
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
        per_test = timeout or DEFAULT_TEST_TIMEOUT
        if timeout is not None:
            cmd.append(f"--timeout={timeout:g}")
        cmd += [*extra_args, *ids]
        try:
            proc = subprocess.run(
                cmd,
                cwd=config_root,
                env=env,
                capture_output=True,
                text=True,
                timeout=per_test * len(ids) + _RUN_SLACK,
                check=False,
            )
            output, returncode = proc.stdout + proc.stderr, proc.returncode
        except subprocess.TimeoutExpired as exc:
            output = _text(exc.stdout) + _text(exc.stderr) + "\n[handbook: the run hung; killed]"
            returncode = -1
        data = json.loads(probe.read_text()) if probe.exists() else {"tests": {}}
    recorded: dict[str, dict[str, str]] = data.get("tests", {})
    return RunResult(
        tuple(_outcome(wanted, recorded, returncode) for wanted in ids),
        output,
        returncode,
        data.get("imported_from"),
    )


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


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode(errors="replace") if isinstance(value, bytes) else value


@contextlib.contextmanager
def broken_copy(root: Path, lesson: Lesson, experiment: Experiment) -> Iterator[BrokenCopy]:
    """Copy the lesson's package or the page's area (and the root pytest config)
    to a temporary folder and apply the experiment there. The working tree is never written;
    the copy is removed on exit, including on KeyboardInterrupt."""
    with tempfile.TemporaryDirectory(prefix=f"handbook-break-{lesson.name}-") as tmp:
        work = Path(tmp)
        shutil.copy2(root / "pyproject.toml", work / "pyproject.toml")
        copy_dir = work / lesson.package_dir.relative_to(root)
        shutil.copytree(lesson.package_dir, copy_dir, ignore=_IGNORE)
        original = target_file(lesson, experiment)
        copied = copy_dir / original.relative_to(lesson.package_dir)
        before = original.read_text(encoding="utf-8")
        after = apply(before, experiment)
        copied.write_text(after, encoding="utf-8")
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


def target_file(lesson: Lesson, experiment: Experiment) -> Path:
    """The source file an experiment edits: the lesson module or the page's
    ``<topic>.py`` unless ``file`` names another one (relative to the module's folder)."""
    if experiment.file is None:
        return lesson.code
    return lesson.code.parent / experiment.file
