"""Verdict rules against real local HTTP servers."""

import pytest

from linkcheck_servers import hold, html, redirect, reset, send

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def page(title="План работы", body="<p>Текст</p>"):
    return lambda h: send(h, 200, html(title, body))


def test_ok(server, check):
    server.route("/page")(page())
    r = check(server.url("/page"))
    assert (r.verdict, r.reason_code, r.http_status, r.attempts) == ("ok", "ok", 200, 1)
    assert r.final_url == server.url("/page")


def test_404_is_broken(server, check):
    r = check(server.url("/missing"))
    assert (r.verdict, r.reason_code, r.http_status) == ("broken", "not_found", 404)
    assert "404" in r.reason
    assert server.count("GET", "/missing") == 1  # not transient, no retries


def test_410_is_broken(server, check):
    server.route("/gone")(lambda h: send(h, 410, b""))
    r = check(server.url("/gone"))
    assert (r.verdict, r.reason_code, r.http_status) == ("broken", "gone", 410)


def test_500_then_ok_is_retried(server, check):
    calls = []

    @server.route("/flaky")
    def flaky(h):
        calls.append(1)
        if len(calls) == 1:
            send(h, 500, html("Internal Server Error"))
        else:
            send(h, 200, html("Документ"))

    r = check(server.url("/flaky"))
    assert (r.verdict, r.attempts, r.http_status) == ("ok", 2, 200)


def test_503_always_is_broken_after_retries(server, check):
    server.route("/down")(lambda h: send(h, 503, html("Service Unavailable")))
    r = check(server.url("/down"), attempts=3)
    assert (r.verdict, r.reason_code, r.http_status, r.attempts) == ("broken", "server_error", 503, 3)
    assert server.count("GET", "/down") == 3
    assert "попыток: 3" in r.reason


def test_429_retry_after_is_honoured(server, check):
    @server.route("/busy")
    def busy(h):
        if server.count("GET", "/busy") == 1:
            send(h, 429, b"", {"Retry-After": "1"})
        else:
            send(h, 200, html("Документ"))

    r = check(server.url("/busy"), backoff=0.01)
    assert (r.verdict, r.attempts) == ("ok", 2)
    first, second = [t for t, _, p in server.times if p == "/busy"]
    assert second - first >= 0.9  # waited as the server asked, not the 10 ms backoff


def test_429_retry_after_is_capped_and_broken_after_retries(server, check):
    server.route("/busy")(lambda h: send(h, 429, b"", {"Retry-After": "3600"}))
    r = check(server.url("/busy"), attempts=2, max_retry_after=0.1)
    assert (r.verdict, r.reason_code, r.http_status, r.attempts) == ("broken", "rate_limited", 429, 2)
    assert "код 429" in r.reason


def test_timeout_is_broken_after_retries(server, check):
    @server.route("/hang")
    def hang(h):
        hold(h, 5)
        send(h, 200, html("поздно"))

    r = check(server.url("/hang"), timeout=0.8, attempts=2)
    assert (r.verdict, r.reason_code) == ("broken", "timeout")
    assert r.http_status is None
    assert "не ответил" in r.reason


def test_connection_reset_always_is_broken(server, check):
    server.route("/reset")(reset)
    r = check(server.url("/reset"), attempts=3)
    assert (r.verdict, r.reason_code, r.attempts) == ("broken", "connection_error", 3)
    assert "обрывается" in r.reason


def test_connection_reset_once_is_retried(server, check):
    @server.route("/reset-once")
    def once(h):
        if server.count("GET", "/reset-once") == 1:
            reset(h)
        else:
            send(h, 200, html("Документ"))

    r = check(server.url("/reset-once"))
    # aiohttp, as browsers do, resends a GET once on a dropped connection before the checker's own retry.
    assert r.verdict == "ok" and r.attempts in (1, 2)
    assert server.count("GET", "/reset-once") == 2


def test_documents_are_checked_with_get_as_a_click_would(server, check):
    server.route("/files/plan.docx")(lambda h: send(h, 200, b"PK\x03\x04" * 100, content_type=DOCX))
    r = check(server.url("/files/plan.docx"))
    assert r.verdict == "ok"
    assert server.count("GET", "/files/plan.docx") == 1


def test_head_that_disagrees_with_get_does_not_decide(server, check):
    """HEAD 200 but GET 404: a parent's click gets the 404, so the link is broken."""
    @server.route("/files/plan.docx")
    def doc(h):
        if h.command == "HEAD":
            send(h, 200, b"", content_type=DOCX)
        else:
            send(h, 404, html("Не найдено"))

    r = check(server.url("/files/plan.docx"))
    assert (r.verdict, r.reason_code) == ("broken", "not_found")


@pytest.mark.parametrize("head_status", [403, 405, 501])
def test_head_refused_falls_back_to_get(server, check, head_status):
    @server.route("/files/plan.docx")
    def doc(h):
        if h.command == "HEAD":
            send(h, head_status, b"", content_type=None)
        else:
            send(h, 200, b"PK\x03\x04" * 100, content_type=DOCX)

    r = check(server.url("/files/plan.docx"))
    assert (r.verdict, r.http_status) == ("ok", 200)
    assert server.count("GET", "/files/plan.docx") == 1


def test_head_404_but_get_200_is_ok(server, check):
    @server.route("/files/report.xlsx")
    def doc(h):
        if h.command == "HEAD":
            send(h, 404, b"", content_type=None)
        else:
            send(h, 200, b"PK\x03\x04" * 100, content_type="application/octet-stream")

    r = check(server.url("/files/report.xlsx"))
    assert (r.verdict, r.http_status) == ("ok", 200)


def test_head_and_get_404_is_broken(server, check):
    r = check(server.url("/files/missing.doc"))
    assert (r.verdict, r.reason_code) == ("broken", "not_found")
    assert server.count("GET", "/files/missing.doc") == 1


def test_403_is_warning(server, check):
    server.route("/private")(lambda h: send(h, 403, html("403 Forbidden")))
    r = check(server.url("/private"))
    assert (r.verdict, r.reason_code, r.http_status) == ("warning", "forbidden", 403)
    assert "браузере" in r.reason


def test_cloudflare_challenge_is_warning(server, check):
    server.route("/cf")(lambda h: send(
        h, 403, html("Just a moment...", "<div id='cf-chl-widget'></div>"),
        {"cf-mitigated": "challenge", "Server": "cloudflare"},
    ))
    r = check(server.url("/cf"))
    assert (r.verdict, r.reason_code) == ("warning", "bot_wall")
    assert "Cloudflare" in r.reason


def test_ddos_guard_503_is_warning_not_retried(server, check):
    server.route("/ddg")(lambda h: send(h, 503, html("DDoS-Guard", "Checking your browser"),
                                        {"Server": "ddos-guard"}))
    r = check(server.url("/ddg"))
    assert (r.verdict, r.reason_code, r.attempts) == ("warning", "bot_wall", 1)
    assert "DDoS-Guard" in r.reason


def test_soft_404_title_is_warning(server, check):
    server.route("/news/old")(page("Страница не найдена — Школа №5"))
    r = check(server.url("/news/old"))
    assert (r.verdict, r.reason_code, r.http_status) == ("warning", "soft_404", 200)
    # Said in the site's own words: the page's title is not repeated.
    assert "материал не найден" in r.reason and "Школа №5" not in r.reason


def test_soft_404_body_text_is_warning(server, check):
    server.route("/doc")(page("Школа №5", "<div class='msg'>Документ не найден</div>"))
    r = check(server.url("/doc"))
    assert (r.verdict, r.reason_code) == ("warning", "soft_404")


def test_soft_404_in_windows_1251(server, check):
    body = "<html><head><title>Ошибка 404</title></head><body></body></html>".encode("cp1251")
    server.route("/cp")(lambda h: send(h, 200, body, content_type="text/html; charset=windows-1251"))
    assert check(server.url("/cp")).reason_code == "soft_404"


def test_redirect_of_document_to_home_page_is_warning(server, check):
    server.route("/")(page("Главная"))
    server.route("/docs/plan.pdf")(lambda h: redirect(h, 302, "/"))
    r = check(server.url("/docs/plan.pdf"))
    assert (r.verdict, r.reason_code) == ("warning", "redirect_home")
    assert r.final_url == server.url("/")


def test_redirect_loop_is_broken(server, check):
    server.route("/a")(lambda h: redirect(h, 302, "/b"))
    server.route("/b")(lambda h: redirect(h, 302, "/a"))
    r = check(server.url("/a"))
    assert (r.verdict, r.reason_code) == ("broken", "redirect_loop")


def test_too_many_redirects_is_broken(server, check):
    server.route("/hop")(lambda h: redirect(h, 302, f"/hop?n={server.count('GET', '/hop')}"))
    r = check(server.url("/hop"), max_redirects=5)
    assert (r.verdict, r.reason_code) == ("broken", "too_many_redirects")
    assert server.count("GET", "/hop") == 6


def test_redirect_to_404_is_broken(server, check):
    server.route("/old")(lambda h: redirect(h, 302, "/new"))
    r = check(server.url("/old"))
    assert (r.verdict, r.reason_code, r.http_status) == ("broken", "not_found", 404)
    assert r.final_url == server.url("/new")
    assert "после переадресации" in r.reason


def test_permanent_redirect_is_reported(server, check):
    server.route("/old-page")(lambda h: redirect(h, 301, "/new-page"))
    server.route("/new-page")(page())
    r = check(server.url("/old-page"))
    assert (r.verdict, r.http_status) == ("ok", 200)
    assert r.permanent_redirect == server.url("/new-page")
    assert "замените ссылку" in r.reason


def test_temporary_redirect_is_not_reported(server, check):
    server.route("/tmp")(lambda h: redirect(h, 302, "/page"))
    server.route("/page")(page())
    r = check(server.url("/tmp"))
    assert (r.verdict, r.permanent_redirect) == ("ok", None)


def test_fragment_present_is_ok(server, check):
    server.route("/p")(page(body="<h2 id='plan'>План</h2><a name='итоги'></a>"))
    assert check(server.url("/p#plan")).verdict == "ok"
    assert check(server.url("/p#итоги")).verdict == "ok"


def test_fragment_missing_is_warning(server, check):
    server.route("/p")(page(body="<h2 id='plan'>План</h2>"))
    r = check(server.url("/p#report"))
    assert (r.verdict, r.reason_code) == ("warning", "fragment_missing")
    assert "#report" in r.reason


def test_pdf_ok(server, check):
    server.route("/plan.pdf")(lambda h: send(h, 200, PDF, content_type="application/pdf"))
    assert check(server.url("/plan.pdf")).verdict == "ok"


def test_pdf_that_is_an_html_page_is_warning(server, check):
    server.route("/plan.pdf")(page("Школа №5"))
    r = check(server.url("/plan.pdf"))
    assert (r.verdict, r.reason_code) == ("warning", "not_pdf")
    assert "веб-страницу" in r.reason


def test_pdf_that_is_garbage_is_warning(server, check):
    server.route("/plan.pdf")(lambda h: send(h, 200, b"\x00" * 2000, content_type="application/pdf"))
    assert check(server.url("/plan.pdf")).reason_code == "not_pdf"


def test_cookie_wall_redirect_is_not_a_loop(server, check):
    @server.route("/doc")
    def doc(h):
        if "seen=1" in (h.headers.get("Cookie") or ""):
            send(h, 200, html("Документ"))
        else:
            send(h, 302, b"", {"Location": "/doc", "Set-Cookie": "seen=1; Path=/"})

    r = check(server.url("/doc"))
    assert r.verdict == "ok"


def test_user_agent_identifies_the_checker(server, check):
    agents = []

    @server.route("/ua")
    def ua(h):
        agents.append(h.headers.get("User-Agent"))
        send(h, 200, html("ok"))

    check(server.url("/ua"))
    assert agents and agents[0].startswith("penza-amp-linkcheck/")


def test_pdf_link_redirected_to_a_download_script(server, check):
    server.route("/plan.pdf")(lambda h: redirect(h, 302, "/download"))
    server.route("/download")(lambda h: send(h, 200, PDF, content_type="application/octet-stream"))
    assert check(server.url("/plan.pdf")).verdict == "ok"
