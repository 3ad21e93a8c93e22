"""Tests for database.n_plus_1: count the statements each loader sends, on sqlite3
and on PostgreSQL, and check that all three return the same answer."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import PostgresSchema
from fundamentals.database.n_plus_1 import Tracer, batched, joined, lazy_loop, make_library

AUTHORS = 50


@pytest.fixture
def library() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    make_library(conn, authors=AUTHORS, books_each=3, seed=1)
    conn.execute("INSERT INTO authors (id, name) VALUES (?, 'no-books')", (AUTHORS + 1,))
    yield conn
    conn.close()


def count(loader: Any, conn: sqlite3.Connection, *args: Any) -> tuple[int, dict[str, list[str]]]:
    db = Tracer.for_sqlite(conn)
    shelf = loader(db, *args)
    return db.count, shelf


def test_lazy_loop_issues_one_query_per_author_plus_one(library: sqlite3.Connection) -> None:
    queries, shelf = count(lazy_loop, library)
    assert queries == len(shelf) + 1 == AUTHORS + 2


def test_join_issues_one_query_and_the_same_answer(library: sqlite3.Connection) -> None:
    _, expected = count(lazy_loop, library)
    queries, shelf = count(joined, library)
    assert queries == 1
    assert shelf == expected
    assert shelf["no-books"] == []  # LEFT JOIN keeps an author without books


def test_in_batch_issues_two_queries_and_the_same_answer(library: sqlite3.Connection) -> None:
    _, expected = count(lazy_loop, library)
    queries, shelf = count(batched, library)
    assert queries == 2
    assert shelf == expected


def test_batches_bound_the_in_list(library: sqlite3.Connection) -> None:
    _, expected = count(lazy_loop, library)
    queries, shelf = count(batched, library, 20)
    assert queries == 1 + 3  # 51 authors in batches of 20
    assert shelf == expected


def test_query_count_grows_with_n_only_for_the_loop() -> None:
    counts: dict[str, list[int]] = {"lazy": [], "joined": [], "batched": []}
    for authors in (1, 10, 100):
        conn = sqlite3.connect(":memory:")
        make_library(conn, authors=authors, books_each=1)
        for name, loader in (("lazy", lazy_loop), ("joined", joined), ("batched", batched)):
            counts[name].append(count(loader, conn)[0])
        conn.close()
    assert counts == {"lazy": [2, 11, 101], "joined": [1, 1, 1], "batched": [2, 2, 2]}


def test_bad_input_is_refused(library: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="mark must be"):
        Tracer(lambda sql, params: [], ":name")
    with pytest.raises(ValueError, match="batch must be"):
        batched(Tracer.for_sqlite(library), 0)
    conn = sqlite3.connect(":memory:")
    with pytest.raises(ValueError, match="counts must be"):
        make_library(conn, -1, 1)
    conn.close()


BOOK_SCANS = (
    "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables"
    " WHERE relid = 'books'::regclass"
)


@pytest.mark.engine("postgres")
def test_postgres_sees_the_same_query_counts(pg_schema: PostgresSchema) -> None:
    with pg_schema.connect(autocommit=True) as setup:
        setup.execute("CREATE TABLE authors (id int PRIMARY KEY, name text NOT NULL)")
        setup.execute("CREATE TABLE books (id serial PRIMARY KEY, author_id int, title text)")
        setup.execute("INSERT INTO authors SELECT g, 'author-' || g FROM generate_series(1, 20) g")
        setup.execute(
            "INSERT INTO books (author_id, title) SELECT a, 'book-' || a || '-' || n"
            " FROM generate_series(1, 20) a, generate_series(1, 3) n"
        )
    results: dict[str, tuple[int, int, dict[str, list[str]]]] = {}
    for loader in (lazy_loop, joined, batched):
        # A fresh backend per loader, all in one transaction: a backend only flushes
        # its table counters when idle outside a transaction, so what
        # pg_stat_xact_user_tables shows here is this loader's reads of books alone.
        with pg_schema.connect() as conn:
            db = Tracer(lambda sql, params: conn.execute(sql, params).fetchall(), "%s")
            shelf = loader(db)
            [(scans,)] = conn.execute(BOOK_SCANS).fetchall()
            conn.rollback()
        results[loader.__name__] = (db.count, scans, shelf)
    assert results["lazy_loop"][:2] == (21, 20)
    assert results["joined"][:2] == (1, 1)
    assert results["batched"][:2] == (2, 1)
    assert results["lazy_loop"][2] == results["joined"][2] == results["batched"][2]
    assert len(results["joined"][2]) == 20
