"""data/ as a coordinator leaves it: valid, and every record reaches the site.

Nothing here names today's counts: a correct edit (a new school, a changed score) keeps these
passing. The documents' own figures are checked against the seed snapshot (tests/fixtures/seed-snapshot).
"""

from __future__ import annotations

import shutil

import yaml
from amp.build import prepare
from amp.problems import errors
from projectpaths import ROOT


def test_live_data_is_valid_and_every_record_has_a_page(live_dataset):
    dataset, problems = live_dataset
    assert errors(problems) == []
    build, _ = prepare(ROOT / "data")
    for school in dataset.schools:
        assert f"schools/{school}.md" in build.files
    for municipality in dataset.municipalities:
        assert f"municipalities/{municipality}.md" in build.files
    for direction in dataset.monitoring.directions:
        assert f"monitoring/{direction.id}.md" in build.files


def test_a_coordinators_correct_edit_builds(tmp_path):
    """A new school in a group and a changed score: the kind of pull request CI must let through."""
    data = shutil.copytree(ROOT / "data", tmp_path / "data")
    monitoring = yaml.safe_load((data / "monitoring.yaml").read_text(encoding="utf-8"))
    row = monitoring["directions"][0]["rows"][0]
    criterion = next(iter(row["scores"]))
    row["scores"][criterion] = 0 if row["scores"][criterion] else 1
    (data / "monitoring.yaml").write_text(yaml.safe_dump(monitoring, allow_unicode=True, sort_keys=False), encoding="utf-8")
    group = yaml.safe_load((data / "programme.yaml").read_text(encoding="utf-8"))["groups"][0]
    municipality = sorted(p.stem for p in (data / "municipalities").glob("*.yaml"))[0]
    (data / "schools" / "new-school-test.yaml").write_text(yaml.safe_dump({
        "id": "new-school-test", "name": "МБОУ СОШ № 999", "short_name": "СОШ № 999",
        "municipality": municipality, "municipality_basis": "указан в источнике",
        "participations": [{"group": group["number"], "number": 999, "name_in_source": "МБОУ СОШ № 999",
                            "level": None, "difficulties": None, "source": group["source"]}],
        "documents": [],
    }, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build, problems = prepare(data)
    assert build is not None, [p.format() for p in errors(problems)]
    assert "СОШ № 999" in build.files["schools/new-school-test.md"]
