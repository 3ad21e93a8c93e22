"""Tests for advanced.descriptors: precedence, binding, __set_name__, Field, cached_property."""

from __future__ import annotations

import functools
import re
import sys
import threading
import types
import weakref
from typing import Any

import pytest

from handbook.advanced.descriptors import Field, PlainFunction, SharedField, is_data_descriptor


class Tag:
    """A descriptor that answers with a fixed tag and counts its calls; data if ``data``."""

    def __init__(self) -> None:
        self.gets = 0
        self.sets: list[object] = []

    def __get__(self, obj: object, owner: type | None = None) -> str:
        self.gets += 1
        return "descriptor"


class DataTag(Tag):
    def __set__(self, obj: object, value: object) -> None:
        self.sets.append(value)


class DeleteOnlyTag(Tag):
    def __delete__(self, obj: object) -> None:
        raise AttributeError("no delete")


class SetOnly:
    """A data descriptor with no ``__get__``: it takes writes, but not reads."""

    def __set__(self, obj: object, value: object) -> None:
        obj.__dict__["x"] = ("via set", value)


class SetOnMeta(type):
    def __set__(cls, obj: object, value: object) -> None: ...


class MetaSetTag(Tag, metaclass=SetOnMeta):
    """``__set__`` on the metaclass, not on the type: CPython ignores it."""


class Order:
    qty = Field(int, minimum=1, maximum=100)
    price = Field(float, minimum=0.0)
    paid = Field(bool)


def test_a_data_descriptor_beats_a_value_in_the_instance_dict() -> None:
    tag = DataTag()
    cls: Any = type("C", (), {"x": tag})
    obj = cls()
    obj.__dict__["x"] = "instance"
    assert obj.x == "descriptor"
    obj.x = 5  # goes to __set__, not to the instance dict
    assert tag.sets == [5]
    assert obj.__dict__["x"] == "instance"


def test_the_instance_dict_beats_a_non_data_descriptor() -> None:
    tag = Tag()
    cls: Any = type("C", (), {"x": tag})
    obj = cls()
    assert obj.x == "descriptor"
    obj.x = "instance"  # no __set__: plain store into obj.__dict__
    assert vars(obj) == {"x": "instance"}
    assert obj.x == "instance"
    assert tag.gets == 1  # the descriptor was not consulted again
    assert cls().x == "descriptor"  # other instances still see it


def test_a_descriptor_with_only_delete_is_a_data_descriptor() -> None:
    cls: Any = type("C", (), {"x": DeleteOnlyTag()})
    obj = cls()
    obj.__dict__["x"] = "instance"
    assert obj.x == "descriptor"
    with pytest.raises(AttributeError):
        obj.x = 1  # data descriptor without __set__: assignment is refused


def test_is_data_descriptor_classifies_the_builtin_descriptors() -> None:
    class Slotted:
        __slots__ = ("a",)

    def f(self: object) -> None: ...

    data = [property(), Slotted.__dict__["a"], Order.__dict__["qty"], DataTag()]
    data += [DeleteOnlyTag(), SetOnly()]
    non_data = [f, classmethod(f), staticmethod(f), functools.cached_property(f)]
    non_data += [PlainFunction(f), Tag(), MetaSetTag()]
    non_data += [DataTag]  # the class itself: its type is ``type``, which has no __set__
    assert all(is_data_descriptor(d) for d in data)
    assert not any(is_data_descriptor(d) for d in non_data)


def test_a_set_only_descriptor_takes_writes_but_reads_fall_through() -> None:
    cls: Any = type("C", (), {"x": SetOnly()})
    obj = cls()
    assert obj.x is cls.__dict__["x"]  # no __get__ and nothing in the dict: the object itself
    obj.x = 1  # data descriptor: __set__ runs, even though there is no __get__
    assert obj.x == ("via set", 1)  # and the read now finds the instance dict


def test_descriptor_methods_are_looked_up_on_the_type_only() -> None:
    tag = Tag()
    tag.__set__ = lambda obj, value: None  # type: ignore[attr-defined]
    assert not is_data_descriptor(tag)  # a __set__ on the instance does not count
    meta_tag = MetaSetTag()
    for attr in (tag, meta_tag):
        cls: Any = type("C", (), {"x": attr})
        obj = cls()
        obj.__dict__["x"] = "instance"
        assert obj.x == "instance"  # CPython agrees: both are non-data
    holder: Any = type("H", (), {})()
    holder.__dict__["x"] = DataTag()  # in the instance dict: not a descriptor at all
    assert isinstance(holder.x, DataTag)


def test_a_function_becomes_a_bound_method_through_its_dunder_get() -> None:
    class C:
        def f(self) -> C:
            return self

    c = C()
    func = C.__dict__["f"]
    assert C.f is func  # on the class: the plain function (no "unbound method")
    bound = func.__get__(c, C)
    assert isinstance(bound, types.MethodType)
    assert (bound.__self__, bound.__func__) == (c, func)
    assert bound == c.f
    assert bound() is c
    assert c.f is not c.f  # a new bound method object on every access
    assert c.f == c.f
    as_classmethod: Any = classmethod(C.__dict__["f"])
    on_class = as_classmethod.__get__(c, C)  # classmethod binds the owner instead
    assert on_class.__self__ is C


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="relies on refcounting")
def test_a_plain_weakref_to_a_bound_method_dies_at_once_on_cpython() -> None:
    class C:
        def f(self) -> int:
            return 1

    c = C()
    plain = weakref.ref(c.f)
    # Nothing else holds the temporary bound method: CPython's refcounting frees it here.
    assert plain() is None
    strong = weakref.WeakMethod(c.f)
    method = strong()
    assert method is not None
    assert method() == 1


def test_an_instance_attribute_replaces_a_method_on_one_instance_only() -> None:
    class C:
        def name(self) -> str:
            return "method"

    a, b = C(), C()
    vars(a)["name"] = lambda: "instance"  # functions are non-data: the dict wins
    assert (a.name(), b.name()) == ("instance", "method")


def test_plain_function_binds_like_def() -> None:
    def who(self: object, greeting: str) -> str:
        return f"{greeting} {type(self).__name__}"

    cls: Any = type("C", (), {"who": PlainFunction(who)})
    obj = cls()
    assert obj.who("hi") == "hi C"
    assert obj.who.__self__ is obj
    assert cls.who is who
    obj.who = "shadowed"
    assert obj.who == "shadowed"


def test_set_name_is_called_for_each_descriptor_when_the_class_is_created() -> None:
    calls: list[tuple[str, str]] = []

    class Named:
        def __set_name__(self, owner: type, name: str) -> None:
            calls.append((owner.__name__, name))

    class C:
        first = Named()
        second = Named()
        assert calls == []  # the class body runs first; type.__new__ calls __set_name__

    assert calls == [("C", "first"), ("C", "second")]
    C.third = Named()  # type: ignore[attr-defined]
    assert len(calls) == 2  # attaching later does not call it


def test_a_field_learns_its_owner_and_name_from_set_name() -> None:
    o = Order()
    with pytest.raises(TypeError, match=r"^Order\.qty must be int, got str$"):
        o.qty = "3"  # type: ignore[assignment]
    late = Field(int)
    cls: Any = type("Late", (), {})
    cls.x = late  # attached after creation: never named
    assert late.name == "<unnamed>"
    late.__set_name__(cls, "x")  # what type.__new__ would have done
    obj = cls()
    obj.x = 1
    assert vars(obj) == {"x": 1}


def test_a_field_validates_type_and_bounds() -> None:
    o = Order()
    o.qty, o.price = 100, 2.5
    assert (o.qty, o.price) == (100, 2.5)
    with pytest.raises(ValueError, match=r"^Order\.qty must be <= 100, got 101$"):
        o.qty = 101
    with pytest.raises(ValueError, match=r"^Order\.price must be >= 0\.0, got -1\.0$"):
        o.price = -1.0
    with pytest.raises(TypeError, match=r"^Order\.price must be float, got int$"):
        o.price = 3
    assert (o.qty, o.price) == (100, 2.5)  # a rejected value leaves the old one


def test_an_int_field_rejects_bool_but_a_bool_field_accepts_it() -> None:
    assert isinstance(True, int)
    o = Order()
    with pytest.raises(TypeError, match=r"^Order\.qty must be int, got bool$"):
        o.qty = True
    o.paid = True
    assert o.paid is True


def test_only_an_int_field_rejects_bool() -> None:
    class Anything:
        value = Field(object)

    a = Anything()
    a.value = True  # bool is an object: nothing to reject
    assert a.value is True


def test_a_field_rejects_bad_arguments_when_it_is_created() -> None:
    with pytest.raises(TypeError, match=r"^Field kind must be a type, got 'int'$"):
        Field("int")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^Field minimum 5 is greater than maximum 1$"):
        Field(int, minimum=5, maximum=1)


def test_each_instance_keeps_its_own_field_value_in_its_dict() -> None:
    a, b = Order(), Order()
    a.qty, b.qty = 1, 2
    assert (a.qty, b.qty) == (1, 2)
    assert vars(a) == {"qty": 1}
    assert vars(b) == {"qty": 2}


def test_a_value_kept_on_the_descriptor_is_shared_by_every_instance() -> None:
    class Account:
        owner = SharedField()

    a, b = Account(), Account()
    a.owner = "ann"
    b.owner = "bob"
    assert a.owner == "bob"  # one descriptor per class, so one value for all


def test_a_field_on_the_class_returns_the_descriptor_itself() -> None:
    assert Order.qty is Order.__dict__["qty"]
    assert Order.qty.minimum == 1  # introspectable, as ORMs do with User.name


def test_an_unset_or_deleted_field_raises_attribute_error_with_its_name() -> None:
    o = Order()
    with pytest.raises(AttributeError, match=r"^Order\.qty is not set$"):
        _ = o.qty
    assert not hasattr(o, "price")
    o.qty = 5
    del o.qty
    assert vars(o) == {}
    assert not hasattr(o, "qty")
    with pytest.raises(AttributeError, match=r"^Order\.qty is not set$"):
        del o.qty  # like a plain attribute: deleting an unset one is an error


def test_a_property_without_a_setter_is_still_a_data_descriptor() -> None:
    class C:
        @property
        def x(self) -> int:
            return 1

    assert hasattr(property, "__set__")
    assert hasattr(property, "__delete__")
    c = C()
    c.__dict__["x"] = 99
    assert c.x == 1  # the value in the instance dict is never read
    with pytest.raises(AttributeError) as caught:
        c.x = 2  # type: ignore[misc]
    if (3, 11) <= sys.version_info < (3, 14):
        # Measured on 3.11.7, 3.12.1, 3.13.0; 3.10 and older said "can't set attribute".
        # The type is named by its __qualname__ (here ...<locals>.C).
        assert re.fullmatch(r"property 'x' of '\S*C' object has no setter", str(caught.value))


def test_cached_property_is_non_data_and_caches_in_the_instance_dict() -> None:
    calls = 0

    class Report:
        @functools.cached_property
        def total(self) -> int:
            nonlocal calls
            calls += 1
            return 10 * calls

    assert not is_data_descriptor(Report.__dict__["total"])
    r = Report()
    assert (r.total, r.total, calls) == (10, 10, 1)
    assert vars(r) == {"total": 10}  # the instance dict now wins over the descriptor
    del r.total  # clears the cache: the next read computes again
    assert (r.total, calls) == (20, 2)
    r.total = 7  # plain assignment is allowed: no __set__
    assert (r.total, calls) == (7, 2)
    assert (Report().total, calls) == (30, 3)  # per instance


def test_cached_property_needs_an_instance_dict() -> None:
    class Slotted:
        __slots__ = ()

        @functools.cached_property
        def value(self) -> int:
            return 1

    with pytest.raises(TypeError, match="No '__dict__' attribute"):
        _ = Slotted().value


def test_cached_property_locks_on_3_11_and_not_since_3_12() -> None:
    calls: list[str] = []
    seen: list[Any] = []

    class Lazy:
        @functools.cached_property
        def value(self) -> str:
            calls.append(threading.current_thread().name)
            if len(calls) == 1:  # the first computation: let another thread in now
                other = threading.Thread(target=second_reader, name="second")
                other.start()
                other.join(timeout=10)
                assert not other.is_alive()
            return f"computed by {threading.current_thread().name}"

    descriptor = Lazy.__dict__["value"]
    obj = Lazy()

    def second_reader() -> None:
        if sys.version_info < (3, 12):
            # 3.11: one RLock per attribute, held while *any* instance computes.
            seen.append(descriptor.lock.acquire(blocking=False))
        else:
            seen.append(obj.value)  # no lock: it computes too

    _ = obj.value
    if sys.version_info < (3, 12):
        assert seen == [False]
        assert calls == ["MainThread"]
    else:
        assert not hasattr(descriptor, "lock")
        assert seen == ["computed by second"]
        assert calls == ["MainThread", "second"]  # the function ran twice
        assert obj.value == "computed by MainThread"  # the last write won


def test_classmethod_over_property_stopped_working_in_3_13() -> None:
    class W:
        @classmethod  # type: ignore[misc]
        @property
        def z(cls) -> str:
            return "value"

    on_class: Any = W.z
    if sys.version_info < (3, 13):
        assert on_class == "value"  # 3.9-3.12: classmethod chained to property.__get__
    else:
        assert isinstance(on_class, types.MethodType)  # 3.13: a method bound to the class
