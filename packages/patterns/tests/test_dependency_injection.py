"""Tests for patterns.dependency_injection: fakes through constructors vs monkeypatching globals."""

from __future__ import annotations

import time
from collections.abc import Iterator
from unittest import mock

import pytest

import handbook.patterns.dependency_injection as di
from handbook.patterns.dependency_injection import (
    Email,
    Invoice,
    RecordingMailer,
    ReminderService,
    remind_overdue_global,
)

# Due at t=50 with 100 s of grace: overdue only after t=150. The real clock
# (~1.7e9 s since 1970) is far past that, so the real time always says "overdue".
INVOICE = Invoice("A1", "ann@example.com", due_at=50.0)


class FakeClock:
    """Time only moves when the test says so."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def empty_outbox() -> Iterator[None]:
    di.OUTBOX.clear()
    yield
    di.OUTBOX.clear()


def test_a_fake_clock_pins_the_overdue_boundary_without_sleeping() -> None:
    clock, mailer = FakeClock(100.0), RecordingMailer()
    service = ReminderService(clock, mailer, grace=100.0)
    assert service.remind([INVOICE]) == []
    clock.advance(50.0)  # exactly grace seconds late: not yet overdue
    assert service.remind([INVOICE]) == []
    clock.advance(0.5)
    assert service.remind([INVOICE]) == ["A1"]
    assert mailer.sent == [Email("ann@example.com", "Invoice A1 is overdue")]


def test_injected_fakes_share_no_state_between_services() -> None:
    first, second = RecordingMailer(), RecordingMailer()
    ReminderService(FakeClock(1_000.0), first, grace=0.0).remind([INVOICE])
    assert first.sent != []
    assert second.sent == []
    assert di.OUTBOX == []  # and nothing went through the global path


def test_the_global_version_reads_the_real_clock_and_writes_global_state() -> None:
    assert remind_overdue_global([INVOICE], grace=100.0) == ["A1"]
    assert [Email("ann@example.com", "Invoice A1 is overdue")] == di.OUTBOX


def test_patching_time_time_does_not_reach_a_name_bound_at_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(time, "time", lambda: 100.0)
    assert time.time() == 100.0  # the patch is in place...
    # ...but the code still saw real time
    assert remind_overdue_global([INVOICE], grace=100.0) == ["A1"]


def test_patching_the_lookup_site_works_but_names_a_private_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # coupled to `from time import time as _wall_time`
    monkeypatch.setattr(di, "_wall_time", lambda: 100.0)
    sent: list[Email] = []
    monkeypatch.setattr(di, "_send_via_smtp", sent.append)
    assert remind_overdue_global([INVOICE], grace=100.0) == []
    monkeypatch.setattr(di, "_wall_time", lambda: 151.0)
    assert remind_overdue_global([INVOICE], grace=100.0) == ["A1"]
    assert sent == [Email("ann@example.com", "Invoice A1 is overdue")]
    assert di.OUTBOX == []


def test_the_global_outbox_collects_every_callers_mail() -> None:
    remind_overdue_global([INVOICE], grace=100.0)
    remind_overdue_global([Invoice("B2", "bob@example.com", due_at=50.0)], grace=100.0)
    assert [e.to for e in di.OUTBOX] == ["ann@example.com", "bob@example.com"]


def test_a_default_argument_client_is_built_once_at_def_time_and_shared() -> None:
    built: list[object] = []

    def make_client() -> object:
        client = object()  # stands in for SmtpMailer(): imagine a connection opened here
        built.append(client)
        return client

    class Service:
        def __init__(self, mailer: object = make_client()) -> None:
            self.mailer = mailer

    assert len(built) == 1  # built when ``def`` ran, before any Service exists
    first, second = Service(), Service()
    assert len(built) == 1
    assert first.mailer is second.mailer is built[0]


def test_a_plain_mock_accepts_a_renamed_method_an_autospec_does_not() -> None:
    loose = mock.Mock()
    loose.sned(Email("ann@example.com", "typo"))  # no error: the test stays green
    strict = mock.create_autospec(RecordingMailer, instance=True)
    with pytest.raises(AttributeError):
        strict.sned(Email("ann@example.com", "typo"))
    with pytest.raises(TypeError):
        strict.send()  # autospec checks the signature too
    strict.send(Email("ann@example.com", "ok"))
    strict.send.assert_called_once_with(Email("ann@example.com", "ok"))
