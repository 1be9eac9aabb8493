"""What every public page says in words: Russian interface, no data paths, sources by title."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Pages for coordinators explain the data files by name; every other page is for the public.
FOR_COORDINATORS = {"coordinators/index.html"}
# The open-data page names the tables' columns by their identifiers (id, short_name …): data, not interface.
COLUMN_NAMES = {"open-data/index.html"}
# Latin a reader may legitimately see: addresses, the programme's own names, formats.
ALLOWED = re.compile(r"https?://\S+|\b[\w.-]+\.(ru|рф|com|org|net)\b[/\w.-]*|\b[\w-]+\.(csv|json|xlsx)\b|\b(CSV|JSON|XLSX|YAML|Schema|PDF|Excel|Atom)\b|\.ics\b", re.I)


class VisibleText(HTMLParser):
    """Text a reader sees or hears: content, titles, labels, placeholders — not scripts or styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg", "code", "pre"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg", "code", "pre") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    reader = VisibleText()
    reader.feed(html)
    return " ".join(reader.parts)


def public_pages(site):
    for path in sorted(site.rglob("*.html")):
        name = path.relative_to(site).as_posix()
        if name not in FOR_COORDINATORS:
            yield name, visible(path.read_text(encoding="utf-8"))


def test_no_english_in_the_interface(built_seed_site):
    found = {}
    for name, text in public_pages(built_seed_site):
        if name in COLUMN_NAMES:
            continue
        words = re.findall(r"[A-Za-z]{3,}", ALLOWED.sub(" ", text))
        if words:
            found[name] = sorted(set(words))[:10]
    assert found == {}


def test_public_pages_name_no_data_files_or_paths(built_seed_site):
    found = {}
    for name, text in public_pages(built_seed_site):
        hits = re.findall(r"data/\S+|\S+\.yaml|\S+\.txt\b|\w+\[\d+\]", text)
        if hits:
            found[name] = hits[:5]
    assert found == {}


def test_not_found_page_is_russian(built_seed_site):
    text = visible((built_seed_site / "404.html").read_text(encoding="utf-8"))
    assert "Страница не найдена" in text and "Not found" not in text


def test_heading_anchors_are_readable_russian(built_seed_site):
    html = (built_seed_site / "schools" / "kamenka-sosh-1" / "index.html").read_text(encoding="utf-8")
    assert 'id="участие-в-программе"' in html
    assert not re.search(r'<h[1-6] id="_\d*"', html)
