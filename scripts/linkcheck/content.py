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

# Document types whose headers are enough: ask with HEAD and never download.
# PDF is not here: we look at its first bytes (a "PDF" that is an HTML page
# is a classic broken link on school sites).
HEAD_FIRST_EXTENSIONS = frozenset(
    "doc docx xls xlsx ppt pptx pps ppsx odt ods odp rtf txt csv zip rar 7z gz "
    "jpg jpeg png gif bmp tif tiff djvu mp3 mp4 avi mov wmv".split()
)
PDF_PEEK_BYTES = 1024
SNIFF_BYTES = 1024

_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
_HEADINGS = re.compile(r"<h([12])[^>]*>(.*?)</h\1\s*>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")
_SCRIPTS = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
_SPACES = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)

# Short texts (title, main heading) that mean "there is no such page".
_NOT_FOUND_HEADLINE = re.compile(
    r"(?:^|[^\d№])404(?:$|\D)|not\s+found|не\s+найден|не\s+существует|"
    r"страница\s+удалена|нет\s+такой\s+страницы|ошибка\s+404|ничего\s+не\s+найдено",
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


def wants_head(url: str) -> bool:
    """HEAD is enough for documents we never need to read."""
    return extension(url) in HEAD_FIRST_EXTENSIONS


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


def body_limit(
    method: str, status: int, ctype: str, pdf_expected: bool, html_peek: int, error_peek: int
) -> int:
    """How many body bytes the verdict rules need from this response."""
    if method == "HEAD":
        return 0
    if 200 <= status < 300:
        if is_html_type(ctype):
            return html_peek
        if pdf_expected:
            return PDF_PEEK_BYTES
        return SNIFF_BYTES if not ctype else 0
    # Error pages are read a little to recognise bot-protection walls.
    return error_peek if (is_html_type(ctype) or not ctype) else 0


def decode_html(body: bytes, headers: Mapping[str, str]) -> str:
    charset = ""
    m = re.search(r"charset=([\w\-]+)", headers.get("content-type", ""), re.I)
    if m:
        charset = m.group(1)
    else:
        m2 = _META_CHARSET.search(body[:4096])
        if m2:
            charset = m2.group(1).decode("ascii", "replace")
    for candidate in (charset, "utf-8", "cp1251"):
        if not candidate:
            continue
        try:
            return body.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", "replace")


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
