"""URL normalisation: IDN hosts, raw and encoded Cyrillic paths, spaces."""

import pytest

from linkcheck.urlnorm import (
    InvalidUrlError,
    display_url,
    host_key,
    is_home_path,
    normalize_url,
    resolve_redirect,
    split_fragment,
)

PLAN = "%D0%BF%D0%BB%D0%B0%D0%BD"  # «план» in UTF-8 percent-encoding


def test_idn_host_and_raw_cyrillic_path():
    url = normalize_url("https://школа50.рф/документы/план.pdf")
    assert url == (
        "https://xn--50-6kc3bfr2e.xn--p1ai/"
        "%D0%B4%D0%BE%D0%BA%D1%83%D0%BC%D0%B5%D0%BD%D1%82%D1%8B/" + PLAN + ".pdf"
    )


def test_already_encoded_path_is_not_encoded_twice():
    encoded = f"https://school.ru/docs/{PLAN}.pdf"
    assert normalize_url(encoded) == encoded
    assert normalize_url(normalize_url("https://school.ru/docs/план.pdf")) == encoded


def test_mixed_raw_and_encoded_path():
    assert normalize_url(f"http://a.ru/{PLAN}/план") == f"http://a.ru/{PLAN}/{PLAN}"


def test_spaces_become_percent_20_everywhere():
    url = normalize_url("http://a.ru/план работы 2024.pdf?name=план работы")
    assert " " not in url
    assert f"/{PLAN}%20" in url
    assert url.endswith(f"?name={PLAN}%20%D1%80%D0%B0%D0%B1%D0%BE%D1%82%D1%8B")


def test_lone_percent_is_encoded_but_escapes_kept():
    assert normalize_url("http://a.ru/100%/x%41") == "http://a.ru/100%25/x%41"


def test_host_is_lowercased_and_port_kept():
    assert normalize_url("HTTP://School.RU:8080/A") == "http://school.ru:8080/A"
    assert normalize_url("http://школа.рф:8443/") == "http://xn--80atdl2c.xn--p1ai:8443/"


def test_missing_scheme_and_empty_path():
    assert normalize_url("www.school.ru") == "http://www.school.ru/"
    assert normalize_url("  https://school.ru\u200b ") == "https://school.ru/"


def test_fragment_and_query_are_encoded_and_split():
    url = normalize_url("https://a.ru/page?id=5#раздел")
    base, fragment = split_fragment(url)
    assert base == "https://a.ru/page?id=5"
    assert fragment == "%D1%80%D0%B0%D0%B7%D0%B4%D0%B5%D0%BB"


@pytest.mark.parametrize("bad", ["", "mailto:info@school.ru", "ftp://a.ru/x", "http://a.ru:99999/"])
def test_invalid_links_have_russian_reason(bad):
    with pytest.raises(InvalidUrlError) as err:
        normalize_url(bad)
    assert any("а" <= ch <= "я" for ch in str(err.value).lower())


def test_redirect_location_with_raw_utf8_bytes():
    # http.client hands headers over as latin-1 text: UTF-8 bytes arrive garbled.
    garbled = "/новый/план.pdf".encode("utf-8").decode("latin-1")
    assert resolve_redirect("https://a.ru/old", garbled) == normalize_url("https://a.ru/новый/план.pdf")


def test_host_key_groups_subdomains_of_one_hosting():
    assert host_key("https://school1.ucoz.ru/x") == host_key("http://school2.ucoz.ru/") == "ucoz.ru"
    assert host_key("http://127.0.0.1:8080/") == "127.0.0.1"


def test_home_paths():
    assert is_home_path("/") and is_home_path("") and is_home_path("/index.php")
    assert not is_home_path("/docs/plan.pdf")


def test_display_url_is_readable():
    assert display_url(normalize_url("https://школа50.рф/план")) == "https://школа50.рф/план"
