"""Every published URL in data/, with who publishes it: the link checker's input."""

from __future__ import annotations

from pathlib import Path

from .derive import all_documents
from .load import load
from .problems import errors


def document_urls(dataset) -> list[tuple[str, str]]:
    """(url, owner) for each document of each school and municipality, in a stable order."""
    pairs = [(document.url, f"{owner.short_name if folder == 'schools' else owner.name} (data/{folder}/{owner.id}.yaml)")
             for folder, owner, document in all_documents(dataset)]
    for report in dataset.reports.values():
        pairs += [(m.url, f"банк материалов: {report.title}") for m in report.materials_bank.items if m.url]
    return pairs


def iter_document_urls(data_dir: Path) -> list[tuple[str, str]]:
    """The checker's entry point: refuses invalid data with the validator's own messages."""
    dataset, problems = load(data_dir)
    if dataset is None:
        raise ValueError("данные не прошли проверку:\n" + "\n".join(p.format() for p in errors(problems)))
    return document_urls(dataset)
