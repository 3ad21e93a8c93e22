"""Tests for intermediate.generators: laziness, send/throw/close, yield from, constant memory."""

from __future__ import annotations

import sys
from collections.abc import Callable, Generator, Iterator

import pytest

from handbook.intermediate.generators import (
    Tracker,
    averager,
    drain,
    eager_total,
    heads,
    heads_unsafe,
    keep_even,
    lazy_total,
    numbers,
    read_batch,
    read_items,
    stubborn_worker,
    sum_batches,
    worker,
)


def test_nothing_runs_until_next() -> None:
    log: list[str] = []
    gen = numbers(3, log)
    assert log == []  # not even the line before the loop
    assert next(gen) == 0
    assert log == ["started", "yield 0"]
    assert next(gen) == 1
    assert log == ["started", "yield 0", "yield 1"]


def test_a_generator_stage_pulls_one_item_per_next() -> None:
    tracker = Tracker()
    source = read_items(1_000_000, tracker)
    evens = keep_even(source)
    assert tracker.peak == 0  # building the stages made no item
    first = next(evens)
    assert first.value == 0
    assert tracker.peak == 1


def test_an_exhausted_generator_yields_nothing_more() -> None:
    gen = numbers(2, [])
    assert list(gen) == [0, 1]
    assert list(gen) == []


def test_send_drives_a_running_average_and_return_becomes_stop_iteration_value() -> None:
    avg = averager()
    assert next(avg) is None
    assert avg.send(10) == 10.0
    assert avg.send(20) == 15.0
    with pytest.raises(StopIteration) as stop:
        avg.send(None)
    assert stop.value.value == 15.0


def test_send_to_an_unstarted_generator_raises_type_error() -> None:
    with pytest.raises(TypeError, match="just-started generator"):
        averager().send(10)


def test_throw_raises_at_the_paused_yield_and_the_generator_carries_on() -> None:
    log: list[str] = []
    gen = worker(log)
    assert next(gen) == "ready"
    assert gen.send("a") == "ready"
    assert gen.throw(ValueError("bad task")) == "ready"
    assert gen.send("b") == "ready"
    assert log == ["open", "did a", "skipped: bad task", "did b"]


def test_close_runs_the_finally_block_and_ends_the_generator() -> None:
    log: list[str] = []
    gen = worker(log)
    next(gen)
    gen.close()
    assert log == ["open", "closed"]
    with pytest.raises(StopIteration):
        next(gen)
    gen.close()  # closing twice is harmless


def test_an_abandoned_generator_is_closed_when_collected() -> None:
    log: list[str] = []
    gen = worker(log)
    next(gen)
    del gen  # CPython collects it at once (reference counting) and calls close()
    assert log == ["open", "closed"]


def test_yield_from_forwards_throw_to_the_subgenerator() -> None:
    log: list[str] = []

    def supervisor() -> Generator[str, str, None]:
        yield from worker(log)

    gen = supervisor()
    next(gen)
    assert gen.throw(ValueError("bad")) == "ready"
    gen.close()  # close is forwarded too: the inner finally runs
    assert log == ["open", "skipped: bad", "closed"]


def test_a_generator_that_yields_after_generator_exit_makes_close_raise() -> None:
    log: list[str] = []
    gen = stubborn_worker(log)
    next(gen)
    with pytest.raises(RuntimeError, match="generator ignored GeneratorExit"):
        gen.close()
    assert log == ["ignored GeneratorExit"]
    # close() failed, so the generator is still paused; end it the only way it
    # allows, or its garbage collection would call close() again and fail again.
    with pytest.raises(StopIteration):
        gen.send("quit")


def test_yield_from_passes_items_through_and_returns_the_subgenerator_value() -> None:
    items, sums = drain(sum_batches([[1, 2], [3, 4, 5], []]))
    assert items == [1, 2, 3, 4, 5]
    assert sums == [3, 12, 0]


def test_the_return_value_is_stop_iteration_value() -> None:
    gen = read_batch([4, 5])
    assert [next(gen), next(gen)] == [4, 5]
    with pytest.raises(StopIteration) as stop:
        next(gen)
    assert stop.value.value == 9


def test_yield_from_forwards_send_to_the_subgenerator() -> None:
    def report() -> Generator[float | None, float | None, str]:
        final = yield from averager()
        return f"mean={final}"

    gen = report()
    next(gen)
    assert gen.send(1) == 1.0
    assert gen.send(3) == 2.0
    with pytest.raises(StopIteration) as stop:
        gen.send(None)
    assert stop.value.value == "mean=2.0"


def test_a_generator_pipeline_holds_a_constant_number_of_items() -> None:
    small, large = Tracker(), Tracker()
    assert lazy_total(100, small) == 10 * sum(range(0, 100, 2))
    assert lazy_total(5_000, large) == 10 * sum(range(0, 5_000, 2))
    # Constant: fifty times the input, the same peak, and only a handful
    # (the item each stage is looking at).
    assert small.peak == large.peak
    assert large.peak <= 5
    assert large.alive == 0


def test_the_list_building_pipeline_holds_every_item() -> None:
    tracker = Tracker()
    n = 2_000
    assert eager_total(n, tracker) == lazy_total(n, Tracker())
    # `records` keeps all n inputs alive while the n/2 scaled records are built.
    assert tracker.peak == n + n // 2
    assert tracker.alive == 0


def test_a_bare_next_on_an_exhausted_iterator_becomes_runtime_error() -> None:
    # PEP 479: StopIteration escaping a generator frame is turned into RuntimeError.
    gen = heads_unsafe([[1], [], [3]])
    assert next(gen) == 1
    with pytest.raises(RuntimeError, match="generator raised StopIteration") as info:
        next(gen)
    assert isinstance(info.value.__cause__, StopIteration)


def test_next_with_a_default_skips_empty_sources() -> None:
    assert list(heads([[1, 2], [], [3], iter([])])) == [1, 3]
    assert list(heads([[None], []])) == [None]  # a None item is kept: the sentinel is private


def test_a_for_loop_wrapper_does_not_forward_send() -> None:
    def relay() -> Generator[float | None, float | None, None]:
        for value in averager():  # noqa: UP028  # the pitfall being shown
            yield value

    gen = relay()
    assert next(gen) is None
    # relay drops the 1 and calls next(sub), which sends None: averager returns.
    with pytest.raises(StopIteration):
        gen.send(1)


def test_a_for_loop_wrapper_does_not_forward_throw() -> None:
    log: list[str] = []

    def relay() -> Generator[str, str, None]:
        for state in worker(log):  # noqa: UP028  # the pitfall being shown
            yield state

    gen = relay()
    next(gen)
    with pytest.raises(ValueError, match="bad"):
        gen.throw(ValueError("bad"))  # raised in relay; worker would have skipped it
    assert not any(entry.startswith("skipped") for entry in log)


def test_except_exception_around_a_yield_lets_close_work() -> None:
    log: list[str] = []

    def tolerant() -> Generator[int, None, None]:
        while True:
            try:
                yield 1
            except Exception:  # GeneratorExit is not an Exception
                log.append("caught")

    gen = tolerant()
    next(gen)
    gen.close()
    assert log == []
    assert not issubclass(GeneratorExit, Exception)


def test_close_returns_the_return_value_from_313() -> None:
    def polite() -> Generator[int, None, str]:
        try:
            yield 1
        except GeneratorExit:
            return "bye"
        return "done"

    gen = polite()
    next(gen)
    expected = "bye" if sys.version_info >= (3, 13) else None
    close: Callable[[], object] = gen.close  # typeshed says None; 3.13 returns the value
    assert close() == expected


def test_three_argument_throw_is_deprecated_from_312() -> None:
    log: list[str] = []
    gen = worker(log)
    next(gen)
    if sys.version_info >= (3, 12):
        with pytest.warns(DeprecationWarning, match="signature of throw"):
            gen.throw(ValueError, ValueError("old"), None)
    else:
        gen.throw(ValueError, ValueError("old"), None)
    assert log[-1] == "skipped: old"
    gen.close()


def test_a_generator_expression_binds_the_outer_iterable_at_creation_only() -> None:
    a, b = [1, 2, 3], {2}
    gen = (x for x in a if x in b)
    a, b = [9], {1, 2, 3}
    assert list(gen) == [1, 2, 3]
    assert a == [9]


def test_a_generator_cannot_be_resumed_while_it_is_running() -> None:
    def reentrant() -> Iterator[int]:
        yield next(me)

    me = reentrant()
    with pytest.raises(ValueError, match="generator already executing"):
        next(me)
