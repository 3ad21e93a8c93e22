"""Tests for advanced.init_subclass_metaclass: hook order, registries, __prepare__, conflicts."""

from __future__ import annotations

import enum
import sys
import typing
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any

import pytest

from handbook.advanced.init_subclass_metaclass import (
    STRICT_CLASSES,
    Codec,
    DuplicateDefinitionError,
    DuplicateNameError,
    Json,
    SplitRegistryCodec,
    StrictABCMeta,
    StrictBase,
    StrictMeta,
)


@pytest.fixture(autouse=True)
def restore_codec_registry() -> Iterator[None]:
    """Tests define codecs; put the shared registry back as it was afterwards."""
    registry: dict[str, type[Codec]] = vars(Codec).get("registry", {})
    saved = dict(registry)
    yield
    registry.clear()
    registry.update(saved)


def test_init_subclass_does_not_run_for_the_class_that_defines_it() -> None:
    seen: list[str] = []

    class Base:
        def __init_subclass__(cls, **kwargs: Any) -> None:
            super().__init_subclass__(**kwargs)
            seen.append(cls.__name__)

    class Child(Base):
        pass

    class Grandchild(Child):
        pass

    assert seen == ["Child", "Grandchild"]
    assert Codec not in Codec.registry.values()


def test_init_subclass_is_an_implicit_classmethod() -> None:
    assert isinstance(vars(Codec)["__init_subclass__"], classmethod)


def test_class_keywords_reach_init_subclass_and_register_the_class() -> None:
    class Yaml(Codec, name="yaml"):
        pass

    assert Codec.registry["yaml"] is Yaml
    assert Yaml.name == "yaml"
    assert Codec.registry["json"] is Json
    assert "registry" in vars(Codec)  # one dict, on the base...
    assert Yaml.registry is Json.registry is Codec.registry  # ...shared by every sibling


def test_a_registry_made_in_the_hook_splits_per_subclass_and_misses_duplicates() -> None:
    class First(SplitRegistryCodec, name="x"):
        pass

    class Second(SplitRegistryCodec, name="x"):  # the same name, and no error
        pass

    assert First.registry == {"x": First}
    assert Second.registry == {"x": Second}
    assert not hasattr(SplitRegistryCodec, "registry")  # the base never got one

    class Grandchild(First, name="y"):  # finds First.registry through hasattr
        pass

    assert "registry" not in vars(Grandchild)
    assert First.registry == {"x": First, "y": Grandchild}  # written into the parent's dict


def test_a_duplicate_name_is_refused_and_names_both_classes() -> None:
    namespace: dict[str, object] = {}
    source = "class Impostor(Codec, name='json'):\n    pass\n"
    with pytest.raises(DuplicateNameError) as caught:
        exec(source, {"Codec": Codec, "__name__": "plugins"}, namespace)
    message = str(caught.value)
    assert "'json' is taken by handbook.advanced.init_subclass_metaclass.Json" in message
    assert "plugins.Impostor must choose another" in message
    assert "Impostor" not in namespace  # the class statement failed: nothing was bound
    assert Codec.registry["json"] is Json  # the first registration stands


def test_an_unknown_class_keyword_reaches_object_and_raises_type_error() -> None:
    with pytest.raises(TypeError, match=r"__init_subclass__\(\) takes no keyword arguments"):

        class Typo(Codec, name="typo", verison=2):
            pass

    assert "typo" not in Codec.registry


def test_codec_forwards_extra_class_keywords_to_the_next_hook_in_the_mro() -> None:
    class Versioned:
        version: int

        def __init_subclass__(cls, *, version: int, **kwargs: Any) -> None:
            super().__init_subclass__(**kwargs)
            cls.version = version

    class MsgPack(Codec, Versioned, name="msgpack", version=5):
        pass

    assert MsgPack.version == 5
    assert Codec.registry["msgpack"] is MsgPack


def test_the_hooks_run_in_order_prepare_body_new_set_name_init_subclass_init() -> None:
    log: list[str] = []

    class Meta(type):
        @classmethod
        def __prepare__(
            mcs, name: str, bases: tuple[type, ...], /, **kwargs: Any
        ) -> dict[str, object]:
            log.append(f"prepare {name} {kwargs}")
            return {}

        def __new__(
            mcs, name: str, bases: tuple[type, ...], ns: dict[str, Any], /, **kwargs: Any
        ) -> Meta:
            log.append(f"new {name} {kwargs}")
            cls = super().__new__(mcs, name, bases, ns, **kwargs)
            log.append(f"new done {name}")
            return cls

        def __init__(
            cls, name: str, bases: tuple[type, ...], ns: dict[str, Any], /, **kwargs: Any
        ) -> None:
            log.append(f"init {name} {kwargs}")
            super().__init__(name, bases, ns, **kwargs)

    class Field:
        def __set_name__(self, owner: type, attr: str) -> None:
            log.append(f"set_name {owner.__name__}.{attr}")

    class Base(metaclass=Meta):
        def __init_subclass__(cls, **kwargs: Any) -> None:
            log.append(f"init_subclass {cls.__name__} {kwargs}")

    log.clear()

    class Child(Base, flavour=1):
        log.append("body Child")
        field = Field()

    assert log == [
        "prepare Child {'flavour': 1}",
        "body Child",
        "new Child {'flavour': 1}",
        "set_name Child.field",
        "init_subclass Child {'flavour': 1}",
        "new done Child",
        "init Child {'flavour': 1}",
    ]


def test_set_name_errors_are_wrapped_on_311_and_noted_from_312() -> None:
    class Checked:
        def __set_name__(self, owner: type, attr: str) -> None:
            raise ValueError(f"bad field {attr}")

    if sys.version_info < (3, 12):
        with pytest.raises(RuntimeError, match="Error calling __set_name__") as wrapped:

            class Old:
                field = Checked()

        assert isinstance(wrapped.value.__cause__, ValueError)
    else:
        with pytest.raises(ValueError, match="bad field field") as caught:

            class New:
                field = Checked()

        assert any("Error calling __set_name__" in note for note in caught.value.__notes__)


def test_init_subclass_errors_propagate_unwrapped_on_every_version() -> None:
    with pytest.raises(DuplicateNameError):

        class Again(Codec, name="json"):
            pass


def test_a_plain_class_keeps_definition_order_without_a_metaclass() -> None:
    class Steps:
        def zeta(self) -> None: ...
        def alpha(self) -> None: ...

        middle = 1

        def beta(self) -> None: ...

    own = [name for name in vars(Steps) if not name.startswith("__")]
    assert own == ["zeta", "alpha", "middle", "beta"]


def test_the_metaclass_hook_runs_for_the_base_itself() -> None:
    assert "StrictBase" in STRICT_CLASSES

    class Routes(StrictBase):
        pass

    assert STRICT_CLASSES[-1] == Routes.__qualname__
    assert type(Routes) is StrictMeta


def test_without_prepare_a_second_def_silently_replaces_the_first() -> None:
    class LoginTests:
        def test_login(self) -> str:
            return "first"

        def test_login(self) -> str:  # type: ignore[no-redef]  # noqa: F811
            return "second"

    tests = [name for name in vars(LoginTests) if name.startswith("test_")]
    assert tests == ["test_login"]  # one test, not two: the first never runs
    assert LoginTests().test_login() == "second"


def test_a_function_defined_twice_in_a_strict_class_body_is_refused() -> None:
    with pytest.raises(DuplicateDefinitionError, match=r"Handlers\.get is defined twice"):

        class Handlers(StrictBase):
            def get(self) -> str:
                return "first"

            def get(self) -> str:  # type: ignore[no-redef]  # noqa: F811
                return "second"


def test_the_property_setter_idiom_passes_the_strict_check() -> None:
    class Account(StrictBase):
        _balance = 0

        @property
        def balance(self) -> int:
            return self._balance

        @balance.setter
        def balance(self, value: int) -> None:
            self._balance = value

    account = Account()
    account.balance = 7
    assert account.balance == 7


def test_a_rebinding_that_is_not_function_over_function_passes_the_strict_check() -> None:
    class Hooks(StrictBase):
        handler = None  # a placeholder, then the real definition

        def handler(self) -> str:  # type: ignore[no-redef]  # noqa: F811
            return "handled"

    hooks: Any = Hooks()  # mypy still types the attribute as None
    assert hooks.handler() == "handled"

    class Factory(StrictBase):
        def make() -> str:  # type: ignore[misc]
            return "made"

        make = staticmethod(make)  # a function rebound to a non-function, on purpose

    assert Factory.make() == "made"


def test_typing_overload_stubs_trip_the_naive_check() -> None:
    with pytest.raises(DuplicateDefinitionError, match=r"Parser\.parse is defined twice"):

        class Parser(StrictBase):
            @typing.overload
            def parse(self, raw: str) -> str: ...
            @typing.overload
            def parse(self, raw: bytes) -> bytes: ...
            def parse(self, raw: str | bytes) -> str | bytes:
                return raw


def test_two_unrelated_metaclasses_conflict() -> None:
    with pytest.raises(TypeError, match="metaclass conflict"):

        class Handler(StrictBase, ABC):  # type: ignore[metaclass]
            pass

    with pytest.raises(TypeError, match="metaclass conflict"):

        class Status(enum.Enum, ABC):  # type: ignore[metaclass]
            OK = 1


def test_a_derived_metaclass_resolves_the_conflict_and_keeps_both_behaviours() -> None:
    class Handler(StrictBase, ABC, metaclass=StrictABCMeta):
        @abstractmethod
        def handle(self) -> str: ...

    with pytest.raises(TypeError, match="abstract"):
        Handler()  # type: ignore[abstract]  # ABCMeta still enforces abstract methods

    with pytest.raises(DuplicateDefinitionError):  # and StrictMeta still checks the body

        class Twice(Handler):
            def handle(self) -> str:
                return "a"

            def handle(self) -> str:  # type: ignore[no-redef]  # noqa: F811
                return "b"


def test_python_picks_the_most_derived_metaclass_by_itself() -> None:
    class AbstractStrict(metaclass=StrictABCMeta):
        pass

    class Both(StrictBase, AbstractStrict):  # StrictABCMeta subclasses StrictMeta: no conflict
        pass

    assert type(Both) is StrictABCMeta


def test_class_level_methods_come_from_the_metaclass() -> None:
    class Color(enum.Enum):
        RED = 1
        GREEN = 2

    assert len(Color) == 2
    assert "__len__" in vars(type(Color))  # defined on EnumType, the metaclass
    with pytest.raises(TypeError):
        len(Color.RED)  # type: ignore[arg-type]  # a member is an instance: no metaclass methods
