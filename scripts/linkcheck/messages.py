"""Every text a person reads, in Russian, worded for a school coordinator.

Kept in one module so the wording stays consistent and the checking code
only deals with reason codes. A reason is stored as a code and its parameters
(numbers, flags, cleaned URLs and hosts, words of this vocabulary); the text is
made here, by :func:`reason_text`, when it is shown — so no sentence a server
wrote (a page title, an error message) is ever published in the site's name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import unquote

from .clean import clean_text

# --- the link itself is written wrongly ------------------------------------
INVALID_URL_EMPTY = "пустая ссылка"
INVALID_URL_NO_HOST = "в ссылке нет адреса сайта"


INVALID_HOST = "в ссылке неверное имя сайта"
INVALID_SCHEME = "это не ссылка на веб-страницу (адрес должен начинаться с http:// или https://)"
INVALID_URL = "ссылка записана с ошибкой"


# The validator's messages about data/ name what was found there (semi-trusted data, shown to
# the coordinator who wrote it); the checker stores only InvalidUrlError.kind.
def invalid_host(host: str) -> str:
    return f"{INVALID_HOST} «{host}»"


def invalid_scheme(scheme: str) -> str:
    return f"это не ссылка на веб-страницу (начинается с «{scheme}:»)"


def invalid_url(raw: str) -> str:
    return f"{INVALID_URL}: «{raw}»"


# InvalidUrlError.kind -> text
INVALID_KINDS = {"empty": INVALID_URL_EMPTY, "no_host": INVALID_URL_NO_HOST, "bad_host": INVALID_HOST,
                 "bad_scheme": INVALID_SCHEME, "malformed": INVALID_URL}


# --- answers of the site ----------------------------------------------------
OK = "ссылка работает"


def permanent_redirect_note(new_url: str) -> str:
    return f"адрес постоянно перенесён на {new_url} — замените ссылку в данных"


def not_found(status: int) -> str:
    return f"страница или документ не найдены (ошибка {status}) — вероятно, материал удалён или перенесён"


GONE = "документ удалён с сайта (ошибка 410)"


def client_error(status: int) -> str:
    return f"сайт отвечает ошибкой {status}: ссылка не открывается"


def unexpected_status(status: int) -> str:
    return f"сайт дал непонятный ответ (код {status})"


def server_error(status: int, attempts: int) -> str:
    return (
        f"ошибка на стороне сайта (код {status}); повторные попытки не помогли "
        f"(попыток: {attempts})"
    )


def rate_limited(attempts: int) -> str:
    return (
        "сайт после всех повторных попыток отвечает «слишком много запросов» (код 429) "
        f"и документ не отдаёт (попыток: {attempts}); откройте ссылку в браузере"
    )


def timeout(seconds: float, attempts: int) -> str:
    return f"сайт не ответил за отведённое время ({seconds:g} с, попыток: {attempts})"


SLOW_BODY = (
    "сайт начал отдавать страницу, но передаёт её слишком медленно — "
    "проверка прервана по времени"
)


def dns_failure(host: str, attempts: int) -> str:
    return (
        f"сайт {host + ' ' if host else ''}не найден: такого домена нет или истёк срок его регистрации "
        f"(попыток: {attempts})"
    )


def connection_refused(attempts: int) -> str:
    return f"сайт не принимает соединения — сервер выключен или адрес неверен (попыток: {attempts})"


def connection_error(attempts: int) -> str:
    return f"соединение с сайтом обрывается (попыток: {attempts})"


REDIRECT_LOOP = "сайт бесконечно переадресует по кругу (циклическая переадресация)"


def too_many_redirects(limit: int) -> str:
    return f"слишком много переадресаций подряд (больше {limit})"


def redirect_without_location(status: int) -> str:
    return f"сайт отвечает переадресацией (код {status}), но не говорит куда"


INVALID_REDIRECT = "сайт переадресует на неправильно записанный адрес"


def after_redirect(final_url: str) -> str:
    return f"после переадресации на {final_url}"


# --- the site answers, but not with the document -----------------------------
def forbidden(status: int) -> str:
    return (
        f"сайт не пускает программу проверки (ошибка {status}); откройте ссылку "
        "в браузере и убедитесь, что она работает"
    )


UNAUTHORIZED = (
    "для просмотра нужно войти на сайт (ошибка 401): посетители без пароля "
    "документ не увидят"
)


def bot_wall(name: str) -> str:
    return (
        f"сайт защищён от автоматических запросов ({name}) и не пускает программу "
        "проверки; откройте ссылку в браузере"
    )


def nonstandard_status(status: int) -> str:
    return (
        f"сайт отвечает нестандартным кодом {status}: так отвечает защита от автоматических "
        "запросов; откройте ссылку в браузере"
    )


PRIVATE_ADDRESS = (
    "адрес во внутренней сети (локальный или служебный адрес): такие ссылки проверка не "
    "открывает, а посетители сайта открыть не смогут — укажите общедоступный адрес"
)
LOGIN_REQUIRED = (
    "ссылка ведёт на страницу входа (логин и пароль): посетители без учётной записи "
    "документ не увидят"
)


def client_redirect(onward: str, reason: str) -> str:
    return f"страница сама переадресует на {onward}, а там: {reason}"


SOFT_404 = "сайт открывается, но на странице написано, что материал не найден — вероятно, он удалён"


REDIRECT_HOME = (
    "ссылка на документ переадресует на главную страницу сайта — вероятно, "
    "документ удалён или перенесён"
)
REDIRECT_ERROR_PAGE = "ссылка переадресует на страницу ошибки — вероятно, материал удалён"


def fragment_missing(fragment: str, truncated: bool) -> str:
    where = " (в начале страницы)" if truncated else ""
    return (
        f"страница открывается, но на ней не найден раздел {fragment}{where}, "
        "на который указывает ссылка"
    )


NOT_PDF_HTML = "вместо PDF-файла сайт показывает веб-страницу — возможно, файл удалён"
NOT_PDF = "файл по ссылке не похож на PDF-документ (повреждён или подменён)"
EMPTY_FILE = "сайт отдаёт пустой файл"

# --- HTTPS certificates ------------------------------------------------------
TLS_EXPIRED = "срок действия сертификата HTTPS истёк — браузер покажет предупреждение об опасности"
TLS_NOT_YET_VALID = "сертификат HTTPS ещё не начал действовать (или на сервере неверные часы)"
TLS_WRONG_HOST = "сертификат HTTPS выдан для другого адреса сайта — браузер покажет предупреждение"
TLS_SELF_SIGNED = "сайт использует самоподписанный сертификат HTTPS — браузер покажет предупреждение"
TLS_REVOKED = "сертификат HTTPS отозван — браузер покажет предупреждение"
TLS_UNTRUSTED_ROOT = (
    "сертификат HTTPS выдан центром сертификации, которого нет в общедоступном "
    "списке доверенных; браузер без дополнительно установленного корневого "
    "сертификата покажет предупреждение"
)
TLS_RUSSIAN_ROOT = (
    "сертификат HTTPS выдан Минцифры России (Russian Trusted Root CA): в браузере "
    "без установленного сертификата Минцифры появится предупреждение (Яндекс Браузер "
    "откроет сайт без предупреждения)"
)
TLS_UNKNOWN_ISSUER = (
    "не удаётся проверить сертификат HTTPS: сайт не передаёт промежуточный "
    "сертификат (неполная цепочка) или сертификат выдан неизвестным центром сертификации"
)
TLS_INCOMPLETE_CHAIN = (
    "неполная цепочка сертификатов HTTPS: сайт не передаёт промежуточный сертификат, "
    "часть браузеров покажет предупреждение"
)


def tls_other(verify_code: int | None) -> str:
    code = f" (код проверки {verify_code})" if verify_code is not None else ""
    return f"сертификат HTTPS не прошёл проверку{code} — браузер покажет предупреждение"


TLS_HANDSHAKE = "не удалось установить защищённое соединение HTTPS"


def with_tls_problem(tls_reason: str, inner_reason: str) -> str:
    return f"{tls_reason}; если не проверять сертификат: {inner_reason}"


# --- run-level -----------------------------------------------------------------
SKIPPED = "не проверена: закончилось общее время проверки"
HOST_BUDGET = ("не проверена в этот раз: время, отведённое на проверку этого сайта, закончилось — "
               "ссылка будет проверена в следующий раз")
HOST_TIMEOUTS = ("не проверена в этот раз: сайт несколько раз подряд не ответил, остальные его ссылки "
                 "будут проверены в следующий раз")
INTERNAL_ERROR = "ошибка программы проверки"
UNKNOWN_REASON = "причина записана в неизвестном этой версии сайта виде"


def first_failure(reason: str) -> str:
    return (
        f"{reason}. Это первая неудачная проверка подряд: если ошибка повторится "
        "при следующей проверке, ссылка будет отмечена как неработающая"
    )


VERDICT_LABELS = {"ok": "РАБОТАЕТ", "warning": "ВНИМАНИЕ", "broken": "НЕ РАБОТАЕТ"}


def summary(total: int, ok: int, warning: int, broken: int, moved: int, seconds: float, skipped: int = 0) -> str:
    text = (
        f"Проверено ссылок: {total}; работают: {ok}; требуют внимания: {warning}; "
        f"не работают: {broken}"
    )
    if moved:
        text += f"; перенесены на новый адрес: {moved}"
    if skipped:
        text += f"; отложены до следующей проверки: {skipped}"
    return text + f". Время проверки: {seconds:.1f} с."


ISSUE_INTRO = (
    "Ночная проверка ссылок нашла документы, которые не открываются. Ссылка попадает "
    "в этот список, только если она не открылась при двух проверках подряд. "
    "Исправьте адрес в файлах `data/` или попросите школу вернуть документ на сайт."
)
ISSUE_COLUMNS = ("Ссылка", "Где указана", "Что случилось", "Не работает с")


# --- reasons from codes ----------------------------------------------------------
# Bot protections by the word stored in reason_params (content.detect_bot_wall names them).
BOT_WALLS = {
    "cloudflare": "Cloudflare", "ddos_guard": "DDoS-Guard", "ddos": "защита от DDoS",
    "browser_check": "проверка браузера", "qrator": "Qrator", "stormwall": "StormWall", "variti": "Variti",
    "servicepipe": "ServicePipe", "smartcaptcha": "Яндекс SmartCaptcha",
}
_WALL_TOKENS = {name: token for token, name in BOT_WALLS.items()}


def wall_token(name: str) -> str:
    return _WALL_TOKENS.get(name, "other")


TLS_TEXTS = {
    "tls_expired": TLS_EXPIRED, "tls_not_yet_valid": TLS_NOT_YET_VALID, "tls_wrong_host": TLS_WRONG_HOST,
    "tls_self_signed": TLS_SELF_SIGNED, "tls_revoked": TLS_REVOKED, "tls_untrusted_root": TLS_UNTRUSTED_ROOT,
    "tls_unknown_issuer": TLS_UNKNOWN_ISSUER,
    "tls_incomplete_chain": TLS_INCOMPLETE_CHAIN, "tls_handshake": TLS_HANDSHAKE,
}

Params = Mapping[str, object]


def _n(p: Params, key: str, default: int = 0):
    value = p.get(key, default)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else default


def _tls(code: str, p: Params) -> str:
    if code == "tls_untrusted_root" and p.get("russian_root"):
        return TLS_RUSSIAN_ROOT
    if code == "tls_invalid":
        return tls_other(p.get("verify_code") if isinstance(p.get("verify_code"), int) else None)
    return TLS_TEXTS.get(code, UNKNOWN_REASON)


# code -> text from (params, shown host); every outside value reaches the text only as a cleaned,
# quoted parameter.
_REASONS: dict[str, Callable[[Params, Callable[[str], str]], str]] = {
    "ok": lambda p, q: OK,
    "invalid_url": lambda p, q: INVALID_KINDS.get(str(p.get("kind")), INVALID_URL),
    "not_found": lambda p, q: not_found(_n(p, "status", 404)),
    "gone": lambda p, q: GONE,
    "client_error": lambda p, q: client_error(_n(p, "status", 400)),
    "unexpected_status": lambda p, q: unexpected_status(_n(p, "status")),
    "server_error": lambda p, q: server_error(_n(p, "status", 500), _n(p, "attempts", 1)),
    "rate_limited": lambda p, q: rate_limited(_n(p, "attempts", 1)),
    "timeout": lambda p, q: timeout(_n(p, "seconds"), _n(p, "attempts", 1)),
    "slow_body": lambda p, q: SLOW_BODY,
    "dns": lambda p, q: dns_failure(q(_host(p.get("host"))), _n(p, "attempts", 1)),
    "refused": lambda p, q: connection_refused(_n(p, "attempts", 1)),
    "connection_error": lambda p, q: connection_error(_n(p, "attempts", 1)),
    "redirect_loop": lambda p, q: REDIRECT_LOOP,
    "too_many_redirects": lambda p, q: too_many_redirects(_n(p, "limit")),
    "redirect_without_location": lambda p, q: redirect_without_location(_n(p, "status", 300)),
    "invalid_redirect": lambda p, q: INVALID_REDIRECT,
    "forbidden": lambda p, q: forbidden(_n(p, "status", 403)),
    "unauthorized": lambda p, q: UNAUTHORIZED,
    "bot_wall": lambda p, q: (bot_wall(BOT_WALLS.get(str(p.get("wall")), "защита от автоматических запросов"))
                              if p.get("wall") else nonstandard_status(_n(p, "status"))),
    "private_address": lambda p, q: PRIVATE_ADDRESS,
    "login_required": lambda p, q: LOGIN_REQUIRED,
    "soft_404": lambda p, q: SOFT_404,
    "redirect_home": lambda p, q: REDIRECT_HOME,
    "redirect_error_page": lambda p, q: REDIRECT_ERROR_PAGE,
    "not_pdf": lambda p, q: NOT_PDF_HTML if p.get("html") else NOT_PDF,
    "empty_file": lambda p, q: EMPTY_FILE,
    "internal_error": lambda p, q: INTERNAL_ERROR,
    "skipped": lambda p, q: SKIPPED,
    "host_budget": lambda p, q: HOST_BUDGET,
    "host_timeouts": lambda p, q: HOST_TIMEOUTS,
}


def _host(value: object) -> str:
    from .urlnorm import display_host  # urlnorm imports this module

    return clean_text(display_host(str(value or "")), 255)


def shown_url(url: str) -> str:
    """A cleaned URL as people read it: Cyrillic host and path back, one line, bounded."""
    from .urlnorm import display_url  # urlnorm imports this module

    try:
        return clean_text(display_url(url), 200)
    except ValueError:
        return clean_text(url, 200)


def reason_text(code: str, params: Params | None = None, *, url: str | None = None, first: bool = False,
                quote: Callable[[str], str] | None = None) -> str:
    """The Russian reason of a verdict, from its code and parameters only.

    ``url`` is the link as written in the data (its #fragment is named in the text); ``first``
    adds that this is the first failed check in a row; ``quote`` wraps every value that came from
    outside (a URL, a host, a fragment) — the issue puts them in code spans.
    """
    p = dict(params or {})
    q = quote or (lambda text: text)
    tls = p.get("tls")
    main = str(p.get("inner") or code) if tls else code
    if main == "fragment_missing":
        fragment = clean_text(unquote((url or "").partition("#")[2]), 100)
        text = fragment_missing(q("#" + fragment), bool(p.get("truncated")))
    elif main.startswith("tls_"):
        text = _tls(main, p)
    else:
        text = _REASONS.get(main, lambda p, q: UNKNOWN_REASON)(p, q)
    if isinstance(p.get("after"), str):
        text = f"{text} ({after_redirect(q(shown_url(p['after'])))})"
    if isinstance(p.get("moved"), str):
        text = f"{text}; {permanent_redirect_note(q(shown_url(p['moved'])))}"
    if isinstance(p.get("onward"), str):
        text = client_redirect(q(shown_url(p["onward"])), text)
    if isinstance(tls, str):
        text = with_tls_problem(_tls(tls, p), text)
    return first_failure(text) if first else text
