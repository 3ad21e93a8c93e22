"""Tests for advanced.deadline_budget: budgets shrink as calls nest, cross hosts as durations."""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import math
import time
from collections.abc import Callable

import pytest

from handbook.advanced.deadline_budget import (
    DeadlineExceeded,
    budget_from_absolute,
    call,
    call_with_fixed_timeout,
    deadline_from_header,
    deadline_scope,
    decode_grpc_timeout,
    encode_grpc_timeout,
    remaining,
    timeout_header,
    work,
)


class FakeClock:
    """A monotonic clock that only moves when ``advance`` is called."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        assert seconds >= 0
        self.now += seconds


Caller = Callable[..., str]


def two_hop_request(caller: Caller, clock: FakeClock) -> str:
    """Frontend (1 s) -> service A (0.3 s of work) -> service B (0.9 s of work)."""

    def service_b() -> str:
        work(0.9, clock.advance, clock)
        return "b-done"

    def service_a() -> str:
        work(0.3, clock.advance, clock)
        return caller(service_b, timeout=1.0, clock=clock)

    return caller(service_a, timeout=1.0, clock=clock)


def test_with_fixed_timeouts_per_hop_the_answer_arrives_after_the_callers_deadline() -> None:
    clock = FakeClock()
    assert two_hop_request(call_with_fixed_timeout, clock) == "b-done"
    assert clock.now == pytest.approx(1.2)  # 0.2 s past the frontend's 1 s deadline


def test_with_a_shared_budget_the_inner_call_is_cut_off_at_the_callers_deadline() -> None:
    clock = FakeClock()
    with pytest.raises(DeadlineExceeded):
        two_hop_request(call, clock)
    assert clock.now == pytest.approx(1.0)  # B got min(1.0, 0.7) = 0.7 s and stopped there
    assert remaining(clock) == math.inf  # both scopes were reset on the way out of the error


def test_fixed_timeouts_add_up_across_hops() -> None:
    clock = FakeClock()

    def hop(depth: int) -> str:
        work(0.9, clock.advance, clock)
        if depth == 0:
            return "leaf"
        return call_with_fixed_timeout(lambda: hop(depth - 1), timeout=1.0, clock=clock)

    assert call_with_fixed_timeout(lambda: hop(2), timeout=1.0, clock=clock) == "leaf"
    assert clock.now == pytest.approx(2.7)  # three 0.9 s hops against a 1 s deadline


def test_each_call_gets_the_smaller_of_its_timeout_and_what_is_left() -> None:
    clock = FakeClock()
    seen: list[float] = []

    def inner() -> None:
        seen.append(remaining(clock))

    def outer() -> None:
        seen.append(remaining(clock))
        clock.advance(0.4)
        call(inner, timeout=5.0, clock=clock)  # wants 5 s, only 0.6 s left
        call(inner, timeout=0.1, clock=clock)  # wants less than is left: gets 0.1 s
        seen.append(remaining(clock))  # back to the outer deadline afterwards

    call(outer, timeout=1.0, clock=clock)
    assert seen == pytest.approx([1.0, 0.6, 0.1, 0.6])
    assert remaining(clock) == math.inf  # no deadline outside any call


def test_a_call_that_needs_more_than_is_left_is_refused_before_it_starts() -> None:
    clock = FakeClock()
    started: list[str] = []

    def outer() -> None:
        clock.advance(0.95)  # 50 ms left
        call(lambda: started.append("query"), timeout=1.0, needs=0.2, clock=clock)

    with pytest.raises(DeadlineExceeded):
        call(outer, timeout=1.0, clock=clock)
    assert started == []
    assert clock.now == pytest.approx(0.95)  # refused at once: no time spent on it
    assert remaining(clock) == math.inf  # the outer scope was reset despite the error


def test_a_call_with_nothing_left_is_refused_even_when_it_needs_nothing() -> None:
    clock = FakeClock()
    started: list[str] = []

    def outer() -> None:
        clock.advance(1.5)  # past the deadline
        assert remaining(clock) == 0.0  # never negative
        call(lambda: started.append("query"), timeout=1.0, clock=clock)

    with pytest.raises(DeadlineExceeded):
        call(outer, timeout=1.0, clock=clock)
    assert started == []
    assert remaining(clock) == math.inf  # the outer scope was reset despite the error


def test_a_call_that_fits_its_budget_runs() -> None:
    clock = FakeClock()
    assert call(lambda: "ok", timeout=1.0, needs=0.2, clock=clock) == "ok"
    assert call(lambda: "ok", timeout=0.2, needs=0.2, clock=clock) == "ok"  # exactly enough


def test_a_nan_or_negative_timeout_is_a_value_error_not_a_missed_deadline() -> None:
    clock = FakeClock()
    for bad in (math.nan, -1.0):
        with pytest.raises(ValueError, match="timeout must be a non-negative"):
            call(lambda: "ok", timeout=bad, clock=clock)
        with pytest.raises(ValueError, match="needs must be a non-negative"):
            call(lambda: "ok", timeout=1.0, needs=bad, clock=clock)
    assert remaining(clock) == math.inf


@pytest.mark.parametrize(
    "fn",
    [
        remaining,
        deadline_scope,
        call,
        call_with_fixed_timeout,
        timeout_header,
        deadline_from_header,
    ],
)
def test_the_default_clock_is_monotonic(fn: Callable[..., object]) -> None:
    # Wall-clock time can jump (NTP, manual changes); a deadline must not.
    assert inspect.signature(fn).parameters["clock"].default is time.monotonic


def test_each_asyncio_task_carries_its_own_deadline() -> None:
    clock = FakeClock()

    async def request(timeout: float, gate: asyncio.Event) -> float:
        with deadline_scope(timeout, clock=clock):
            await gate.wait()  # the other request sets its own deadline meanwhile
            return remaining(clock)

    async def main() -> list[float]:
        gate = asyncio.Event()
        tasks = [asyncio.create_task(request(t, gate)) for t in (1.0, 5.0)]
        await asyncio.sleep(0)  # both tasks are now inside their scopes
        gate.set()
        return list(await asyncio.gather(*tasks))

    assert asyncio.run(main()) == [1.0, 5.0]


def test_the_encoder_picks_the_finest_unit_that_fits_in_eight_digits() -> None:
    # 0.099999999 * 1e9 and 0.1 * 1e9 round to exact integers in IEEE-754 doubles.
    assert encode_grpc_timeout(0.099999999) == "99999999n"
    assert encode_grpc_timeout(0.1) == "100000u"
    assert encode_grpc_timeout(200.0) == "200000m"
    assert encode_grpc_timeout(1_000_000.0) == "1000000S"
    assert encode_grpc_timeout(0.2) == "200000u"  # what grpc-go sends for 200 ms
    for value in (0.001, 0.25, 1.5, 7.0, 3600.0, 1e6, 1e9):
        digits = encode_grpc_timeout(value)[:-1]
        assert digits.isdigit()
        assert len(digits) <= 8


def test_the_encoder_rounds_up_so_a_live_budget_is_never_sent_as_zero() -> None:
    assert encode_grpc_timeout(1e-12) == "1n"
    assert encode_grpc_timeout(100.0000001) == "100001m"  # 100.0000001 s rounded up to the ms
    for value in (1e-9, 0.3, 1.7, 123.456, 1e5):
        assert decode_grpc_timeout(encode_grpc_timeout(value)) >= value


def test_a_passed_deadline_is_sent_as_zero_and_a_huge_one_is_clamped() -> None:
    assert encode_grpc_timeout(-1.0) == "0n"
    assert encode_grpc_timeout(1e12) == "99999999H"  # over the cap: the one round-down


def test_no_deadline_means_no_header_and_infinity_is_not_encoded() -> None:
    assert timeout_header(FakeClock()) is None
    for bad in (math.inf, math.nan):
        with pytest.raises(ValueError, match="cannot encode"):
            encode_grpc_timeout(bad)


def test_the_decoder_rejects_malformed_values() -> None:
    for bad in ("", "m", "100", "100x", "123456789m", "-5S", "1.5S", "٣S"):
        with pytest.raises(ValueError, match="bad grpc-timeout"):
            decode_grpc_timeout(bad)


def test_remaining_time_on_the_wire_is_immune_to_clock_offset() -> None:
    client, server = FakeClock(100.0), FakeClock(95.0)  # the server's clock is 5 s behind

    def downstream() -> float:
        header = timeout_header(client)
        assert header == "1000000u"  # 1 s, as a duration
        return contextvars.Context().run(serve, header)  # another process: no deadline yet

    def serve(header: str) -> float:
        with deadline_from_header(header, server) as budget:
            assert remaining(server) == budget
            return budget

    assert call(downstream, timeout=1.0, clock=client) == pytest.approx(1.0)


def test_an_absolute_deadline_on_the_wire_is_off_by_the_clock_offset() -> None:
    client, server = FakeClock(100.0), FakeClock(95.0)
    absolute_deadline = client() + 1.0
    assert budget_from_absolute(absolute_deadline, server) == pytest.approx(6.0)  # 5 s too much
    ahead = FakeClock(102.0)  # a server 2 s ahead sees the deadline already gone
    assert budget_from_absolute(absolute_deadline, ahead) == 0.0


def test_remaining_time_overestimates_by_the_transit_time() -> None:
    client = FakeClock(0.0)

    def downstream() -> float:
        header = timeout_header(client)
        assert header is not None
        server = FakeClock(client())  # same clock, but the request spends 50 ms in flight
        server.advance(0.05)
        return contextvars.Context().run(serve, header, server)  # another process

    def serve(header: str, server: FakeClock) -> float:
        with deadline_from_header(header, server):
            return server() + remaining(server)  # when the server thinks the deadline is

    server_deadline = call(downstream, timeout=1.0, clock=client)
    assert server_deadline == pytest.approx(1.05)  # the client's deadline is 1.0


def test_the_server_deadline_is_restored_when_the_request_ends() -> None:
    server = FakeClock(10.0)
    with deadline_from_header("2S", server) as budget:
        assert budget == 2.0
        assert remaining(server) == 2.0
    assert remaining(server) == math.inf


def test_an_incoming_header_cannot_widen_a_deadline_already_in_force() -> None:
    clock = FakeClock(10.0)
    with deadline_scope(0.5, clock=clock), deadline_from_header("2S", clock) as budget:
        assert budget == 0.5
        assert remaining(clock) == 0.5
    assert remaining(clock) == math.inf
