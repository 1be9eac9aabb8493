"""Link checker of the open-data site.

Public API::

    from linkcheck import CheckConfig, check_urls
    results = check_urls(["https://школа50.рф/документы/план.pdf"], CheckConfig(per_host=2))

    from linkcheck import load_history, update_history, save_history
    history = update_history(load_history(path), results, date.today())
    save_history(path, history)

Modules: ``urlnorm`` (IDN and percent-encoding), ``hostlimit`` (per-host
limits), ``deadline`` (wall-clock limit per attempt), ``transport`` (HTTP
session), ``fetch`` (one pass with redirects), ``content`` (what a body
says), ``tls`` (certificate problems), ``checker`` (verdict rules and
retries for one URL), ``runner`` (many URLs), ``report`` (JSON and text),
``history`` (status file), ``sources`` (where URLs come from), ``messages``
(all Russian texts).
"""

from .checker import CheckContext, check_url
from .config import USER_AGENT, CheckConfig
from .history import dump_history, load_history, save_history, update_history
from .report import human_lines, issue_markdown, summary_line, write_json
from .result import BROKEN, OK, WARNING, LinkResult
from .runner import check_urls
from .urlnorm import InvalidUrlError, normalize_url

__all__ = [
    "BROKEN",
    "OK",
    "USER_AGENT",
    "WARNING",
    "CheckConfig",
    "CheckContext",
    "InvalidUrlError",
    "LinkResult",
    "check_url",
    "check_urls",
    "dump_history",
    "human_lines",
    "issue_markdown",
    "load_history",
    "normalize_url",
    "save_history",
    "summary_line",
    "update_history",
    "write_json",
]
