"""Tests for intermediate.chaining: the two links, what the traceback prints, notes, the walk."""

from __future__ import annotations

import io
import logging
import traceback
from collections.abc import Callable

import pytest

from handbook.intermediate.chaining import (
    ConfigError,
    chain,
    find_in_chain,
    parse_all,
    port_hidden,
    port_implicit,
    port_translated,
    unwrap,
)

DIRECT = "The above exception was the direct cause of the following exception:"
DURING = "During handling of the above exception, another exception occurred:"


def config_error(load: Callable[[dict[str, str]], int]) -> ConfigError:
    """The ConfigError that ``load`` raises for an empty configuration."""
    with pytest.raises(ConfigError) as info:
        load({})
    return info.value


def rendered(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


def test_from_sets_the_cause_and_suppresses_the_context() -> None:
    exc = config_error(port_translated)
    assert isinstance(exc.__cause__, KeyError)
    assert exc.__suppress_context__ is True
    assert exc.__context__ is exc.__cause__  # the implicit link is set as well


def test_raising_in_except_without_from_sets_only_the_context() -> None:
    exc = config_error(port_implicit)
    assert exc.__cause__ is None
    assert isinstance(exc.__context__, KeyError)
    assert exc.__suppress_context__ is False


def test_raising_in_finally_chains_implicitly_too() -> None:
    def fail_in_cleanup() -> None:
        try:
            raise OSError("disk")
        finally:
            raise RuntimeError("cleanup failed")

    with pytest.raises(RuntimeError, match="cleanup failed") as info:
        fail_in_cleanup()
    assert isinstance(info.value.__context__, OSError)


def test_from_none_suppresses_the_context_but_keeps_it() -> None:
    exc = config_error(port_hidden)
    assert exc.__cause__ is None
    assert exc.__suppress_context__ is True
    assert isinstance(exc.__context__, KeyError)


def test_the_traceback_calls_a_from_link_the_direct_cause() -> None:
    text = rendered(config_error(port_translated))
    assert DIRECT in text
    assert DURING not in text
    assert text.index("KeyError: 'port'") < text.index(DIRECT) < text.index("ConfigError")


def test_the_traceback_calls_an_implicit_link_during_handling() -> None:
    text = rendered(config_error(port_implicit))
    assert DURING in text
    assert DIRECT not in text
    assert text.index("KeyError: 'port'") < text.index(DURING) < text.index("ConfigError")


def test_the_traceback_of_from_none_shows_only_the_new_exception() -> None:
    text = rendered(config_error(port_hidden))
    assert DIRECT not in text
    assert DURING not in text
    assert "KeyError" not in text
    assert "ConfigError: missing setting 'port'" in text


def test_logger_exception_logs_every_link_of_the_chain() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("handbook.test_chaining")
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            port_translated({})
        except ConfigError:
            logger.exception("config failed")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert text.index("KeyError: 'port'") < text.index(DIRECT) < text.index("ConfigError")


def test_the_as_name_is_deleted_at_the_end_of_the_handler() -> None:
    def name_after_handler() -> BaseException:
        try:
            raise ValueError("x")
        except ValueError as exc:
            kept = exc
        with pytest.raises(UnboundLocalError):
            exc  # noqa: B018, F821
        return kept

    kept = name_after_handler()
    assert kept.__traceback__ is not None  # still holds the frames it passed through


def test_str_and_repr_do_not_mention_the_chain() -> None:
    exc = config_error(port_translated)
    assert "KeyError" not in str(exc)
    assert "KeyError" not in repr(exc)


def test_unwrap_prefers_the_cause_then_an_unsuppressed_context() -> None:
    assert isinstance(unwrap(config_error(port_translated)), KeyError)
    assert isinstance(unwrap(config_error(port_implicit)), KeyError)
    assert unwrap(config_error(port_hidden)) is None


def test_the_chain_follows_implicit_context_links() -> None:
    names = [type(e).__name__ for e in chain(config_error(port_implicit))]
    assert names == ["ConfigError", "KeyError"]


def test_the_chain_follows_explicit_cause_links() -> None:
    names = [type(e).__name__ for e in chain(config_error(port_translated))]
    assert names == ["ConfigError", "KeyError"]


def test_the_chain_stops_at_a_suppressed_context_and_on_a_cycle() -> None:
    hidden = config_error(port_hidden)
    assert chain(hidden) == [hidden]
    a, b = ValueError("a"), ValueError("b")
    try:
        try:
            raise a
        except ValueError:
            raise b from a
    except ValueError:
        with pytest.raises(ValueError, match="a"):
            raise a from b  # Python cuts __context__ cycles, not __cause__ ones
    assert a.__cause__ is b
    assert b.__cause__ is a
    assert chain(a) == [a, b]


def test_raise_cuts_a_context_cycle() -> None:
    a, b = ValueError("a"), ValueError("b")
    try:
        try:
            raise a
        except ValueError:
            raise b  # noqa: B904
    except ValueError:
        with pytest.raises(ValueError, match="a"):
            raise a  # noqa: B904  (a gets context b, whose context was a)
    assert a.__context__ is b
    assert b.__context__ is None  # the old link was cut to break the cycle


def test_find_in_chain_is_errors_as() -> None:
    exc = config_error(port_implicit)
    found = find_in_chain(exc, LookupError)  # KeyError is a LookupError
    assert isinstance(found, KeyError)
    assert found.args == ("port",)
    assert find_in_chain(exc, OSError) is None
    assert find_in_chain(config_error(port_hidden), KeyError) is None


def test_add_note_keeps_the_type_and_the_traceback_prints_the_note_after_the_message() -> None:
    with pytest.raises(ValueError, match="invalid literal") as info:
        parse_all(["1", "2", "x"])
    assert info.value.__notes__ == ["while parsing item 3 of 3"]  # counted from 1, like the total
    text = rendered(info.value)
    assert text.index("ValueError: invalid literal") < text.index("while parsing item 3 of 3")


def test_add_note_accepts_only_strings() -> None:
    with pytest.raises(TypeError):
        ValueError().add_note(42)  # type: ignore[arg-type]


def test_parse_all_without_errors_adds_no_notes() -> None:
    assert parse_all(["1", "2"]) == [1, 2]
