"""The JSON Schema editors use is the data model's, kept current, and rejects what the validator rejects."""

from __future__ import annotations

import json
import shutil

import editor_schemas
import pytest
import yaml
from amp.load import load
from amp.problems import errors
from jsonschema import Draft202012Validator
from projectpaths import FIXTURES, ROOT


def test_the_editor_schemas_are_current_and_wired_for_every_data_file():
    assert editor_schemas.main(["--check"]) == 0, "make schemas"
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    wired = set(settings["yaml.schemas"])
    assert wired == {f"./.vscode/schemas/{name}" for name in editor_schemas.expected()}


def schema_errors(kind: str, record: dict) -> list[str]:
    schema = json.loads(editor_schemas.expected()[f"{kind}.schema.json"])
    # An editor reads YAML dates as text: compare the way it does.
    document = json.loads(json.dumps(record, default=str))
    return [e.message for e in Draft202012Validator(schema).iter_errors(document)]


def alpha() -> dict:
    return yaml.safe_load((FIXTURES / "minimal" / "data" / "schools" / "alpha.yaml").read_text(encoding="utf-8"))


BROKEN = {
    "an unknown field": lambda r: r.update(munisipality="town"),
    "a missing field": lambda r: r.pop("name"),
    "a level outside 1–3": lambda r: r["participations"][0].update(level=5),
    "an id with capitals": lambda r: r.update(id="Alpha"),
    "an address without http": lambda r: r["documents"][0].update(url="school.ru/plan.pdf"),
    "an empty name": lambda r: r.update(name=""),
    "text where a number goes": lambda r: r["participations"][0].update(number="один"),
}


def test_a_valid_record_passes_both():
    assert schema_errors("school", alpha()) == []


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_what_the_validator_refuses_the_schema_refuses(tmp_path, case):
    record = alpha()
    BROKEN[case](record)
    assert schema_errors("school", record), case
    data = shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    (data / "schools" / "alpha.yaml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    _, problems = load(data)
    assert errors(problems), case
