"""Tests for advanced.options: keyword-only options, frozen validated config, builders."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import KW_ONLY, FrozenInstanceError, dataclass, field, replace
from typing import Any

import pytest

from handbook.advanced.options import (
    ClientConfig,
    ClientConfigBuilder,
    connect,
    connect_positional,
    new_client,
    with_retries,
    with_timeout_ms,
)

# --- keyword-only options ----------------------------------------------------------------


def test_positional_options_silently_swap_two_ints() -> None:
    config = connect_positional("db", 3, 250)  # meant: 3 retries, a 250 ms timeout
    assert (config.timeout_ms, config.retries) == (3, 250)  # accepted, validated, wrong


def test_keyword_only_options_refuse_positional_values() -> None:
    bad: Any = connect  # Any: the call below is the mistake being shown
    with pytest.raises(TypeError, match="positional argument"):
        bad("db", 3, 250)
    config = connect("db", retries=3, timeout_ms=250)  # order no longer matters
    assert (config.timeout_ms, config.retries) == (250, 3)


def test_a_kw_only_dataclass_refuses_positional_fields() -> None:
    bad: Any = ClientConfig
    with pytest.raises(TypeError, match="positional argument"):
        bad("db", 3, 250)
    assert ClientConfig(host="db") == connect("db")


def test_kw_only_fields_may_put_a_required_field_after_a_defaulted_one() -> None:
    @dataclass(kw_only=True)
    class Job:
        priority: int = 0
        name: str  # no default, after a default: fine for keyword-only fields

    assert Job(name="backup").priority == 0
    with pytest.raises(TypeError, match="name"):
        Job()  # type: ignore[call-arg]


def test_the_kw_only_marker_keeps_the_fields_before_it_positional() -> None:
    @dataclass
    class Endpoint:
        host: str
        _: KW_ONLY
        port: int = 443

    assert Endpoint("db", port=5432).port == 5432
    bad: Any = Endpoint
    with pytest.raises(TypeError):
        bad("db", 5432)


# --- frozen, validated, replace --------------------------------------------------------


def test_assigning_to_a_frozen_config_raises_frozen_instance_error() -> None:
    config = ClientConfig(host="db")
    target: Any = config
    with pytest.raises(FrozenInstanceError, match="timeout_ms"):
        target.timeout_ms = 1
    with pytest.raises(FrozenInstanceError):
        del target.retries
    assert issubclass(FrozenInstanceError, AttributeError)
    assert config == ClientConfig(host="db")
    assert hash(config) == hash(ClientConfig(host="db"))  # frozen + eq: a hashable value


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"host": ""}, "host"),
        ({"timeout_ms": 0}, "timeout_ms"),
        ({"timeout_ms": -5}, "timeout_ms"),
        ({"retries": -1}, "retries"),
    ],
)
def test_the_constructor_validates(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ClientConfig(**{"host": "db", **changes})


def test_a_zero_timeout_is_refused_not_read_as_forever() -> None:
    with pytest.raises(ValueError, match="timeout_ms must be > 0, got 0"):
        ClientConfig(host="db", timeout_ms=0)


def test_replace_runs_post_init_validation_again() -> None:
    base = ClientConfig(host="db")
    with pytest.raises(ValueError, match="timeout_ms must be > 0, got 0"):
        replace(base, timeout_ms=0)
    with pytest.raises(ValueError, match="retries"):
        replace(base, retries=-1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"host": 5}, "host must be a str"),
        ({"timeout_ms": float("nan")}, "timeout_ms must be an int, got nan"),
        ({"timeout_ms": "5"}, "timeout_ms must be an int"),
        ({"retries": 2.0}, "retries must be an int"),
        ({"retry_statuses": 503}, "retry_statuses must be an iterable of ints"),
        ({"retry_statuses": ["503"]}, "retry_statuses must be an int"),
    ],
)
def test_a_wrong_type_is_a_type_error_naming_the_field(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        ClientConfig(**{"host": "db", **changes})


def test_a_bool_is_not_accepted_as_an_int() -> None:
    assert isinstance(True, int)  # why the check needs its own bool case
    with pytest.raises(TypeError, match="timeout_ms must be an int, got True"):
        ClientConfig(host="db", timeout_ms=True)
    with pytest.raises(TypeError, match="retries must be an int, got False"):
        ClientConfig(host="db", retries=False)
    with pytest.raises(TypeError, match="retry_statuses must be an int, got True"):
        ClientConfig(host="db", retry_statuses=(True,))


def test_retry_statuses_are_stored_as_a_tuple_so_the_config_stays_hashable() -> None:
    statuses: Any = [503]  # a list, as a caller might pass
    config = ClientConfig(host="db", retry_statuses=statuses)
    statuses.append(504)  # the caller's list is not the config's
    assert config.retry_statuses == (503,)
    assert hash(config) == hash(ClientConfig(host="db", retry_statuses=(503,)))


def test_frozen_is_shallow() -> None:
    @dataclass(frozen=True)
    class Tags:
        names: list[str] = field(default_factory=list)

    tags = Tags()
    tags.names.append("urgent")  # no FrozenInstanceError: only rebinding is refused
    assert tags.names == ["urgent"]


def test_replace_goes_through_init_every_time() -> None:
    calls: list[int] = []

    @dataclass(frozen=True)
    class Counted:
        value: int

        def __post_init__(self) -> None:
            calls.append(self.value)

    first = Counted(1)
    second = replace(first, value=2)
    assert calls == [1, 2]
    assert (first.value, second.value) == (1, 2)


def test_replace_returns_a_new_config_and_leaves_the_original_alone() -> None:
    base = ClientConfig(host="db")
    batch = replace(base, retries=0)
    assert (batch.retries, base.retries) == (0, 3)
    assert batch is not base
    assert (batch.host, batch.timeout_ms) == (base.host, base.timeout_ms)


def test_object_setattr_writes_past_frozen() -> None:
    config = ClientConfig(host="db")
    object.__setattr__(config, "retries", -1)  # no FrozenInstanceError, no validation
    assert config.retries == -1


# --- mutable defaults -----------------------------------------------------------------


@pytest.mark.parametrize("default", [[], {}, set(), bytearray()])
def test_an_unhashable_default_is_refused_when_the_class_is_defined(default: object) -> None:
    with pytest.raises(ValueError, match="use default_factory"):

        @dataclass
        class Request:
            headers: object = default


def test_a_hashable_mutable_default_slips_through_and_is_shared() -> None:
    class HashableList(list[str]):
        __hash__ = object.__hash__  # type: ignore[assignment]  # hashable, still mutable

    @dataclass
    class Request:
        tags: HashableList = HashableList()  # noqa: RUF009 (the hole in the check)

    first, second = Request(), Request()
    first.tags.append("urgent")
    assert second.tags == ["urgent"]  # one list for every instance


def test_default_factory_gives_each_instance_its_own_container() -> None:
    @dataclass
    class Request:
        headers: dict[str, str] = field(default_factory=dict)

    first, second = Request(), Request()
    first.headers["x-trace"] = "1"
    assert second.headers == {}


def test_an_immutable_default_is_accepted_and_keeps_the_config_hashable() -> None:
    fields = {f.name: f for f in dataclasses.fields(ClientConfig)}
    assert fields["retry_statuses"].default == (502, 503, 504)
    assert isinstance(hash(ClientConfig(host="db", retry_statuses=(503,))), int)


# --- builder and functional options ------------------------------------------------------


def test_a_builder_builds_what_keyword_arguments_build() -> None:
    built = ClientConfigBuilder("db").timeout_ms(100).retries(1).build()
    assert built == connect("db", timeout_ms=100, retries=1)


def test_a_generative_builder_does_not_leak_settings_between_branches() -> None:
    base = ClientConfigBuilder("db").retries(5)
    fast = base.timeout_ms(100).build()
    default = base.build()
    assert (fast.timeout_ms, fast.retries) == (100, 5)
    assert (default.timeout_ms, default.retries) == (5000, 5)


def test_the_builder_gets_validation_from_the_config() -> None:
    with pytest.raises(ValueError, match="timeout_ms"):
        ClientConfigBuilder("db").timeout_ms(0).build()


def test_functional_options_build_what_keyword_arguments_build() -> None:
    assert new_client("db") == connect("db")
    assert new_client("db", with_timeout_ms(100), with_retries(0)) == connect(
        "db", timeout_ms=100, retries=0
    )


def test_functional_options_do_not_leak_between_calls() -> None:
    assert new_client("db", with_timeout_ms(100), with_retries(0)).retries == 0
    assert new_client("db") == connect("db")  # a fresh settings dict per call


def test_later_functional_options_win() -> None:
    config = new_client("db", with_retries(1), with_retries(7))
    assert config.retries == 7


def test_functional_options_are_validated_by_the_config() -> None:
    with pytest.raises(ValueError, match="retries"):
        new_client("db", with_retries(-1))


def test_partial_shares_a_preset_without_a_builder() -> None:
    batch_connect = functools.partial(connect, retries=0)
    assert batch_connect("db") == connect("db", retries=0)
    assert batch_connect("db", retries=2).retries == 2  # a call site can still override
