"""Find the workspace, its lessons and fundamentals pages, and parse their sections.

Lessons are read as source text (``ast``), never imported, so a broken lesson
cannot break ``handbook list``.
"""

from __future__ import annotations

import ast
import difflib
import functools
import keyword
import os
import re
import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from handbook.cli.experiments import Experiment, load_experiments

SECTIONS = (
    "Why interviewers ask this",
    "Common pitfalls",
    "Key takeaways",
    "What to look for in an answer",
    # Optional: the twin tests that prove the lesson's property on a real server.
    "On the real engine",
    "Complexity",
)
REQUIRED_SECTIONS = SECTIONS[:4]
FUNDAMENTAL_AREAS = ("os", "networking", "database")
# A suggestion must be this close (difflib's ratio) and within _SPREAD of the best one.
_CUTOFF = 0.6
_SPREAD = 0.1
_HEADING = re.compile(r"^(" + "|".join(re.escape(s) for s in SECTIONS) + r"):\s*$")


class HandbookError(Exception):
    """A user-facing error: printed without a traceback."""


@dataclass(frozen=True)
class Lesson:
    """One lesson: a module in a domain package, or a fundamentals page.

    Its text is read on first use of :attr:`summary`, :attr:`sections` or
    :attr:`problems`, so that finding one lesson (``handbook test``) never
    parses the other two hundred.
    """

    id: str
    domain: str
    name: str
    source: Path
    tests: Path
    experiments_file: Path | None
    kind: str = "lesson"  # "lesson" or "page"

    @functools.cached_property
    def _parsed(self) -> tuple[str, dict[str, str], list[str]]:
        if self.kind == "page":
            return _parse_page_file(self.source)
        return _parse_module_file(self.source)

    @property
    def summary(self) -> str:
        """The one-line summary: the docstring's first line, or the page's."""
        return self._parsed[0]

    @property
    def sections(self) -> dict[str, str]:
        """The named sections (``Key takeaways`` ...) and their text."""
        return self._parsed[1]

    @property
    def problems(self) -> list[str]:
        """Why the lesson breaks the contract before anything runs (unparsable, badly named)."""
        return self._parsed[2]

    @property
    def package_dir(self) -> Path:
        """The package folder (``packages/<domain>``) or the fundamentals area folder."""
        if self.kind == "page":
            return self.source.parent
        return self.source.parents[3]

    @property
    def code(self) -> Path:
        """The module experiments edit by default: the lesson, or the page's ``<topic>.py``."""
        return self.source.with_suffix(".py") if self.kind == "page" else self.source

    @property
    def probe_module(self) -> str:
        """The module whose file shows where a test run imported the code from:
        the domain package ``handbook.<domain>``, or the page's own module."""
        if self.kind == "page":
            return f"fundamentals.{self.domain}.{self.name}"
        return f"handbook.{self.domain}"

    @property
    def import_root(self) -> Path:
        """The folder whose contents are imported by name: ``src`` of a package, or the
        workspace root for a page (``fundamentals/<area>/<topic>.py``)."""
        if self.kind == "page":
            return self.package_dir.parents[1]
        return self.package_dir / "src"

    @property
    def stub(self) -> Path | None:
        """A practice problem's starting file (``<package>/stubs/<name>.py``), or None
        when the lesson's package has no ``stubs/`` folder (it is not a problem set)."""
        if self.kind == "page" or not (self.package_dir / "stubs").is_dir():
            return None
        return self.package_dir / "stubs" / f"{self.name}.py"

    def experiments(self) -> list[Experiment]:
        """The break-it experiments of the lesson or page (empty when it has no file)."""
        if self.experiments_file is None or not self.experiments_file.exists():
            return []
        return load_experiments(self.experiments_file)


def find_root(start: Path | None = None) -> Path:
    """Return the workspace root: ``$HANDBOOK_ROOT``, or the nearest folder above
    ``start`` (default: the current directory, then this file) holding
    ``pyproject.toml`` and ``packages/``."""
    env = os.environ.get("HANDBOOK_ROOT")
    if env:
        root = Path(env).resolve()
        # break and verify copy pyproject.toml (the pytest settings); readme rewrites README.md.
        if not (root / "packages").is_dir():
            raise HandbookError(f"HANDBOOK_ROOT={env} has no packages/ folder")
        if not (root / "pyproject.toml").is_file():
            raise HandbookError(
                f"HANDBOOK_ROOT={env} has packages/ but no pyproject.toml: "
                "point it at the root of a clone of the handbook"
            )
        return root
    candidates = [start or Path.cwd(), Path(__file__).resolve()]
    for candidate in candidates:
        for folder in [candidate, *candidate.parents]:
            if (folder / "pyproject.toml").is_file() and (folder / "packages").is_dir():
                return folder.resolve()
    raise HandbookError(
        "cannot find the handbook workspace (a folder with pyproject.toml and packages/); "
        "run inside a clone or set HANDBOOK_ROOT"
    )


def parse_docstring(doc: str) -> tuple[str, dict[str, str]]:
    """Split a lesson docstring into its summary line and its named sections.

    >>> summary, sections = parse_docstring("Sum.\\n\\nKey takeaways:\\n    - one\\n")
    >>> summary, sections
    ('Sum.', {'Key takeaways': '- one'})
    """
    lines = doc.strip("\n").splitlines()
    summary = lines[0].strip() if lines else ""
    sections: dict[str, str] = {}
    current: str | None = None
    body: list[str] = []
    for line in lines[1:]:
        match = _HEADING.match(line)
        if match:
            if current is not None:
                sections[current] = textwrap.dedent("\n".join(body)).strip()
            current, body = match.group(1), []
        elif current is not None:
            body.append(line)
    if current is not None:
        sections[current] = textwrap.dedent("\n".join(body)).strip()
    return summary, sections


def parse_page(text: str) -> tuple[str, str, dict[str, str]]:
    """Split a fundamentals page into title, summary and its ``##`` sections.

    >>> parse_page("# T\\n\\nOne line.\\n\\n## Key takeaways\\n- x\\n")
    ('T', 'One line.', {'Key takeaways': '- x'})
    """
    title, summary = "", ""
    sections: dict[str, str] = {}
    current: str | None = None
    body: list[str] = []
    in_fence = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
        if not in_fence and line.startswith("# ") and not title:
            title = line[2:].strip()
            continue
        if not in_fence and line.startswith("## "):
            if current is not None:
                sections[current] = "\n".join(body).strip()
            current, body = line[3:].strip(), []
            continue
        if current is None:
            if title and not summary and line.strip():
                summary = line.strip()
        else:
            body.append(line)
    if current is not None:
        sections[current] = "\n".join(body).strip()
    return title, summary, sections


NOT_LESSONS = frozenset({"testing"})
"""Module stems in a domain package that are not lessons: ``testing`` holds helpers
the domain's tests share (tests cannot import each other)."""


def is_lesson_module(path: Path) -> bool:
    """Whether ``path`` in a domain package is a lesson: not private, not a helper module.

    >>> is_lesson_module(Path("heap.py")), is_lesson_module(Path("_probe.py"))
    (True, False)
    >>> is_lesson_module(Path("testing.py"))
    False
    """
    return not path.name.startswith("_") and path.stem not in NOT_LESSONS


def module_name_problems(name: str) -> list[str]:
    """Why ``name`` cannot be a lesson module: not an identifier, a keyword, or a stdlib name.

    A keyword (``finally``) cannot be imported with ``import``; a stdlib name
    (``dataclasses``) is imported under the wrong name by tools that put the
    package folder on ``sys.path`` (doctest collection, a learner's REPL).

    >>> module_name_problems("try_finally")
    []
    >>> module_name_problems("finally")
    ["module name 'finally' is a Python keyword: it cannot be imported"]
    """
    if not name.isidentifier():
        return [f"module name {name!r} is not a Python identifier: it cannot be imported"]
    if keyword.iskeyword(name):
        return [f"module name {name!r} is a Python keyword: it cannot be imported"]
    if name in sys.stdlib_module_names:
        return [
            f"module name {name!r} shadows the standard library module {name!r}: rename the lesson"
        ]
    return []


def module_literals(tree: ast.Module, names: Iterable[str]) -> dict[str, object]:
    """The values of a parsed module's top-level assignments ``NAME = <literal>``
    (``ast.literal_eval``: nothing is run). A name assigned something that is not a
    literal maps to a ValueError saying so; the last assignment of a name wins.

    >>> module_literals(ast.parse("HINTS = ('a', 'b')\\nTAGS = list()\\n"), ["HINTS", "TAGS"])
    {'HINTS': ('a', 'b'), 'TAGS': ValueError('TAGS is not a plain literal')}
    """
    wanted = set(names)
    found: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if not isinstance(target, ast.Name) or target.id not in wanted:
            continue
        try:
            found[target.id] = ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            found[target.id] = ValueError(f"{target.id} is not a plain literal")
    return found


def read_literals(path: Path, names: Iterable[str]) -> dict[str, object]:
    """:func:`module_literals` of a source file, without the names that are not
    literals; ``{}`` when the file cannot be read or parsed. The module is never imported.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d, "m.py")
    ...     _ = p.write_text("HINTS = ('a', 'b')\\nTAGS = list()\\n")
    ...     read_literals(p, ["HINTS", "TAGS", "DIFFICULTY"])
    {'HINTS': ('a', 'b')}
    """
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return {}
    found = module_literals(tree, names)
    return {k: v for k, v in found.items() if not isinstance(v, ValueError)}


def plural(count: int, noun: str) -> str:
    """``1 lesson``, ``2 lessons``.

    >>> plural(1, "problem"), plural(0, "problem")
    ('1 problem', '0 problems')
    """
    return f"{count} {noun}{'' if count == 1 else 's'}"


def rel_path(root: Path, path: Path) -> str:
    """``path`` relative to the workspace ``root`` (POSIX form), or as it is when outside.

    >>> rel_path(Path("/ws"), Path("/ws/practice/two_sum.py")), rel_path(Path("/ws"), Path("/x"))
    ('practice/two_sum.py', '/x')
    """
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _parse_module_file(path: Path) -> tuple[str, dict[str, str], list[str]]:
    problems: list[str] = []
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        doc = ast.get_docstring(tree, clean=True) or ""
    except SyntaxError as exc:
        doc = ""
        problems.append(f"cannot parse {path.name}: {exc.msg} (line {exc.lineno})")
    summary, sections = parse_docstring(doc)
    problems.extend(module_name_problems(path.stem))
    return summary, sections, problems


def _parse_page_file(path: Path) -> tuple[str, dict[str, str], list[str]]:
    title, summary, sections = parse_page(path.read_text(encoding="utf-8"))
    return summary or title, {k: v for k, v in sections.items() if k in SECTIONS}, []


def _lesson_from_module(domain: str, path: Path, package_dir: Path) -> Lesson:
    name = path.stem
    return Lesson(
        id=f"{domain}.{name}",
        domain=domain,
        name=name,
        source=path,
        tests=package_dir / "tests" / f"test_{name}.py",
        experiments_file=package_dir / "experiments" / f"{name}.toml",
    )


def _lesson_from_page(area: str, path: Path) -> Lesson:
    return Lesson(
        id=f"{area}.{path.stem}",
        domain=area,
        name=path.stem,
        source=path,
        tests=path.with_name(f"test_{path.stem}.py"),
        experiments_file=path.with_suffix(".toml"),
        kind="page",
    )


@dataclass
class Catalogue:
    """Every domain and fundamentals area of a workspace, with their lessons."""

    root: Path
    domains: dict[str, list[Lesson]]
    areas: dict[str, list[Lesson]]

    @classmethod
    def load(cls, root: Path) -> Catalogue:
        """Scan ``root/packages`` and ``root/fundamentals``."""
        domains: dict[str, list[Lesson]] = {}
        for package_dir in sorted((root / "packages").iterdir()):
            domain = package_dir.name
            src = package_dir / "src" / "handbook" / domain
            if domain == "cli" or not src.is_dir():
                continue
            modules = sorted(p for p in src.glob("*.py") if is_lesson_module(p))
            domains[domain] = [_lesson_from_module(domain, p, package_dir) for p in modules]
        areas: dict[str, list[Lesson]] = {}
        fundamentals = root / "fundamentals"
        for area in FUNDAMENTAL_AREAS:
            folder = fundamentals / area
            pages = (
                sorted(p for p in folder.glob("*.md") if p.name != "README.md")
                if folder.is_dir()
                else []
            )
            if pages:
                areas[area] = [_lesson_from_page(area, p) for p in pages]
        return cls(root=root, domains=domains, areas=areas)

    def groups(self) -> dict[str, list[Lesson]]:
        """Domains first, then fundamentals areas, each mapped to its lessons."""
        return {**self.domains, **self.areas}

    def all_lessons(self) -> list[Lesson]:
        """Every lesson and page, in catalogue order."""
        return [lesson for lessons in self.groups().values() for lesson in lessons]

    def lesson(self, lesson_id: str) -> Lesson:
        """Find one lesson by id; a near miss gets suggestions."""
        for lesson in self.all_lessons():
            if lesson.id == lesson_id:
                return lesson
        raise HandbookError(f"unknown lesson {lesson_id!r}" + suggest(lesson_id, self._names()))

    def select(self, target: str | None) -> list[Lesson]:
        """Lessons for ``target``: None (all), a domain or area name, or a lesson id."""
        if target is None:
            return self.all_lessons()
        groups = self.groups()
        if target in groups:
            return list(groups[target])
        if target in self.domains or target in FUNDAMENTAL_AREAS:
            return []
        if "." in target:
            return [self.lesson(target)]
        raise HandbookError(f"unknown domain or lesson {target!r}" + suggest(target, self._names()))

    def _names(self) -> list[str]:
        return [*self.groups(), *(lesson.id for lesson in self.all_lessons())]


def _closeness(word: str, choice: str) -> float:
    """How alike a typed name and a known one are, from 0 to 1, ignoring case.

    Ids are compared part by part: ``concurrency.race_condition`` is close to
    ``concurrency.race_conditions`` and not to ``concurrency.free_threading``,
    though all three share the domain. A bare lesson name is compared with the
    lesson part of each id, and a prefix of a lesson name counts as close.
    """
    word, choice = word.casefold(), choice.casefold()
    score = difflib.SequenceMatcher(None, word, choice).ratio()
    w_domain, w_dot, w_name = word.rpartition(".")
    c_domain, c_dot, c_name = choice.rpartition(".")
    if not c_dot:
        return score
    if w_dot:
        domain_score = difflib.SequenceMatcher(None, w_domain, c_domain).ratio()
        if domain_score < 0.8:
            return min(score, domain_score)
    name_score = difflib.SequenceMatcher(None, w_name, c_name).ratio()
    if len(w_name) >= 3 and c_name.startswith(w_name):
        name_score = max(name_score, 0.9)
    return name_score if w_dot else max(score, name_score)


def suggest(word: str, choices: list[str]) -> str:
    """A ``; did you mean ...?`` suffix naming the closest choices, closest first, or ``''``.

    Only the choices nearly as close as the best one are named.

    >>> suggest("concurency", ["concurrency", "ds"])
    "; did you mean 'concurrency'?"
    >>> suggest("DS.LRU_CACHE", ["ds.lfu_cache", "ds.lru_cache"])
    "; did you mean 'ds.lru_cache'?"
    """
    scored = sorted((-_closeness(word, c), c) for c in choices)
    if not scored or -scored[0][0] < _CUTOFF:
        return ""
    best = -scored[0][0]
    close = [c for score, c in scored if -score >= max(_CUTOFF, best - _SPREAD)][:3]
    return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
