"""Tests for patterns.middleware: wrap order, auth short-circuit, errors to 500, over wsgiref."""

from __future__ import annotations

import http.client
import io
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from wsgiref.handlers import SimpleHandler
from wsgiref.simple_server import WSGIRequestHandler, make_server
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest

from handbook.patterns.middleware import (
    auth,
    close_body,
    compose,
    compose_naive,
    errors,
    errors_naive,
    finished,
    logged,
)

TOKEN = "s3cret"


class App:
    """A WSGI app that counts its calls.

    ``/boom`` raises before starting a response, ``/start-then-boom`` after it,
    ``/lazy-boom`` mid-body, ``/lazy`` produces its body lazily.
    """

    def __init__(self, trace: list[str] | None = None) -> None:
        self.calls = 0
        self.trace = trace if trace is not None else []

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        self.calls += 1
        self.trace.append("app")
        path = environ.get("PATH_INFO", "/")
        if path == "/boom":
            raise RuntimeError("bug in the handler")
        start_response("200 OK", [("Content-Type", "text/plain")])
        if path == "/start-then-boom":
            raise RuntimeError("bug after start_response")
        if path == "/lazy-boom":
            return self.lazy_boom()
        if path == "/lazy":
            return self.lazy()
        return [b"hello ", b"world\n"]

    def lazy(self) -> Iterator[bytes]:
        self.trace.append("body produced")
        yield b"hello world\n"

    @staticmethod
    def lazy_boom() -> Iterator[bytes]:
        yield b"partial "
        raise RuntimeError("bug while streaming")


def call(
    app: WSGIApplication,
    path: str = "/",
    token: str | None = TOKEN,
    *,
    authorization: str | None = None,
) -> tuple[list[str], bytes]:
    """Call a WSGI app directly; return every status it started and the body.

    Like a server, it enforces PEP 3333: a second ``start_response`` needs
    ``exc_info`` (wsgiref says "Headers already set!"), and once body bytes
    have gone out it re-raises that exception instead of changing the status.
    """
    environ: dict[str, Any] = {"SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": ""}
    setup_testing_defaults(environ)
    if authorization is not None:
        environ["HTTP_AUTHORIZATION"] = authorization
    elif token is not None:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    statuses: list[str] = []
    sent: list[bytes] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], object]:
        if statuses and exc_info is None:
            raise AssertionError("Headers already set!")
        if exc_info is not None and any(sent):
            raise exc_info[1].with_traceback(exc_info[2])
        statuses.append(status)
        return sent.append

    result = app(environ, start_response)
    try:
        for chunk in result:
            sent.append(chunk)
        body = b"".join(sent)
    finally:
        close_body(result)
    return statuses, body


def test_the_first_middleware_listed_is_the_outermost_layer() -> None:
    trace: list[str] = []
    stack = compose(App(trace), logged("outer", trace), logged("inner", trace))
    assert call(stack) == (["200 OK"], b"hello world\n")
    assert trace == ["outer in", "inner in", "app", "inner out", "outer out"]


def test_wrapping_in_list_order_makes_the_last_middleware_outermost() -> None:
    trace: list[str] = []
    stack = compose_naive(App(trace), logged("outer", trace), logged("inner", trace))
    call(stack)
    assert trace == ["inner in", "outer in", "app", "outer out", "inner out"]


@pytest.mark.parametrize("token", [None, "wrong"])
def test_auth_answers_401_before_the_app_runs(token: str | None) -> None:
    app = App()
    assert call(auth(TOKEN)(app), token=token) == (["401 Unauthorized"], b"unauthorized\n")
    assert app.calls == 0


@pytest.mark.parametrize(
    "header",
    [
        f"Bearer {TOKEN}-extra",
        f"xBearer {TOKEN}",
        f"Basic {TOKEN}",
        "Bearer",
        f"Bearer {TOKEN[:-1]}",
    ],
)
def test_auth_rejects_a_token_that_only_contains_or_prefixes_the_secret(header: str) -> None:
    app = App()
    assert call(auth(TOKEN)(app), authorization=header)[0] == ["401 Unauthorized"]
    assert app.calls == 0


def test_auth_takes_the_scheme_name_case_insensitively() -> None:
    assert call(auth(TOKEN)(App()), authorization=f"bearer {TOKEN}")[0] == ["200 OK"]


def test_auth_lets_a_valid_token_through_to_the_app() -> None:
    app = App()
    assert call(auth(TOKEN)(app)) == (["200 OK"], b"hello world\n")
    assert app.calls == 1


def test_errors_turns_an_exception_from_the_call_into_a_500() -> None:
    assert call(errors(App()), "/boom") == (["500 Internal Server Error"], b"internal error\n")


def test_errors_turns_an_exception_raised_mid_body_into_a_single_500() -> None:
    # The app already started "200 OK" when its body raised: the client must see only the 500.
    assert call(errors(App()), "/lazy-boom") == (["500 Internal Server Error"], b"internal error\n")


def test_errors_passes_a_good_response_through_unchanged() -> None:
    assert call(validator(errors(App()))) == (["200 OK"], b"hello world\n")


def test_errors_after_start_response_gives_a_single_500() -> None:
    assert call(errors(App()), "/start-then-boom") == (
        ["500 Internal Server Error"],
        b"internal error\n",
    )


def test_errors_lets_keyboard_interrupt_through() -> None:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        call(errors(app))


def test_errors_keeps_data_sent_through_the_legacy_write_callable() -> None:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"written ")
        return [b"returned\n"]

    assert call(errors(app)) == (["200 OK"], b"written returned\n")


def run_under_wsgiref(app: WSGIApplication, path: str) -> tuple[bytes, str]:
    """Run one request through wsgiref's handler; return the raw response and its error log."""
    environ: dict[str, Any] = {"PATH_INFO": path}
    setup_testing_defaults(environ)
    out, err = io.BytesIO(), io.StringIO()
    SimpleHandler(io.BytesIO(), out, err, environ).run(app)
    return out.getvalue(), err.getvalue()


def test_a_naive_error_handler_calls_start_response_twice_without_exc_info() -> None:
    with pytest.raises(AssertionError, match="Headers already set"):
        call(errors_naive(App()), "/start-then-boom")
    raw, log = run_under_wsgiref(errors_naive(App()), "/start-then-boom")
    assert "AssertionError: Headers already set!" in log
    assert raw.startswith(b"HTTP/1.0 500")
    assert b"internal error" not in raw  # wsgiref's own 500, not the handler's
    raw, log = run_under_wsgiref(errors(App()), "/start-then-boom")
    assert (raw.startswith(b"HTTP/1.0 500"), raw.endswith(b"internal error\n"), log) == (
        True,
        True,
        "",
    )


def test_a_naive_error_handler_misses_exceptions_raised_while_the_body_is_iterated() -> None:
    assert call(errors_naive(App()), "/boom")[0] == ["500 Internal Server Error"]
    with pytest.raises(RuntimeError, match="while streaming"):
        call(errors_naive(App()), "/lazy-boom")


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep wsgiref's per-request access log off stderr


def test_the_stack_serves_http_over_a_real_socket() -> None:
    app = App()
    stack = validator(compose(app, errors, auth(TOKEN)))
    server = make_server("127.0.0.1", 0, stack, handler_class=QuietHandler)
    # poll_interval only bounds how long shutdown() waits for the loop to notice.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    results: list[tuple[int, bytes, str | None]] = []
    try:
        for path, headers in [
            ("/", {}),
            ("/", {"Authorization": f"Bearer {TOKEN}"}),
            ("/boom", {"Authorization": f"Bearer {TOKEN}"}),
        ]:
            conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=5)
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                results.append(
                    (response.status, response.read(), response.getheader("WWW-Authenticate"))
                )
            finally:
                conn.close()
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
    assert results == [
        (401, b"unauthorized\n", "Bearer"),
        (200, b"hello world\n", None),
        (500, b"internal error\n", None),
    ]
    assert app.calls == 2  # the unauthenticated request never reached it


class ClosingBody:
    def __init__(self) -> None:
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield b"chunk\n"

    def close(self) -> None:
        self.closed = True


class FailingClosingBody(ClosingBody):
    def __iter__(self) -> Iterator[bytes]:
        yield b"partial "
        raise RuntimeError("bug while streaming")


def test_errors_closes_a_body_that_raised() -> None:
    body = FailingClosingBody()

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return body

    statuses, data = call(errors(app))
    assert (statuses, data, body.closed) == (
        ["500 Internal Server Error"],
        b"internal error\n",
        True,
    )


def test_logged_records_out_before_a_lazy_body_is_produced() -> None:
    trace: list[str] = []
    stack = compose(App(trace), logged("timing", trace))
    assert call(stack, "/lazy") == (["200 OK"], b"hello world\n")
    assert trace == ["timing in", "app", "timing out", "body produced"]


def test_finished_records_the_end_at_close_after_the_body() -> None:
    trace: list[str] = []
    stack = compose(App(trace), finished("outer", trace), finished("inner", trace))
    assert call(stack, "/lazy") == (["200 OK"], b"hello world\n")
    assert trace == ["app", "body produced", "inner done", "outer done"]


def test_finished_passes_close_on_to_the_inner_body() -> None:
    body, trace = ClosingBody(), list[str]()

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return body

    assert call(validator(finished("f", trace)(app))) == (["200 OK"], b"chunk\n")
    assert (body.closed, trace) == (True, ["f done"])


def test_errors_closes_the_body_it_consumed() -> None:
    body = ClosingBody()

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return body

    statuses, data = call(errors(app))
    assert (statuses, data, body.closed) == (["200 OK"], b"chunk\n", True)
