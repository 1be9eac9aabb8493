"""Verdicts a parent clicking the link would agree with, and a checker that never reaches inside
the network it runs in — each against real local servers."""

from __future__ import annotations

import pytest
from linkcheck import CheckConfig, check_urls
from linkcheck.netguard import is_public
from linkcheck_servers import FAST, html, send

GUARDED = CheckConfig(**{**FAST.__dict__, "allow_private_addresses": False})


def test_an_anchor_near_the_end_of_a_long_page_is_found(server, check):
    filler = "<p>" + "текст " * 200 + "</p>"
    body = html("Положение", filler * 600 + '<h2 id="razdel-5">Раздел 5</h2>')
    assert len(body) > 1024 * 1024
    server.route("/polozhenie")(lambda h: send(h, 200, body))
    r = check(server.url("/polozhenie#razdel-5"))
    assert (r.verdict, r.reason_code) == ("ok", "ok")


def test_a_late_koi8r_meta_charset_is_honoured(server, check):
    head = "<html><head><title>Школа</title>" + "<!-- " + "x" * 3000 + " -->" + '<meta charset="koi8-r"></head>'
    body = (head + "<body><h1>Страница не найдена</h1></body></html>").encode("koi8-r")
    server.route("/doc")(lambda h: send(h, 200, body, content_type="text/html"))
    r = check(server.url("/doc"))
    assert (r.verdict, r.reason_code) == ("warning", "soft_404")


def test_an_order_numbered_404_is_a_document_not_an_error_page(server, check):
    server.route("/prikaz")(lambda h: send(h, 200, html("Приказ № 404 от 31.08.2023", "<p>О назначении</p>")))
    assert check(server.url("/prikaz")).verdict == "ok"


@pytest.mark.parametrize("forward", [
    '<meta http-equiv="refresh" content="0; url=/gone">',
    '<script>location.href = "/gone";</script>',
    "<script>window.location.replace('/gone')</script>",
])
def test_a_page_that_forwards_to_a_missing_page_is_broken(server, check, forward):
    server.route("/start")(lambda h: send(h, 200, html("Переход", forward)))
    server.route("/gone")(lambda h: send(h, 404, html("Не найдено")))
    r = check(server.url("/start"))
    assert (r.verdict, r.reason_code) == ("broken", "not_found")
    assert "страница сама переадресует" in r.reason


def test_a_page_that_forwards_to_a_working_page_is_ok(server, check):
    server.route("/start")(lambda h: send(h, 200, html("Переход", '<meta http-equiv="refresh" content="1;URL=/doc">')))
    server.route("/doc")(lambda h: send(h, 200, html("План работы")))
    assert check(server.url("/start")).verdict == "ok"


def test_a_redirect_to_a_login_form_is_a_warning(server, check):
    server.route("/plan")(lambda h: send(h, 302, b"", {"Location": "/auth"}))
    server.route("/auth")(lambda h: send(h, 200, html("Авторизация", '<form><input type="password" name="p"></form>')))
    r = check(server.url("/plan"))
    assert (r.verdict, r.reason_code) == ("warning", "login_required")


def test_fifteen_redirects_are_followed_as_a_browser_would(server, check):
    for n in range(15):
        server.route(f"/hop{n}")(lambda h, n=n: send(h, 302, b"", {"Location": f"/hop{n + 1}"}))
    server.route("/hop15")(lambda h: send(h, 200, html("Документ")))
    assert check(server.url("/hop0")).verdict == "ok"


def test_a_nonstandard_bot_wall_status_is_a_warning_not_broken(server, check):
    server.route("/bot")(lambda h: send(h, 999, html("Request denied")))
    r = check(server.url("/bot"))
    assert (r.verdict, r.reason_code) == ("warning", "bot_wall")
    assert "откройте ссылку в браузере" in r.reason
    assert server.count("GET", "/bot") == 1  # no retries for an answer that will not change


# --- never inside the network ---------------------------------------------------------------

@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.1", "192.168.1.1", "172.16.0.5", "169.254.169.254",
                                     "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "::ffff:127.0.0.1", "fe80::1",
                                     "fc00::1", "2002:7f00:1::"])
def test_addresses_inside_the_network_are_not_public(address):
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.158.134.3", "2a02:6b8::2:242"])
def test_public_addresses_are_public(address):
    assert is_public(address)


def test_a_loopback_url_is_refused_without_a_request(server):
    host, port = "127.0.0.1", server.url("/").split(":")[2].split("/")[0]
    variants = [server.url("/admin"), f"http://localhost:{port}/admin", f"http://2130706433:{port}/admin",
                f"http://0x7f000001:{port}/admin", f"http://[::ffff:{host}]:{port}/admin"]
    results = check_urls(variants, GUARDED)
    for result in results:
        assert (result.verdict, result.reason_code) == ("broken", "private_address"), result.url
        assert "адрес во внутренней сети" in result.reason
    assert server.count("GET", "/admin") == 0


def test_a_redirect_into_the_network_is_refused_at_that_hop(make_server, monkeypatch):
    inside = make_server(host="127.0.0.2")
    inside.route("/secret")(lambda h: send(h, 200, html("Панель администратора")))
    outside = make_server()
    outside.route("/doc")(lambda h: send(h, 302, b"", {"Location": inside.url("/secret")}))
    # 127.0.0.1 plays a public school site for this test; the guard must then see the redirect.
    from linkcheck import netguard

    real = netguard.is_public
    monkeypatch.setattr(netguard, "is_public", lambda address: address == "127.0.0.1" or real(address))
    (result,) = check_urls([outside.url("/doc")], GUARDED)
    assert outside.count("GET", "/doc") == 1
    assert (result.verdict, result.reason_code) == ("broken", "private_address")
    assert inside.count("GET", "/secret") == 0


def test_a_name_that_resolves_inside_the_network_is_refused(server, monkeypatch):
    """A public-looking name whose DNS answer is a private address (DNS rebinding) is not requested."""
    import socket

    server.route("/admin")(lambda h: send(h, 200, html("Панель администратора")))
    real = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        return real("127.0.0.1" if host == "school.example.ru" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = server.url("/").split(":")[2].split("/")[0]
    (result,) = check_urls([f"http://school.example.ru:{port}/admin"], GUARDED)
    assert (result.verdict, result.reason_code) == ("broken", "private_address")
    assert "адрес во внутренней сети" in result.reason
    assert server.count("GET", "/admin") == 0
