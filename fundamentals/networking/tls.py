"""networking.tls: one TLS handshake on loopback, seen from both ends.

``client_context`` is how a client should verify a server: trust only the
given CA, require a certificate, check the hostname. ``insecure_context`` is
the pitfall beside it. ``handshake`` runs a real TCP connection on 127.0.0.1
through the TLS handshake, with the server in a thread, and returns what each
side saw: the negotiated version and cipher, the ALPN protocol, the SNI
name the server received (and the certificate it chose by that name), and,
for mutual TLS, the client certificate's names. ``capture_client_hello`` reads the client's first
record with a plain TCP server, to show what travels before any encryption.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from dataclasses import dataclass


@dataclass
class ServerView:
    """What the server side saw of one handshake."""

    sni: str | None = None
    sni_called: bool = False
    version: str | None = None
    alpn: str | None = None
    client_dns_names: tuple[str, ...] = ()
    error: BaseException | None = None


def _dns_names(cert: object) -> tuple[str, ...]:
    """The DNS entries of a ``getpeercert()`` dict's subjectAltName ({} or None: none)."""
    sans = cert.get("subjectAltName", ()) if isinstance(cert, dict) else ()
    return tuple(str(entry[1]) for entry in sans if isinstance(entry, tuple) and entry[0] == "DNS")


@dataclass(frozen=True)
class ClientView:
    """What the client side saw: version, cipher, ALPN, the peer certificate's DNS names."""

    version: str | None
    cipher: str
    alpn: str | None
    peer_dns_names: tuple[str, ...]


def client_context(
    ca_pem: str,
    *,
    alpn: list[str] | None = None,
    maximum: ssl.TLSVersion = ssl.TLSVersion.MAXIMUM_SUPPORTED,
) -> ssl.SSLContext:
    """A verifying client context that trusts only ``ca_pem`` (PEM text)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED and check_hostname by default
    ctx.check_hostname = True  # break[no-hostname-check]
    ctx.load_verify_locations(cadata=ca_pem)  # break[system-store-only]
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.maximum_version = maximum  # break[client-cap-ignored]
    if alpn:
        ctx.set_alpn_protocols(alpn)
    return ctx


def insecure_context() -> ssl.SSLContext:
    """The pitfall: encryption without authentication. Accepts any certificate for any name."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def server_context(
    cert_chain: str,
    key: str,
    *,
    alpn: list[str] | None = None,
    maximum: ssl.TLSVersion = ssl.TLSVersion.MAXIMUM_SUPPORTED,
) -> ssl.SSLContext:
    """A server context from PEM files; ``alpn`` in the server's order of preference."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert_chain, key)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.maximum_version = maximum  # break[server-cap-ignored]
    if alpn:
        ctx.set_alpn_protocols(alpn)
    return ctx


def handshake(
    server_ctx: ssl.SSLContext,
    client_ctx: ssl.SSLContext,
    server_hostname: str | None,
    *,
    view: ServerView | None = None,
    by_sni: dict[str, ssl.SSLContext] | None = None,
) -> tuple[ClientView, ServerView]:
    """Handshake over a real loopback TCP connection; return both sides' views.

    The client's failure (a certificate it rejects) is raised here; the
    server's matching failure is kept in ``ServerView.error`` of the ``view``
    the caller passed in. ``by_sni`` maps a requested name to the server
    context (certificate) to use; other names, or none, get ``server_ctx``.
    """
    view = view if view is not None else ServerView()

    def on_sni(
        sslobj: ssl.SSLObject | ssl.SSLSocket, name: str | None, ctx: ssl.SSLContext
    ) -> None:
        view.sni, view.sni_called = name, True
        if by_sni is not None and name in by_sni:
            sslobj.context = by_sni[name]  # break[ignore-sni]

    server_ctx.sni_callback = on_sni
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        def serve() -> None:
            conn, _ = listener.accept()
            try:
                with server_ctx.wrap_socket(conn, server_side=True) as tls:
                    view.version = tls.version()
                    view.alpn = tls.selected_alpn_protocol()
                    view.client_dns_names = _dns_names(tls.getpeercert())
                    # One byte of application data: reading it makes the client
                    # also read the TLS 1.3 session tickets sent after the
                    # handshake. Unread bytes at close would make the client's
                    # kernel send RST instead of FIN.
                    tls.sendall(b"!")
                    tls.recv(1)  # the client's close
            except (ssl.SSLError, OSError) as exc:
                view.error = exc
            finally:
                conn.close()

        thread = threading.Thread(target=serve)
        thread.start()
        try:
            hostname = server_hostname  # break[no-server-hostname]
            raw = socket.create_connection(("127.0.0.1", port))
            with raw, client_ctx.wrap_socket(raw, server_hostname=hostname) as tls:
                # getpeercert() is {} under CERT_NONE: nothing was validated.
                names = _dns_names(tls.getpeercert())
                if tls.recv(1) != b"!":
                    raise ConnectionError("server sent no application data")
                cipher = tls.cipher()
                client = ClientView(
                    tls.version(),
                    cipher[0] if cipher else "",
                    tls.selected_alpn_protocol(),
                    names,
                )
        finally:
            thread.join(5)
    return client, view


def capture_client_hello(client_ctx: ssl.SSLContext, server_hostname: str) -> bytes:
    """The raw bytes a TLS client sends first, read by a plain TCP server on loopback.

    The server reads the first TLS record (5-byte header, then its length)
    and closes, so the client's handshake fails; that failure is expected
    and swallowed here.
    """
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        record = bytearray()

        def read_record() -> None:
            conn, _ = listener.accept()
            with conn:
                while len(record) < 5 or len(record) < 5 + int.from_bytes(record[3:5], "big"):
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    record.extend(chunk)

        thread = threading.Thread(target=read_record)
        thread.start()
        try:
            with (
                socket.create_connection(("127.0.0.1", port)) as raw,
                contextlib.suppress(ssl.SSLError, OSError),
            ):
                client_ctx.wrap_socket(raw, server_hostname=server_hostname).close()
        finally:
            thread.join(5)
    return bytes(record)
