"""Middleware: wrap a WSGI app in layers; the order of wrapping is the order requests pass through.

Why interviewers ask this:
    Every web framework is an app wrapped in middleware (Django's
    ``MIDDLEWARE``, applied top-down on the request like ``compose``;
    Flask/Werkzeug's ``wsgi_app`` wrappers; Go's
    ``func(http.Handler) http.Handler``; Java servlet filters). Interviewers
    check that a candidate can write one by hand, knows that the outermost
    layer sees the request first and the response last, that auth must
    short-circuit *before* the app runs, and that an error handler has to
    live outside the layers whose errors it converts.

Common pitfalls:
    - Building the chain with ``for mw in middlewares: app = mw(app)``
      (``compose_naive``): the *last* middleware listed becomes the
      outermost, the reverse of the order written down.
    - An auth layer that calls the app and then checks credentials: the
      handler ran (and may have written to the database) for a request that
      gets a 401. Check first, return without calling the app.
    - A 500 handler that wraps only the call (``errors_naive``): a WSGI body
      is an iterable, often a generator, so an exception raised while the
      server iterates it escapes the ``try``. The fix (``errors``) iterates
      the body inside the ``try`` and holds back ``start_response`` until
      it knows the outcome; the price is buffering, so no streaming.
    - The same naive handler has a second bug: if the app called
      ``start_response("200 OK", ...)`` and then raised, the handler calls
      ``start_response`` again without ``exc_info``. PEP 3333 makes that an
      error (wsgiref raises ``AssertionError("Headers already set!")`` and
      sends its own 500 instead of the handler's; tested). A second call
      must be ``start_response(status, headers, sys.exc_info())``.
    - Timing or logging a response by when ``app()`` returns (``logged``):
      for a lazy body that is *before* the body is produced, so a streaming
      response looks instant. Wrap the returned iterable and stop the clock
      in its ``close()``, which the server calls once the body is done
      (``finished``; both traces are tested).
    - Forgetting ``close()``: PEP 3333 says the server calls the body's
      ``close()``; a middleware that consumes the body must call it itself,
      and one that wraps the body must pass ``close()`` on.

Key takeaways:
    - ``compose(app, a, b)`` is ``a(b(app))``: a request goes a, b, app and
      the app's return value comes back through b, then a (the onion; logged
      in the tests). With a lazy body that return happens before the body
      is produced; ``close()`` comes back in the same order after it.
    - ``auth`` answers 401 with ``WWW-Authenticate`` and never calls the app;
      it compares with ``hmac.compare_digest`` (no timing side channel) and
      takes the scheme name case-insensitively (RFC 7235 section 2.1).
    - ``errors`` calls the body's ``close()`` after consuming it, also when
      iterating the body raised.
    - ``errors`` turns any ``Exception`` from the call *or* the body into a
      plain 500, so no traceback reaches the client; ``KeyboardInterrupt``
      and other ``BaseException`` pass through. Data an app sends through
      the legacy ``write()`` callable is kept, ahead of the body.
    - A WSGI app is just ``app(environ, start_response) -> Iterable[bytes]``;
      the stack works over a real socket with ``wsgiref`` (tested on
      127.0.0.1 port 0) and directly as a function (the other tests).
      ``wsgiref.types`` (the typing protocols used here) exists since 3.11.

What to look for in an answer:
    The onion model, short-circuiting, where the error handler and logging
    sit (logging outermost, the error handler just inside it, so the log
    records the 500 the handler produced), and middleware as higher-order
    functions. Follow-ups:
    - Where does request-id or timing middleware go? (Outermost, so the id
      is set and the clock runs for every inner layer, errors included.)
    - Write a timing/access-log middleware. (Capture the status through a
      wrapped ``start_response``; wrap the returned iterable and stop the
      clock in its ``close()`` or when iteration ends. Timing the ``app()``
      call alone misses every streaming body.)
    - What is ``exc_info`` in ``start_response`` for? (An error handler may
      replace the status only while headers are unsent, and must pass
      ``exc_info`` to do so; if headers were already sent the server
      re-raises it and aborts the connection. A second call without it is
      an error.)
    - How do you compare the token? (``hmac.compare_digest``, not ``!=``,
      which can return at the first differing byte. Some servers, mod_wsgi
      by default, do not pass ``Authorization`` to the app at all.)
    - CORS and auth, which is outer? (CORS: a preflight ``OPTIONS`` carries
      no credentials and must not get a 401.)
    - Per-request state in a middleware? (Never on ``self`` or in the
      closure: the wrapped app is shared by every thread; use ``environ``
      or locals.)
    - A gzip or other body-transforming middleware? (Drop or fix
      ``Content-Length``, and pass the inner body's ``close()`` on.)
    - Why not catch ``BaseException``? (``KeyboardInterrupt`` and
      ``SystemExit`` must stop the server, not become a 500.)
    - How do you stream and still handle errors? (You cannot change the
      status once headers are sent: log, and abort the connection.)
    - ASGI? (The same idea with ``async def app(scope, receive, send)``;
      middleware wraps ``send`` instead of ``start_response``.)

Complexity:
    Each layer adds one call per request; ``errors`` buffers the body, O(body).
"""

from __future__ import annotations

import hmac
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = [
    "Middleware",
    "auth",
    "close_body",
    "compose",
    "compose_naive",
    "errors",
    "errors_naive",
    "finished",
    "logged",
]

Middleware = Callable[[WSGIApplication], WSGIApplication]


def compose(app: WSGIApplication, *middlewares: Middleware) -> WSGIApplication:
    """Wrap ``app`` so the first middleware listed is the outermost.

    >>> trace: list[str] = []
    >>> stack = compose(lambda e, s: [], logged("a", trace), logged("b", trace))
    >>> list(stack({}, lambda status, headers, exc_info=None: lambda data: None)), trace
    ([], ['a in', 'b in', 'b out', 'a out'])
    """
    for middleware in reversed(middlewares):  # break[naive-order]
        app = middleware(app)
    return app


def compose_naive(app: WSGIApplication, *middlewares: Middleware) -> WSGIApplication:
    """The pitfall: wrapping in list order makes the last middleware the outermost."""
    for middleware in middlewares:
        app = middleware(app)
    return app


def logged(name: str, trace: list[str]) -> Middleware:
    """A middleware that records when the request enters and when the app *returns*.

    The return is the body iterable, not the body: for a generator, "out" is
    recorded before any of it is produced (see ``finished``).
    """

    def middleware(app: WSGIApplication) -> WSGIApplication:
        def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            trace.append(f"{name} in")
            result = app(environ, start_response)
            trace.append(f"{name} out")
            return result

        return wrapped

    return middleware


def close_body(body: Iterable[bytes]) -> None:
    """Call the body's ``close()`` if it has one (PEP 3333: whoever ends the response must)."""
    close = getattr(body, "close", None)
    if close is not None:
        close()


class _Finished:
    """Wrap a body: iterate it unchanged, record ``"<name> done"`` once it is closed."""

    def __init__(self, body: Iterable[bytes], name: str, trace: list[str]) -> None:
        self._body, self._name, self._trace = body, name, trace

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._body)

    def close(self) -> None:
        try:
            close_body(self._body)
        finally:
            self._trace.append(f"{self._name} done")


def finished(name: str, trace: list[str]) -> Middleware:
    """A middleware that records when the response is really over: at the body's ``close()``.

    This is where a timing or access-log middleware stops its clock.
    """

    def middleware(app: WSGIApplication) -> WSGIApplication:
        def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            return _Finished(app(environ, start_response), name, trace)

        return wrapped

    return middleware


def _bearer_matches(header: str, token: str) -> bool:
    scheme, _, credentials = header.partition(" ")
    # The scheme name is case-insensitive (RFC 7235 2.1); the token is compared
    # in constant time so its prefix cannot be guessed byte by byte.
    return scheme.lower() == "bearer" and hmac.compare_digest(credentials.encode(), token.encode())


def auth(token: str) -> Middleware:
    """Answer 401 unless ``Authorization: Bearer <token>``; the app is not called then."""

    def middleware(app: WSGIApplication) -> WSGIApplication:
        def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            header = environ.get("HTTP_AUTHORIZATION", "")
            if not _bearer_matches(header, token):  # break[check-after-call]
                start_response(
                    "401 Unauthorized",
                    [("Content-Type", "text/plain"), ("WWW-Authenticate", "Bearer")],
                )
                return [b"unauthorized\n"]
            return app(environ, start_response)

        return wrapped

    return middleware


def errors_naive(app: WSGIApplication) -> WSGIApplication:
    """The pitfall: catches errors from the call only, not from iterating the body.

    It also calls ``start_response`` a second time without ``exc_info`` when the
    app had already started a response before raising.
    """

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            return app(environ, start_response)
        except Exception:
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [b"internal error\n"]

    return wrapped


def errors(app: WSGIApplication) -> WSGIApplication:
    """Turn any ``Exception`` raised by the call or while iterating the body into a 500."""

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        captured: list[tuple[str, list[tuple[str, str]]]] = []
        written: list[bytes] = []

        def hold(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            # Hold the status back: it is sent only once the body is complete.
            captured[:] = [(status, headers)]  # break[no-hold]
            return written.append  # legacy write(): buffered, it goes out before the body

        try:
            result = app(environ, hold)
            try:
                body = b"".join(written) + b"".join(result)
            finally:
                close_body(result)
        except Exception:
            # exc_info: the PEP 3333 form for an error response. Here this is the
            # first call that reaches the server, so it is accepted either way.
            start_response(
                "500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info()
            )
            return [b"internal error\n"]
        status, headers = captured[0]
        start_response(status, headers)
        return [body]

    return wrapped
