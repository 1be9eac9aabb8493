"""What the first bytes of a response say: pure functions, no network.

Used to tell a real page from an error page that answers 200 («soft 404»),
a bot-protection wall from a real refusal, a PDF from an HTML page, and to
find a ``#fragment`` target.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

PDF_PEEK_BYTES = 1024
# A page that forwards the reader by itself says so near its start (meta refresh, a short script).
CLIENT_REDIRECT_BYTES = 64 * 1024
SNIFF_BYTES = 1024

_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
_HEADINGS = re.compile(r"<h([12])[^>]*>(.*?)</h\1\s*>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")
_SCRIPTS = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
_SPACES = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_HEAD_END = re.compile(rb"</head\s*>|<body[\s>]", re.I)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# A page that sends the reader elsewhere by itself: <meta http-equiv="refresh"> or a one-line script.
_META_REFRESH = re.compile(
    r"""<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*content\s*=\s*["']\s*\d*\s*[;,]\s*url\s*=\s*['"]?([^"'>\s]+)""",
    re.I)
_SCRIPT_REDIRECT = re.compile(
    r"""(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*=\s*["']([^"']+)["']|"""
    r"""location\.(?:replace|assign)\(\s*["']([^"']+)["']\s*\)""", re.I)
# A login form: what a parent meets instead of the document.
_PASSWORD_INPUT = re.compile(r"""<input[^>]+type\s*=\s*["']?password""", re.I)
_LOGIN_HEADLINE = re.compile(r"^\s*(?:вход|войти|авторизация|вход\s+в\s+систему|вход\s+на\s+сайт|"
                             r"log\s*in|sign\s*in|login|authorization)\b", re.I)

# Short texts (title, main heading) that mean "there is no such page". A bare «404» counts only as
# the whole headline or next to «error»/«not found» words: «Приказ № 404 от 31.08.2023» is a document.
_NOT_FOUND_HEADLINE = re.compile(
    r"^\W*404\W*$|^\s*404\s*[-–—:|.]|(?:ошибка|error|код)\s*:?\s*404\b|\b404\s*[-–—:|.]?\s*(?:not|страниц|ошибк|error)|"
    r"not\s+found|не\s+найден|не\s+существует|"
    r"страница\s+удалена|нет\s+такой\s+страницы|ничего\s+не\s+найдено",
    re.I,
)
# Phrases that mean the same anywhere in the visible text of a page.
_NOT_FOUND_PHRASES = re.compile(
    r"страница\s+не\s+найдена|запрашиваемая\s+страница\s+не\s+(?:найдена|существует)|"
    r"документ\s+не\s+найден|файл\s+не\s+найден|материал\s+не\s+найден|"
    r"такой\s+страницы\s+(?:нет|не\s+существует)|страница\s+(?:была\s+)?удалена|"
    r"page\s+not\s+found|the\s+requested\s+url\s+was\s+not\s+found|"
    r"ошибка\s+404|error\s+404|404\s+not\s+found",
    re.I,
)
# A redirect that lands on a page whose address says "error".
_ERROR_PAGE_PATH = re.compile(r"(?:^|[/_.\-])(?:404|not[-_]?found|error)(?:[/_.\-]|$)", re.I)

_CHALLENGE_TITLES = (
    ("just a moment", "Cloudflare"),
    ("attention required! | cloudflare", "Cloudflare"),
    ("ddos-guard", "DDoS-Guard"),
    ("ddos protection", "защита от DDoS"),
    ("checking your browser", "проверка браузера"),
    ("проверка браузера", "проверка браузера"),
    ("один момент", "проверка браузера"),
)
_CHALLENGE_MARKERS = (
    ("cf-chl", "Cloudflare"),
    ("challenge-platform", "Cloudflare"),
    ("ddos-guard", "DDoS-Guard"),
    ("__qrator", "Qrator"),
    ("qrator", "Qrator"),
    ("stormwall", "StormWall"),
    ("variti", "Variti"),
    ("servicepipe", "ServicePipe"),
    ("smartcaptcha", "Яндекс SmartCaptcha"),
)


def extension(url: str) -> str:
    path = unquote(urlsplit(url).path).lower()
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1] if "." in name else ""


def media_type(headers: Mapping[str, str]) -> str:
    return headers.get("content-type", "").split(";", 1)[0].strip().lower()


def is_html_type(ctype: str) -> bool:
    return ctype in {"text/html", "application/xhtml+xml"}


def looks_like_html(head: bytes) -> bool:
    start = head[:SNIFF_BYTES].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in start


def expects_pdf(url: str, ctype: str) -> bool:
    return extension(url) == "pdf" or ctype == "application/pdf"


def looks_like_pdf(head: bytes) -> bool:
    # The PDF header may follow a little junk; readers accept it in the first KB.
    return b"%PDF-" in head[:PDF_PEEK_BYTES]


def body_limit(status: int, ctype: str, pdf_expected: bool, html_peek: int, error_peek: int) -> int:
    """How many body bytes the verdict rules need from this response."""
    if 200 <= status < 300:
        if is_html_type(ctype):
            return html_peek
        if pdf_expected:
            return PDF_PEEK_BYTES
        return SNIFF_BYTES if not ctype else 0
    # Error pages are read a little to recognise bot-protection walls.
    return error_peek if (is_html_type(ctype) or not ctype) else 0


def _charset_of(name: str) -> str | None:
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(body: bytes, headers: Mapping[str, str]) -> str:
    """The page's text, decoded as a browser would: the HTTP header, a byte-order mark, a <meta>
    anywhere in the head, and only then detection from the bytes themselves."""
    declared = []
    m = re.search(r"charset=[\"']?([\w\-]+)", headers.get("content-type", ""), re.I)
    if m:
        declared.append(m.group(1))
    for bom, name in _BOMS:
        if body.startswith(bom):
            declared.insert(0, name)
    head_end = _HEAD_END.search(body)
    m2 = _META_CHARSET.search(body[: head_end.start() if head_end else 64 * 1024])
    if m2:
        declared.append(m2.group(1).decode("ascii", "replace"))
    for name in declared:
        codec = _charset_of(name)
        if codec:
            try:
                return body.decode(codec)
            except UnicodeDecodeError:
                continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(body[: 256 * 1024]).best()
    return body.decode(best.encoding, "replace") if best else body.decode("cp1251", "replace")


def _clean(fragment: str) -> str:
    return _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", fragment))).strip()


def page_title(text: str) -> str:
    m = _TITLE.search(text)
    return _clean(m.group(1)) if m else ""


def visible_text(text: str) -> str:
    return _clean(_SCRIPTS.sub(" ", text))


def detect_soft_404(text: str) -> str | None:
    """The words of an HTML page that say "not found", or None."""
    title = page_title(text)
    if title and _NOT_FOUND_HEADLINE.search(title):
        return title[:120]
    for _, heading in _HEADINGS.findall(text):
        heading = _clean(heading)
        if heading and len(heading) <= 120 and _NOT_FOUND_HEADLINE.search(heading):
            return heading
    m = _NOT_FOUND_PHRASES.search(visible_text(text))
    return m.group(0) if m else None


def detect_bot_wall(status: int, headers: Mapping[str, str], text: str) -> str | None:
    """Name of the bot protection that answered instead of the site, or None."""
    if headers.get("cf-mitigated", "").strip().lower() == "challenge":
        return "Cloudflare"
    server = headers.get("server", "").lower()
    title = page_title(text).lower()
    for marker, name in _CHALLENGE_TITLES:
        if title.startswith(marker) or (marker.startswith("ddos") and marker in title):
            return name
    if status < 400:
        # A normal 200 page may mention a CDN in a script; only a challenge
        # title or header counts there.
        return None
    if server.startswith("ddos-guard"):
        return "DDoS-Guard"
    if "qrator" in server:
        return "Qrator"
    if server == "cloudflare" and status in (403, 429, 503):
        return "Cloudflare"
    low = text[:65536].lower()
    for marker, name in _CHALLENGE_MARKERS:
        if marker in low:
            return name
    return None


def fragment_checkable(fragment: str) -> bool:
    """Fragments that are app routes or PDF/text directives are not ids."""
    if not fragment:
        return False
    return not (fragment.startswith(("!", "/", ":~:")) or "=" in fragment)


def has_anchor(text: str, fragment: str) -> bool:
    """True when the page has an element with id= or name= equal to ``fragment``."""
    candidates = {fragment, unquote(fragment)}
    for cand in candidates:
        pattern = re.compile(
            r"""\b(?:id|name)\s*=\s*(?:"%s"|'%s'|%s(?=[\s>/]))""" % ((re.escape(cand),) * 3)
        )
        if pattern.search(text):
            return True
    return False


def is_error_page_path(path: str) -> bool:
    return bool(_ERROR_PAGE_PATH.search(unquote(path)))


def client_redirect(text: str) -> str | None:
    """Where a page sends the reader by itself (meta refresh or a one-line script), or None."""
    m = _META_REFRESH.search(text)
    if m:
        return html.unescape(m.group(1))
    for script in re.findall(r"<script\b[^>]*>(.*?)</script\s*>", text, re.I | re.S):
        m = _SCRIPT_REDIRECT.search(script)
        if m:
            return html.unescape(m.group(1) or m.group(2))
    return None


def looks_like_login(text: str) -> bool:
    """A login form (a password field, or a «Вход»/«Авторизация» headline) instead of a page."""
    if _PASSWORD_INPUT.search(text):
        return True
    headlines = [page_title(text)] + [_clean(h) for _, h in _HEADINGS.findall(text)]
    return any(_LOGIN_HEADLINE.search(h) for h in headlines if h)


def looks_like_login_path(url: str) -> bool:
    """The address itself is a login page (then landing on a form is what was asked for)."""
    return bool(re.search(r"(?:^|[/_.\-])(?:login|signin|auth|vhod|avtorizaciya)(?:[/_.\-?]|$)",
                          unquote(urlsplit(url).path + "?" + urlsplit(url).query), re.I))
