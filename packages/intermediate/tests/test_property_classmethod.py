"""Tests for intermediate.property_classmethod: validation, constructors, cached_property."""

from __future__ import annotations

import functools
import sys
import threading
import weakref
from collections.abc import Callable
from functools import cached_property
from types import TracebackType
from typing import Any, Generic, TypeVar

import pytest

from handbook.intermediate.property_classmethod import (
    Euro,
    LockedReport,
    Money,
    Report,
    SlottedReport,
    Temperature,
)

WAIT = 5.0  # a safety net for a broken lesson; each wait returns as soon as its event is set


class Threads:
    """Start targets in threads; ``join`` re-raises the first error any of them hit."""

    def __init__(self) -> None:
        self.errors: list[BaseException] = []
        self.threads: list[threading.Thread] = []

    def start(self, target: Callable[[], object]) -> None:
        """Run ``target`` in a new thread, recording what it raises."""

        def guarded() -> None:
            try:
                target()
            except BaseException as exc:
                self.errors.append(exc)

        thread = threading.Thread(target=guarded, name=f"t{len(self.threads)}")
        self.threads.append(thread)
        thread.start()

    def join(self) -> None:
        """Wait for every thread; fail on a hung one or on a recorded error."""
        for t in self.threads:
            t.join(WAIT)
        assert not any(t.is_alive() for t in self.threads)
        if self.errors:
            raise self.errors[0]


class SignallingLock:
    """A lock that sets ``contended`` just before it blocks, so a test knows a thread waits."""

    def __init__(self, contended: threading.Event) -> None:
        self._lock = threading.Lock()
        self._contended = contended

    def __enter__(self) -> SignallingLock:
        if not self._lock.acquire(blocking=False):
            self._contended.set()
            self._lock.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._lock.release()


# --- properties ----------------------------------------------------------------------


def test_the_setter_rejects_an_invalid_value() -> None:
    t = Temperature(20.0)
    with pytest.raises(ValueError, match="below absolute zero"):
        t.celsius = -300


def test_a_rejected_set_leaves_the_state_unchanged() -> None:
    t = Temperature(20.0)
    with pytest.raises(ValueError, match="below absolute zero"):
        t.celsius = -300
    assert t.celsius == 20.0
    assert t.fahrenheit == 68.0


def test_the_constructor_validates_through_the_setter() -> None:
    with pytest.raises(ValueError, match="below absolute zero"):
        Temperature(-500.0)
    assert Temperature(-273.15).celsius == -273.15


def test_a_read_only_property_cannot_be_assigned() -> None:
    t = Temperature(0.0)
    assert t.fahrenheit == 32.0
    with pytest.raises(AttributeError):
        t.fahrenheit = 50.0  # type: ignore[misc]


# --- classmethod and staticmethod -------------------------------------------------------


def test_a_classmethod_constructor_builds_the_subclass_it_is_called_on() -> None:
    assert Money.parse("$12.34") == Money(1234)
    euro = Euro.parse("€3.5")
    assert type(euro) is Euro
    assert euro.cents == 350
    assert str(euro) == "€3.50"


def test_a_staticmethod_constructor_hard_codes_the_base_class() -> None:
    wrong = Euro.parse_static("3.50")
    assert type(wrong) is Money
    assert str(wrong) == "$3.50"


@pytest.mark.parametrize(
    "text", ["1.234", "1.-5", "1. 5", "1_000.00", ".5", "1.5.5", "", "-", "$-1.50", "1e3"]
)
def test_parse_rejects_anything_but_digits_and_two_decimals(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        Money.parse(text)


def test_negative_amounts_parse_and_print_correctly() -> None:
    assert Money.parse("-1.50") == Money(-150)
    assert Money.parse("-0.50") == Money(-50)
    assert Money.parse("-$2") == Money(-200)
    assert str(Money(-150)) == "-$1.50"
    assert str(Money(-5)) == "-$0.05"
    for cents in (-10_001, -150, -50, -1, 0, 1, 99, 100, 12_345):
        assert Money.parse(str(Money(cents))) == Money(cents)
        assert Euro.parse(str(Euro(cents))) == Euro(cents)


def test_a_staticmethod_is_a_plain_function_that_subclasses_can_override() -> None:
    assert isinstance(vars(Money)["clean"], staticmethod)
    assert Money.clean is Money(0).clean  # no binding: the same function either way
    assert Money.clean(" $5 ") == "5"
    assert Euro.clean("€5") == "5"
    # parse reaches clean through cls, so the override is what Euro.parse uses.
    assert Euro.parse("€5").cents == 500
    with pytest.raises(ValueError, match="not an amount"):
        Money.parse("€5")


def test_a_setter_under_another_name_leaves_the_property_read_only() -> None:
    class Box:
        def __init__(self) -> None:
            self._size = 1

        @property
        def size(self) -> int:
            return self._size

        @size.setter  # type: ignore[attr-defined, untyped-decorator]
        def set_size(self, value: int) -> None:  # the slip: not named `size`
            self._size = value

    box = Box()
    with pytest.raises(AttributeError, match="has no setter"):
        box.size = 2  # type: ignore[misc]
    box.set_size = 3  # the setter exists, under the other name
    assert box.size == 3


T = TypeVar("T")


class classproperty(Generic[T]):  # named like the builtins it imitates
    """The portable fix: a descriptor whose ``__get__`` passes the owner class."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func

    def __get__(self, obj: object, owner: type) -> T:
        return self.func(owner)


def test_classmethod_over_property_by_version() -> None:
    class Chained:
        @classmethod  # type: ignore[misc]
        @property
        def label(cls) -> str:
            return f"label-{cls.__name__}"

    class Portable:
        @classproperty
        def label(cls: type) -> str:
            return f"label-{cls.__name__}"

    value: Any = Chained.label
    if sys.version_info >= (3, 13):
        assert callable(value)  # chaining removed: a bound method, no error anywhere
        assert value.__self__ is Chained
    else:
        assert value == "label-Chained"
    assert Portable.label == "label-Portable"
    assert Portable().label == "label-Portable"


def test_lru_cache_on_a_method_keeps_every_instance_alive() -> None:
    class Holder:
        @functools.cache  # noqa: B019  # the leak being shown
        def value(self) -> int:
            return 1

    holder = Holder()
    assert holder.value() == 1
    ref = weakref.ref(holder)
    del holder
    assert ref() is not None  # the class-wide cache still holds self as a key
    Holder.value.cache_clear()
    assert ref() is None  # freed at once by reference counting (CPython)


# --- cached_property ----------------------------------------------------------------


def test_cached_property_stores_the_value_in_the_instance_dict() -> None:
    r = Report()
    assert r.total == 42
    assert r.total == 42
    assert len(r.computations) == 1
    assert vars(r)["total"] == 42
    del r.total  # forget it: the next access computes again
    assert r.total == 42
    assert len(r.computations) == 2


def test_cached_property_can_be_assigned_because_it_has_no_setter() -> None:
    assert not hasattr(cached_property, "__set__")  # a non-data descriptor
    r = Report()
    r.total = 7
    assert r.total == 7
    assert r.computations == []


def test_cached_property_needs_an_instance_dict() -> None:
    with pytest.raises(TypeError, match="No '__dict__' attribute"):
        _ = SlottedReport().total


def test_cached_property_under_concurrent_first_access_by_version() -> None:
    descriptor = vars(Report)["total"]
    assert isinstance(descriptor, cached_property)
    if sys.version_info >= (3, 12):
        # No lock: both threads must be inside the getter at once to pass the
        # barrier, so the value is computed twice (the barrier would time out
        # and fail the test if the second thread were kept out).
        assert not hasattr(descriptor, "lock")
        barrier = threading.Barrier(2, timeout=WAIT)
        report = Report(on_compute=lambda _: barrier.wait())
        threads = Threads()
        threads.start(lambda: report.total)
        threads.start(lambda: report.total)
        threads.join()
        assert len(report.computations) == 2
        assert report.total == 42
    else:
        # 3.8-3.11: one RLock on the descriptor, shared by every instance.
        # Swap in a lock that signals when a thread blocks on it, so the test
        # knows a *different* instance's first access really waited.
        assert isinstance(descriptor.lock, type(threading.RLock()))  # type: ignore[attr-defined]
        inside, release, contended = threading.Event(), threading.Event(), threading.Event()
        released: list[bool] = []

        def hold(calls: int) -> None:
            inside.set()
            released.append(release.wait(WAIT))

        original = descriptor.lock  # type: ignore[attr-defined]
        descriptor.lock = SignallingLock(contended)  # type: ignore[attr-defined]
        try:
            report, other = Report(on_compute=hold), Report()
            threads = Threads()
            threads.start(lambda: report.total)
            assert inside.wait(WAIT)
            threads.start(lambda: other.total)
            assert contended.wait(WAIT)  # other's first access is blocked by report's
            assert other.computations == []
            release.set()
            threads.join()
        finally:
            descriptor.lock = original  # type: ignore[attr-defined]
        assert released == [True]
        assert (len(report.computations), len(other.computations)) == (1, 1)


def contended_first_access(
    make: Callable[[Callable[[int], object], threading.Event], LockedReport],
) -> LockedReport:
    """Thread 0 computes and waits until thread 1 is either blocked on the lock or
    computing too (the hook of a second computation signals that); then both finish."""
    inside, progress = threading.Event(), threading.Event()
    waited: list[bool] = []

    def hook(calls: int) -> None:
        if calls == 1:
            inside.set()
            waited.append(progress.wait(WAIT))
        else:
            progress.set()

    report = make(hook, progress)
    threads = Threads()
    threads.start(lambda: report.total)
    assert inside.wait(WAIT)
    threads.start(lambda: report.total)
    threads.join()
    assert waited == [True]  # the contention really happened
    return report


def test_a_per_instance_lock_with_a_re_check_computes_once() -> None:
    report = contended_first_access(
        lambda hook, contended: LockedReport(hook, SignallingLock(contended))
    )
    assert len(report.computations) == 1
    assert report.total == 42


def test_different_instances_do_not_wait_for_each_other() -> None:
    # Both getters must be running at once to pass the barrier.
    barrier = threading.Barrier(2, timeout=WAIT)
    a = LockedReport(lambda _: barrier.wait())
    b = LockedReport(lambda _: barrier.wait())
    threads = Threads()
    threads.start(lambda: a.total)
    threads.start(lambda: b.total)
    threads.join()
    assert (len(a.computations), len(b.computations)) == (1, 1)
