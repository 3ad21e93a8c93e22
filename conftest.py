"""Real engines for the twin tests, for every package and fundamentals area: this
file is the one place that decides whether each engine is reachable.

A test that runs on a real server is marked ``@pytest.mark.engine("redis")`` (or
``"postgres"``, ``"nats"``) and takes that engine's fixture. Without the server the
test is skipped with a reason naming the engine and how to start it; with
``HANDBOOK_ENGINES=require`` (CI sets it) or ``CI`` set, an unreachable engine is a
failure instead, so a run that skipped every engine test cannot look green.

Each fixture gives the test a namespace of its own (a key prefix, a schema, a stream
name) and removes it afterwards, so engine tests run in parallel under xdist without
seeing each other and leave the server as they found it.

Addresses can be moved with ``HANDBOOK_REDIS_URL``, ``HANDBOOK_POSTGRES_DSN`` and
``HANDBOOK_NATS_URL``.
"""

from __future__ import annotations

import asyncio
import functools
import os
import socket
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import psycopg
    import redis


@dataclass(frozen=True)
class Engine:
    """A server some twin tests run against: its name, the variable that moves it, its
    default address (and host and port, for a URL that leaves them out), how to start it."""

    title: str
    env: str
    default: str
    host: str
    port: int
    start: str


ENGINES = {
    "redis": Engine(
        "Redis",
        "HANDBOOK_REDIS_URL",
        "redis://127.0.0.1:6379/0",
        "127.0.0.1",
        6379,
        "`docker run --rm -p 6379:6379 redis:7` or `apt install redis-server`",
    ),
    "postgres": Engine(
        "PostgreSQL",
        "HANDBOOK_POSTGRES_DSN",
        "host=127.0.0.1 port=5432 dbname=test user=postgres",
        "127.0.0.1",
        5432,
        "`docker run --rm -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test"
        " postgres:15` or `apt install postgresql`",
    ),
    "nats": Engine(
        "NATS JetStream",
        "HANDBOOK_NATS_URL",
        "nats://127.0.0.1:4222",
        "127.0.0.1",
        4222,
        "`docker run --rm -p 4222:4222 nats:2 -js` or `nats-server -js`",
    ),
}


def address(name: str) -> str:
    """The URL or DSN tests use for engine ``name``."""
    engine = ENGINES[name]
    return os.environ.get(engine.env, engine.default)


def required() -> bool:
    """True when an unreachable engine must fail the run rather than skip."""
    return os.environ.get("HANDBOOK_ENGINES", "") == "require" or bool(os.environ.get("CI"))


@functools.cache
def unreachable(name: str) -> str | None:
    """Why engine ``name`` cannot be used, or None when it answers. Asked once per
    process: a closed port is found in a millisecond, so a laptop's run stays fast."""
    engine = ENGINES[name]
    try:
        if name == "redis":
            import redis

            with redis.Redis.from_url(address(name), socket_connect_timeout=2) as client:
                client.ping()
        elif name == "postgres":
            import psycopg

            with psycopg.connect(address(name), connect_timeout=2) as conn:
                conn.execute("SELECT 1")
        else:
            url = urllib.parse.urlsplit(address(name))
            where = (url.hostname or engine.host, url.port or engine.port)
            with socket.create_connection(where, timeout=2) as sock:
                sock.settimeout(2)
                if not sock.recv(4096).startswith(b"INFO "):
                    return f"{engine.title} at {address(name)} did not greet as NATS"
    except ImportError as exc:
        return f"{engine.title}'s client is not installed ({exc.name}): run `uv sync`"
    except Exception as exc:
        said = " ".join(str(exc).split())  # psycopg's message spans lines
        return f"{engine.title} is not reachable at {address(name)} ({type(exc).__name__}: {said})"
    return None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "engine(name): the test runs on a real server (redis, postgres, nats); skipped"
        " without it unless HANDBOOK_ENGINES=require or CI is set",
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in item.iter_markers("engine"):
        [name] = marker.args
        if name not in ENGINES:
            raise pytest.UsageError(f"{item.nodeid}: unknown engine {name!r}")
        why = unreachable(name)
        if why is None:
            continue
        engine = ENGINES[name]
        message = f"{why}; start it with {engine.start}, or point {engine.env} at one"
        if required():
            pytest.fail(f"engine tests must run here (HANDBOOK_ENGINES=require or CI): {message}")
        pytest.skip(f"engine test: {message}")


def _unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


@pytest.fixture
def redis_prefix() -> str:
    """A key prefix no other test uses; every key the test makes must start with it."""
    return _unique("hb:test:") + ":"


@pytest.fixture
def redis_factory(redis_prefix: str) -> Iterator[Callable[[], redis.Redis]]:
    """New Redis clients (one per thread or simulated process); the test's keys
    (``redis_prefix*``) are deleted and every client closed afterwards."""
    import redis

    clients: list[redis.Redis] = []

    def connect() -> redis.Redis:
        client = redis.Redis.from_url(address("redis"), socket_timeout=10)
        clients.append(client)
        return client

    yield connect
    cleaner = redis.Redis.from_url(address("redis"))
    try:
        keys = list(cleaner.scan_iter(match=redis_prefix + "*", count=1000))
        if keys:
            cleaner.delete(*keys)
    finally:
        cleaner.close()
        for client in clients:
            client.close()


@pytest.fixture
def redis_client(redis_factory: Callable[[], redis.Redis]) -> redis.Redis:
    """One Redis client; use only keys under ``redis_prefix``."""
    return redis_factory()


@dataclass(frozen=True)
class PostgresSchema:
    """A schema of the test's own; ``connect()`` opens connections whose
    ``search_path`` is that schema, so unqualified table names land in it."""

    name: str
    connect: Callable[..., psycopg.Connection[Any]]


@pytest.fixture
def pg_schemas() -> Iterator[Callable[[], PostgresSchema]]:
    """Make fresh PostgreSQL schemas (one call, one schema), each dropped with everything
    in it afterwards; connections opened through them are closed first, and prepared
    transactions whose gid starts with a schema's name are rolled back."""
    import psycopg
    from psycopg import sql

    made: list[str] = []
    opened: list[psycopg.Connection[Any]] = []

    def make() -> PostgresSchema:
        name = _unique("hb_test_")

        def connect(**kwargs: Any) -> psycopg.Connection[Any]:
            conn = psycopg.connect(address("postgres"), options=f"-c search_path={name}", **kwargs)
            opened.append(conn)
            return conn

        with psycopg.connect(address("postgres"), autocommit=True) as admin:
            admin.execute(f"CREATE SCHEMA {name}")
        made.append(name)
        return PostgresSchema(name, connect)

    try:
        yield make
    finally:
        for conn in opened:
            conn.close()
        if made:
            with psycopg.connect(address("postgres"), autocommit=True) as admin:
                for name in made:
                    prepared = admin.execute(
                        "SELECT gid FROM pg_prepared_xacts WHERE gid LIKE %s", (name + "%",)
                    ).fetchall()
                    for (gid,) in prepared:  # a gid is a literal, quoted by the driver
                        admin.execute(sql.SQL("ROLLBACK PREPARED {}").format(sql.Literal(gid)))
                    admin.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture
def pg_schema(pg_schemas: Callable[[], PostgresSchema]) -> PostgresSchema:
    """A fresh PostgreSQL schema of the test's own (see ``pg_schemas``)."""
    return pg_schemas()


@pytest.fixture
def pg_two_phase(pg_schemas: Callable[[], PostgresSchema]) -> Callable[[], PostgresSchema]:
    """``pg_schemas`` on a server that allows ``PREPARE TRANSACTION``: PostgreSQL ships
    with ``max_prepared_transactions = 0``, and the setting is read at start-up. Where
    it is 0 the test is skipped (failed where engines are required) with how to set it.
    Give each prepared transaction a gid that starts with its schema's name."""
    import psycopg

    with psycopg.connect(address("postgres"), autocommit=True) as conn:
        row = conn.execute("SHOW max_prepared_transactions").fetchone()
    if row is None or int(row[0]) == 0:
        message = (
            "two-phase commit needs max_prepared_transactions > 0 on the PostgreSQL server:"
            " run `ALTER SYSTEM SET max_prepared_transactions = 20` as a superuser and"
            " restart it (.ci/run does this)"
        )
        if required():
            pytest.fail(message)
        pytest.skip(message)
    return pg_schemas


@pytest.fixture
def nats_url() -> str:
    """Where the NATS server listens: connect with ``await nats.connect(nats_url)``
    inside the test's own event loop (``asyncio.run``; the client is asyncio-only)."""
    return address("nats")


@pytest.fixture
def nats_names(nats_url: str) -> Iterator[str]:
    """A prefix of the test's own for stream, consumer and subject names (upper-case
    letters, digits and underscores); every stream named with it is deleted afterwards."""
    prefix = _unique("HB_TEST_").upper()
    yield prefix

    async def clean() -> None:
        import nats

        client = await nats.connect(nats_url, connect_timeout=2, allow_reconnect=False)
        try:
            js = client.jetstream()
            for info in await js.streams_info():
                if info.config.name and info.config.name.startswith(prefix):
                    await js.delete_stream(info.config.name)
        finally:
            await client.close()

    asyncio.run(clean())
