"""Dependency injection: pass the clock and the mailer in; contrast with monkeypatching globals.

Why interviewers ask this:
    "How do you test code that reads the time and sends email?" The answer
    that scales is constructor injection: the service receives a clock and a
    mailer, production passes the real ones, tests pass fakes they control.
    Interviewers want to hear why that beats patching module globals, and
    whether the candidate knows the classic monkeypatch trap: you patch where
    a name is *looked up*, not where it is defined.

Common pitfalls:
    - Patching the wrong place. ``remind_overdue_global`` uses
      ``from time import time as _wall_time``: the name is bound when the
      module is imported, so ``monkeypatch.setattr(time, "time", ...)`` does
      not reach it and the code still reads the real clock. The patch that
      works names the lesson module's private ``_wall_time``: the test now
      depends on an import detail a refactor can change.
    - Hidden global state: a module-level outbox or client shared by every
      caller, so every caller's sends pile up in one list (tested). Tests of
      the global version pay for it with an autouse fixture that empties the
      outbox around each test. Injected fakes are per instance.
    - A default that hides the dependency (``clock=time.time`` is fine; a
      default that builds a real SMTP client in ``__init__`` is not, since
      constructing the service then opens a network connection). Worst is
      ``def __init__(self, mailer=SmtpMailer())``: the default is evaluated
      once, when ``def`` runs, so it connects at import and every instance
      shares that one client (tested with a counting factory).

Key takeaways:
    - ``ReminderService(clock, mailer, grace)`` depends on a callable and a
      ``Mailer`` protocol; a fake clock makes the boundary (exactly ``grace``
      seconds late is not overdue) testable without sleeping.
    - Two services with two fakes never see each other's mail: no global state.
    - Monkeypatching also works, but only when it names the lookup site, which
      couples the test to the module's import style.
    - Go: pass interfaces to constructors (``func NewService(c Clock, m Mailer)``);
      Java: constructor injection, by hand or with Spring/Guice/Dagger.

What to look for in an answer:
    A strong candidate injects through the constructor, keeps the interfaces
    small (one method), writes fakes rather than mocks for value-returning
    collaborators, and names the "patch where it is looked up" rule (the
    phrase is from the ``unittest.mock`` docs). Follow-ups:
    - Do you need a DI framework in Python? (Rarely: constructors and a
      composition root, the one place where real objects are wired, suffice.)
    - Dummy, stub, spy, mock, fake? (Meszaros's test doubles, as in
      Fowler's "Mocks Aren't Stubs": a dummy is passed and never used; a
      stub returns canned answers; a spy records calls for assertions
      afterwards; a mock is programmed with expectations beforehand and
      fails on an unexpected call; a fake is a working lightweight
      implementation. ``RecordingMailer`` is strictly a spy. Python's
      ``unittest.mock.Mock`` is mostly used spy-style, asserting afterwards.)
    - The ``mock.patch`` target for the global version? (The lookup site:
      ``patch("handbook.patterns.dependency_injection._wall_time")``, not
      ``patch("time.time")``; the same rule as ``monkeypatch``.)
    - How do you keep a mock honest when the interface changes? (A plain
      ``Mock`` accepts any attribute and any arguments, so a renamed method
      keeps the tests green. ``create_autospec``, ``patch(...,
      autospec=True)`` or ``spec=`` reject unknown names, and autospec also
      checks call signatures; tested.)
    - freezegun or time-machine instead of injecting? (They help when you
      cannot inject. freezegun, when a freeze starts, rebinds the real
      time/datetime functions it finds in already-imported modules, so it
      does reach ``from time import time``, at a start-up cost that grows
      with the number of modules; time-machine patches the C-level
      functions themselves. Injection needs neither.)
    - Wall clock or monotonic? (Due dates are wall-clock facts, so
      ``time.time`` is right here. Timeouts and durations need
      ``time.monotonic``, because NTP can step the wall clock.)
    - Protocol or ABC for ``Mailer``? (A Protocol is structural: fakes need
      not inherit and mypy checks them; ``@runtime_checkable`` makes
      ``isinstance`` check only that the method names exist. An ABC is
      nominal and refuses to instantiate a subclass missing a method.)
    - When is monkeypatching acceptable? (Third-party code you cannot change,
      or environment variables; prefer ``monkeypatch`` so it is undone.)
    - How do you inject into a FastAPI/Django view? (FastAPI ``Depends`` and
      ``app.dependency_overrides``; Django: build services in one factory.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from time import time as _wall_time  # bound at import: patching time.time cannot reach it
from typing import Protocol

__all__ = [
    "OUTBOX",
    "Email",
    "Invoice",
    "Mailer",
    "RecordingMailer",
    "ReminderService",
    "remind_overdue_global",
]


@dataclass(frozen=True)
class Invoice:
    """An invoice due at a Unix timestamp."""

    number: str
    customer_email: str
    due_at: float


@dataclass(frozen=True)
class Email:
    """One message handed to a mailer."""

    to: str
    subject: str


class Mailer(Protocol):
    """What the service needs from a mail system: one method."""

    def send(self, email: Email) -> None:
        """Deliver (or queue) one message."""


class RecordingMailer:
    """A fake mailer (strictly, a spy): keeps what it was asked to send, per instance."""

    def __init__(self) -> None:
        self.sent: list[Email] = []  # break[shared-outbox]

    def send(self, email: Email) -> None:
        """Record the message."""
        self.sent.append(email)


class ReminderService:
    """The fix: time and mail come in through the constructor.

    >>> mailer = RecordingMailer()
    >>> service = ReminderService(clock=lambda: 1_000.0, mailer=mailer, grace=60.0)
    >>> service.remind([Invoice("A1", "ann@example.com", due_at=900.0)])
    ['A1']
    >>> mailer.sent
    [Email(to='ann@example.com', subject='Invoice A1 is overdue')]
    """

    def __init__(self, clock: Callable[[], float], mailer: Mailer, grace: float) -> None:
        self._clock = clock
        self._mailer = mailer
        self._grace = grace

    def remind(self, invoices: Iterable[Invoice]) -> list[str]:
        """Email every invoice more than ``grace`` seconds past due; return their numbers."""
        now = self._clock()  # break[read-real-clock]
        reminded = []
        for invoice in invoices:
            if now - invoice.due_at > self._grace:  # break[boundary]
                self._mailer.send(
                    Email(invoice.customer_email, f"Invoice {invoice.number} is overdue")
                )
                reminded.append(invoice.number)
        return reminded


OUTBOX: list[Email] = []
"""The global state the pitfall writes to (a stand-in for a real SMTP connection)."""


def _send_via_smtp(email: Email) -> None:
    """Stand-in for smtplib: a module-level side effect every caller shares."""
    OUTBOX.append(email)


def remind_overdue_global(invoices: Iterable[Invoice], grace: float) -> list[str]:
    """The pitfall: hard-wired to the wall clock and the global mail function."""
    now = _wall_time()
    reminded = []
    for invoice in invoices:
        if now - invoice.due_at > grace:
            _send_via_smtp(Email(invoice.customer_email, f"Invoice {invoice.number} is overdue"))
            reminded.append(invoice.number)
    return reminded
