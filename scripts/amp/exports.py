"""Open-data downloads: the dataset as CSV tables (pandas) and one JSON file.

Unknown values stay empty cells in CSV and null in JSON — never 0.
"""

from __future__ import annotations

import io
import json

import pandas as pd

from . import derive
from .derive import Dataset
from .model import FOLDERS, SINGLE_FILES


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    # Integers with gaps would become floats («1.0»); the nullable Int64 type keeps them whole.
    frame = pd.DataFrame(rows).convert_dtypes()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def schools_table(ds: Dataset) -> str:
    rows = []
    for school in ds.schools.values():
        base = {"id": school.id, "name": school.name, "short_name": school.short_name,
                "municipality": school.municipality, "municipality_basis": school.municipality_basis}
        if not school.participations:
            rows.append({**base, "group": None, "number_in_group": None, "level": None, "difficulties": None})
        for p in school.participations:
            rows.append({**base, "group": p.group, "number_in_group": p.number, "level": p.level,
                         "difficulties": p.difficulties})
    return _csv(rows)


def municipalities_table(ds: Dataset) -> str:
    rows = []
    for m in ds.municipalities.values():
        status = m.status.model_dump(exclude={"source", "row", "name_in_source"}) if m.status else {}
        totals = {}
        for direction in ds.monitoring.directions:
            row = next((r for r in direction.rows if r.municipality == m.id), None)
            totals[f"total_{direction.id}"] = derive.computed_total(row) if row else None
        rows.append({"id": m.id, "name": m.name, "kind": m.kind, "listed_in_seed": m.listed_in_seed,
                     "survey_500plus_2022": status.get("survey_500plus_2022"),
                     "documents_500plus_2021": status.get("documents_500plus_2021"),
                     "documents_ravenstvo": status.get("documents_ravenstvo"),
                     "municipal_roadmap": status.get("municipal_roadmap"),
                     "schools": len(derive.schools_of(ds.schools, m.id)), **totals})
    return _csv(rows)


def monitoring_table(ds: Dataset) -> str:
    rows = []
    for direction in ds.monitoring.directions:
        for row in direction.rows:
            rows.append({"direction": direction.id, "municipality": row.municipality, **row.scores,
                         "computed_total": derive.computed_total(row), "stated_total": row.stated_total})
    return _csv(rows)


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


def render_downloads(ds: Dataset) -> dict[str, str]:
    return {
        **json_schemas(),
        "downloads/schools.csv": schools_table(ds),
        "downloads/municipalities.csv": municipalities_table(ds),
        "downloads/monitoring.csv": monitoring_table(ds),
        "downloads/dataset.json": dataset_json(ds),
    }
