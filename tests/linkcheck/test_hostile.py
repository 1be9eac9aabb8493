"""A school's website never stops the site: what servers send is cleaned before it is kept, and the
log, the issue and the site say only the checker's own words.

Local servers on 127.0.0.1 answer with titles, redirect targets and headers made to break things:
line breaks, bidi overrides, zero-width characters, terminal escapes, GitHub workflow commands,
Markdown table breaks, HTML, @mentions, javascript: links and a 100 KB title.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from linkcheck import check_urls, issue_markdown, update_history
from linkcheck_servers import FAST, html, send

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))
from projectpaths import FIXTURES, ROOT, build_site, copy_project  # noqa: E402

from amp.linkstatus import read_status  # noqa: E402

SCRIPT = ROOT / "scripts" / "check_links.py"
# What a hostile page title says (it also says «not found», so the checker looks at it).
TITLE = ("404 Not Found TITLEMARK\n::set-output name=x::pwned%0A::error::pwned \x1b[2J\x1b]0;pwned\x07 "
         "\u202eevil\u202c \u200b\u2066 | table | break <script>alert(1)</script> @someone "
         "[link](javascript:alert(1))")
HUGE_TITLE = TITLE + " " + "A" * 100_000
# A redirect target with the same tricks (sent as the raw UTF-8 bytes servers send).
LOCATION = ("/gone\x1b[31m" + "\u202e\u200b".encode().decode("latin-1")
            + "@someone|`x`<script>[link](javascript:alert(1))%0A::warning::moved")
# Characters that must never reach a file, a terminal or a page raw.
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")


def hostile_routes(server) -> list[str]:
    server.route("/title.pdf")(lambda h: send(h, 200, html(HUGE_TITLE)))
    server.route("/soft")(lambda h: send(h, 200, html(TITLE)))
    server.route("/moved")(lambda h: send(h, 301, b"", {"Location": LOCATION}))
    server.route("/refresh")(lambda h: send(h, 200, html("Школа", "<meta http-equiv='refresh' content="
                                                             "'0; url=/next&#x1b;[31m&#x202e;@someone|x'>")))
    server.route("/headers")(lambda h: send(h, 403, html(TITLE), {"Server": "\x1b[31mpwned\x1b[0m",
                                                                  "X-Note": "::error::pwned"}))
    return [server.url(p) for p in ("/title.pdf", "/soft", "/moved", "/refresh", "/headers")]


def run_cli(*args):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, str(SCRIPT), "--allow-private-addresses", "--timeout", "5", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def outside_code_spans(text: str) -> str:
    """What GitHub renders as Markdown: the text with every code span (CommonMark rule) removed."""
    out, i = [], 0
    while i < len(text):
        run = re.match(r"`+", text[i:])
        if run is None:
            out.append(text[i])
            i += 1
            continue
        fence = run.group()
        close = re.compile(r"(?<!`)" + fence + r"(?!`)").search(text, i + len(fence))
        if close is None:
            out.append(fence)
            i += len(fence)
        else:
            i = close.end()
            out.append("CODE")
    return "".join(out)


def test_hostile_answers_leave_a_history_the_site_reads_and_an_inert_log_and_issue(server, tmp_path):
    urls = hostile_routes(server)
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
    status = tmp_path / "data" / "link_status.yaml"
    issue = tmp_path / "issue.md"
    report = tmp_path / "report.json"
    runs = [run_cli("--urls", str(listing), "--status", str(status), "--issue-md", str(issue), "--json", str(report))
            for _ in range(2)]  # broken links reach the issue after two failed nights
    assert [r.returncode for r in runs] == [1, 1], runs[-1].stderr

    links, problems = read_status(status, tmp_path)
    assert problems == []
    assert set(links) == set(urls)
    assert links[server.url("/soft")].reason_code == "soft_404"
    assert links[server.url("/moved")].permanent_redirect.startswith(server.url("/gone"))

    outputs = {"history": status.read_text(encoding="utf-8"), "issue": issue.read_text(encoding="utf-8"),
               "report": report.read_text(encoding="utf-8"),
               "stdout": runs[-1].stdout, "stderr": runs[-1].stderr}
    for name, text in outputs.items():
        assert not INVISIBLE.search(text.replace("\n", "")), name
        # No page title or header a server sent is kept.
        assert "TITLEMARK" not in text and "AAAAAAAAAA" not in text and "pwned" not in text, name
    assert len(outputs["history"]) < 8000

    for line in runs[-1].stdout.splitlines():
        assert not line.lstrip().startswith("::")
    assert "Проверено ссылок: 5" in runs[-1].stdout

    rows = [line for line in outputs["issue"].splitlines() if line.startswith("| `")]
    assert len(rows) == 2  # /moved and /refresh end on 404s; the others are warnings
    for row in rows:
        rendered = outside_code_spans(row)
        assert rendered.count("|") - rendered.count("\\|") == 5, row  # four cells, no table break
        for active in ("<", ">", "@", "[", "](", "javascript", "http", "script", "someone", "::"):
            assert active not in rendered, (active, row)


def test_a_hostile_host_in_a_redirect_is_cleaned_where_it_is_kept(server, fake_dns):
    server.route("/away")(lambda h: send(h, 302, b"", {"Location": "http://evil\x1b.test/x"}))
    (r,) = check_urls([server.url("/away")], FAST)
    assert r.verdict == "broken"
    record = json.dumps(r.to_dict(), ensure_ascii=False)
    assert not INVISIBLE.search(record) and "\\u001b" not in record
    history = update_history({}, [r], "2026-12-01")
    assert not INVISIBLE.search(json.dumps(history, ensure_ascii=False))


def test_a_history_the_site_would_refuse_is_not_written(server, tmp_path):
    """A list of links given by hand (--urls) is not data/: a bidi override in one of them would
    make the history unreadable for the site. The new file is read back first and refused."""
    server.route("/doc")(lambda h: send(h, 200, html("Документ")))
    listing = tmp_path / "urls.txt"
    listing.write_text(server.url("/doc") + "\n" + server.url("/doc\u202eftp.exe") + "\n", encoding="utf-8")
    status = tmp_path / "data" / "link_status.yaml"
    status.parent.mkdir()
    status.write_text("links: {}\n", encoding="utf-8")
    run = run_cli("--urls", str(listing), "--status", str(status))
    assert run.returncode == 2
    assert "История ссылок не записана" in run.stderr and "не изменён" in run.stderr
    assert "\u202e" not in run.stderr
    assert status.read_text(encoding="utf-8") == "links: {}\n"
    assert sorted(p.name for p in status.parent.iterdir()) == ["link_status.yaml"]  # no temporary file left


def article(page: Path) -> str:
    """The page's own content (the theme around it has scripts of its own)."""
    html_text = page.read_text(encoding="utf-8")
    return html_text[html_text.index("<article"):html_text.index("</article>")]


def test_the_site_says_the_checkers_words_not_the_servers(server, tmp_path):
    server.route("/alpha/программа развития.pdf")(lambda h: send(h, 200, html(HUGE_TITLE)))
    server.route("/news")(lambda h: send(h, 301, b"", {"Location": LOCATION}))
    project = copy_project(tmp_path / "project", FIXTURES / "minimal" / "data")
    data = project / "data"
    (data / "link_status.yaml").unlink()
    for path in data.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("http://127.0.0.1:9/", server.url("/")), encoding="utf-8")
    check = run_cli("--data", str(data))
    assert check.returncode in (0, 1), check.stderr
    assert read_status(data / "link_status.yaml", project)[1] == []

    built = build_site(project)
    assert built.returncode == 0, built.stderr
    school, town = (article(project / "site" / page / "index.html") for page in ("schools/alpha", "municipalities/town"))
    assert "сайт открывается, но на странице написано, что материал не найден" in school
    assert "страница или документ не найдены (ошибка 404)" in town
    assert "адрес постоянно перенесён на" in town
    for page in (school, town):
        assert "TITLEMARK" not in page and "pwned" not in page
        assert "<script>" not in page and not INVISIBLE.search(page.replace("\n", "").replace("\t", ""))
    documents = (project / "site" / "downloads" / "documents.csv").read_text(encoding="utf-8-sig")
    assert "сайт открывается, но на странице написано, что материал не найден" in documents
    assert "TITLEMARK" not in documents


@pytest.mark.parametrize("legacy", [True, False])
def test_histories_of_both_formats_are_read_and_worded(tmp_path, legacy):
    reason = "reason: страница не найдена (ошибка 404)" if legacy else "reason_code: not_found\n    reason_params: {status: 404}"
    path = tmp_path / "link_status.yaml"
    path.write_text(f"""links:
  https://school.example/plan.pdf:
    verdict: warning
    last_verdict: broken
    {reason}
    http_status: 404
    last_checked: '2026-11-20'
    last_ok: null
    failing_since: '2026-11-20'
    consecutive_failures: 1
""", encoding="utf-8")
    links, problems = read_status(path, tmp_path)
    assert problems == []
    text = links["https://school.example/plan.pdf"].reason_text("https://school.example/plan.pdf")
    if legacy:
        assert text == "страница не найдена (ошибка 404)"
    else:
        assert text.startswith("страница или документ не найдены (ошибка 404)")
        assert "Это первая неудачная проверка подряд" in text


def test_issue_of_a_history_shows_data_urls_and_owners_as_text():
    url = "https://a.example/x|y`z`.pdf?@someone"
    history = {url: {"verdict": "broken", "last_verdict": "broken", "reason_code": "not_found",
                     "reason_params": {"status": 404, "after": "https://b.example/<script>"},
                     "failing_since": "2026-11-01"}}
    text = issue_markdown(history, {url: ["Школа [№7](javascript:alert(1)) @director"]})
    (row,) = [line for line in text.splitlines() if line.startswith("| ``")]
    rendered = outside_code_spans(row)
    assert rendered.count("|") - rendered.count("\\|") == 5
    for active in ("<", "@", "[", "javascript", "http"):
        assert active not in rendered
    assert "страница или документ не найдены (ошибка 404)" in rendered
