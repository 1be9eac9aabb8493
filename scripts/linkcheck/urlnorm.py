"""URL normalisation: turn what people typed into data/ into an ASCII URL.

Links in the data come in every spelling: IDN hosts (школа50.рф), raw
Cyrillic or spaces in paths, already percent-encoded paths, or a mix. HTTP
needs ASCII, so the host goes through IDNA and every other non-ASCII or
unsafe character is percent-encoded as UTF-8. Existing ``%XX`` escapes are
kept as they are, otherwise an encoded link would be encoded twice and
point somewhere else.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import idna
import tldextract

from . import messages


class InvalidUrlError(ValueError):
    """The text cannot be turned into an http(s) URL; the message is Russian, ``kind`` is a key of
    messages.INVALID_KINDS (what is stored: the message may quote the text)."""

    def __init__(self, message: str, kind: str = "malformed") -> None:
        super().__init__(message)
        self.kind = kind


_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
_SUB_DELIMS = "!$&'()*+,;="
PATH_SAFE = frozenset(_UNRESERVED + _SUB_DELIMS + ":@/")
QUERY_SAFE = frozenset(_UNRESERVED + _SUB_DELIMS + ":@/?")
_HEX = frozenset("0123456789abcdefABCDEF")

# Paths that are a site's home page: a document link that ends here was
# almost always removed and the site sends visitors to the start page.
_HOME_PATHS = frozenset(
    {"", "/", "/index", "/index.php", "/index.html", "/index.htm", "/index.shtml",
     "/default.aspx", "/default.asp", "/main", "/home", "/index/"}
)
_DOMAINS = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
# Zero-width and no-break spaces sneak in when links are copied from Word.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00a0"


def quote_preserving(text: str, safe: frozenset[str]) -> str:
    """Percent-encode ``text`` except ``safe`` characters and valid ``%XX`` escapes."""
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "%" and i + 2 < n and text[i + 1] in _HEX and text[i + 2] in _HEX:
            out.append(text[i : i + 3])
            i += 3
            continue
        if ch in safe:
            out.append(ch)
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
        i += 1
    return "".join(out)


def encode_host(host: str) -> str:
    """Lower-case ASCII form of a host name (IDNA for Cyrillic domains)."""
    host = host.strip().rstrip(".")
    if not host:
        raise InvalidUrlError(messages.INVALID_URL_NO_HOST, "no_host")
    if host.startswith("[") and host.endswith("]"):
        return host.lower()
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    if host.isascii():
        return host.lower()
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        try:
            # IDNA 2003 is more forgiving (e.g. symbols); browsers accept it too.
            return host.encode("idna").decode("ascii").lower()
        except UnicodeError as exc:
            raise InvalidUrlError(messages.invalid_host(host), "bad_host") from exc


def normalize_url(raw: str) -> str:
    """Return an ASCII http(s) URL for ``raw`` or raise :class:`InvalidUrlError`."""
    text = raw.strip().strip(_INVISIBLE).strip()
    if not text:
        raise InvalidUrlError(messages.INVALID_URL_EMPTY, "empty")
    if text.startswith("//"):
        text = "http:" + text
    elif "://" not in text:
        scheme = text.split(":", 1)[0].lower() if ":" in text else ""
        if scheme in {"mailto", "tel", "javascript", "ftp", "file", "data"}:
            raise InvalidUrlError(messages.invalid_scheme(scheme), "bad_scheme")
        # "www.school.ru/doc" without a scheme: browsers open it over http.
        text = "http://" + text
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise InvalidUrlError(messages.invalid_url(raw)) from exc
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise InvalidUrlError(messages.invalid_scheme(scheme), "bad_scheme")
    netloc = parts.netloc
    userinfo = ""
    if "@" in netloc:
        userinfo, netloc = netloc.rsplit("@", 1)
        userinfo = quote_preserving(userinfo, frozenset(_UNRESERVED + _SUB_DELIMS + ":")) + "@"
    host, port = _split_port(netloc, raw)
    host = encode_host(host)
    if port is not None:
        netloc = f"{host}:{port}"
    else:
        netloc = host
    path = quote_preserving(parts.path, PATH_SAFE) or "/"
    query = quote_preserving(parts.query, QUERY_SAFE)
    fragment = quote_preserving(parts.fragment, QUERY_SAFE)
    return urlunsplit((scheme, userinfo + netloc, path, query, fragment))


def _split_port(netloc: str, raw: str) -> tuple[str, int | None]:
    if netloc.startswith("["):
        end = netloc.find("]")
        if end < 0:
            raise InvalidUrlError(messages.invalid_url(raw))
        host, rest = netloc[: end + 1], netloc[end + 1 :]
        port_text = rest[1:] if rest.startswith(":") else ""
    elif ":" in netloc:
        host, port_text = netloc.rsplit(":", 1)
    else:
        host, port_text = netloc, ""
    if not port_text:
        return host, None
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise InvalidUrlError(messages.invalid_url(raw))
    return host, int(port_text)


def split_fragment(url: str) -> tuple[str, str]:
    """Split a normalised URL into the part sent to the server and the fragment."""
    base, _, fragment = url.partition("#")
    return base, fragment


def resolve_redirect(base: str, location: str) -> str:
    """Absolute normalised URL of a ``Location`` header relative to ``base``."""
    # http.client decodes headers as latin-1; servers send raw UTF-8 paths.
    try:
        location = location.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass
    return normalize_url(urljoin(base, location.strip()))


def host_of(url: str) -> str:
    """ASCII host name (no port) of a normalised URL."""
    return (urlsplit(url).hostname or "").lower()


def host_key(url: str) -> str:
    """Key that groups URLs served by one hosting for the per-host limit.

    Many schools live on subdomains of one hosting (*.ucoz.ru, *.edu-penza.ru), so the limit
    applies to the registrable domain (the public-suffix list bundled with tldextract, never
    downloaded); IP addresses and single-label names are used as they are. The port is ignored.
    """
    host = host_of(url)
    return _DOMAINS(host).top_domain_under_public_suffix or host


def is_home_path(path: str) -> bool:
    """True when ``path`` is a site's start page."""
    return unquote(path).lower().rstrip() in _HOME_PATHS


def path_of(url: str) -> str:
    return urlsplit(url).path


def display_host(host: str) -> str:
    """A host name as people read it (Cyrillic back from IDNA)."""
    try:
        return idna.decode(host) if "xn--" in host else host
    except (idna.IDNAError, UnicodeError):
        return host


def display_url(url: str) -> str:
    """Human-readable form of a normalised URL (Cyrillic host and path back)."""
    parts = urlsplit(url)
    host = display_host(parts.hostname or "")
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    path = unquote(parts.path, errors="strict") if _decodes(parts.path) else parts.path
    return urlunsplit((parts.scheme, netloc, path, parts.query, parts.fragment))


def _decodes(text: str) -> bool:
    try:
        unquote(text, errors="strict")
        return True
    except UnicodeDecodeError:
        return False

