"""The GitHub workflows: valid against GitHub's schema, and clean under zizmor's security audits
(pinned actions, least privilege, no template injection, no persisted credentials)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from projectpaths import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def zizmor(*paths) -> subprocess.CompletedProcess:
    # --offline: no GitHub API calls (the audits that need the network are skipped, not failed).
    return subprocess.run([str(BIN / "zizmor"), "--offline", "--no-progress", "--color", "never",
                           "--min-severity", "medium", *map(str, paths)], capture_output=True, text=True, timeout=120)


def test_workflows_have_no_finding_of_medium_severity_or_above():
    result = zizmor(ROOT / ".github" / "workflows")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_githubs_schema(workflow):
    result = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_job_is_least_privilege_with_a_time_limit():
    import yaml

    for workflow in WORKFLOWS:
        spec = yaml.safe_load(workflow.read_text(encoding="utf-8"))
        assert spec.get("permissions") == {}, workflow.name
        for name, job in spec["jobs"].items():
            assert "timeout-minutes" in job, f"{workflow.name}: {name}"
            assert "permissions" in job, f"{workflow.name}: {name}"
            for step in job.get("steps", []):
                uses = step.get("uses")
                if uses:
                    assert len(uses.split("@", 1)[1]) == 40, f"{workflow.name}: {uses}"


def test_the_audit_catches_what_it_should(tmp_path):
    """The gate is real: an unpinned action and a template injection are reported."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "name: bad\non: [pull_request]\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-latest\n"
        "    timeout-minutes: 5\n    permissions: {}\n    steps:\n      - uses: actions/checkout@v4\n"
        "      - run: echo \"${{ github.event.pull_request.title }}\"\n", encoding="utf-8")
    result = zizmor(bad)
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout and "template-injection" in result.stdout
