"""Downloads for machines: the whole dataset as one JSON file and the data model as JSON Schema.

The tables for people (CSV, XLSX, JSON per table, data dictionary) are in opendata.py.
"""

from __future__ import annotations

import json

from .derive import Dataset
from .model import FOLDERS, SINGLE_FILES
from .opendata import open_data_paths, render_open_data


def dataset_json(ds: Dataset) -> str:
    def dump(record):
        return record.model_dump(mode="json")

    payload = {
        "sources": dump(ds.sources), "programme": dump(ds.programme), "monitoring": dump(ds.monitoring),
        "roadmaps": dump(ds.roadmaps), "tools_matrix": dump(ds.tools_matrix),
        "schools": [dump(s) for s in ds.schools.values()],
        "municipalities": [dump(m) for m in ds.municipalities.values()],
        "reports": [dump(r) for r in ds.reports.values()],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def json_schemas() -> dict[str, str]:
    """The data model as JSON Schema, one per kind of data file (for editors that validate YAML)."""
    kinds = {name.removesuffix(".yaml"): model for name, model in SINGLE_FILES.items()}
    kinds.update({folder.removesuffix("s") if folder != "municipalities" else "municipality": model
                  for folder, model in FOLDERS.items()})
    return {f"downloads/schema/{kind}.schema.json": json.dumps(model.model_json_schema(), ensure_ascii=False,
                                                                 indent=1, sort_keys=True) + "\n"
            for kind, model in sorted(kinds.items())}


def download_paths(ds: Dataset) -> list[str]:
    """The address of every download, known before any is made (the build makes them beside MkDocs)."""
    return sorted([*json_schemas(), *open_data_paths(ds), "downloads/dataset.json"])


def render_downloads(ds: Dataset, status: dict) -> dict[str, str | bytes]:
    return {
        **json_schemas(),
        **render_open_data(ds, status),
        "downloads/dataset.json": dataset_json(ds),
    }
