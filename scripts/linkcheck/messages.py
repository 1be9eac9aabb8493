"""Every text a person reads, in Russian, worded for a school coordinator.

Kept in one module so the wording stays consistent and the checking code
only deals with reason codes.
"""

from __future__ import annotations

# --- the link itself is written wrongly ------------------------------------
INVALID_URL_EMPTY = "пустая ссылка"
INVALID_URL_NO_HOST = "в ссылке нет адреса сайта"


def invalid_host(host: str) -> str:
    return f"в ссылке неверное имя сайта «{host}»"


def invalid_scheme(scheme: str) -> str:
    return f"это не ссылка на веб-страницу (начинается с «{scheme}:»)"


def invalid_url(raw: str) -> str:
    return f"ссылка записана с ошибкой: «{raw}»"


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
        f"сайт {host} не найден: такого домена нет или истёк срок его регистрации "
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


def soft_404(found: str) -> str:
    return f"сайт открывается, но пишет «{found}» — вероятно, материал удалён"


REDIRECT_HOME = (
    "ссылка на документ переадресует на главную страницу сайта — вероятно, "
    "документ удалён или перенесён"
)
REDIRECT_ERROR_PAGE = "ссылка переадресует на страницу ошибки — вероятно, материал удалён"


def fragment_missing(fragment: str, truncated: bool) -> str:
    where = " (в начале страницы)" if truncated else ""
    return (
        f"страница открывается, но на ней не найден раздел «#{fragment}»{where}, "
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


def tls_other(detail: str) -> str:
    return f"сертификат HTTPS не прошёл проверку ({detail})"


def tls_handshake(detail: str) -> str:
    return f"не удалось установить защищённое соединение HTTPS ({detail})"


def with_tls_problem(tls_reason: str, inner_reason: str) -> str:
    return f"{tls_reason}; если не проверять сертификат: {inner_reason}"


# --- run-level -----------------------------------------------------------------
SKIPPED = "не проверена: закончилось общее время проверки"


def internal_error(detail: str) -> str:
    return f"ошибка программы проверки: {detail}"


def first_failure(reason: str) -> str:
    return (
        f"{reason}. Это первая неудачная проверка подряд: если ошибка повторится "
        "при следующей проверке, ссылка будет отмечена как неработающая"
    )


VERDICT_LABELS = {"ok": "РАБОТАЕТ", "warning": "ВНИМАНИЕ", "broken": "НЕ РАБОТАЕТ"}


def summary(total: int, ok: int, warning: int, broken: int, moved: int, seconds: float) -> str:
    text = (
        f"Проверено ссылок: {total}; работают: {ok}; требуют внимания: {warning}; "
        f"не работают: {broken}"
    )
    if moved:
        text += f"; перенесены на новый адрес: {moved}"
    return text + f". Время проверки: {seconds:.1f} с."


ISSUE_INTRO = (
    "Ночная проверка ссылок нашла документы, которые не открываются. Ссылка попадает "
    "в этот список, только если она не открылась при двух проверках подряд. "
    "Исправьте адрес в файлах `data/` или попросите школу вернуть документ на сайт."
)
ISSUE_COLUMNS = ("Ссылка", "Где указана", "Что случилось", "Не работает с")
