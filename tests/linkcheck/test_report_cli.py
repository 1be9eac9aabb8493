"""JSON report fields and the command line (run as a subprocess)."""

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from linkcheck import check_urls, issue_markdown, write_json
from linkcheck.content import detect_bot_wall, detect_soft_404, has_anchor
from linkcheck_servers import FAST, html, send

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_links.py"
FIELDS = {"url", "verdict", "reason", "http_status", "final_url", "attempts", "elapsed_s", "checked_at"}


def test_json_report_fields(server, tmp_path):
    server.route("/ok")(lambda h: send(h, 200, html("Документ")))
    results = check_urls([server.url("/ok"), server.url("/missing")], FAST)
    out = tmp_path / "report.json"
    write_json(out, results, {server.url("/ok"): ["Школа №1"]})
    data = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(data, list) and len(data) == 2
    for item in data:
        assert FIELDS <= set(item)
        assert item["verdict"] in ("ok", "warning", "broken")
        assert isinstance(item["attempts"], int) and isinstance(item["elapsed_s"], float)
        assert item["checked_at"].endswith("Z")
        datetime.fromisoformat(item["checked_at"].replace("Z", "+00:00"))
    by_url = {item["url"]: item for item in data}
    assert by_url[server.url("/ok")]["owners"] == ["Школа №1"]
    assert by_url[server.url("/missing")]["http_status"] == 404


def run_cli(*args, cwd):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    # The test servers listen on 127.0.0.1: the address guard is lifted for them.
    return subprocess.run([sys.executable, str(SCRIPT), "--allow-private-addresses", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=60)


def test_cli_exit_codes_and_outputs(server, tmp_path):
    server.route("/ok")(lambda h: send(h, 200, html("Документ")))
    server.route("/forbidden")(lambda h: send(h, 403, html("Forbidden")))
    ok_file = tmp_path / "ok.txt"
    ok_file.write_text(f"# школа №1\n\n{server.url('/ok')}\n", encoding="utf-8")
    warn_file = tmp_path / "warn.txt"
    warn_file.write_text(f"{server.url('/ok')}\n{server.url('/forbidden')}\n", encoding="utf-8")
    bad_file = tmp_path / "bad.txt"
    bad_file.write_text(f"{server.url('/ok')}\n{server.url('/missing')}\n", encoding="utf-8")
    report = tmp_path / "out" / "report.json"

    ok = run_cli("--urls", str(ok_file), "--json", str(report), cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "Проверено ссылок: 1" in ok.stdout
    assert json.loads(report.read_text(encoding="utf-8"))[0]["verdict"] == "ok"

    warn = run_cli("--urls", str(warn_file), cwd=tmp_path)
    assert warn.returncode == 0
    assert "ВНИМАНИЕ" in warn.stdout and "/forbidden" in warn.stdout
    assert run_cli("--urls", str(warn_file), "--fail-on-warning", cwd=tmp_path).returncode == 1

    status = tmp_path / "status.yaml"
    issue = tmp_path / "issue.md"
    bad = run_cli("--urls", str(bad_file), "--status", str(status), "--issue-md", str(issue),
                  "--per-host", "2", "--workers", "4", "--timeout", "5", cwd=tmp_path)
    assert bad.returncode == 1
    lines = bad.stdout.strip().splitlines()
    assert lines[0].startswith("НЕ РАБОТАЕТ: ") and "/missing" in lines[0]
    assert lines[-1].startswith("Проверено ссылок: 2")
    assert len(lines) == 2  # only non-ok links plus the summary
    assert "/missing" in status.read_text(encoding="utf-8")
    # First failure: announced as a warning, so no issue yet.
    assert issue.read_text(encoding="utf-8") == ""
    run_cli("--urls", str(bad_file), "--status", str(status), "--issue-md", str(issue), cwd=tmp_path)
    assert "/missing" in issue.read_text(encoding="utf-8")


def test_cli_with_urls_does_not_touch_repository_history(server, tmp_path):
    server.route("/ok")(lambda h: send(h, 200, html("Документ")))
    repo_status = SCRIPT.parents[1] / "data" / "link_status.yaml"
    before = repo_status.read_bytes() if repo_status.exists() else None
    urls = tmp_path / "u.txt"
    urls.write_text(server.url("/ok") + "\n", encoding="utf-8")
    assert run_cli("--urls", str(urls), cwd=tmp_path).returncode == 0
    after = repo_status.read_bytes() if repo_status.exists() else None
    assert before == after


def test_cli_rejects_bad_arguments(tmp_path):
    res = run_cli("--urls", str(tmp_path / "none.txt"), cwd=tmp_path)
    assert res.returncode == 2 and "Не удалось" in res.stderr
    assert run_cli("--per-host", "0", cwd=tmp_path).returncode == 2


def test_issue_markdown_lists_only_announced_broken():
    history = {
        "https://a.example/x.pdf": {"verdict": "broken", "reason": "ошибка 404",
                                    "failing_since": "2025-03-01"},
        "https://a.example/y.pdf": {"verdict": "warning", "reason": "ошибка 403", "failing_since": None},
    }
    text = issue_markdown(history, {"https://a.example/x.pdf": ["Школа №7"]})
    assert "x.pdf" in text and "y.pdf" not in text and "Школа №7" in text
    assert issue_markdown({}) == ""


def page(*args):
    return html(*args).decode("utf-8")


def test_content_rules_unit():
    assert detect_soft_404(page("404")) == "404"
    assert detect_soft_404(page("Школа №40")) is None
    assert detect_soft_404(page("Школа", "<h1>Page not found</h1>")) == "Page not found"
    assert detect_soft_404(page("Школа", "<script>var s='страница не найдена'</script>")) is None
    assert detect_bot_wall(200, {}, page("Just a moment...")) == "Cloudflare"
    assert detect_bot_wall(200, {}, page("Школа", "<script src='//ddos-guard.net/x.js'>")) is None
    assert detect_bot_wall(403, {"server": "ddos-guard"}, "") == "DDoS-Guard"
    assert has_anchor("<div id=plan>", "plan") and not has_anchor("<div id='planet'>", "plan")
