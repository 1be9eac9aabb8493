"""The synthetic national dataset (scripts/synthetic_data.py) is valid, realistic and reproducible."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

from amp.load import load
from amp.problems import errors
from projectpaths import ROOT

SCRIPT = ROOT / "scripts" / "synthetic_data.py"


def generate(out, *extra):
    result = subprocess.run([sys.executable, str(SCRIPT), "--schools", "30", "--out", str(out), *extra],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.yaml"))}


def test_thirty_schools_pass_the_validator(tmp_path):
    data = generate(tmp_path / "data")
    dataset, problems = load(data)
    assert errors(problems) == []
    assert len(dataset.schools) == 30
    assert len(dataset.municipalities) == 7  # about 0,23 municipalities per school, as in the country
    kinds = Counter(m.kind for m in dataset.municipalities.values())
    assert set(kinds) <= {"муниципальный район", "городской округ"}
    groups = Counter(p.group for s in dataset.schools.values() for p in s.participations)
    assert set(groups) == {1, 2, 3}
    # Russian names, and some facts the documents leave out («нет данных»).
    assert all(any("а" <= ch <= "я" for ch in s.name.lower()) for s in dataset.schools.values())
    levels = [p.level for s in dataset.schools.values() for p in s.participations]
    assert None in levels and {1, 2, 3} & set(levels)


def test_the_same_seed_gives_the_same_files(tmp_path):
    first = snapshot(generate(tmp_path / "a"))
    assert first == snapshot(generate(tmp_path / "b"))
    assert first != snapshot(generate(tmp_path / "c", "--seed", "2"))


def test_a_folder_that_is_not_empty_is_kept_unless_forced(tmp_path):
    data = generate(tmp_path / "data")
    again = subprocess.run([sys.executable, str(SCRIPT), "--schools", "30", "--out", str(data)],
                           capture_output=True, text=True)
    assert again.returncode == 2 and "--force" in again.stderr
    generate(data, "--force")
