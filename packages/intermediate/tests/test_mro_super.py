"""Tests for intermediate.mro_super: the C3 order, once-each cooperative init, and the MRO error."""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

import pytest

from handbook.intermediate.mro_super import (
    Cached,
    Component,
    LegacyCached,
    LegacyService,
    Logged,
    Service,
    bases_in_wrong_order,
    mro_names,
)


def test_diamond_mro_is_the_c3_order() -> None:
    assert Service.__mro__ == (Service, Cached, Logged, Component, object)
    assert mro_names(Service) == ["Service", "Cached", "Logged", "Component", "object"]
    # The listed order of the bases decides between the two siblings.
    flipped = type("Flipped", (Logged, Cached), {})
    assert mro_names(flipped) == ["Flipped", "Logged", "Cached", "Component", "object"]


def test_cooperative_init_runs_each_class_exactly_once_in_mro_order() -> None:
    trace: list[str] = []
    s = Service(trace=trace, name="users")  # the layers keep their defaults
    assert trace == ["Service", "Cached", "Logged", "Component"]
    assert Counter(trace)["Component"] == 1
    assert (s.name, s.cache_size, s.level) == ("users", 128, "INFO")


def test_each_class_takes_its_own_keyword_from_the_chain() -> None:
    trace: list[str] = []
    s = Service(trace=trace, name="users", cache_size=16, level="DEBUG")
    assert trace == ["Service", "Cached", "Logged", "Component"]
    assert (s.name, s.cache_size, s.level) == ("users", 16, "DEBUG")


def test_super_in_cached_means_the_next_class_of_the_instance_not_the_parent() -> None:
    alone: list[str] = []
    Cached(trace=alone, name="x")
    assert alone == ["Cached", "Component"]  # alone, next after Cached is Component
    in_diamond: list[str] = []
    Service(trace=in_diamond, name="x")
    assert in_diamond.index("Logged") == in_diamond.index("Cached") + 1  # a sibling


def test_calling_parents_by_name_runs_the_shared_base_twice() -> None:
    trace: list[str] = []
    LegacyService(trace, "users")
    assert Counter(trace)["LegacyComponent"] == 2
    assert trace == [
        "LegacyService",
        "LegacyCached",
        "LegacyComponent",
        "LegacyLogged",
        "LegacyComponent",
    ]


def test_calling_a_parent_by_name_alone_is_fine() -> None:
    trace: list[str] = []
    LegacyCached(trace, "solo")
    assert trace == ["LegacyCached", "LegacyComponent"]


def test_one_non_cooperative_class_cuts_the_chain() -> None:
    class Cutting(Component):
        def __init__(self, *, trace: list[str], **kwargs: Any) -> None:
            trace.append("Cutting")
            Component.__init__(self, trace=trace, **kwargs)

    class Both(Cutting, Logged):
        pass

    trace: list[str] = []
    obj = Both(trace=trace, name="x")
    assert mro_names(Both)[:4] == ["Both", "Cutting", "Logged", "Component"]
    assert trace == ["Cutting", "Component"]  # Logged.__init__ never ran
    assert not hasattr(obj, "level")
    # Had the caller passed Logged's keyword, it would be left over at object.
    with pytest.raises(TypeError, match=r"object\.__init__\(\) takes exactly one argument"):
        Both(trace=[], name="x", level="DEBUG")


def test_a_misspelt_keyword_reaches_object_and_raises() -> None:
    with pytest.raises(TypeError, match=r"object\.__init__\(\) takes exactly one argument"):
        Service(trace=[], name="x", cache_sise=16)


def test_a_missing_keyword_is_reported_by_the_class_that_needs_it() -> None:
    # The qualified name in the message is there since 3.10, so on all of 3.11-3.13.
    with pytest.raises(
        TypeError,
        match=r"Component\.__init__\(\) missing 1 required keyword-only argument: 'name'",
    ):
        Service(trace=[])


def test_a_non_cooperative_base_listed_last_gets_only_the_leftovers() -> None:
    class Legacy:  # a third-party base: positional parameter, no super()
        def __init__(self, region: str) -> None:
            self.region = region

    class Lenient:  # a third-party base that takes any options
        def __init__(self, **options: Any) -> None:
            self.options = options

    class WithLegacy(Cached, Logged, Legacy):
        pass

    class WithLenient(Cached, Logged, Lenient):
        pass

    assert mro_names(WithLegacy)[3:] == ["Component", "Legacy", "object"]
    assert WithLegacy(trace=[], name="x", region="eu").region == "eu"  # leftovers fit
    with pytest.raises(TypeError, match=r"Legacy\.__init__\(\) missing 1 required"):
        WithLegacy(trace=[], name="x")
    lenient = WithLenient(trace=[], name="x", cache_sise=16)  # the typo is swallowed
    assert lenient.options == {"cache_sise": 16}
    assert lenient.cache_size == 128


def test_an_adapter_makes_a_non_cooperative_base_cooperative() -> None:
    class Lenient:
        def __init__(self, **options: Any) -> None:
            self.options = options

    class LenientAdapter(Lenient):
        def __init__(self, *, timeout: int = 5, **kwargs: Any) -> None:
            Lenient.__init__(self, timeout=timeout)  # only what it should get
            super(Lenient, self).__init__(**kwargs)  # the chain goes on after Lenient

    class Robust(Cached, Logged, LenientAdapter):
        pass

    trace: list[str] = []
    robust = Robust(trace=trace, name="x", timeout=9)
    assert trace == ["Cached", "Logged", "Component"]
    assert robust.options == {"timeout": 9}
    with pytest.raises(TypeError, match=r"object\.__init__\(\) takes exactly one argument"):
        Robust(trace=[], name="x", cache_sise=16)


def test_a_mixin_must_come_before_the_class_whose_method_it_wraps() -> None:
    class View:
        def dispatch(self) -> str:
            return "view"

        @classmethod
        def as_view(cls) -> str:
            return "View.as_view"

    class LoginRequired:
        def dispatch(self) -> str:
            return "login checked > " + super().dispatch()  # type: ignore[misc, no-any-return]

        @classmethod
        def as_view(cls) -> str:
            return "LoginRequired > " + super().as_view()  # type: ignore[misc, no-any-return]

    class Protected(LoginRequired, View):
        pass

    class Unprotected(View, LoginRequired):
        pass

    assert Protected().dispatch() == "login checked > view"
    assert Unprotected().dispatch() == "view"  # View answers first; the check never runs
    assert Protected.as_view() == "LoginRequired > View.as_view"  # super() in a classmethod


def test_zero_argument_super_needs_the_class_cell() -> None:
    def init(self: object) -> None:
        super().__init__()  # type: ignore[misc]  # defined outside any class

    Attached = type("Attached", (), {"init": init})
    with pytest.raises(RuntimeError, match=r"__class__ cell not found"):
        Attached().init()


def test_an_inconsistent_mro_raises_type_error() -> None:
    with pytest.raises(TypeError, match=r"consistent method resolution\s+order"):
        bases_in_wrong_order()
    with pytest.raises(TypeError, match=r"consistent method resolution\s+order"):

        class Bad(Component, Cached):  # type: ignore[misc]  # a base before its subclass
            pass


def test_two_parents_that_disagree_on_order_cannot_be_combined() -> None:
    class X(Cached, Logged):
        pass

    class Y(Logged, Cached):
        pass

    with pytest.raises(TypeError, match=r"consistent method resolution\s+order"):

        class Z(X, Y):  # type: ignore[misc]
            pass


def test_the_mro_error_message_wraps_before_3_13() -> None:
    with pytest.raises(TypeError) as info:
        bases_in_wrong_order()
    message = str(info.value)
    assert "(MRO) for bases Component, Cached" in message
    if sys.version_info >= (3, 13):
        assert "\n" not in message
    else:
        assert "resolution\norder" in message
