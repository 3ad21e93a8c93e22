"""Mocking: patch the name where it is looked up, spec every mock, and test behaviour with fakes.

Why interviewers ask this:
    "Your test still calls the real service even though you patched it: why?"
    is the most common mocking bug, and the answer shows whether the
    candidate knows that ``import`` binds names. Close behind: mocks that
    accept any call, so tests stay green after the real API changed, and
    suites that assert every call and break on every refactor. Interviewers
    want the patch-target rule, ``autospec``, and a reasoned choice between
    a fake and a mock. (Constructor injection, which avoids patching, is
    ``patterns.dependency_injection``; this lesson is about ``unittest.mock``.)

Common pitfalls:
    - Patching where the function is defined. ``checkout`` did ``from rates
      import fetch_rate``: that copied the reference into ``checkout``'s own
      namespace at import. ``patch("rates.fetch_rate")`` replaces the name in
      ``rates`` only, so ``checkout.total_in`` still calls the real function
      (here it raises ``ConnectionError``). Patch ``checkout.fetch_rate``, the
      name the call looks up. A consumer that did ``import rates`` and calls
      ``rates.fetch_rate(...)`` looks the name up in ``rates`` on each call,
      so there patching ``rates.fetch_rate`` is right (``invoicing``).
    - A mock without a spec accepts every call and every attribute: after
      the real ``charge`` renamed ``cents`` to ``amount_cents``, a test with
      a plain ``Mock`` still passes. ``spec=Class`` rejects unknown
      attribute names but still accepts wrong arguments; ``autospec``
      (``create_autospec`` or ``patch(..., autospec=True)``) checks the
      signature of every method call too.
    - Misspelled assertions. Without a spec, ``m.asssert_called_once()`` is
      just a new child mock: it "passes" on every version. ``Mock`` refuses
      attribute names that start with ``assert``, ``assret``, ``asert``,
      ``aseert`` or ``assrt`` (``AttributeError``) unless ``unsafe=True``;
      from 3.12 it also refuses the assertion names without the ``assert_``
      prefix (``m.called_once_with(...)``), which on 3.11 silently returns a
      child mock. ``patch`` and ``create_autospec`` raise ``RuntimeError``
      for the keyword typos ``autospect``, ``auto_spec`` and ``set_spec``
      (again, unless ``unsafe=True``). ``spec=`` guards only the top-level
      mock: ``Mock(spec=PaymentGateway).charge`` is unspecced, so
      ``.charge.asssert_called_once()`` still passes silently. Autospec
      specs every child and closes the attribute and assertion typos; the
      keyword typos are caught by the ``RuntimeError`` guard alone.
    - An unconfigured mock answers every call with another ``Mock``, which
      is truthy and not ``None``: ``repo.get(email)`` "finds" a user, and
      ``register`` rejects every new email as taken.
    - Asserting interactions with collaborators that return values: the
      test then pins how the code talks to the repository, not what it does.
      ``register_via_constraint`` behaves like ``register`` (the same
      fake-based test passes for both) yet fails the mock test that
      expected a ``get`` call.
    - ``patcher.start()`` without ``stop()``: the patch outlives the test
      and leaks into the next one. Prefer the context manager or decorator,
      or ``addCleanup(patcher.stop)`` / pytest's ``monkeypatch``.

Key takeaways:
    - Patch the namespace the code under test reads: after ``from a import
      f`` that is the consumer module, after ``import a`` it is ``a``.
    - ``patch`` resolves its target string when the patch starts, not when
      the decorator is applied, and on exit puts the original object back,
      even when the block raised. With ``create=True`` it adds a missing
      attribute and deletes it again on exit; without, patching a missing
      attribute raises ``AttributeError``.
    - Stacked ``@patch`` decorators pass their mocks bottom-up: the one
      nearest the function is the first argument.
    - Fake (a small working implementation, here a dict-backed repository):
      test the outcome. Stub (canned answers, ``return_value``): feed the
      code inputs. Mock: assert the calls, for side effects that are the
      point (a charge, an email) and cannot be observed any other way.
    - Java: Mockito's ``mock(Gateway.class)`` is typed by the class, so a
      misspelled or renamed method is a compile error; ``verify(g).charge(...)``
      asserts interactions and strict stubs report unused stubbing. Go: no
      patching; the consumer declares a small interface, tests pass a
      hand-written fake (``type fakeRepo struct{ users map[string]User }``) or
      a generated mock (gomock, mockery). The language cannot replace a
      declared function at run time (short of unsafe binary patching such
      as gomonkey, which needs inlining disabled); a test swaps a
      package-level function variable (``var now = time.Now``).

What to look for in an answer:
    The candidate states the lookup rule and explains it with name binding,
    reaches for ``autospec`` without prompting, uses fakes for repositories
    and mocks for outbound side effects, and keeps patches scoped (context
    manager, decorator, fixture). Follow-ups:
    - Where do you patch ``datetime.now`` used by ``orders.py`` that did
      ``from datetime import datetime``? (You cannot set attributes on the
      built-in ``datetime`` type; patch ``orders.datetime`` with a mock or
      subclass, or better, inject a clock.)
    - What does ``autospec`` cost? (It introspects the spec (every name in
      ``dir()``) when the patch starts, so it is slower than a bare ``Mock``;
      and attributes set in ``__init__`` are not on the class, so an
      autospecced instance raises ``AttributeError`` for them: set them on
      the mock yourself.)
    - ``Mock`` or ``MagicMock``? (``MagicMock`` preconfigures the magic
      methods, ``__len__``, ``__iter__``, ``__enter__``...; ``patch`` uses
      it by default, and ``AsyncMock`` when the target is an async function.)
    - How do you test that a retry happened three times? (``side_effect`` as
      a list of exceptions then a value; assert ``call_count`` or the fake's
      recorded calls.)
    - Is check-then-add in ``register`` safe with two concurrent requests?
      (No: both can see "no user" and both add. The store's unique index is
      the real guard; that is why ``register_via_constraint`` lets the
      store decide, and why a fake should enforce the same rule.)
    - What stops ``m.retrun_value = 1``? (``spec_set=`` refuses to set names
      the spec lacks; ``mock.seal(m)`` makes new children raise
      ``AttributeError`` once the mock is configured.)
    - Patch an environment variable? (``mock.patch.dict(os.environ, ...)``
      or ``monkeypatch.setenv``; the original is restored on exit.)
    - ``AsyncMock``: called vs awaited? (A call never awaited still counts
      for ``assert_called_once``; ``assert_awaited_once`` does not.)
      ``wraps=real`` gives a spy that records calls and runs the real code;
      a retry test patches or injects ``sleep`` so it does not wait.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol
from unittest import mock

__all__ = [
    "CHECKOUT",
    "INVOICING",
    "RATES",
    "RIGHT_TARGET",
    "WRONG_TARGET",
    "DuplicateEmailError",
    "InMemoryUserRepo",
    "PaymentGateway",
    "User",
    "UserRepo",
    "demo_modules",
    "gateway_double",
    "pay",
    "register",
    "register_via_constraint",
]

RATES = "_hb_mocking_rates"  # defines fetch_rate
CHECKOUT = "_hb_mocking_checkout"  # from rates import fetch_rate
INVOICING = "_hb_mocking_invoicing"  # import rates; rates.fetch_rate(...)

_SOURCES = {
    RATES: (
        "def fetch_rate(currency):\n"
        "    raise ConnectionError('the real rate service: no network in tests')\n"
    ),
    CHECKOUT: (
        f"from {RATES} import fetch_rate\n"  # a second name, bound in this module at import
        "def total_in(currency, cents):\n"
        "    return round(cents * fetch_rate(currency))\n"
    ),
    INVOICING: (
        f"import {RATES} as rates\n"  # a reference to the module: fetch_rate looked up per call
        "def total_in(currency, cents):\n"
        "    return round(cents * rates.fetch_rate(currency))\n"
    ),
}

WRONG_TARGET = f"{RATES}.fetch_rate"
"""Where ``fetch_rate`` is defined: misses ``checkout``'s own binding."""
RIGHT_TARGET = f"{CHECKOUT}.fetch_rate"  # break[patch-where-defined]
"""Where ``checkout`` looks ``fetch_rate`` up."""


@contextmanager
def demo_modules() -> Iterator[dict[str, types.ModuleType]]:
    """Install three tiny modules (rates, checkout, invoicing) and restore ``sys.modules`` after.

    >>> with demo_modules() as m, mock.patch(RIGHT_TARGET, return_value=1.5):
    ...     m["checkout"].total_in("EUR", 200)
    300
    >>> CHECKOUT in sys.modules
    False
    """
    saved = {name: sys.modules.get(name) for name in _SOURCES}
    try:
        for name, source in _SOURCES.items():  # rates first: the others import it
            module = types.ModuleType(name)
            sys.modules[name] = module
            exec(compile(source, f"<{name}>", "exec"), module.__dict__)
        yield {
            "rates": sys.modules[RATES],
            "checkout": sys.modules[CHECKOUT],
            "invoicing": sys.modules[INVOICING],
        }
    finally:
        for name, old in saved.items():
            if old is None:
                sys.modules.pop(name, None)  # break[leak-demo-modules]
            else:
                sys.modules[name] = old


class PaymentGateway:
    """The real client as it is today: ``cents`` was renamed ``amount_cents``."""

    def charge(self, account: str, amount_cents: int, *, idempotency_key: str) -> str:
        """Charge ``account``; returns a charge id. (Here: no network, so it raises.)"""
        raise ConnectionError("the real payment network")


def pay(gateway: PaymentGateway, account: str, cents: int, key: str) -> str:
    """Consumer code written against the old signature: the drift a test should catch."""
    # mypy flags this call too; the ignore keeps the drift so the tests can show it.
    return gateway.charge(account, cents=cents, idempotency_key=key)  # type: ignore[call-arg]


def gateway_double() -> Any:
    """A test double for a ``PaymentGateway`` *instance*: its methods and their signatures.

    ``instance=True`` matters: without it the double stands for the class,
    so calling it "constructs" an instance instead of raising ``TypeError``
    as calling an instance of ``PaymentGateway`` does.
    """
    spec, instance = PaymentGateway, True  # break[class-double]
    return mock.create_autospec(spec, instance=instance)  # break[no-autospec]  # break[spec-only]


@dataclass(frozen=True)
class User:
    """A registered user."""

    email: str
    name: str


class DuplicateEmailError(Exception):
    """The email is already registered."""


class UserRepo(Protocol):
    """What registration needs from storage."""

    def get(self, email: str) -> User | None:
        """The user with exactly this email, or ``None``."""

    def add(self, user: User) -> None:
        """Store ``user``; ``DuplicateEmailError`` if the email exists (a unique index)."""


class InMemoryUserRepo:
    """A fake: a working repository in a dict, with the real store's uniqueness rule."""

    def __init__(self) -> None:
        self._users: dict[str, User] = {}

    def get(self, email: str) -> User | None:
        """The user with exactly this email, or ``None``."""
        return self._users.get(email)

    def add(self, user: User) -> None:
        """Store ``user``, refusing a second user with the same email."""
        if user.email in self._users:
            raise DuplicateEmailError(user.email)
        self._users[user.email] = user


def register(repo: UserRepo, email: str, name: str) -> User:
    """Check, then add: rejects an email that differs from a stored one only in case.

    >>> repo = InMemoryUserRepo()
    >>> register(repo, " Ann@Example.com", "Ann")
    User(email='ann@example.com', name='Ann')
    >>> register(repo, "ann@example.COM", "Impostor")
    Traceback (most recent call last):
    handbook.advanced.mocking.DuplicateEmailError: ann@example.com
    """
    email = email.strip().lower()  # break[no-normalise]
    if repo.get(email) is not None:
        raise DuplicateEmailError(email)
    user = User(email, name)
    repo.add(user)
    return user


def register_via_constraint(repo: UserRepo, email: str, name: str) -> User:
    """The same behaviour, leaving uniqueness to the store (no race between check and add)."""
    user = User(email.strip().lower(), name)
    repo.add(user)
    return user
