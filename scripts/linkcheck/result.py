"""The outcome of checking one URL, as stored in reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from . import messages
from .clean import clean_params, clean_url

OK = "ok"
WARNING = "warning"
BROKEN = "broken"


@dataclass(frozen=True)
class LinkResult:
    """One URL, one verdict, one reason code with its parameters.

    ``url`` is the link exactly as written in the data; ``reason_code`` is a
    stable machine-readable name of the rule that decided the verdict, and
    ``reason_params`` its numbers and addresses. Whatever came from the
    network (``final_url``, ``permanent_redirect``, URL and host parameters)
    is cleaned here, when the result is made, so no result holds it raw.
    """

    url: str
    verdict: str
    reason_code: str
    http_status: int | None
    final_url: str | None
    attempts: int
    elapsed_s: float
    checked_at: str
    permanent_redirect: str | None = None
    skipped: bool = False
    reason_params: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason_params", clean_params(self.reason_params))
        for name in ("final_url", "permanent_redirect"):
            value = getattr(self, name)
            object.__setattr__(self, name, clean_url(value) if value else None)
        if self.http_status is not None and not 0 <= self.http_status < 1000:
            object.__setattr__(self, "http_status", None)

    @property
    def reason(self) -> str:
        """The Russian reason, made from the code and parameters only."""
        return messages.reason_text(self.reason_code, self.reason_params, url=self.url)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["elapsed_s"] = round(self.elapsed_s, 3)
        data["reason"] = self.reason
        return data
