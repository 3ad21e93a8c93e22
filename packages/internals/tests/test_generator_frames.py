"""Tests for internals.generator_frames: states, the frame object, locals kept alive."""

from __future__ import annotations

import gc
import inspect
import sys
import weakref
from collections.abc import Generator
from contextlib import suppress
from types import CoroutineType, FrameType, GeneratorType
from typing import Any

import pytest

from handbook.internals.generator_frames import (
    Buffer,
    clear_kept_frame,
    coroutine_states,
    first,
    first_leaky,
    generator_states,
    has_frame_object,
    paused_line,
    reader,
    state_seen_from_another_thread,
)


def _tracked_reader() -> tuple[GeneratorType[int, None, None], list[weakref.ref[Buffer]]]:
    """A reader whose buffer is reachable only from its frame; refs gets a weakref to it."""
    refs: list[weakref.ref[Buffer]] = []

    def make() -> Buffer:
        buffer = Buffer(list(range(100)))
        refs.append(weakref.ref(buffer))
        return buffer

    return _gen(reader(make)), refs


def _gen(obj: object) -> GeneratorType[Any, Any, Any]:
    """Narrow a generator to ``types.GeneratorType``, which has the ``gi_*`` attributes."""
    assert isinstance(obj, GeneratorType)
    return obj


def test_generator_states_go_created_running_suspended_closed() -> None:
    assert generator_states() == ["GEN_CREATED", "GEN_RUNNING", "GEN_SUSPENDED", "GEN_CLOSED"]


def test_coroutine_states_go_created_running_suspended_closed() -> None:
    assert coroutine_states() == ["CORO_CREATED", "CORO_RUNNING", "CORO_SUSPENDED", "CORO_CLOSED"]


def test_the_flags_behind_the_states_exist_on_every_version() -> None:
    gen = _gen(reader(lambda: Buffer([1, 2])))
    assert (gen.gi_running, gen.gi_suspended, gen.gi_frame is None) == (False, False, False)
    next(gen)
    assert (gen.gi_running, gen.gi_suspended, gen.gi_frame is None) == (False, True, False)
    gen.close()
    assert (gen.gi_running, gen.gi_suspended, gen.gi_frame is None) == (False, False, True)


def test_gi_frame_is_none_after_return_raise_or_close_even_unstarted() -> None:
    finished = _gen(reader(lambda: Buffer([1])))
    assert list(finished) == [1]

    def failing() -> Generator[int, None, None]:
        yield 1
        raise ValueError("boom")

    raised = _gen(failing())
    next(raised)
    with suppress(ValueError):
        next(raised)
    unstarted = _gen(reader(lambda: Buffer([1])))
    unstarted.close()
    for gen in (finished, raised, unstarted):
        assert gen.gi_frame is None
        assert inspect.getgeneratorstate(gen) == "GEN_CLOSED"


def test_a_suspended_frame_shows_its_line_and_locals_and_has_no_caller() -> None:
    gen = _gen(reader(lambda: Buffer([5, 6])))
    assert paused_line(gen) == 0  # not started: at the def line
    assert next(gen) == 5
    assert paused_line(gen) == 4  # the yield line
    frame = gen.gi_frame
    assert frame is not None
    assert frame.f_back is None  # nobody is running it
    local_vars = inspect.getgeneratorlocals(gen)
    assert local_vars["item"] == 5
    assert isinstance(local_vars["buffer"], Buffer)
    gen.close()
    assert paused_line(gen) is None


def test_a_suspended_generator_keeps_its_locals_alive_until_closed() -> None:
    gen, refs = _tracked_reader()
    assert refs == []  # nothing allocated before the first next
    next(gen)
    assert refs[0]() is not None  # only the frame holds the buffer
    gen.close()
    assert refs[0]() is None


def test_a_dropped_generator_frees_its_locals_when_collected() -> None:
    gen, refs = _tracked_reader()
    next(gen)
    del gen  # last reference: CPython finalizes (closes) it at once
    assert refs[0]() is None


def test_first_leaky_leaves_the_buffer_alive_while_the_generator_is_held() -> None:
    gen, refs = _tracked_reader()
    assert first_leaky(gen) == 0
    assert refs[0]() is not None
    assert inspect.getgeneratorstate(gen) == "GEN_SUSPENDED"
    gen.close()


def test_first_closes_the_generator_and_frees_the_buffer_while_it_is_held() -> None:
    gen, refs = _tracked_reader()
    assert first(gen) == 0
    assert refs[0]() is None  # gen is still referenced here, its frame is not
    assert inspect.getgeneratorstate(gen) == "GEN_CLOSED"


def test_gi_yieldfrom_and_cr_await_name_what_is_being_waited_on() -> None:
    inner = _gen(reader(lambda: Buffer([1, 2])))

    def outer() -> Generator[int, None, None]:
        yield from inner

    gen = _gen(outer())
    next(gen)
    assert gen.gi_yieldfrom is inner
    gen.close()
    assert _gen(gen).gi_yieldfrom is None  # re-read: mypy keeps the narrowing above

    async def fetch() -> None:
        await _Pause()

    async def handler() -> None:
        await awaited

    awaited = fetch()
    coro = _coro(handler())
    coro.send(None)
    assert coro.cr_await is awaited  # the coroutine it is blocked in
    assert coro.cr_suspended
    coro.close()
    assert _coro(coro).cr_await is None  # re-read: mypy keeps the narrowing above
    assert coro.cr_frame is None


def _coro(obj: object) -> CoroutineType[Any, Any, Any]:
    """Narrow to ``types.CoroutineType``, which has the ``cr_*`` attributes."""
    assert isinstance(obj, CoroutineType)
    return obj


class _Pause:
    """An awaitable that suspends once, like a pending future."""

    def __await__(self) -> Generator[None, None, None]:
        yield


def test_writing_f_locals_changes_the_local_only_from_313() -> None:
    def counter() -> Generator[int, None, None]:
        x = 1
        yield x
        yield x

    gen = _gen(counter())
    next(gen)
    frame = gen.gi_frame
    assert frame is not None
    frame.f_locals["x"] = 99
    if sys.version_info >= (3, 13):
        assert type(frame.f_locals).__name__ == "FrameLocalsProxy"  # PEP 667
        assert next(gen) == 99
    else:
        assert isinstance(frame.f_locals, dict)  # a snapshot
        assert next(gen) == 1
    gen.close()


def test_another_thread_sees_gen_running_and_cannot_resume_it() -> None:
    state, error = state_seen_from_another_thread()
    assert state == "GEN_RUNNING"
    assert error == "generator already executing"


def test_the_frame_object_is_made_on_first_access_and_then_cached() -> None:
    gen = _gen(reader(lambda: Buffer([1, 2])))
    next(gen)
    if sys.gettrace() is None:  # a tracer asks for frame objects on every event
        # Created and resumed, yet no frame object: the frame data lives in the generator.
        assert not has_frame_object(gen)
        assert not any(isinstance(ref, FrameType) for ref in gc.get_referents(gen))
    frame = gen.gi_frame
    assert frame is not None
    assert gen.gi_frame is frame  # cached: the same object every time
    assert has_frame_object(gen)
    assert frame in gc.get_referents(gen)
    gen.close()


def _suspended_with_kept_frame() -> tuple[
    list[GeneratorType[int, None, None]], FrameType, weakref.ref[Buffer]
]:
    """A suspended reader (only in the returned list), its frame object, a weakref to its buffer."""
    gen, refs = _tracked_reader()
    next(gen)
    frame = gen.gi_frame
    assert frame is not None
    return [gen], frame, refs[0]


def _end(holder: list[GeneratorType[int, None, None]], end: str) -> None:
    """End the only reference to a generator by ``end``; never reads the kept frame.

    ``f_locals`` is not read: on 3.13.0 that reads freed memory after ``close``.
    """
    gen = holder.pop()
    if end == "exhaust":
        assert len(list(gen)) == 99
    elif end == "raise":
        with suppress(KeyError):
            gen.throw(KeyError("stop"))
    elif end == "close":
        gen.close()
    elif end == "drop":
        del gen  # the last reference to the generator, not to its frame object
    else:
        raise AssertionError(end)


@pytest.mark.parametrize("end", ["exhaust", "raise"])
def test_a_kept_frame_object_keeps_the_locals_after_the_generator_ends(end: str) -> None:
    holder, frame, buffer_ref = _suspended_with_kept_frame()
    _end(holder, end)  # ended here, not in a helper that holds frame: see the f_back test
    assert buffer_ref() is not None  # 3.11.7, 3.12.1 and 3.13.0 alike
    del frame
    assert buffer_ref() is None


def _close_frees_despite_a_kept_frame() -> bool | None:
    """What close() (or dropping the generator) does with a kept frame, where it was measured."""
    version = sys.version_info[:3]
    if version[:2] == (3, 11) or (3, 12, 0) <= version < (3, 12, 4):
        return False  # measured on 3.11.7 and 3.12.1; 3.11 never got gh-118272
    if version == (3, 13, 0):
        return True  # measured: gh-118272's close() clears the locals in place
    return None  # later patch releases changed close() again (gh-118272 backport, gh-125723)


@pytest.mark.parametrize("end", ["close", "drop"])
def test_close_with_a_kept_frame_object_depends_on_the_version(end: str) -> None:
    holder, frame, buffer_ref = _suspended_with_kept_frame()
    _end(holder, end)  # ended here, not in a helper that holds frame: see the f_back test
    freed = _close_frees_despite_a_kept_frame()
    if freed is not None:
        assert (buffer_ref() is None) is freed
    del frame
    assert buffer_ref() is None  # every version: once the frame object dies, so do the locals


def test_from_312_a_kept_frame_links_the_frame_that_finished_it() -> None:
    holder, frame, buffer_ref = _suspended_with_kept_frame()
    _end(holder, "exhaust")
    finisher = frame.f_back
    if sys.version_info >= (3, 12):
        # The frame object took ownership and was linked to the frame that ran
        # the generator off its end, which it now keeps alive too.
        assert finisher is not None
        assert finisher.f_code is _end.__code__
    else:
        assert finisher is None
    del finisher, frame
    assert buffer_ref() is None


def test_clear_kept_frame_releases_the_locals_of_a_finished_generator() -> None:
    holder, frame, buffer_ref = _suspended_with_kept_frame()
    _end(holder, "exhaust")
    assert buffer_ref() is not None
    clear_kept_frame(frame)
    assert buffer_ref() is None  # frame is still referenced here


def test_an_f_locals_snapshot_outlives_frame_clear_before_313() -> None:
    gen, refs = _tracked_reader()
    next(gen)
    frame = gen.gi_frame
    assert frame is not None
    assert "buffer" in frame.f_locals
    assert len(list(gen)) == 99  # exhausted: the kept frame object took the locals
    clear_kept_frame(frame)
    if sys.version_info >= (3, 13):
        assert refs[0]() is None  # f_locals is a proxy, nothing else holds the buffer
    else:
        assert refs[0]() is not None  # the snapshot dict cached on the frame still does
        del frame
        assert refs[0]() is None


def test_clearing_a_suspended_frame_closes_before_313_and_raises_from_313() -> None:
    gen = _gen(reader(lambda: Buffer([1, 2])))
    next(gen)
    frame = gen.gi_frame
    assert frame is not None
    if sys.version_info >= (3, 13):
        with pytest.raises(RuntimeError, match="suspended"):
            clear_kept_frame(frame)
        assert inspect.getgeneratorstate(gen) == "GEN_SUSPENDED"
        gen.close()
    else:
        clear_kept_frame(frame)
        assert inspect.getgeneratorstate(gen) == "GEN_CLOSED"
