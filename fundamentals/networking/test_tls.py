"""networking.tls: real handshakes on loopback against a throwaway CA made by trustme."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from pathlib import Path

import pytest
import trustme

from fundamentals.networking.tls import (
    ServerView,
    capture_client_hello,
    client_context,
    handshake,
    insecure_context,
    server_context,
)

HOST = "api.example.test"
ServerFactory = Callable[..., ssl.SSLContext]


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_pem(ca: trustme.CA) -> str:
    return ca.cert_pem.bytes().decode()


@pytest.fixture(scope="module")
def make_server(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> ServerFactory:
    pem = tmp_path_factory.mktemp("tls") / "server.pem"
    ca.issue_cert(HOST, "127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(pem))

    def make(**kwargs: object) -> ssl.SSLContext:
        return server_context(str(pem), str(pem), **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="module")
def pem_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tls-extra")


def test_verified_handshake_negotiates_tls13_and_sends_sni(
    make_server: ServerFactory, ca_pem: str
) -> None:
    client, server = handshake(make_server(), client_context(ca_pem), HOST)
    assert client.version == server.version == "TLSv1.3"
    assert client.cipher.startswith("TLS_")  # TLS 1.3 suites name no key exchange or signature
    assert client.peer_dns_names == (HOST,)
    assert server.sni == HOST
    assert server.error is None


def test_capping_the_client_at_tls12_negotiates_tls12(
    make_server: ServerFactory, ca_pem: str
) -> None:
    client, server = handshake(
        make_server(), client_context(ca_pem, maximum=ssl.TLSVersion.TLSv1_2), HOST
    )
    assert client.version == server.version == "TLSv1.2"
    assert client.cipher.startswith("ECDHE-")  # a 1.2 suite names its key exchange


def test_versions_with_no_overlap_fail_the_handshake(
    make_server: ServerFactory, ca_pem: str
) -> None:
    tls12_only = make_server(maximum=ssl.TLSVersion.TLSv1_2)
    tls13_only = client_context(ca_pem)
    tls13_only.minimum_version = ssl.TLSVersion.TLSv1_3
    server = ServerView()
    with pytest.raises(ssl.SSLError) as info:
        handshake(tls12_only, tls13_only, HOST, view=server)
    # A version alert, not a certificate problem (observed with OpenSSL 3.0).
    assert not isinstance(info.value, ssl.SSLCertVerificationError)
    assert info.value.reason == "TLSV1_ALERT_PROTOCOL_VERSION"
    assert isinstance(server.error, ssl.SSLError)
    assert server.version is None  # the server never completed a handshake
    # The other direction: a client pinned to 1.2 against a 1.3-only server.
    tls13_server = make_server()
    tls13_server.minimum_version = ssl.TLSVersion.TLSv1_3
    with pytest.raises(ssl.SSLError) as info:
        handshake(tls13_server, client_context(ca_pem, maximum=ssl.TLSVersion.TLSv1_2), HOST)
    assert not isinstance(info.value, ssl.SSLCertVerificationError)
    assert info.value.reason == "TLSV1_ALERT_PROTOCOL_VERSION"


def test_wrong_hostname_fails_verification(make_server: ServerFactory, ca_pem: str) -> None:
    with pytest.raises(ssl.SSLCertVerificationError) as info:
        handshake(make_server(), client_context(ca_pem), "evil.example.test")
    assert "Hostname mismatch" in info.value.verify_message


def test_certificate_from_an_untrusted_ca_fails_verification(make_server: ServerFactory) -> None:
    other_ca = trustme.CA().cert_pem.bytes().decode()
    with pytest.raises(ssl.SSLCertVerificationError) as info:
        handshake(make_server(), client_context(other_ca), HOST)
    assert info.value.verify_message == "unable to get local issuer certificate"


def test_a_server_that_omits_the_intermediate_fails_verification(
    ca: trustme.CA, ca_pem: str, pem_dir: Path
) -> None:
    leaf = ca.create_child_ca().issue_cert(HOST)  # root -> intermediate -> leaf
    leaf_only, full_chain = pem_dir / "leaf-only.pem", pem_dir / "full-chain.pem"
    leaf_only.write_bytes(leaf.private_key_pem.bytes() + leaf.cert_chain_pems[0].bytes())
    leaf.private_key_and_cert_chain_pem.write_to_path(str(full_chain))
    with pytest.raises(ssl.SSLCertVerificationError) as info:
        handshake(server_context(str(leaf_only), str(leaf_only)), client_context(ca_pem), HOST)
    assert info.value.verify_message == "unable to get local issuer certificate"
    client, _ = handshake(
        server_context(str(full_chain), str(full_chain)), client_context(ca_pem), HOST
    )
    assert client.version == "TLSv1.3"


def test_sni_selects_the_certificate_before_the_server_sends_one(
    ca: trustme.CA, ca_pem: str, pem_dir: Path
) -> None:
    contexts = {}
    for name in ("a.example.test", "b.example.test"):
        pem = pem_dir / f"{name}.pem"
        ca.issue_cert(name).private_key_and_cert_chain_pem.write_to_path(str(pem))
        contexts[name] = server_context(str(pem), str(pem))
    default = contexts["a.example.test"]
    for name in ("a.example.test", "b.example.test"):
        client, server = handshake(default, client_context(ca_pem), name, by_sni=contexts)
        assert (server.sni, client.peer_dns_names) == (name, (name,))
    # No SNI (an IP address, name check off): the server falls back to its default.
    no_name_check = client_context(ca_pem)
    no_name_check.check_hostname = False
    client, server = handshake(default, no_name_check, "127.0.0.1", by_sni=contexts)
    assert (server.sni, client.peer_dns_names) == (None, ("a.example.test",))


def test_mutual_tls_needs_a_client_certificate(
    ca: trustme.CA, ca_pem: str, make_server: ServerFactory, pem_dir: Path
) -> None:
    def mtls_server() -> ssl.SSLContext:
        ctx = make_server()
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(cadata=ca_pem)
        return ctx

    # TLS 1.3: the client finishes first; the server's alert arrives at its first read.
    with pytest.raises(ssl.SSLError) as info:
        handshake(mtls_server(), client_context(ca_pem), HOST)
    assert info.value.reason == "TLSV13_ALERT_CERTIFICATE_REQUIRED"
    pem = pem_dir / "client.pem"
    ca.issue_cert("billing.svc.test").private_key_and_cert_chain_pem.write_to_path(str(pem))
    with_cert = client_context(ca_pem)
    with_cert.load_cert_chain(str(pem))
    _client, server = handshake(mtls_server(), with_cert, HOST)
    assert server.client_dns_names == ("billing.svc.test",)


def test_pitfall_an_unverified_context_accepts_any_name_from_any_ca(
    make_server: ServerFactory,
) -> None:
    client, _server = handshake(make_server(), insecure_context(), "evil.example.test")
    assert client.version == "TLSv1.3"  # encrypted all the same...
    assert client.peer_dns_names == ()  # ...with a certificate nobody checked


def test_alpn_picks_the_servers_preference_among_the_clients_offers(
    make_server: ServerFactory, ca_pem: str
) -> None:
    client, server = handshake(
        make_server(alpn=["h2", "http/1.1"]), client_context(ca_pem, alpn=["http/1.1", "h2"]), HOST
    )
    assert client.alpn == server.alpn == "h2"


def test_alpn_without_overlap_negotiates_nothing_here(
    make_server: ServerFactory, ca_pem: str
) -> None:
    client, server = handshake(
        make_server(alpn=["h2"]), client_context(ca_pem, alpn=["http/1.1"]), HOST
    )
    assert client.alpn is None
    assert server.alpn is None


def test_no_sni_is_sent_for_an_ip_address(make_server: ServerFactory, ca_pem: str) -> None:
    client, server = handshake(make_server(), client_context(ca_pem), "127.0.0.1")
    assert server.sni_called  # the server's SNI callback ran...
    assert server.sni is None  # ...with no name: RFC 6066 allows no literal IP in SNI
    assert client.version == "TLSv1.3"  # verified against the certificate's IP SAN


def test_check_hostname_needs_a_server_hostname(make_server: ServerFactory, ca_pem: str) -> None:
    with pytest.raises(ValueError, match="server_hostname"):
        handshake(make_server(), client_context(ca_pem), None)


def test_sni_and_alpn_travel_in_clear_text_in_the_client_hello(ca_pem: str) -> None:
    hello = capture_client_hello(client_context(ca_pem, alpn=["h2", "http/1.1"]), HOST)
    # TLS record: type 22 (handshake), then a handshake message of type 1 (ClientHello).
    assert hello[0] == 0x16
    assert hello[5] == 0x01
    assert len(hello) == 5 + int.from_bytes(hello[3:5], "big")
    # Nothing is encrypted yet: an on-path observer reads the name and the protocols.
    assert HOST.encode() in hello
    assert b"\x02h2\x08http/1.1" in hello  # ALPN: length-prefixed names (RFC 7301)
