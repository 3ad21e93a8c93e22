"""nox sessions: one per domain, fundamentals, lint, typecheck, wheels, verify.

Off by default (name them): ``bench-ds`` (benchmarks against peers) and
``stress`` (concurrency tests 10 times in random order on a loaded machine).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv"
nox.options.error_on_external_run = True

nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).parent
PACKAGES = sorted(p.name for p in (ROOT / "packages").iterdir() if (p / "pyproject.toml").is_file())
DOMAINS = [p for p in PACKAGES if p != "cli"]
# The interpreters the whole suite must pass on. The package sessions run on the
# interpreter nox runs under (the project's, 3.11); suite-3.12 and suite-3.13
# run everything again on the newer ones.
PYTHONS = ("3.11", "3.12", "3.13")
NEWER = [f"suite-{v}" for v in PYTHONS[1:]]
nox.options.sessions = [*PACKAGES, "fundamentals", *NEWER, "lint", "typecheck", "wheels", "verify"]


def find_python(version: str) -> str:
    """An interpreter for ``version``: ``python3.X`` on PATH, else pyenv's, else the bare
    version (nox then fails with "interpreter not found", which CI must not hide)."""
    exe = f"python{version}"
    found = shutil.which(exe)
    if found and subprocess.run([found, "-c", ""], capture_output=True).returncode == 0:
        return found  # a pyenv shim for a version that is not active fails this
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = sorted(pyenv.glob(f"{version}.*/bin/{exe}"), key=lambda p: p.parent.parent.name)
    return str(candidates[-1]) if candidates else version


def _requirements(session: nox.Session, *groups: str) -> str:
    """Pinned third-party requirements of dependency groups, from uv.lock."""
    path = Path(session.create_tmp()) / f"requirements-{'-'.join(groups)}.txt"
    args = [f"--only-group={g}" for g in groups]
    session.run_install(
        "uv",
        "export",
        "--locked",
        *args,
        "--no-emit-workspace",
        "--no-hashes",
        "--no-header",
        "--quiet",
        f"--output-file={path}",
        external=True,
    )
    return str(path)


def _sync_workspace(session: nox.Session, *extra_groups: str) -> None:
    """The whole locked workspace and dev tools, synced into the session's venv."""
    groups = [f"--group={g}" for g in extra_groups]
    session.run_install(
        "uv",
        "sync",
        "--locked",
        "--quiet",
        *groups,
        env={"UV_PROJECT_ENVIRONMENT": session.virtualenv.location},
        external=True,
    )


def _package_session(package: str) -> None:
    @nox.session(name=package)
    def tests(session: nox.Session) -> None:
        """Build this package's wheel, install it alone (plus test tools) and test it."""
        session.install("-r", _requirements(session, "dev"))
        dist = f"handbook-{package.replace('_', '-')}"
        out = Path(session.create_tmp()) / "dist"
        shutil.rmtree(out, ignore_errors=True)
        session.run(
            "uv",
            "build",
            f"--package={dist}",
            "--wheel",
            "--quiet",
            f"--out-dir={out}",
            external=True,
        )
        [wheel] = out.glob(f"{dist.replace('-', '_')}-*.whl")
        _check_wheel(session, wheel)
        session.install("--reinstall", str(wheel))  # a reused venv gets this build
        session.run("python", "-c", _WHEEL_CHECK, dist, f"handbook.{package}")
        # The tests run against the installed wheel, not the source tree; --pyargs
        # collects the doctests of the modules as installed (and of the benchmarks).
        extra = [str(p) for p in [ROOT / "packages" / package / "benchmarks"] if p.is_dir()]
        session.run(
            "pytest",
            f"packages/{package}/tests",
            *extra,
            "--pyargs",
            f"handbook.{package}",
            "-p",
            "no:cacheprovider",
            *session.posargs,
        )

    tests.__doc__ = f"handbook-{package.replace('_', '-')}: its wheel installed alone and tested."


for _package in PACKAGES:
    _package_session(_package)


@nox.session
def fundamentals(session: nox.Session) -> None:
    """The fundamentals pages: doctests of the markdown and the demonstrations."""
    session.install("-r", _requirements(session, "dev"))
    session.run("pytest", "fundamentals", "-p", "no:cacheprovider", *session.posargs)


def _suite_session(version: str) -> None:
    @nox.session(name=f"suite-{version}", python=find_python(version))
    def suite(session: nox.Session) -> None:
        """The README's test command, then every experiment once, on one interpreter."""
        minor = session.run(
            "python", "-c", "import sys; print(*sys.version_info[:2], sep='.')", silent=True
        )
        if not isinstance(minor, str) or minor.strip() != version:
            session.error(f"asked for Python {version}, the session runs {minor!r}")
        _sync_workspace(session)
        session.run("pytest", "-p", "no:cacheprovider", "-q", *session.posargs)
        # Each break must break on this interpreter too; one run each (verify does three).
        session.run("handbook", "verify", "--runs", "1", "--quiet")

    suite.__doc__ = f"The whole suite and every experiment (once) on CPython {version}."


for _version in PYTHONS:
    _suite_session(_version)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over the whole tree."""
    session.install("-r", _requirements(session, "dev"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict, package by package (tests included), then fundamentals."""
    _sync_workspace(session)
    for package in PACKAGES:
        folder = ROOT / "packages" / package
        # stubs/ and wrong/: a practice problem's starting files and known-wrong solutions.
        targets = [
            p for p in ("src", "tests", "benchmarks", "stubs", "wrong") if (folder / p).is_dir()
        ]
        with session.chdir(folder):
            session.run(
                "mypy", "--strict", "--explicit-package-bases", *targets, env={"MYPYPATH": "src"}
            )
    # The pages' code is one namespace, ``fundamentals.<area>.<topic>``, from the root.
    session.run("mypy", "--strict", "--explicit-package-bases", "fundamentals")
    session.run("mypy", "--strict", "noxfile.py")
    session.run("mypy", "--strict", "conftest.py")


_WHEEL_CHECK = """
import importlib, importlib.metadata as md, json, pathlib, sys
dist, module = sys.argv[1], sys.argv[2]
import handbook
assert getattr(handbook, "__file__", None) is None, "handbook/__init__.py shipped: not a namespace"
mod = importlib.import_module(module)
requires = md.requires(dist) or []
assert not requires, f"{dist} declares dependencies: {requires}"
files = [str(f) for f in md.files(dist) or []]
assert "handbook/__init__.py" not in files, "handbook/__init__.py is in the wheel"
assert any(f.endswith(module.replace(".", "/") + "/py.typed") for f in files), "no py.typed"
print(json.dumps({"dist": dist, "version": md.version(dist), "module": mod.__name__}))
"""


def _check_wheel(session: nox.Session, wheel: Path) -> None:
    """A wheel must not ship ``handbook/__init__.py``: it would hide every other domain."""
    with zipfile.ZipFile(wheel) as archive:
        if "handbook/__init__.py" in archive.namelist():
            session.error(f"{wheel.name} ships handbook/__init__.py")


@nox.session
def wheels(session: nox.Session) -> None:
    """Build every wheel; install each alone into a clean venv and check it.

    Each package's tests run against its installed wheel in the package's own
    session (``nox -s <domain>``), so they are not run again here.
    """
    tmp = Path(session.create_tmp())
    dist_dir = tmp / "dist"
    shutil.rmtree(dist_dir, ignore_errors=True)
    session.run(
        "uv",
        "build",
        "--all-packages",
        "--wheel",
        "--quiet",
        f"--out-dir={dist_dir}",
        external=True,
    )
    for package in PACKAGES:
        dist = f"handbook-{package.replace('_', '-')}"
        [wheel] = dist_dir.glob(f"{dist.replace('-', '_')}-*.whl")
        _check_wheel(session, wheel)
        venv = tmp / f"venv-{package}"
        session.run("uv", "venv", "--quiet", "--clear", str(venv), external=True)
        python = str(venv / "bin" / "python")
        session.run(
            "uv", "pip", "install", "--quiet", f"--python={python}", str(wheel), external=True
        )
        session.run(python, "-c", _WHEEL_CHECK, dist, f"handbook.{package}", external=True)


@nox.session
def verify(session: nox.Session) -> None:
    """handbook verify: the lesson contract and every break-it experiment, 3 runs each."""
    _sync_workspace(session)
    session.run("handbook", "verify", *session.posargs)


@nox.session(name="bench-ds", default=False)
def bench_ds(session: nox.Session) -> None:
    """Benchmark handbook-ds against its peers; write the ratio table into its README."""
    _sync_workspace(session, "bench")
    session.run(
        "python",
        "packages/ds/benchmarks/bench_ds.py",
        "--write-readme",
        "packages/ds/README.md",
        *session.posargs,
    )


@nox.session(default=False)
def stress(session: nox.Session) -> None:
    """Concurrency tests 10 times in a row, in random order, with both cores kept busy."""
    session.install("-r", _requirements(session, "dev", "stress"))
    session.install("-e", "packages/concurrency")
    runs = int(session.posargs[0]) if session.posargs else 10
    burners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(os.cpu_count() or 2)
    ]
    results = []
    try:
        for run in range(1, runs + 1):
            session.log(f"stress run {run}/{runs} (random order, seed {run})")
            session.run(
                "pytest",
                "packages/concurrency",
                "-p",
                "no:cacheprovider",
                "-q",
                f"--randomly-seed={run}",
            )
            results.append(run)
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    session.log(json.dumps({"stress_runs_passed": len(results), "of": runs}))
