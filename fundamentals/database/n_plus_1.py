"""database.n_plus_1: an ORM-style loop issues N+1 queries; a join or an IN batch issues 1 or 2.

Holds ``Tracer``, a connection wrapper that records every statement sent (the
count is the lesson), a seeded authors/books schema for sqlite3, and three
loaders that return the same ``{author: [titles]}`` answer: ``lazy_loop`` (the
N+1 pattern), ``joined`` (one query) and ``batched`` (two queries, the second
with ``IN (...)``). The loaders take any ``Tracer``, so the engine test runs the
very same code on PostgreSQL.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

Rows = list[tuple[Any, ...]]


class Tracer:
    """Wraps a function that runs one statement and returns its rows; counts and
    keeps every statement. ``mark`` is the driver's placeholder (``?`` for sqlite3,
    ``%s`` for psycopg). Every ``?`` in a statement is replaced, also one inside a
    string literal or PostgreSQL's jsonb ``?`` operator, so statements run through
    a Tracer must not contain a literal ``?``.

    >>> conn = sqlite3.connect(":memory:")
    >>> tracer = Tracer.for_sqlite(conn)
    >>> tracer.query("SELECT ?", (1,)), tracer.count
    ([(1,)], 1)
    >>> conn.close()
    """

    def __init__(self, run: Callable[[str, Sequence[Any]], Rows], mark: str = "?") -> None:
        if mark not in ("?", "%s"):
            raise ValueError(f"mark must be '?' or '%s', got {mark!r}")
        self._run = run
        self.mark = mark
        self.statements: list[str] = []

    @classmethod
    def for_sqlite(cls, conn: sqlite3.Connection) -> Tracer:
        return cls(lambda sql, params: conn.execute(sql, params).fetchall(), "?")

    @property
    def count(self) -> int:
        """How many statements went to the database."""
        return len(self.statements)

    def query(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        """Run ``sql`` (written with ``?`` placeholders) and return its rows."""
        sql = sql.replace("?", self.mark)
        self.statements.append(sql)  # break[untraced]
        return self._run(sql, params)


def make_library(conn: sqlite3.Connection, authors: int, books_each: int, seed: int = 0) -> None:
    """Create ``authors(id, name)`` and ``books(id, author_id, title)`` with seeded rows."""
    if authors < 0 or books_each < 0:
        raise ValueError(f"counts must be >= 0, got {authors} and {books_each}")
    rng = random.Random(seed)
    conn.execute("CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    conn.execute(
        "CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL"
        " REFERENCES authors (id), title TEXT NOT NULL)"
    )
    conn.executemany(
        "INSERT INTO authors (id, name) VALUES (?, ?)",
        [(i, f"author-{i}") for i in range(1, authors + 1)],
    )
    conn.executemany(
        "INSERT INTO books (author_id, title) VALUES (?, ?)",
        [
            (a, f"book-{a}-{rng.randrange(10**6)}")
            for a in range(1, authors + 1)
            for _ in range(books_each)
        ],
    )
    conn.commit()


Shelf = dict[str, list[str]]


def lazy_loop(db: Tracer) -> Shelf:
    """What a lazy ORM relation does: one query for the authors, then one per author.

    >>> conn = sqlite3.connect(":memory:")
    >>> make_library(conn, authors=5, books_each=2)
    >>> db = Tracer.for_sqlite(conn)
    >>> _ = lazy_loop(db)
    >>> db.count
    6
    >>> conn.close()
    """
    shelf: Shelf = {}
    for author_id, name in db.query("SELECT id, name FROM authors ORDER BY id"):
        rows = db.query("SELECT title FROM books WHERE author_id = ? ORDER BY id", (author_id,))
        shelf[name] = [title for (title,) in rows]  # one round trip per author
    return shelf


def joined(db: Tracer) -> Shelf:
    """One query: a LEFT JOIN keeps authors without books."""
    shelf: Shelf = {}
    rows = db.query(
        "SELECT a.name, b.title FROM authors a"
        " LEFT JOIN books b ON b.author_id = a.id"  # break[inner-join]
        " ORDER BY a.id, b.id"
    )
    for name, title in rows:
        titles = shelf.setdefault(name, [])
        if title is not None:
            titles.append(title)
    return shelf


def batched(db: Tracer, batch: int = 500) -> Shelf:
    """Two queries for up to ``batch`` authors: the authors, then all their books with
    ``IN (...)`` (what ``selectinload``/``prefetch_related`` do); one more per batch."""
    if batch < 1:
        raise ValueError(f"batch must be >= 1, got {batch}")
    authors = db.query("SELECT id, name FROM authors ORDER BY id")
    shelf: Shelf = {name: [] for _, name in authors}
    names: dict[int, str] = dict(authors)
    ids = [author_id for author_id, _ in authors]
    for start in range(0, len(ids), batch):  # break[one-per-id]
        chunk = ids[start : start + batch]
        marks = ", ".join("?" * len(chunk))
        rows = db.query(
            f"SELECT author_id, title FROM books WHERE author_id IN ({marks}) ORDER BY id", chunk
        )
        for author_id, title in rows:
            shelf[names[author_id]].append(title)
    return shelf
