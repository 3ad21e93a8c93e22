"""The lesson tables in the READMEs, generated from the code.

Each table lives between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``
markers; everything outside the markers is hand-written and left alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from handbook.cli.catalogue import Catalogue, HandbookError, Lesson
from handbook.cli.experiments import ExperimentError

AREA_TITLES = {"os": "Operating systems", "networking": "Networking", "database": "Databases"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").strip()


def replace_block(text: str, name: str, body: str) -> str:
    """Replace what stands between the ``name`` markers of ``text`` with ``body``.

    >>> replace_block("a\\n<!-- t:start -->\\nold\\n<!-- t:end -->\\nz\\n", "t", "new")
    'a\\n<!-- t:start -->\\nnew\\n<!-- t:end -->\\nz\\n'

    Raises HandbookError when the markers are missing.
    """
    pattern = re.compile(
        rf"(<!-- {re.escape(name)}:start -->\n).*?(<!-- {re.escape(name)}:end -->)", re.S
    )
    if not pattern.search(text):
        raise HandbookError(f"markers <!-- {name}:start --> / <!-- {name}:end --> are missing")
    return pattern.sub(lambda m: m.group(1) + body.rstrip("\n") + "\n" + m.group(2), text, 1)


def _experiment_names(lesson: Lesson) -> str:
    try:
        return ", ".join(f"`{e.name}`" for e in lesson.experiments())
    except ExperimentError:  # verify reports the broken file; the table just omits it
        return ""


def package_table(lessons: list[Lesson], domain: str) -> str:
    """The lesson table of ``packages/<domain>/README.md``."""
    if not lessons:
        return "*No lessons yet.*"
    rows = ["| Lesson | What it shows | Break it |", "| --- | --- | --- |"]
    for lesson in lessons:
        link = f"[`{lesson.id}`](src/handbook/{domain}/{lesson.name}.py)"
        rows.append(f"| {link} | {_cell(lesson.summary)} | {_experiment_names(lesson)} |")
    return "\n".join(rows)


def area_table(lessons: list[Lesson]) -> str:
    """The page table of ``fundamentals/<area>/README.md``."""
    rows = [
        "| Page | What it proves | Code | Demonstration | Break it |",
        "| --- | --- | --- | --- | --- |",
    ]
    for lesson in lessons:
        code = f"[`{lesson.code.name}`]({lesson.code.name})" if lesson.code.is_file() else ""
        rows.append(
            f"| [`{lesson.id}`]({lesson.name}.md) | {_cell(lesson.summary)} | {code} "
            f"| [`{lesson.tests.name}`]({lesson.tests.name}) | {_experiment_names(lesson)} |"
        )
    return "\n".join(rows)


def fundamentals_table(catalogue: Catalogue) -> str:
    """The area table of ``fundamentals/README.md``."""
    rows = ["| Area | Pages |", "| --- | --- |"]
    for area, lessons in catalogue.areas.items():
        rows.append(f"| [{AREA_TITLES.get(area, area)}]({area}/README.md) | {len(lessons)} |")
    return "\n".join(rows)


def catalogue_table(catalogue: Catalogue) -> str:
    """The catalogue of the root README: every domain and area, every lesson."""
    out = ["| Domain | Package | Lessons |", "| --- | --- | --- |"]
    for domain, lessons in catalogue.domains.items():
        dist = "handbook-" + domain.replace("_", "-")
        out.append(f"| [{domain}](packages/{domain}/README.md) | `{dist}` | {len(lessons)} |")
    for area, lessons in catalogue.areas.items():
        out.append(f"| [{area}](fundamentals/{area}/README.md) | fundamentals | {len(lessons)} |")
    for group, lessons in catalogue.groups().items():
        if not lessons:
            continue
        out += ["", f"### {group}", "", "| Lesson | What it shows |", "| --- | --- |"]
        for lesson in lessons:
            rel = lesson.source.relative_to(catalogue.root).as_posix()
            out.append(f"| [`{lesson.id}`]({rel}) | {_cell(lesson.summary)} |")
    return "\n".join(out)


def expected_readmes(catalogue: Catalogue) -> dict[Path, tuple[str, str]]:
    """Every generated block: README path -> (marker name, body)."""
    root = catalogue.root
    blocks: dict[Path, tuple[str, str]] = {
        root / "README.md": ("catalogue", catalogue_table(catalogue))
    }
    for domain, lessons in catalogue.domains.items():
        blocks[root / "packages" / domain / "README.md"] = (
            "lessons",
            package_table(lessons, domain),
        )
    if catalogue.areas:
        blocks[root / "fundamentals" / "README.md"] = ("areas", fundamentals_table(catalogue))
    for area, lessons in catalogue.areas.items():
        blocks[root / "fundamentals" / area / "README.md"] = ("pages", area_table(lessons))
    return blocks


def stale_readmes(catalogue: Catalogue, only: set[Path] | None = None) -> list[str]:
    """Problems: READMEs whose generated tables differ from the code."""
    problems = []
    for path, (name, body) in expected_readmes(catalogue).items():
        if only is not None and path not in only:
            continue
        rel = path.relative_to(catalogue.root).as_posix()
        if not path.exists():
            problems.append(f"{rel} is missing")
            continue
        text = path.read_text(encoding="utf-8")
        try:
            if replace_block(text, name, body) != text:
                problems.append(f"{rel}: the {name} table is out of date (run `handbook readme`)")
        except HandbookError as exc:
            problems.append(f"{rel}: {exc}")
    return problems


def write_readmes(catalogue: Catalogue) -> list[Path]:
    """Rewrite every generated table; return the files that changed.

    Raises HandbookError when a README or its markers are missing: its
    hand-written text is not ours to invent.
    """
    changed = []
    for path, (name, body) in expected_readmes(catalogue).items():
        if not path.is_file():
            raise HandbookError(f"{path.relative_to(catalogue.root).as_posix()} is missing")
        text = path.read_text(encoding="utf-8")
        new = replace_block(text, name, body)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed
