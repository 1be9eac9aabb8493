"""The outcome of checking one URL, as stored in reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass

OK = "ok"
WARNING = "warning"
BROKEN = "broken"


@dataclass(frozen=True)
class LinkResult:
    """One URL, one verdict, one Russian reason.

    ``url`` is the link exactly as written in the data; ``reason_code`` is a
    stable machine-readable name of the rule that decided the verdict.
    """

    url: str
    verdict: str
    reason: str
    reason_code: str
    http_status: int | None
    final_url: str | None
    attempts: int
    elapsed_s: float
    checked_at: str
    permanent_redirect: str | None = None
    skipped: bool = False

    def to_dict(self) -> dict:
        data = asdict(self)
        data["elapsed_s"] = round(self.elapsed_s, 3)
        return data
