"""HTTPS certificate problems are warnings, each with its own reason."""

import datetime as dt
import ipaddress
import ssl

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from linkcheck.tls import describe
from linkcheck_servers import html, send

NOW = dt.datetime.now(dt.timezone.utc)


def server_context(chain_pem: bytes, key_pem: bytes, tmp_path) -> ssl.SSLContext:
    chain, key = tmp_path / "chain.pem", tmp_path / "key.pem"
    chain.write_bytes(chain_pem)
    key.write_bytes(key_pem)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(chain, key)
    return ctx


def leaf_context(leaf: trustme.LeafCert, tmp_path, extra: bytes = b"") -> ssl.SSLContext:
    chain = b"".join(blob.bytes() for blob in leaf.cert_chain_pems) + extra
    return server_context(chain, leaf.private_key_pem.bytes(), tmp_path)


@pytest.fixture
def ca():
    return trustme.CA()


@pytest.fixture
def ca_file(ca, tmp_path):
    path = tmp_path / "extra-roots.pem"
    path.write_bytes(ca.cert_pem.bytes())
    return path


def start(make_server, ctx):
    srv = make_server(tls=ctx)
    srv.route("/doc")(lambda h: send(h, 200, html("Документ")))
    return srv


def test_private_root_sent_in_chain_is_untrusted_root(make_server, ca, tmp_path, check):
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    srv = start(make_server, leaf_context(leaf, tmp_path, extra=ca.cert_pem.bytes()))
    r = check(srv.url("/doc"))
    assert (r.verdict, r.reason_code) == ("warning", "tls_untrusted_root")
    assert "списке доверенных" in r.reason
    # The page itself opens when the certificate is not checked.
    assert r.http_status == 200 and "ссылка работает" in r.reason


def test_private_root_is_ok_with_ca_bundle(make_server, ca, ca_file, tmp_path, check):
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    srv = start(make_server, leaf_context(leaf, tmp_path))
    r = check(srv.url("/doc"), ca_bundle=ca_file)
    assert (r.verdict, r.reason_code) == ("ok", "ok")


def test_leaf_only_private_root_is_unknown_issuer(make_server, ca, tmp_path, check):
    leaf = ca.issue_cert("127.0.0.1")
    srv = start(make_server, leaf_context(leaf, tmp_path))
    r = check(srv.url("/doc"))
    assert (r.verdict, r.reason_code) == ("warning", "tls_unknown_issuer")


def test_russian_trusted_root_is_named(make_server, tmp_path, check):
    mintsifry = trustme.CA(organization_name="Russian Trusted Root CA")
    leaf = mintsifry.issue_cert("127.0.0.1")
    srv = start(make_server, leaf_context(leaf, tmp_path))
    r = check(srv.url("/doc"))
    assert (r.verdict, r.reason_code) == ("warning", "tls_untrusted_root")
    assert "Минцифры" in r.reason


def test_incomplete_chain(make_server, ca, ca_file, tmp_path, check):
    intermediate = ca.create_child_ca()
    leaf = intermediate.issue_cert("127.0.0.1")
    only_leaf = leaf.cert_chain_pems[0].bytes()
    srv = start(make_server, server_context(only_leaf, leaf.private_key_pem.bytes(), tmp_path))
    r = check(srv.url("/doc"), ca_bundle=ca_file)
    assert (r.verdict, r.reason_code) == ("warning", "tls_unknown_issuer")
    assert "промежуточный" in r.reason
    # …and with the intermediate sent, the same root makes it fine.
    srv2 = start(make_server, leaf_context(leaf, tmp_path))
    assert check(srv2.url("/doc"), ca_bundle=ca_file).verdict == "ok"


def test_expired_and_wrong_host_are_told_apart(make_server, ca, ca_file, tmp_path, check):
    expired = ca.issue_cert("127.0.0.1", not_before=NOW - dt.timedelta(days=400),
                            not_after=NOW - dt.timedelta(days=1))
    wrong = ca.issue_cert("school.example")
    srv_expired = start(make_server, leaf_context(expired, tmp_path))
    srv_wrong = start(make_server, leaf_context(wrong, tmp_path))
    r1 = check(srv_expired.url("/doc"), ca_bundle=ca_file)
    r2 = check(srv_wrong.url("/doc"), ca_bundle=ca_file)
    assert (r1.verdict, r1.reason_code) == ("warning", "tls_expired")
    assert (r2.verdict, r2.reason_code) == ("warning", "tls_wrong_host")
    assert "истёк" in r1.reason and "другого адреса" in r2.reason


def test_self_signed(make_server, tmp_path, check):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    ctx = server_context(
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption()),
        tmp_path,
    )
    srv = start(make_server, ctx)
    r = check(srv.url("/doc"))
    assert (r.verdict, r.reason_code) == ("warning", "tls_self_signed")


def test_bad_certificate_and_missing_page_is_broken(make_server, ca, tmp_path, check):
    leaf = ca.issue_cert("127.0.0.1")
    srv = make_server(tls=leaf_context(leaf, tmp_path, extra=ca.cert_pem.bytes()))
    r = check(srv.url("/missing"))
    assert (r.verdict, r.reason_code, r.http_status) == ("broken", "not_found", 404)
    assert "сертификат" in r.reason


def test_describe_unknown_code_keeps_openssl_detail():
    problem = describe(99)
    assert problem.code == "tls_invalid" and "код проверки 99" in problem.reason
