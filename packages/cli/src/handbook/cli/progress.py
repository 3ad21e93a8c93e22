"""The learner's progress: which lessons were tested and broken, which problems solved.

It lives in ``<root>/.handbook/progress.json``, next to the learner's clone and out of
git (``.gitignore``). Every change is a locked read-modify-write that replaces the
file atomically (a temporary file in the same folder, then ``os.replace``), so that
a crash, a full disk or a second ``handbook`` running at the same time (a
``practice --watch`` and a ``hint``) never leaves half a file or loses a count.

Progress is a convenience: a file that cannot be read is reported in one line,
moved aside (``progress.json.corrupt-<UTC time>``) and started afresh, and a
failure to write is reported and never fails the command.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import itertools
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handbook.cli.catalogue import Catalogue, plural, rel_path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the atomic replace still holds
    fcntl = None  # type: ignore[assignment]

FOLDER = ".handbook"
FILE = "progress.json"
VERSION = 1
# Far more than a learner's file ever holds (a few hundred bytes a problem or lesson);
# a bigger one is not a progress file, and is not read into memory to find that out.
MAX_SIZE = 1 << 20
_STATUSES = ("solved", "attempted", "new")


def utc_stamp() -> str:
    """The current UTC time for file names: ``20260102T030405Z``."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def move_aside(src: Path, folder: Path, stem: str, suffix: str = "") -> Path:
    """Move ``src`` to ``folder/<stem>-<UTC time><suffix>``, never over an existing file:
    a name that is taken gets ``-2``, ``-3``... Returns the new path.

    A hard link followed by an unlink cannot replace a file (``os.rename`` would);
    where hard links are refused (some file systems, a folder), the rename
    happens only after checking that the name is free.
    """
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utc_stamp()
    for n in itertools.count(1):
        dst = folder / f"{stem}-{stamp}{'' if n == 1 else f'-{n}'}{suffix}"
        try:
            os.link(src, dst, follow_symlinks=False)
        except FileExistsError:
            continue
        except OSError:
            if dst.exists() or dst.is_symlink():
                continue
            src.rename(dst)
            return dst
        src.unlink()
        return dst
    raise AssertionError("unreachable")  # pragma: no cover


def warn(message: str) -> None:
    """One line on stderr: progress never fails a command."""
    print(f"handbook: warning: {message}", file=sys.stderr)


def tolerant_output() -> None:
    """Let any text through stdout and stderr, whatever their encoding: a character
    the encoding lacks (a learner's emoji, printed to a Windows pipe or under
    ``PYTHONIOENCODING=ascii``) is written as a ``\\U0001f680`` escape, not raised."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="backslashreplace")


@dataclass
class ProblemRecord:
    """What the learner did with one practice problem."""

    attempts: int = 0  # runs of its tests against the learner's file
    passes: int = 0  # runs in which every test passed
    hints_shown: int = 0  # how many of its hints have been shown
    reveals: int = 0  # solutions shown before it was solved

    @property
    def status(self) -> str:
        """``solved`` once a run passed (for good), ``attempted`` once one ran, else ``new``."""
        if self.passes:
            return "solved"
        return "attempted" if self.attempts else "new"


@dataclass
class LessonRecord:
    """What the learner did with one lesson."""

    tests: int = 0  # `handbook test <lesson>` runs
    passes: int = 0  # ... that passed
    last_passed: bool | None = None  # how the latest one ended
    breaks: int = 0  # `handbook break <lesson> <experiment>` runs
    experiments: list[str] = field(default_factory=list)  # the experiments run, sorted


@dataclass
class Progress:
    """Everything in the progress file."""

    problems: dict[str, ProblemRecord] = field(default_factory=dict)
    lessons: dict[str, LessonRecord] = field(default_factory=dict)

    def problem(self, slug: str) -> ProblemRecord:
        """The record of ``slug``, added if it has none."""
        return self.problems.setdefault(slug, ProblemRecord())

    def lesson(self, lesson_id: str) -> LessonRecord:
        """The record of ``lesson_id``, added if it has none."""
        return self.lessons.setdefault(lesson_id, LessonRecord())

    def to_json(self) -> dict[str, Any]:
        """The file's content."""
        return {
            "version": VERSION,
            "problems": {
                slug: {
                    "attempts": r.attempts,
                    "passes": r.passes,
                    "hints_shown": r.hints_shown,
                    "reveals": r.reveals,
                    "status": r.status,
                }
                for slug, r in sorted(self.problems.items())
            },
            "lessons": {
                lesson_id: {
                    "tests": r.tests,
                    "passes": r.passes,
                    "last_passed": r.last_passed,
                    "breaks": r.breaks,
                    "experiments": sorted(r.experiments),
                }
                for lesson_id, r in sorted(self.lessons.items())
            },
        }


class _Corrupt(Exception):
    """The file's content is not a progress file."""


def _count(entry: dict[str, Any], key: str, where: str) -> int:
    value = entry.get(key, 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _Corrupt(f"{where}.{key} is not a count: {value!r}")
    return value


def _entries(data: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    entries = data.get(key, {})
    if not isinstance(entries, dict):
        raise _Corrupt(f"{key!r} is not an object")
    for name, entry in entries.items():
        if not isinstance(entry, dict):
            raise _Corrupt(f"{key}.{name} is not an object")
    return entries


def parse(text: str) -> Progress:
    """Read a progress file's text; raise _Corrupt with the reason when it is not one.

    >>> parse('{"version": 1, "problems": {"two_sum": {"attempts": 2}}}').problems
    {'two_sum': ProblemRecord(attempts=2, passes=0, hints_shown=0, reveals=0)}
    """
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise _Corrupt(f"not valid JSON ({exc})") from None
    except RecursionError:  # nested deeper than the JSON decoder goes
        raise _Corrupt("not valid JSON (nested too deeply)") from None
    if not isinstance(data, dict):
        raise _Corrupt("not a JSON object")
    if data.get("version") != VERSION:
        raise _Corrupt(f"unknown version {data.get('version')!r}")
    progress = Progress()
    for slug, entry in _entries(data, "problems").items():
        where = f"problems.{slug}"
        progress.problems[slug] = ProblemRecord(
            *(_count(entry, k, where) for k in ("attempts", "passes", "hints_shown", "reveals"))
        )
    for lesson_id, entry in _entries(data, "lessons").items():
        where = f"lessons.{lesson_id}"
        last = entry.get("last_passed")
        experiments = entry.get("experiments", [])
        if last is not None and not isinstance(last, bool):
            raise _Corrupt(f"{where}.last_passed is not true, false or null")
        if not isinstance(experiments, list) or not all(isinstance(e, str) for e in experiments):
            raise _Corrupt(f"{where}.experiments is not a list of names")
        progress.lessons[lesson_id] = LessonRecord(
            _count(entry, "tests", where),
            _count(entry, "passes", where),
            last,
            _count(entry, "breaks", where),
            experiments,
        )
    return progress


class Store:
    """The progress file of the workspace at ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / FOLDER
        self.path = self.folder / FILE

    def _rel(self, path: Path) -> str:
        return rel_path(self.root, path)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the lock of the progress file (created with its folder if need be)."""
        self.folder.mkdir(exist_ok=True)
        fd = os.open(self.folder / "progress.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _read(self) -> Progress | None:
        """The progress so far: empty when there is none yet, or when the file was
        unreadable and has been moved aside. None when it can be neither read nor
        moved: then nothing must be written over it."""
        try:
            with open(self.path, "rb") as f:
                data = f.read(MAX_SIZE + 1)
            text = data.decode("utf-8")
        except FileNotFoundError:
            return Progress()
        except (OSError, UnicodeDecodeError) as exc:
            reason = f"cannot be read ({getattr(exc, 'strerror', None) or exc})"
        else:
            try:
                if len(data) > MAX_SIZE:
                    raise _Corrupt(f"larger than {MAX_SIZE:,} bytes")
                return parse(text)
            except _Corrupt as exc:
                reason = f"is not a progress file: {exc}"
        try:
            moved = move_aside(self.path, self.folder, FILE + ".corrupt")
        except OSError as exc:
            warn(
                f"{self._rel(self.path)} {reason}, and cannot be moved aside "
                f"({exc.strerror or exc}): progress is not recorded"
            )
            return None
        warn(f"{self._rel(self.path)} {reason}; moved it to {self._rel(moved)} and started afresh")
        return Progress()

    def load(self) -> Progress:
        """The progress so far, for reading; never raises."""
        if not self.path.exists() and not self.path.is_symlink():
            return Progress()
        try:
            with self._locked():
                return self._read() or Progress()
        except OSError as exc:  # no lock to be had (a read-only clone): read anyway
            warn(f"cannot lock {self._rel(self.folder)} ({exc.strerror or exc})")
            return self._read() or Progress()

    def update(self, change: Callable[[Progress], None]) -> Progress | None:
        """Apply ``change`` to the progress and save it atomically; the new progress,
        or None (reported in one line) when it could not be saved."""
        try:
            with self._locked():
                progress = self._read()
                if progress is None:
                    return None
                change(progress)
                self._write(progress)
                return progress
        except OSError as exc:
            warn(f"progress not saved in {self._rel(self.path)}: {exc.strerror or exc}")
            return None

    def _write(self, progress: Progress) -> None:
        text = json.dumps(progress.to_json(), indent=2) + "\n"
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".progress-", suffix=".tmp")
        try:
            os.chmod(tmp, _mode(self.path))  # mkstemp's is 0600
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def _mode(path: Path) -> int:
    """The permissions of ``path``, or those a new file gets under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# -- the hooks the commands call ---------------------------------------------------------------


def _lesson_ids(catalogue: Catalogue) -> set[str]:
    """The ids of the lessons and pages: not the practice problems, which are counted
    as problems (``handbook practice``)."""
    return {lesson.id for lesson in catalogue.all_lessons() if lesson.stub is None}


def record_lesson_test(catalogue: Catalogue, target: str, passed: bool) -> None:
    """``handbook test <lesson>`` ran; a domain's run is not a lesson's, nor a problem's."""
    if target not in _lesson_ids(catalogue):
        return

    def change(progress: Progress) -> None:
        record = progress.lesson(target)
        record.tests += 1
        record.passes += passed
        record.last_passed = passed

    Store(catalogue.root).update(change)


def record_break(catalogue: Catalogue, lesson_id: str, experiment: str) -> None:
    """``handbook break <lesson> <experiment>`` ran (of a lesson, not of a problem)."""
    if lesson_id not in _lesson_ids(catalogue):
        return

    def change(progress: Progress) -> None:
        record = progress.lesson(lesson_id)
        record.breaks += 1
        if experiment not in record.experiments:
            record.experiments = sorted([*record.experiments, experiment])

    Store(catalogue.root).update(change)


# -- handbook progress -------------------------------------------------------------------------


def cmd_progress(catalogue: Catalogue, args: argparse.Namespace) -> int:
    """Summarise the lessons tested, passed and broken, and the problems solved."""
    tolerant_output()
    store = Store(catalogue.root)
    progress = store.load()
    # Problems are counted below, as problems: here only lessons and pages, and none of
    # the records an older handbook made of a problem's `handbook test` run.
    lessons = [lesson for lesson in catalogue.all_lessons() if lesson.stub is None]
    problem_ids = {lesson.id for lesson in catalogue.all_lessons() if lesson.stub is not None}
    for lesson_id in problem_ids:
        progress.lessons.pop(lesson_id, None)
    pages = sum(lesson.kind == "page" for lesson in lessons)
    tested = [i for i, r in progress.lessons.items() if r.tests]
    passed = [i for i, r in progress.lessons.items() if r.last_passed]
    broken = [i for i, r in progress.lessons.items() if r.breaks]
    of = plural(len(lessons) - pages, "lesson")
    if pages:
        of += f" and {plural(pages, 'page')}"
    print(f"Lessons: {len(tested)} tested of {of}, {len(passed)} passed, {len(broken)} broken")
    width = max((len(i) for i in progress.lessons), default=0)
    for lesson_id, lr in sorted(progress.lessons.items()):
        parts = []
        if lr.tests:
            last = "passed" if lr.last_passed else "failed"
            parts.append(f"tested {plural(lr.tests, 'time')} (last {last})")
        if lr.breaks:
            parts.append(f"broken with {', '.join(lr.experiments)}")
        print(f"  {lesson_id:<{width}}  {'; '.join(parts)}")

    slugs = [lesson.name for lesson in catalogue.domains.get("leetcode", [])]
    records = {slug: progress.problems.get(slug, ProblemRecord()) for slug in slugs}
    for slug, record in progress.problems.items():
        records.setdefault(slug, record)  # a problem no longer in the catalogue
    counts = {status: sum(r.status == status for r in records.values()) for status in _STATUSES}
    hints = sum(r.hints_shown for r in records.values())
    reveals = sum(r.reveals for r in records.values())
    print(
        f"\nProblems: {counts['solved']} solved, {counts['attempted']} attempted, "
        f"{counts['new']} new, of {plural(len(records), 'problem')}; "
        f"{plural(hints, 'hint')} and {plural(reveals, 'reveal')} used"
    )
    active = {s: r for s, r in records.items() if r.attempts or r.hints_shown or r.reveals}
    width = max((len(s) for s in active), default=0)
    for slug, pr in sorted(active.items()):
        print(
            f"  {slug:<{width}}  {pr.status:<9}  {plural(pr.attempts, 'run')}, "
            f"{plural(pr.hints_shown, 'hint')}, {plural(pr.reveals, 'reveal')}"
        )
    if not progress.lessons and not active:
        print(
            "\nNothing recorded yet. Start with: uv run handbook list, or uv run handbook practice"
        )
    return 0
