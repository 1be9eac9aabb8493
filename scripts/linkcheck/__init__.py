"""Link checker of the open-data site: takes URLs, returns verdicts; knows nothing of the data model.

Public API::

    from linkcheck import CheckConfig, check_urls
    results = check_urls(["https://школа50.рф/документы/план.pdf"], CheckConfig(per_host=2))

    from linkcheck import load_history, update_history, save_history
    history = update_history(load_history(path), results, date.today())
    save_history(path, history)

Modules: ``checker`` (many URLs at once, retries and the verdict rules), ``fetch`` (one pass with
redirects and a bounded body), ``netguard`` (only public addresses), ``urlnorm`` (IDN and
percent-encoding), ``clean`` (the one cleaning step for whatever the network sent, and inert log and
issue text), and this project's own parts: ``content`` (what a Russian page says), ``tls``
(certificate diagnoses), ``history`` (the two-night status file), ``report`` (JSON and text),
``messages`` (all Russian texts), ``result`` (the verdict vocabulary the site reads).
"""

from .checker import check_urls
from .config import USER_AGENT, CheckConfig
from .clean import clean_text, clean_url, code_span, log_line
from .history import HistoryRejected, dump_history, entry_reason, load_history, save_history, update_history
from .report import human_lines, issue_markdown, summary_line, write_json
from .result import BROKEN, OK, WARNING, LinkResult
from .urlnorm import InvalidUrlError, normalize_url

__all__ = [
    "BROKEN", "OK", "USER_AGENT", "WARNING", "CheckConfig", "HistoryRejected", "InvalidUrlError", "LinkResult",
    "check_urls", "clean_text", "clean_url", "code_span", "dump_history", "entry_reason", "human_lines",
    "issue_markdown", "load_history", "log_line", "normalize_url", "save_history", "summary_line",
    "update_history", "write_json",
]
