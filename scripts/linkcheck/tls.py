"""HTTPS certificates: extra trusted roots and telling problems apart.

Many Russian public-sector sites use certificates of the Минцифры root
(Russian Trusted Root CA), which is not in the public (Mozilla/certifi)
store; others have expired certificates, certificates for another name,
self-signed ones or an incomplete chain. Browsers show a warning in each
case, but a coordinator needs to know which, so the OpenSSL verify code is
translated into a reason.
"""

from __future__ import annotations

import os
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

import certifi

from . import messages
from .netguard import is_public

# OpenSSL X509_V_ERR_* codes (see `man openssl-verify`).
_UNABLE_TO_GET_ISSUER_CERT = 2
_CERT_NOT_YET_VALID = 9
_CERT_HAS_EXPIRED = 10
_DEPTH_ZERO_SELF_SIGNED = 18
_SELF_SIGNED_IN_CHAIN = 19
_UNABLE_TO_GET_ISSUER_LOCALLY = 20
_UNABLE_TO_VERIFY_LEAF_SIGNATURE = 21
_CERT_REVOKED = 23
_HOSTNAME_MISMATCH = 62
_EMAIL_MISMATCH = 63
_IP_ADDRESS_MISMATCH = 64

# Codes whose reason depends on who issued the certificate.
ISSUER_DEPENDENT = frozenset(
    {_UNABLE_TO_GET_ISSUER_CERT, _SELF_SIGNED_IN_CHAIN, _UNABLE_TO_GET_ISSUER_LOCALLY,
     _UNABLE_TO_VERIFY_LEAF_SIGNATURE}
)
# Names in the issuer of certificates from the Минцифры hierarchy.
_RUSSIAN_ROOT_MARKERS = (b"Russian Trusted", b"Ministry of Digital Development")


@dataclass(frozen=True)
class CertProblem:
    code: str  # reason_code, e.g. "tls_expired"
    verify_code: int | None
    russian_root: bool = False

    @property
    def params(self) -> dict:
        """Parameters of the reason (no text from the certificate or OpenSSL is kept)."""
        params: dict = {"russian_root": True} if self.russian_root else {}
        if self.code == "tls_invalid" and self.verify_code is not None:
            params["verify_code"] = self.verify_code
        return params

    @property
    def reason(self) -> str:
        return messages.reason_text(self.code, self.params)


def find_cause(exc: BaseException, kind: type) -> BaseException | None:
    """Search the wrapped causes of an aiohttp exception for ``kind``."""
    seen: set[int] = set()
    stack: list[object] = [exc]
    while stack:
        cur = stack.pop()
        if not isinstance(cur, BaseException) or id(cur) in seen:
            continue
        seen.add(id(cur))
        if isinstance(cur, kind):
            return cur
        stack.extend(cur.args)
        stack.extend((getattr(cur, "reason", None), cur.__cause__, cur.__context__))
    return None


def classify(exc: BaseException, leaf_der: bytes | None = None) -> CertProblem | None:
    """Describe a certificate verification failure, or None if ``exc`` is not one."""
    # aiohttp's wrapper is itself an SSLCertVerificationError, without the code: take what it wraps.
    err = find_cause(getattr(exc, "certificate_error", exc), ssl.SSLCertVerificationError)
    if err is None:
        return None
    return describe(getattr(err, "verify_code", None), leaf_der)


def describe(code: int | None, leaf_der: bytes | None = None) -> CertProblem:
    russian_root = bool(leaf_der) and any(m in leaf_der for m in _RUSSIAN_ROOT_MARKERS)
    if code == _CERT_HAS_EXPIRED:
        return CertProblem("tls_expired", code)
    if code == _CERT_NOT_YET_VALID:
        return CertProblem("tls_not_yet_valid", code)
    if code in (_HOSTNAME_MISMATCH, _EMAIL_MISMATCH, _IP_ADDRESS_MISMATCH):
        return CertProblem("tls_wrong_host", code)
    if code == _DEPTH_ZERO_SELF_SIGNED:
        return CertProblem("tls_self_signed", code)
    if code == _CERT_REVOKED:
        return CertProblem("tls_revoked", code)
    if russian_root and code in ISSUER_DEPENDENT:
        return CertProblem("tls_untrusted_root", code, russian_root=True)
    if code == _SELF_SIGNED_IN_CHAIN:
        # The server sent the whole chain and its root is not trusted.
        return CertProblem("tls_untrusted_root", code)
    if code == _UNABLE_TO_GET_ISSUER_LOCALLY:
        # Either an intermediate is missing or the root is private: without
        # the issuer certificate the two look the same.
        return CertProblem("tls_unknown_issuer", code)
    if code in (_UNABLE_TO_GET_ISSUER_CERT, _UNABLE_TO_VERIFY_LEAF_SIGNATURE):
        return CertProblem("tls_incomplete_chain", code)
    return CertProblem("tls_invalid", code)


def peer_certificate(host: str, port: int, timeout: float, allow_private: bool = False) -> bytes | None:
    """DER of the server's own certificate, fetched without verification."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=max(0.1, timeout)) as sock:
            if not allow_private and not is_public(sock.getpeername()[0]):
                return None
            with ctx.wrap_socket(sock, server_hostname=host) as tls:
                return tls.getpeercert(binary_form=True)
    except (OSError, ValueError):
        return None


def public_roots() -> str:
    """The store of public roots: certifi's, or the one named the way
    requests and curl expect (REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, SSL_CERT_FILE)."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        path = os.environ.get(name)
        if path and os.path.isfile(path):
            return path
    return certifi.where()


def context(extra: Path | None) -> ssl.SSLContext:
    """Verification as browsers do it, trusting the public roots plus the PEM file ``extra``."""
    ctx = ssl.create_default_context(cafile=public_roots())
    if extra is not None:
        pem = Path(extra).read_bytes()
        if b"-----BEGIN CERTIFICATE-----" not in pem:
            raise ValueError(f"в файле {extra} нет сертификатов в формате PEM")
        ctx.load_verify_locations(cadata=pem.decode("ascii", "replace"))
    return ctx
