"""The one cleaning step for everything the checker takes from the network.

Redirect targets, hosts and anything else a server sends is hostile: it may carry line breaks,
terminal escapes, bidi overrides, zero-width characters or a 100 KB title. Before such a value is
stored (history, JSON), printed (log) or published (site, issue) it passes through one of the
functions here, so each is one line, bounded, and free of characters that cannot be seen or that
reorder text. :class:`~linkcheck.result.LinkResult` calls :func:`clean_params` and
:func:`clean_url` itself, so no result can hold an uncleaned value.

Texts a server wrote (page titles, server messages) are never kept at all: a reason is a code from
:mod:`messages` and these parameters — numbers, flags, cleaned URLs and hosts, and tokens of the
checker's own vocabulary.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping

MAX_TEXT = 300
MAX_URL = 2048
# Characters a URL may hold as they are (RFC 3986 unreserved and reserved, plus existing %XX);
# everything else — spaces, controls, `|`, backticks, <, >, quotes, non-ASCII — is percent-encoded.
_URL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%")
_URL_SHAPE = re.compile(r"^https?://[^/?#]+")
# A host or a word of the checker's own vocabulary (tls_expired, cloudflare): nothing else.
TOKEN = re.compile(r"^[a-z0-9][a-z0-9._\-:\[\]]{0,252}$")
_KEY = re.compile(r"^[a-z][a-z_]{0,29}$")
_MAX_INT = 10**9


def clean_text(value: object, limit: int = MAX_TEXT) -> str:
    """One line of visible text: controls, format characters (bidi overrides, zero-width),
    surrogates and unassigned code points removed, every run of blanks one space, at most
    ``limit`` characters (cut with «…»)."""
    text = str(value)[: limit * 4]  # bounded work whatever the input's size
    kept = []
    for ch in text:
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch)[0] != "C":  # Cc Cf Cs Co Cn
            kept.append(ch)
    line = " ".join("".join(kept).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def clean_url(value: object, limit: int = MAX_URL) -> str | None:
    """An http(s) URL in printable ASCII: every other character percent-encoded as UTF-8, existing
    %XX kept; None when it is not an http(s) URL or longer than ``limit`` (a cut URL would be a
    wrong one)."""
    text = str(value)
    if len(text) > limit:
        return None
    out = "".join(ch if ch in _URL_SAFE else "".join(f"%{b:02X}" for b in ch.encode("utf-8", "replace"))
                  for ch in text)
    if len(out) > limit or not _URL_SHAPE.match(out):
        return None
    return out


def clean_token(value: object) -> str | None:
    """A host name or a vocabulary word, lower-case ASCII; None for anything else."""
    text = str(value).lower()
    return text if TOKEN.match(text) else None


def clean_params(params: Mapping[str, object] | None) -> dict[str, object]:
    """Parameters of a reason: numbers, flags, URLs and tokens; everything else is dropped."""
    out: dict[str, object] = {}
    for key, value in (params or {}).items():
        if not isinstance(key, str) or not _KEY.match(key) or value is None:
            continue
        if isinstance(value, bool):
            out[key] = value
        elif isinstance(value, int):
            if abs(value) < _MAX_INT:
                out[key] = value
        elif isinstance(value, float):
            if math.isfinite(value) and abs(value) < _MAX_INT:
                out[key] = round(value, 1)
        elif isinstance(value, str):
            cleaned = clean_url(value) if value.lower().startswith(("http://", "https://")) else clean_token(value)
            if cleaned is not None:
                out[key] = cleaned
    return out


# --- inert output: the job log and the issue ------------------------------------------------------
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e"
                        r"\u2028\u2029\u2060-\u206f\u3164\ufeff\ufff9-\ufffb\ud800-\udfff]")


def log_line(text: str) -> str:
    """Text for a terminal or CI log: one line; controls (ESC, C1), bidi and invisible characters
    shown as \\xNN / \\uNNNN, never sent raw; a line never starts a workflow command (the runner
    reads ``::`` after leading blanks, so the first colon is shown as \\x3a)."""
    line = _INVISIBLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                          else f"\\u{ord(m.group()):04x}", str(text))
    blanks = len(line) - len(line.lstrip())
    return line[:blanks] + "\\x3a" + line[blanks + 1:] if line[blanks:].startswith("::") else line


def code_span(text: str) -> str:
    """Markdown code span of cleaned text: GitHub shows it as it is — no link, mention, HTML or
    emphasis; ``|`` escaped so a table cell ends only where we end it."""
    body = clean_text(text, MAX_URL).replace("|", "\\|")
    if not body:
        return "—"
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") or longest else ""
    return f"{fence}{pad}{body}{pad}{fence}"
