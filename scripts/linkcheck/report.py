"""Reports of a run: the JSON file, lines for people, the issue text.

Log lines and the issue are inert text: log lines go through :func:`clean.log_line` (no
terminal escapes, no workflow commands), and in the issue every value that did not come from
:mod:`messages` — URLs, owners, hosts — is a code span, which GitHub shows as it is (no link,
mention, HTML or table break).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from . import messages
from .clean import code_span, log_line
from .history import entry_reason
from .result import BROKEN, OK, WARNING, LinkResult

Owners = Mapping[str, Sequence[str]]


def report_records(results: Iterable[LinkResult], owners: Owners | None = None) -> list[dict]:
    """JSON-ready dicts sorted by URL (stable diffs between runs)."""
    records = []
    for r in sorted(results, key=lambda r: r.url):
        data = r.to_dict()
        if owners is not None:
            data["owners"] = list(owners.get(r.url, ()))
        records.append(data)
    return records


def write_json(path: Path, results: Iterable[LinkResult], owners: Owners | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report_records(results, owners), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")


def human_lines(results: Iterable[LinkResult], owners: Owners | None = None) -> list[str]:
    """One line per link that is not ok: broken first, then warnings."""
    order = {BROKEN: 0, WARNING: 1}
    lines = []
    for r in sorted((r for r in results if r.verdict != OK), key=lambda r: (order[r.verdict], r.url)):
        where = ""
        if owners and owners.get(r.url):
            where = f" [{'; '.join(owners[r.url])}]"
        lines.append(log_line(f"{messages.VERDICT_LABELS[r.verdict]}: {r.url} — {r.reason}{where}"))
    return lines


def summary_line(results: Sequence[LinkResult], seconds: float) -> str:
    count = {v: sum(1 for r in results if r.verdict == v) for v in (OK, WARNING, BROKEN)}
    moved = sum(1 for r in results if r.permanent_redirect)
    skipped = sum(1 for r in results if r.skipped)
    return log_line(messages.summary(len(results), count[OK], count[WARNING], count[BROKEN], moved, seconds,
                                     skipped))


def issue_markdown(history: Mapping[str, Mapping], owners: Owners | None = None) -> str:
    """Text of the «broken links» issue; empty when nothing is announced broken."""
    rows = [(url, entry) for url, entry in sorted(history.items()) if entry.get("verdict") == BROKEN]
    if not rows:
        return ""
    head = "| " + " | ".join(messages.ISSUE_COLUMNS) + " |"
    lines = [messages.ISSUE_INTRO, "", head, "|" + "---|" * len(messages.ISSUE_COLUMNS)]
    for url, entry in rows:
        where = "; ".join(code_span(owner) for owner in (owners or {}).get(url, ())) or "—"
        since = str(entry.get("failing_since") or "")
        cells = [code_span(url), where, entry_reason(entry, url, quote=code_span),
                 since if _DATE.match(since) else "—"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def history_from_results(results: Iterable[LinkResult]) -> dict[str, dict]:
    """Minimal history-shaped view of one run (for the issue when history is off)."""
    return {
        r.url: {"verdict": r.verdict, "last_verdict": r.verdict, "reason_code": r.reason_code,
                "reason_params": r.reason_params, "failing_since": r.checked_at[:10]}
        for r in results
        if not r.skipped
    }
