"""The engine fixtures: each server answers, each test's namespace is its own and is
removed afterwards, and without a server a test skips (or fails where it must run)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent


@pytest.fixture
def left_clean(redis_prefix: str) -> Iterator[str]:
    """Set up before ``redis_factory`` and so torn down after it: checks that no key
    under the prefix is left once the factory has cleaned up."""
    yield redis_prefix
    import redis

    url = os.environ.get("HANDBOOK_REDIS_URL", "redis://127.0.0.1:6379/0")
    with redis.Redis.from_url(url) as c:
        assert list(c.scan_iter(match=redis_prefix + "*")) == []


@pytest.mark.engine("redis")
def test_redis_keys_under_the_prefix_are_removed_after_the_test(
    left_clean: str, redis_factory: Callable[[], Any]
) -> None:
    client = redis_factory()
    assert client.ping() is True
    client.set(left_clean + "a", b"1")
    assert client.get(left_clean + "a") == b"1"


@pytest.mark.engine("postgres")
def test_postgres_tables_land_in_the_tests_own_schema(pg_schema: Any) -> None:
    with pg_schema.connect(autocommit=True) as conn:
        conn.execute("CREATE TABLE t (x int)")
        row = conn.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = 't'"
            " AND table_schema = current_schema()"
        ).fetchone()
    assert row == (pg_schema.name,)


@pytest.mark.engine("nats")
def test_nats_streams_with_the_prefix_are_the_tests_own(nats_url: str, nats_names: str) -> None:
    async def scenario() -> list[str]:
        import nats

        client = await nats.connect(nats_url, connect_timeout=2, allow_reconnect=False)
        try:
            js = client.jetstream()
            await js.add_stream(name=nats_names, subjects=[f"{nats_names}.>"])
            return [s.config.name or "" for s in await js.streams_info()]
        finally:
            await client.close()

    assert nats_names in asyncio.run(scenario())


_PROBE = textwrap.dedent(
    """
    import pytest

    @pytest.mark.engine("redis")
    def test_needs_redis(redis_client):
        redis_client.ping()
    """
)


def _run_probe(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a one-test file beside a copy of the workspace's conftest, with Redis moved
    to a port where nothing listens (port 1 on loopback refuses at once)."""
    shutil.copy(HERE.parents[2] / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_probe.py").write_text(_PROBE)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOOK_ENGINES")}
    clean |= {"HANDBOOK_REDIS_URL": "redis://127.0.0.1:1/0", **env}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-p", "no:xdist"],
        capture_output=True,
        text=True,
        env=clean,
        cwd=tmp_path,
        timeout=60,
    )


def test_without_the_server_an_engine_test_skips_and_says_how_to_start_it(
    tmp_path: Path,
) -> None:
    result = _run_probe(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "Redis is not reachable at redis://127.0.0.1:1/0" in result.stdout
    assert "start it with `docker run --rm -p 6379:6379 redis:7`" in result.stdout


def test_where_engines_are_required_an_unreachable_one_fails(tmp_path: Path) -> None:
    # CI sets HANDBOOK_ENGINES=require (.ci/run); a bare CI=true counts the same.
    result = _run_probe(tmp_path, CI="true")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 error" in result.stdout  # failed in setup, before the test ran
    assert "engine tests must run here" in result.stdout
