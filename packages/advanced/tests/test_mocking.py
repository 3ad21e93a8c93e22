"""Tests for advanced.mocking: patch targets, restore, autospec, typo guards, fakes vs mocks."""

from __future__ import annotations

import datetime
import sys
import types
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest

from handbook.advanced.mocking import (
    CHECKOUT,
    INVOICING,
    RATES,
    RIGHT_TARGET,
    WRONG_TARGET,
    DuplicateEmailError,
    InMemoryUserRepo,
    PaymentGateway,
    User,
    UserRepo,
    demo_modules,
    gateway_double,
    pay,
    register,
    register_via_constraint,
)

# --- patch where the name is looked up -------------------------------------------------


def test_patching_where_the_function_is_defined_misses_a_from_import() -> None:
    with demo_modules() as m, mock.patch(WRONG_TARGET, return_value=1.5) as fake:
        assert m["rates"].fetch_rate is fake  # the patch happened, in rates only
        assert m["checkout"].fetch_rate is not fake  # checkout's own name still the original
        with pytest.raises(ConnectionError, match="real rate service"):
            m["checkout"].total_in("EUR", 200)
        fake.assert_not_called()


def test_patching_the_consumers_name_reaches_the_call() -> None:
    with demo_modules() as m, mock.patch(RIGHT_TARGET, return_value=1.5) as fake:
        assert m["checkout"].total_in("EUR", 200) == 300
        fake.assert_called_once_with("EUR")


def test_a_consumer_that_imported_the_module_is_reached_by_patching_the_definition() -> None:
    with demo_modules() as m, mock.patch(WRONG_TARGET, return_value=2.0):
        assert m["invoicing"].total_in("EUR", 200) == 400


def test_demo_modules_leave_sys_modules_as_they_were() -> None:
    names = (RATES, CHECKOUT, INVOICING)
    before = {n: sys.modules.get(n) for n in names}
    assert before == dict.fromkeys(names)
    with demo_modules():
        assert all(n in sys.modules for n in names)
    assert {n: sys.modules.get(n) for n in names} == before
    # An entry that existed before is put back, not dropped.
    placeholder = types.ModuleType(RATES)
    sys.modules[RATES] = placeholder
    try:
        with demo_modules() as m:
            assert m["rates"] is not placeholder
        assert sys.modules[RATES] is placeholder
        assert CHECKOUT not in sys.modules
    finally:
        del sys.modules[RATES]


def test_patch_resolves_its_target_when_it_starts_not_when_it_decorates() -> None:
    @mock.patch(RIGHT_TARGET, return_value=3.0)
    def convert(fake: mock.MagicMock) -> int:
        return int(sys.modules[CHECKOUT].total_in("EUR", 100))

    assert CHECKOUT not in sys.modules  # decorating did not need the module
    with pytest.raises(ModuleNotFoundError):
        convert()
    with demo_modules():
        assert convert() == 300


# --- patch restores what it replaced ---------------------------------------------------


def test_patch_as_a_context_manager_restores_the_original() -> None:
    with demo_modules() as m:
        original = m["checkout"].fetch_rate
        with mock.patch(RIGHT_TARGET) as fake:
            assert m["checkout"].fetch_rate is fake
            assert isinstance(fake, mock.MagicMock)  # patch's default
        assert m["checkout"].fetch_rate is original


def test_patch_uses_an_async_mock_for_an_async_function() -> None:
    class Client:
        async def fetch(self) -> bytes:
            return b"real"

        def close(self) -> None:
            pass

    with mock.patch.object(Client, "fetch") as fetch, mock.patch.object(Client, "close") as close:
        assert isinstance(fetch, mock.AsyncMock)
        assert not isinstance(close, mock.AsyncMock)
        assert isinstance(close, mock.MagicMock)


def test_patch_restores_the_original_even_when_the_block_raises() -> None:
    with demo_modules() as m:
        original = m["checkout"].fetch_rate
        with pytest.raises(KeyError), mock.patch(RIGHT_TARGET):
            raise KeyError("test failed inside the patch")
        assert m["checkout"].fetch_rate is original


def test_patch_create_adds_a_missing_attribute_and_removes_it_after() -> None:
    with demo_modules() as m:
        rates = m["rates"]
        with pytest.raises(AttributeError), mock.patch(f"{RATES}.fetch_rates"):
            pass  # no such attribute: a typo in the target fails loudly
        with mock.patch(f"{RATES}.fetch_rates", create=True) as fake:
            assert rates.fetch_rates is fake
        assert not hasattr(rates, "fetch_rates")


def test_a_started_patcher_stays_in_place_until_stopped() -> None:
    with demo_modules() as m:
        original = m["checkout"].fetch_rate
        patcher = mock.patch(RIGHT_TARGET, return_value=1.0)
        fake = patcher.start()
        try:
            assert m["checkout"].fetch_rate is fake  # leaks into whatever runs next
        finally:
            patcher.stop()
        assert m["checkout"].fetch_rate is original


def test_stacked_patch_decorators_pass_mocks_bottom_up() -> None:
    seen: list[str] = []

    @mock.patch(WRONG_TARGET, new_callable=lambda: mock.MagicMock(name="outer"))
    @mock.patch(RIGHT_TARGET, new_callable=lambda: mock.MagicMock(name="inner"))
    def check(first: mock.MagicMock, second: mock.MagicMock) -> None:
        seen.extend([repr(first), repr(second)])

    with demo_modules():
        check()
    assert "'inner'" in seen[0]  # the decorator nearest the function comes first
    assert "'outer'" in seen[1]


def test_a_builtin_type_cannot_be_patched_in_place() -> None:
    with pytest.raises(TypeError), mock.patch.object(datetime.datetime, "now"):
        pass


# --- specs: signature drift and attribute typos ----------------------------------------


def test_a_plain_mock_accepts_a_call_the_real_signature_rejects() -> None:
    with pytest.raises(TypeError, match="cents"):
        pay(PaymentGateway(), "acct-1", 500, "k-1")  # the real class
    gateway = mock.Mock()
    gateway.charge.return_value = "ch_1"
    assert pay(gateway, "acct-1", 500, "k-1") == "ch_1"  # green, and wrong
    gateway.charge.assert_called_once_with("acct-1", cents=500, idempotency_key="k-1")


def test_autospec_rejects_a_call_that_no_longer_matches_the_signature() -> None:
    gateway = gateway_double()
    with pytest.raises(TypeError, match="cents"):
        pay(gateway, "acct-1", 500, "k-1")
    gateway.charge.return_value = "ch_1"
    assert gateway.charge("acct-1", 500, idempotency_key="k-1") == "ch_1"


def test_autospec_matches_calls_by_signature_not_by_spelling() -> None:
    gateway = gateway_double()
    gateway.charge("acct-1", 500, idempotency_key="k-1")
    gateway.charge.assert_called_once_with(
        account="acct-1", amount_cents=500, idempotency_key="k-1"
    )
    plain = mock.Mock()
    plain.charge("acct-1", 500, idempotency_key="k-1")
    with pytest.raises(AssertionError):  # positional vs keyword: a different call to a Mock
        plain.charge.assert_called_once_with(
            account="acct-1", amount_cents=500, idempotency_key="k-1"
        )


def test_spec_rejects_unknown_names_but_not_wrong_arguments() -> None:
    gateway = mock.Mock(spec=PaymentGateway)
    with pytest.raises(AttributeError):
        _ = gateway.chrage
    pay(gateway, "acct-1", 500, "k-1")  # accepted: spec= does not check signatures
    gateway.charge.assert_called_once()
    gateway.charge.asssert_called_once()  # the child has no spec: an assertion typo passes
    gateway.charge.asssert_called_twice()  # (any spelling: nothing is checked)


def test_autospec_rejects_misspelled_methods_and_assertions() -> None:
    gateway = gateway_double()
    with pytest.raises(AttributeError):
        _ = gateway.chrage
    gateway.charge("acct-1", 500, idempotency_key="k-1")
    with pytest.raises(AttributeError):
        gateway.charge.asssert_called_once()


def test_the_double_is_an_instance_not_the_class() -> None:
    with pytest.raises(TypeError, match="not callable"):
        PaymentGateway()()  # type: ignore[operator]
    with pytest.raises(TypeError, match="not callable"):
        gateway_double()()
    assert isinstance(gateway_double(), PaymentGateway)  # a spec also passes isinstance


def test_spec_set_and_seal_refuse_setting_or_inventing_names() -> None:
    strict = mock.Mock(spec_set=PaymentGateway)
    with pytest.raises(AttributeError):
        strict.chrage = mock.Mock()  # spec_set: setting an unknown name fails
    loose = mock.Mock()
    loose.charge.return_value = "ch_1"
    mock.seal(loose)
    assert loose.charge() == "ch_1"
    with pytest.raises(AttributeError):
        _ = loose.refund  # sealed: no new children


def test_autospec_does_not_know_attributes_set_in_init() -> None:
    class Client:
        def __init__(self) -> None:
            self.timeout = 5.0

    double = mock.create_autospec(Client, instance=True)
    with pytest.raises(AttributeError):
        _ = double.timeout


# --- the typo guards of a plain Mock, per version ---------------------------------------


@pytest.mark.parametrize(
    "name", ["assert_foo", "assret_called_once", "asert_called", "aseert_called", "assrt_called"]
)
def test_mock_refuses_names_with_an_assert_like_prefix(name: str) -> None:
    with pytest.raises(AttributeError, match="not a valid assertion"):
        getattr(mock.Mock(), name)
    assert isinstance(getattr(mock.Mock(unsafe=True), name), mock.Mock)


def test_a_typo_outside_the_guarded_prefixes_passes_silently() -> None:
    m = mock.Mock()
    m.asssert_called_once()  # never called, yet no failure: a child mock was called
    assert m.call_count == 0


def test_assertion_names_without_the_prefix_are_refused_from_3_12() -> None:
    m = mock.Mock()
    if sys.version_info >= (3, 12):
        with pytest.raises(AttributeError, match="not a valid assertion"):
            m.called_once_with(1)
    else:
        m.called_once_with(1)  # 3.11: a child mock, the "assertion" checks nothing
        assert m.call_count == 0


@pytest.mark.parametrize("typo", ["autospect", "auto_spec", "set_spec"])
def test_patch_and_create_autospec_refuse_spec_keyword_typos(typo: str) -> None:
    kwargs: dict[str, Any] = {typo: True}
    with pytest.raises(RuntimeError, match="might be a typo"):
        mock.patch(WRONG_TARGET, **kwargs)
    with pytest.raises(RuntimeError, match="might be a typo"):
        mock.create_autospec(PaymentGateway, **kwargs)
    mock.patch(WRONG_TARGET, unsafe=True, **kwargs)  # unsafe=True lets it through
    mock.create_autospec(PaymentGateway, unsafe=True, **kwargs)


# --- fakes vs mocks ----------------------------------------------------------------------

Register = Callable[[UserRepo, str, str], User]


def _behaviour_test(register_fn: Register) -> None:
    """A fake-based test: register, then check the outcome through the repository."""
    repo = InMemoryUserRepo()
    assert register_fn(repo, "Ann@Example.com ", "Ann") == User("ann@example.com", "Ann")
    with pytest.raises(DuplicateEmailError):
        register_fn(repo, "ann@example.com", "Impostor")
    assert repo.get("ann@example.com") == User("ann@example.com", "Ann")


def test_the_fake_shows_a_second_registration_is_refused() -> None:
    _behaviour_test(register)


def test_leaving_uniqueness_to_the_store_behaves_the_same() -> None:
    _behaviour_test(register_via_constraint)


def _interaction_test(register_fn: Register) -> None:
    """A mock-style test: stub ``get``, then assert exactly which calls were made."""
    repo: Any = mock.create_autospec(InMemoryUserRepo, instance=True)
    repo.get.return_value = None
    register_fn(repo, "ann@example.com", "Ann")
    repo.get.assert_called_once_with("ann@example.com")
    repo.add.assert_called_once_with(User("ann@example.com", "Ann"))


def test_an_interaction_test_breaks_on_a_refactor_that_keeps_behaviour() -> None:
    _interaction_test(register)
    with pytest.raises(AssertionError, match="Expected 'get' to be called once"):
        # same behaviour (the fake test above), but no get call
        _interaction_test(register_via_constraint)


def test_an_unconfigured_mock_makes_every_email_look_taken() -> None:
    repo: Any = mock.create_autospec(InMemoryUserRepo, instance=True)
    found = repo.get("new@example.com")
    assert found is not None  # a MagicMock, not None
    assert found  # and truthy
    with pytest.raises(DuplicateEmailError):
        register(repo, "new@example.com", "New")
    repo.add.assert_not_called()
