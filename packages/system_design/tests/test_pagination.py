"""Offset pages repeat and skip rows under concurrent writes; keyset pages do not."""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from handbook.system_design.pagination import (
    SCHEMA,
    Page,
    decode_cursor,
    encode_cursor,
    keyset_page,
    offset_page,
)


@pytest.fixture
def db() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    for ddl in SCHEMA:
        conn.execute(ddl)
    # ids 1..10, created 10..100: newest first is id 10, 9, ..., 1
    conn.executemany("INSERT INTO items VALUES (?, ?)", [(i, 10 * i) for i in range(1, 11)])
    yield conn
    conn.close()


MAX_PAGES = 100  # every walk here has at most 13 rows: more pages means a cursor that is stuck


def walk_keyset(
    conn: Any, limit: int, between: Callable[[int], None] = lambda _: None, ph: str = "?"
) -> list[int]:
    seen: list[int] = []
    cursor: str | None = None
    n = 0
    while True:
        assert n <= MAX_PAGES, "the keyset walk does not advance"
        page = keyset_page(conn, limit, cursor, ph)
        seen += page.ids
        if page.next_cursor is None:
            return seen
        between(n)
        n += 1
        cursor = page.next_cursor


def walk_offset(
    conn: Any, limit: int, between: Callable[[int], None] = lambda _: None, ph: str = "?"
) -> list[int]:
    seen: list[int] = []
    n = 0
    while True:
        assert n <= MAX_PAGES, "the offset walk does not end"
        ids = offset_page(conn, limit, n, ph)
        seen += ids
        if len(ids) < limit:
            return seen
        between(n)
        n += 1


def test_without_writes_both_walks_return_every_row_once_newest_first(
    db: sqlite3.Connection,
) -> None:
    expected = list(range(10, 0, -1))
    assert walk_offset(db, 3) == expected
    assert walk_keyset(db, 3) == expected


def test_an_insert_ahead_of_the_reader_makes_offset_repeat_a_row(db: sqlite3.Connection) -> None:
    def insert_newest(n: int) -> None:
        if n == 0:
            db.execute("INSERT INTO items VALUES (11, 110)")

    seen = walk_offset(db, 3, insert_newest)
    # page 0 = 10, 9, 8; the new row shifts 8 to position 3, so page 1 starts with it again
    assert seen[:6] == [10, 9, 8, 8, 7, 6]


def test_an_insert_ahead_of_the_reader_does_not_disturb_a_keyset_walk(
    db: sqlite3.Connection,
) -> None:
    def insert_newest(n: int) -> None:
        if n == 0:
            db.execute("INSERT INTO items VALUES (11, 110)")

    assert walk_keyset(db, 3, insert_newest) == list(range(10, 0, -1))


def test_a_delete_ahead_of_the_reader_makes_offset_skip_a_row(db: sqlite3.Connection) -> None:
    def delete_first(n: int) -> None:
        if n == 0:
            db.execute("DELETE FROM items WHERE id = 10")

    seen = walk_offset(db, 3, delete_first)
    assert 7 not in seen  # 7 moved from position 3 to 2, which page 1 no longer covers
    assert sorted(seen) == [1, 2, 3, 4, 5, 6, 8, 9, 10]


def test_a_delete_ahead_of_the_reader_does_not_make_keyset_skip(db: sqlite3.Connection) -> None:
    def delete_first(n: int) -> None:
        if n == 0:
            db.execute("DELETE FROM items WHERE id = 10")

    assert walk_keyset(db, 3, delete_first) == list(range(10, 0, -1))


def test_rows_that_share_the_sort_value_are_neither_skipped_nor_repeated() -> None:
    conn = sqlite3.connect(":memory:")
    for ddl in SCHEMA:
        conn.execute(ddl)
    # 12 rows, only 3 distinct created values: every page boundary falls inside a tie
    conn.executemany("INSERT INTO items VALUES (?, ?)", [(i, i % 3) for i in range(1, 13)])
    expected = [r[0] for r in conn.execute("SELECT id FROM items ORDER BY created DESC, id DESC")]
    for limit in (1, 2, 3, 5):
        assert walk_keyset(conn, limit) == expected
    conn.close()


def test_the_cursor_points_after_the_last_row_of_the_page(db: sqlite3.Connection) -> None:
    page = keyset_page(db, 3, None)
    assert page.ids == [10, 9, 8]
    assert page.next_cursor is not None
    assert decode_cursor(page.next_cursor) == (80, 8)


def test_a_short_page_is_the_last_and_has_no_cursor(db: sqlite3.Connection) -> None:
    assert keyset_page(db, 20, None).next_cursor is None
    assert keyset_page(db, 4, encode_cursor(30, 3)).ids == [2, 1]


def test_the_cursor_is_opaque_url_safe_text_that_round_trips() -> None:
    cursor = encode_cursor(1_700_000_000_123, 2**40)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", cursor)  # base64url, padding stripped
    assert decode_cursor(cursor) == (1_700_000_000_123, 2**40)


@pytest.mark.parametrize(
    "raw",
    [
        {"v": 1, "k": [80, 8.0]},
        {"v": 1, "k": [80, True]},
        {"v": 2, "k": [80, 8]},
        {"v": True, "k": [80, 8]},
        {"v": 1.0, "k": [80, 8]},
    ],
)
def test_a_forged_or_foreign_cursor_is_refused(raw: object) -> None:
    cursor = base64.urlsafe_b64encode(json.dumps(raw).encode()).decode()
    with pytest.raises(ValueError, match="malformed cursor"):
        decode_cursor(cursor)


@pytest.mark.parametrize(
    "raw", [{"v": 1, "k": [80]}, {"v": 1}, [80, 8], {"k": [80, 8]}, {"v": 1, "k": ["80", 8]}]
)
def test_a_cursor_of_the_wrong_shape_is_refused(raw: object) -> None:
    cursor = base64.urlsafe_b64encode(json.dumps(raw).encode()).decode()
    with pytest.raises(ValueError, match="malformed cursor"):
        decode_cursor(cursor)


@pytest.mark.parametrize("cursor", ["", "!!!", "bm9wZQ", "e30"])
def test_garbage_cursors_are_a_value_error(cursor: str, db: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="malformed cursor"):
        keyset_page(db, 3, cursor)


@pytest.mark.parametrize(
    ("created", "row_id"), [(2**63, 8), (80, -(2**63) - 1), (2**70, 1)], ids=str
)
def test_an_out_of_range_cursor_is_a_value_error_not_a_500(
    created: int, row_id: int, db: sqlite3.Connection
) -> None:
    cursor = encode_cursor(created, row_id)
    with pytest.raises(ValueError, match="malformed cursor"):
        decode_cursor(cursor)
    # past 64 bits sqlite3 would raise OverflowError, which an API maps to a 500
    with pytest.raises(ValueError, match="malformed cursor"):
        keyset_page(db, 3, cursor)


def test_the_64_bit_extremes_are_valid_cursors(db: sqlite3.Connection) -> None:
    assert keyset_page(db, 3, encode_cursor(2**63 - 1, 2**63 - 1)).ids == [10, 9, 8]
    assert keyset_page(db, 3, encode_cursor(-(2**63), -(2**63))).ids == []


@pytest.mark.parametrize("limit", [0, -1, True, 2.5])
def test_a_bad_limit_is_refused(limit: Any, db: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="limit must be a positive int"):
        keyset_page(db, limit, None)
    with pytest.raises(ValueError, match="limit must be a positive int"):
        offset_page(db, limit, 0)


def test_a_bad_page_number_is_refused(db: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="page must be a non-negative int"):
        offset_page(db, 3, -1)


def _vm_steps(conn: sqlite3.Connection, run: Callable[[], object]) -> int:
    """SQLite virtual-machine instructions ``run`` executes: a deterministic cost."""
    steps = 0

    def tick() -> int:
        nonlocal steps
        steps += 1
        return 0

    conn.set_progress_handler(tick, 1)
    try:
        run()
    finally:
        conn.set_progress_handler(None, 1)
    return steps


def test_a_deep_offset_page_costs_more_and_a_deep_keyset_page_does_not() -> None:
    conn = sqlite3.connect(":memory:")
    for ddl in SCHEMA:
        conn.execute(ddl)
    conn.executemany("INSERT INTO items VALUES (?, ?)", [(i, i) for i in range(1, 5_001)])
    shallow_offset = _vm_steps(conn, lambda: offset_page(conn, 10, 1))
    deep_offset = _vm_steps(conn, lambda: offset_page(conn, 10, 400))
    shallow_key = _vm_steps(conn, lambda: keyset_page(conn, 10, encode_cursor(4_990, 4_990)))
    deep_key = _vm_steps(conn, lambda: keyset_page(conn, 10, encode_cursor(990, 990)))
    # OFFSET 4_000 steps over 4_000 index entries it throws away (about 2 VM
    # instructions each on SQLite 3.40: 8_062 vs 82); keyset seeks to the cursor
    # and costs the same at any depth (113 and 113). The bounds leave room for
    # other SQLite versions.
    assert deep_offset > 50 * shallow_offset
    assert deep_key < 2 * shallow_key
    assert offset_page(conn, 10, 400) == keyset_page(conn, 10, encode_cursor(1_001, 1_001)).ids
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT id, created FROM items WHERE (created, id) < (?, ?)"
        " ORDER BY created DESC, id DESC LIMIT ?",
        (1, 1, 1),
    ).fetchall()
    assert "SEARCH items USING COVERING INDEX items_created_id" in plan[0][3]
    conn.close()


def test_on_sqlite_a_page_boundary_inside_a_large_tie_scans_the_tie() -> None:
    conn = sqlite3.connect(":memory:")
    for ddl in SCHEMA:
        conn.execute(ddl)
    conn.executemany("INSERT INTO items VALUES (?, 1)", [(i,) for i in range(1, 5_001)])
    shallow = _vm_steps(conn, lambda: keyset_page(conn, 10, encode_cursor(1, 4_990)))
    deep = _vm_steps(conn, lambda: keyset_page(conn, 10, encode_cursor(1, 990)))
    # SQLite 3.40 seeks on "created < ?" only (the plan names no id bound) and
    # filters id, so the deep page walks past 4_010 tied entries: 233 vs 36_233.
    # PostgreSQL seeks on the pair (test_pg_keyset_page_is_an_index_range_scan).
    assert deep > 50 * shallow
    assert keyset_page(conn, 10, encode_cursor(1, 990)).ids == list(range(989, 979, -1))
    conn.close()


def test_a_full_last_page_still_gets_a_cursor_and_the_next_page_is_empty(
    db: sqlite3.Connection,
) -> None:
    last = keyset_page(db, 5, encode_cursor(60, 6))
    assert last.ids == [5, 4, 3, 2, 1]
    assert last.next_cursor is not None
    assert keyset_page(db, 5, last.next_cursor) == Page([], None)


def _pg_items(pg_schema: Any) -> Any:
    conn = pg_schema.connect(autocommit=True)
    for ddl in SCHEMA:
        conn.execute(ddl.replace("INTEGER", "BIGINT"))
    conn.execute(
        "INSERT INTO items SELECT i, 10 * i FROM generate_series(1, 10) AS i"  # newest: id 10
    )
    return conn


@pytest.mark.engine("postgres")
def test_pg_offset_repeats_a_row_and_keyset_does_not_under_a_concurrent_insert(
    pg_schema: Any,
) -> None:
    reader = _pg_items(pg_schema)
    writer = pg_schema.connect(autocommit=True)
    new_ids = iter([11, 12])

    def insert_newest(n: int) -> None:
        if n == 0:  # another connection commits a new row between two page reads
            i = next(new_ids)
            writer.execute("INSERT INTO items VALUES (%s, %s)", (i, 10 * i))

    assert walk_offset(reader, 3, insert_newest, "%s")[:6] == [10, 9, 8, 8, 7, 6]
    assert walk_keyset(reader, 3, insert_newest, "%s") == [11, *range(10, 0, -1)]


@pytest.mark.engine("postgres")
def test_pg_keyset_page_is_an_index_range_scan(pg_schema: Any) -> None:
    conn = _pg_items(pg_schema)
    conn.execute("INSERT INTO items SELECT i, i FROM generate_series(11, 20000) AS i")
    conn.execute("ANALYZE items")
    plan = conn.execute(
        "EXPLAIN (FORMAT JSON) SELECT id, created FROM items"
        " WHERE (created, id) < (%s, %s) ORDER BY created DESC, id DESC LIMIT %s",
        (9_990, 9_990, 10),
    ).fetchone()[0][0]["Plan"]
    scan = plan["Plans"][0]
    assert scan["Node Type"] in ("Index Scan", "Index Only Scan")
    assert scan["Index Name"] == "items_created_id"
    assert scan["Scan Direction"] == "Backward"
    assert "ROW(created, id) < ROW(" in scan["Index Cond"]
