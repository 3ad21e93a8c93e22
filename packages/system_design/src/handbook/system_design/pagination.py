"""Pagination: OFFSET pages skip or repeat rows as the table changes; keyset (cursor) pages do not.

Why interviewers ask this:
    Every list endpoint ("the feed", "my orders", an export job) pages. The
    naive ``LIMIT n OFFSET k`` is what most candidates write first, and it is
    wrong twice: a row inserted ahead of the reader shifts every later row by
    one, so the next page repeats a row; a row deleted ahead shifts them back,
    so a row is never shown. It also gets slower the deeper you page. The
    follow-up is always "what does your cursor contain?".

Common pitfalls:
    - ``OFFSET`` under concurrent writes (``offset_page``): a new row at the
      head between two page reads makes the next page start with the last row
      of the previous one; a deleted row makes one row vanish from the walk.
    - A keyset on a non-unique column alone (``WHERE created < ?``): rows that
      share the boundary value are skipped. The sort key needs a unique
      tie-breaker, and the comparison must be on the pair ``(created, id)``.
    - A cursor the client can read and build (``?after_id=42``): clients start
      depending on its format, and you can no longer change the sort.
      Encode it; sign it with an HMAC if a forged cursor could do harm.
    - Deep ``OFFSET`` is O(offset + limit): the database still produces and
      throws away the first ``offset`` rows.
    - Trusting the cursor's numbers: a forged ``2**70`` makes sqlite3 raise
      ``OverflowError`` (a 500). Check types and the 64-bit range on decode.

Key takeaways:
    - Keyset pagination asks for "the next ``limit`` rows after the last row I
      saw", by value, not by position: ``WHERE (created, id) < (?, ?) ORDER BY
      created DESC, id DESC LIMIT ?``. Rows inserted ahead of the reader are
      not repeated, deletions never cause skips, and every row that existed for
      the whole walk is returned exactly once.
    - The cursor carries the last row's sort key, versioned and base64url
      encoded: not meant to be parsed by clients (anyone can decode it; sign
      it if clients must not forge it). A malformed or out-of-range cursor is
      a client error (``ValueError``), not a 500.
    - With an index on ``(created, id)`` a keyset page is an index range scan:
      its cost does not grow with how deep the page is (counted below with
      SQLite's progress handler, and shown on PostgreSQL with ``EXPLAIN``).
      PostgreSQL seeks on the whole pair (the row comparison is its index
      condition); SQLite 3.40 seeks on ``created < ?`` only and filters
      ``id``, so a page boundary inside a very large tie scans that tie.
    - A full last page still gets a cursor, so a walk over a multiple of
      ``limit`` rows ends with one empty page. APIs avoid it by fetching
      ``limit + 1`` rows and returning ``has_more``.
    - The price: no "jump to page 37" and no cheap total count. Stripe
      (``starting_after``), Slack (``next_cursor``) and GitHub's GraphQL API
      (``after``) page this way; DynamoDB's ``LastEvaluatedKey`` and
      Cassandra's paging state are the same idea.

What to look for in an answer:
    Names both offset anomalies and why they happen, puts a unique tie-breaker
    in the sort key, compares the pair rather than one column, keeps the cursor
    opaque, and knows keyset's costs (no random access, total counts).
    Follow-ups:
    - How do you page backwards? (Flip the comparison and the ORDER BY, then
      reverse the page; the cursor records the direction.)
    - The client changes the filter or sort mid-walk? (Put the filter and sort
      in the cursor, or a hash of them, and refuse a cursor that does not
      match the request.)
    - Rows updated so their sort key moves? (They can appear twice or not at
      all: page by an immutable key such as creation time plus id, or page over
      a snapshot, e.g. one REPEATABLE READ transaction for an export.)
    - Why not keep OFFSET and cache? (The anomalies remain; only a snapshot
      removes them, and it costs memory or a long transaction per reader.)
    - Mixed directions, ``ORDER BY created DESC, id ASC``? (A row comparison
      no longer fits; expand it: ``created < ? OR (created = ? AND id > ?)``,
      with an index in the same mixed order.)
    - "Page 3 of 40", a total count? (Use an estimate such as
      ``pg_class.reltuples`` or the planner's row estimate, a cached count,
      or drop it; fetch ``limit + 1`` rows to say ``has_more``.)
    - NULLs in the sort column? (Use the same ``NULLS LAST`` in the ORDER BY
      and in the comparison, or ``COALESCE`` to a sentinel; a plain ``<``
      never matches NULL.)
    - Search engines? (Elasticsearch ``search_after`` with a point in time is
      keyset paging; ``from``/``size`` is OFFSET.)

On the real engine:
    PostgreSQL 15.20 runs the same SQL through psycopg 3.
    ``test_pg_offset_repeats_a_row_and_keyset_does_not_under_a_concurrent_insert``
    reads pages on one connection while a second connection commits a new row
    between two page reads: OFFSET returns a row twice, keyset does not.
    ``test_pg_keyset_page_is_an_index_range_scan`` shows ``EXPLAIN`` using the
    ``(created, id)`` index with the row comparison as its index condition.

Complexity:
    Keyset page: O(log n + limit) with the index. Offset page: O(offset + limit).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "SCHEMA",
    "ConnectionLike",
    "Page",
    "decode_cursor",
    "encode_cursor",
    "keyset_page",
    "offset_page",
]

SCHEMA = (
    "CREATE TABLE items (id INTEGER PRIMARY KEY, created INTEGER NOT NULL)",
    "CREATE INDEX items_created_id ON items (created, id)",
)


class CursorLike(Protocol):
    def fetchall(self) -> list[Any]: ...


class ConnectionLike(Protocol):
    """What ``sqlite3.Connection`` and ``psycopg.Connection`` both offer."""

    def execute(self, query: str, params: Sequence[Any] = ..., /) -> Any: ...


@dataclass(frozen=True)
class Page:
    """The ids of one page, newest first, and the cursor for the next (None at the end)."""

    ids: list[int]
    next_cursor: str | None


def encode_cursor(created: int, row_id: int) -> str:
    """An opaque cursor for "after the row (created, row_id)".

    >>> decode_cursor(encode_cursor(7, 3))
    (7, 3)
    """
    raw = json.dumps({"v": 1, "k": [created, row_id]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1  # what SQLite INTEGER and PostgreSQL bigint hold


def decode_cursor(cursor: str) -> tuple[int, int]:
    """The (created, id) a cursor points after.

    Raises ValueError for anything ``encode_cursor`` did not produce, and for
    numbers outside the 64-bit range (which sqlite3 would refuse with
    OverflowError).

    >>> decode_cursor("bm9wZQ")
    Traceback (most recent call last):
    ...
    ValueError: malformed cursor 'bm9wZQ'
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        created, row_id = data["k"]
        fields = (data["v"], created, row_id)
        ok = all(type(f) is int for f in fields) and data["v"] == 1  # break[trust-cursor]
        ok = ok and all(_INT64_MIN <= f <= _INT64_MAX for f in (created, row_id))  # break[no-range]
    except (binascii.Error, ValueError, TypeError, KeyError):
        ok = False
    if not ok:
        raise ValueError(f"malformed cursor {cursor!r}")
    return created, row_id


def _check_limit(limit: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"limit must be a positive int, got {limit!r}")


def offset_page(conn: ConnectionLike, limit: int, page: int, ph: str = "?") -> list[int]:
    """Page ``page`` (0-based) by position: the pitfall. ``ph`` is the driver's
    placeholder (``?`` for sqlite3, ``%s`` for psycopg). O(offset + limit)."""
    _check_limit(limit)
    if isinstance(page, bool) or not isinstance(page, int) or page < 0:
        raise ValueError(f"page must be a non-negative int, got {page!r}")
    rows = conn.execute(
        f"SELECT id FROM items ORDER BY created DESC, id DESC LIMIT {ph} OFFSET {ph}",
        (limit, limit * page),
    ).fetchall()
    return [r[0] for r in rows]


def keyset_page(conn: ConnectionLike, limit: int, cursor: str | None, ph: str = "?") -> Page:
    """The ``limit`` rows after ``cursor`` (from the top when None), by value.

    Raises ValueError for a bad limit or a malformed cursor. O(log n + limit).
    """
    _check_limit(limit)
    order = "ORDER BY created DESC, id DESC"
    if cursor is None:
        rows = conn.execute(f"SELECT id, created FROM items {order} LIMIT {ph}", (limit,))
    else:
        created, row_id = decode_cursor(cursor)
        # A row-value comparison: strictly after the pair, so ties on created
        # are split by id and none is skipped or repeated.
        where, params = f"(created, id) < ({ph}, {ph})", (created, row_id)  # break[no-tiebreak]
        rows = conn.execute(
            f"SELECT id, created FROM items WHERE {where} {order} LIMIT {ph}", (*params, limit)
        )
    found = rows.fetchall()
    ids = [r[0] for r in found]
    if len(found) < limit:
        return Page(ids, None)
    last = found[-1]  # break[cursor-from-first]
    return Page(ids, encode_cursor(last[1], last[0]))
