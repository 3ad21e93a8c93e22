"""Tests for advanced.attribute_lookup: the lookup order, the two hooks, special methods, traps."""

from __future__ import annotations

import copy
import pickle
from typing import Any, ClassVar

import pytest

from handbook.advanced.attribute_lookup import (
    AccessLog,
    Config,
    LeakyAccessLog,
    LeakyConfig,
    Profile,
    SafeProfile,
    find_on_type,
    full_getattr,
    generic_getattr,
)


class Recorder:
    """Descriptors that log each ``__get__`` call into a shared list as ``(kind, name)``."""

    def __init__(self, log: list[tuple[str, str]], kind: str) -> None:
        self.log, self.kind, self.name = log, kind, "?"

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: object, owner: type | None = None) -> str:
        self.log.append((self.kind, self.name))
        return f"{self.kind} {self.name}"


class DataRecorder(Recorder):
    def __set__(self, obj: object, value: object) -> None:
        raise AttributeError("read-only")


class DeleteOnlyRecorder(Recorder):
    def __delete__(self, obj: object) -> None:
        raise AttributeError("undeletable")


class SetOnly:
    """A data descriptor without ``__get__``: reads never call it."""

    def __set__(self, obj: object, value: object) -> None:
        raise AttributeError("read-only")


SET_ONLY = SetOnly()

LOG: list[tuple[str, str]] = []


class Base:
    inherited_data = DataRecorder(LOG, "data")
    shadowed = DataRecorder(LOG, "data")


class Sample(Base):
    data = DataRecorder(LOG, "data")
    delete_only = DeleteOnlyRecorder(LOG, "data")
    non_data = Recorder(LOG, "non-data")
    set_only = SET_ONLY
    plain = "class value"
    shadowed = "plain in the subclass"  # hides Base.shadowed, a data descriptor
    fallbacks: ClassVar[list[str]] = []

    def method(self) -> str:
        return "bound"

    def __getattr__(self, name: str) -> str:
        type(self).fallbacks.append(name)
        if name.startswith("missing"):
            return f"__getattr__ {name}"
        raise AttributeError(name)


def sample_with_everything_in_its_dict() -> Sample:
    s = Sample()
    for name in (
        "data",
        "delete_only",
        "non_data",
        "set_only",
        "plain",
        "inherited_data",
        "shadowed",
    ):
        s.__dict__[name] = f"dict {name}"
    return s


# (attribute, its value on an instance whose dict shadows everything, the deciding step)
CASES = [
    ("data", "data data", "data descriptor"),
    ("delete_only", "data delete_only", "data descriptor"),
    ("inherited_data", "data inherited_data", "data descriptor"),
    ("non_data", "dict non_data", "instance dict"),
    ("set_only", "dict set_only", "instance dict"),  # data, but no __get__ to call
    ("plain", "dict plain", "instance dict"),
    ("shadowed", "dict shadowed", "instance dict"),
]


def test_a_data_descriptor_on_the_mro_beats_the_instance_dict_which_beats_the_rest() -> None:
    obj = sample_with_everything_in_its_dict()
    for name, expected, step in CASES:
        LOG.clear()
        assert getattr(obj, name) == expected, name  # what CPython does
        real_log = list(LOG)
        steps: list[str] = []
        assert generic_getattr(obj, name, steps) == expected, name  # the model agrees
        assert steps == [step], name
        assert list(LOG) == real_log * 2, name  # the same __get__ calls, as often


def test_with_an_empty_instance_dict_non_data_descriptors_then_class_attributes_answer() -> None:
    obj = Sample()
    LOG.clear()
    for name, expected, step in [
        ("non_data", "non-data non_data", "non-data descriptor"),
        ("plain", "class value", "class attribute"),
        ("shadowed", "plain in the subclass", "class attribute"),
        ("set_only", SET_ONLY, "class attribute"),  # no __get__: the descriptor itself
    ]:
        steps: list[str] = []
        assert getattr(obj, name) == generic_getattr(obj, name, steps) == expected
        assert steps == [step]
    assert LOG == [("non-data", "non_data")] * 2  # the plain attributes call nothing
    steps = []
    assert full_getattr(obj, "method", steps)() == obj.method() == "bound"
    assert steps == ["non-data descriptor"]  # a function is a non-data descriptor


def test_getattr_runs_only_after_the_normal_lookup_raised_attribute_error() -> None:
    obj = sample_with_everything_in_its_dict()
    Sample.fallbacks.clear()
    for name, _, _ in CASES:
        getattr(obj, name)
    assert obj.method() == "bound"
    assert Sample.fallbacks == []  # never for a name the normal lookup finds
    assert obj.missing_a == "__getattr__ missing_a"
    assert Sample.fallbacks == ["missing_a"]
    steps: list[str] = []
    assert full_getattr(obj, "missing_b", steps) == "__getattr__ missing_b"
    assert steps == ["__getattr__"]
    with pytest.raises(AttributeError, match=r"^'Sample' object has no attribute 'missing_c'$"):
        generic_getattr(obj, "missing_c")  # object.__getattribute__ alone never calls it
    with pytest.raises(AttributeError, match=r"^'Sample' object has no attribute 'missing_c'$"):
        object.__getattribute__(obj, "missing_c")  # the same message as CPython's


def test_full_getattr_reraises_when_the_type_has_no_getattr() -> None:
    steps: list[str] = []
    with pytest.raises(AttributeError, match=r"^'object' object has no attribute 'nope'$"):
        full_getattr(object(), "nope", steps)
    assert steps == []
    with pytest.raises(AttributeError, match=r"^'object' object has no attribute 'nope'$"):
        _ = object().nope  # type: ignore[attr-defined]


class Slotted:
    __slots__ = ("x",)
    kind = "class value"

    def __init__(self, x: int) -> None:
        self.x = x


def test_objects_without_an_instance_dict_skip_the_dict_step() -> None:
    steps: list[str] = []
    assert generic_getattr(3, "bit_length", steps)() == (3).bit_length() == 2
    assert steps == ["non-data descriptor"]  # int has no __dict__, the model must cope
    slotted = Slotted(7)
    steps = []
    assert generic_getattr(slotted, "kind", steps) == slotted.kind == "class value"
    assert steps == ["class attribute"]
    steps = []
    assert generic_getattr(slotted, "x", steps) == slotted.x == 7
    assert steps == ["data descriptor"]  # a slot is a member descriptor on the class
    with pytest.raises(AttributeError, match=r"^'Slotted' object has no attribute 'y'$"):
        generic_getattr(slotted, "y")


def test_getattribute_runs_on_every_access_and_getattr_only_on_a_miss() -> None:
    calls: list[tuple[str, str]] = []

    class Both:
        present = 1

        def __getattribute__(self, name: str) -> Any:
            calls.append(("__getattribute__", name))
            return object.__getattribute__(self, name)

        def __getattr__(self, name: str) -> str:
            calls.append(("__getattr__", name))
            return "fallback"

    b = Both()
    assert (b.present, b.absent) == (1, "fallback")
    assert calls == [
        ("__getattribute__", "present"),
        ("__getattribute__", "absent"),
        ("__getattr__", "absent"),
    ]
    calls.clear()
    steps: list[str] = []
    assert full_getattr(b, "absent", steps) == "fallback"
    assert steps == ["__getattribute__", "__getattr__"]
    assert calls == [("__getattribute__", "absent"), ("__getattr__", "absent")]


def test_only_attribute_error_falls_through_to_getattr() -> None:
    class Strict:
        fallbacks = 0

        def __getattribute__(self, name: str) -> Any:
            if name == "broken":
                raise KeyError(name)
            return object.__getattribute__(self, name)

        def __getattr__(self, name: str) -> str:
            type(self).fallbacks += 1
            return "fallback"

    s = Strict()
    with pytest.raises(KeyError):
        _ = s.broken
    with pytest.raises(KeyError):
        full_getattr(s, "broken")
    with pytest.raises(KeyError):
        hasattr(s, "broken")  # hasattr swallows AttributeError only
    assert Strict.fallbacks == 0


def test_find_on_type_returns_the_first_class_on_the_mro() -> None:
    assert find_on_type(Sample, "shadowed") == (True, "plain in the subclass")
    assert find_on_type(Sample, "inherited_data") == (True, Base.__dict__["inherited_data"])
    assert find_on_type(Sample, "nowhere") == (False, None)


class Meta(type):
    reads: ClassVar[list[str]] = []

    def __getattribute__(cls, name: str) -> Any:
        Meta.reads.append(name)
        return super().__getattribute__(name)


class Vector(AccessLog, metaclass=Meta):
    def __init__(self, *items: int) -> None:
        super().__init__()
        self.items = list(items)

    def __len__(self) -> int:
        return len(self.items)

    def __add__(self, other: Vector) -> Vector:
        return Vector(*self.items, *other.items)

    def __enter__(self) -> Vector:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def test_special_methods_bypass_getattribute_of_the_class_and_the_metaclass() -> None:
    v = Vector(1, 2)
    reads = object.__getattribute__(v, "reads")
    reads.clear()
    Meta.reads.clear()
    assert len(v) == 2
    assert object.__getattribute__(v + v, "items") == [1, 2, 1, 2]
    with v as entered:
        assert entered is v
    # Only the method bodies' own self.items/other.items reads were logged: no
    # __len__, __add__, __enter__ or __exit__ lookup went through __getattribute__.
    assert reads == ["items", "items", "items"]
    assert Meta.reads == []
    reads.clear()
    assert v.__len__() == 2  # an explicit call is an ordinary lookup
    assert reads == ["__len__", "items"]


def test_special_methods_ignore_instance_attributes() -> None:
    class Plain:
        pass

    p: Any = Plain()
    p.__len__ = lambda: 5
    p.__add__ = lambda other: 42
    p.__enter__ = lambda: p
    p.__exit__ = lambda *exc: None
    assert p.__len__() == 5  # the attribute is there ...
    with pytest.raises(TypeError):
        len(p)  # ... but len() looks on type(p)
    with pytest.raises(TypeError):
        p + p
    with pytest.raises(TypeError), p:  # 3.11+: TypeError (3.10 and older: AttributeError)
        pass


def test_self_inside_getattribute_recurses_and_object_getattribute_does_not() -> None:
    leaky = LeakyAccessLog()
    with pytest.raises(RecursionError):
        _ = leaky.reads
    log = AccessLog()
    log.x = 1  # type: ignore[attr-defined]
    assert log.x == 1
    assert log.x == 1
    assert log.reads == ["x", "x"]


def test_getattr_that_reads_missing_state_recurses_on_copy_and_pickle() -> None:
    leaky = LeakyConfig(debug=True)
    assert leaky.debug is True  # fine while _values exists
    with pytest.raises(RecursionError):
        copy.copy(leaky)  # the copy is made without __init__ and asked for __setstate__
    with pytest.raises(RecursionError):
        pickle.loads(pickle.dumps(leaky))
    bare = LeakyConfig.__new__(LeakyConfig)
    with pytest.raises(RecursionError):
        hasattr(bare, "debug")


def test_getattr_that_uses_object_getattribute_survives_copy_and_pickle() -> None:
    config = Config(debug=True, level=3)
    for clone in (copy.copy(config), copy.deepcopy(config), pickle.loads(pickle.dumps(config))):
        assert (clone.debug, clone.level) == (True, 3)
    bare = Config.__new__(Config)
    assert not hasattr(bare, "debug")  # a plain AttributeError, no recursion
    with pytest.raises(AttributeError, match="has no setting 'colour'"):
        _ = config.colour


def test_an_attribute_error_inside_a_property_is_reported_as_the_property_missing() -> None:
    profile = Profile("ann")  # no 'team' extra
    with pytest.raises(AttributeError) as caught:
        _ = profile.display_name
    # Inside the getter, self.team failed; then Python called __getattr__ with the
    # property's own name, and that error is the one the caller sees.
    assert profile.fallbacks == ["team", "display_name"]
    assert "'display_name'" in str(caught.value)
    assert "team" not in str(caught.value)
    assert Profile("bob", team="core").display_name == "bob (core)"


def test_a_getter_that_raises_another_error_is_not_swallowed() -> None:
    profile = SafeProfile("ann")
    with pytest.raises(RuntimeError, match="display_name failed") as caught:
        _ = profile.display_name
    assert profile.fallbacks == ["team"]  # __getattr__ was not asked for display_name
    assert "'team'" in str(caught.value.__cause__)
    assert SafeProfile("bob", team="core").display_name == "bob (core)"


def test_hasattr_lets_a_non_attribute_error_from_getattr_escape() -> None:
    class Mapping:
        def __getattr__(self, name: str) -> object:
            empty: dict[str, object] = {}
            return empty[name]  # KeyError, not AttributeError

    with pytest.raises(KeyError):
        hasattr(Mapping(), "anything")


def test_magicmock_defines_special_methods_on_its_class_and_mock_does_not() -> None:
    from unittest import mock

    magic = mock.MagicMock()
    assert len(magic) == 0
    assert type(magic) is not mock.MagicMock  # each MagicMock gets its own subclass ...
    assert "__len__" in vars(type(magic))  # ... and __len__ is set on that class
    magic.__len__.return_value = 3  # configuring one mock's class ...
    assert (len(magic), len(mock.MagicMock())) == (3, 0)  # ... does not leak to others
    with pytest.raises(TypeError):
        len(mock.Mock())  # its __getattr__ makes child mocks, but len() looks on the type


def test_on_the_class_a_metaclass_data_descriptor_wins_and_descriptors_get_none() -> None:
    seen: list[object] = []

    class Probe:
        def __get__(self, obj: object, owner: type | None = None) -> str:
            seen.append(obj)
            return "class descriptor"

    class MetaData:
        def __get__(self, obj: object, owner: type | None = None) -> str:
            return "metaclass data descriptor"

        def __set__(self, obj: object, value: object) -> None:
            raise AttributeError("read-only")

    class WithMeta(type):
        both = MetaData()
        meta_only = "metaclass value"
        shared = "metaclass value"

    namespace = {"both": "class value", "shared": "class value", "probe": Probe()}
    cls: Any = WithMeta("C", (), namespace)
    assert cls.both == "metaclass data descriptor"
    assert cls.probe == "class descriptor"
    assert seen == [None]  # __get__(None, C) on class access
    assert cls.shared == "class value"  # the class's MRO beats a plain metaclass attribute
    assert cls.meta_only == "metaclass value"  # last: the metaclass's other attributes
