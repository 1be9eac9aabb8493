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


# Events that run a workflow for a pull request (or for code a pull request controls).
PULL_REQUEST_EVENTS = {"pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment",
                       "issue_comment", "workflow_run", "workflow_call", "merge_group"}
SELF_HOSTED_TRIGGERS = {"schedule", "workflow_dispatch"}


def load(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(spec: dict) -> set[str]:
    on = spec.get("on", spec.get(True))  # YAML 1.1 reads the key «on» as true
    if isinstance(on, str):
        return {on}
    return set(on or ())


def self_hosted_problems(spec: dict, name: str) -> list[str]:
    """Why a workflow lets a pull request reach a self-hosted runner ([] if it cannot)."""
    import json

    jobs = [job for job, body in spec.get("jobs", {}).items() if "self-hosted" in json.dumps(body.get("runs-on"))]
    other = triggers(spec) - SELF_HOSTED_TRIGGERS
    return [f"{name}: задача {job} может идти на своём раннере, а workflow запускают ещё и {sorted(other)}"
            for job in jobs] if other else []


def test_no_workflow_a_pull_request_can_run_uses_a_self_hosted_runner():
    for workflow in WORKFLOWS:
        assert self_hosted_problems(load(workflow), workflow.name) == []


def test_the_self_hosted_check_is_caught_if_a_pull_request_could_reach_it():
    for extra in ("pull_request", "pull_request_target"):
        spec = load(ROOT / ".github" / "workflows" / "linkcheck.yml")
        spec["on"] = {**spec.pop(True, spec.get("on")), extra: None}
        assert self_hosted_problems(spec, "linkcheck.yml"), extra


def test_the_link_check_runs_only_on_schedule_and_by_hand():
    spec = load(ROOT / ".github" / "workflows" / "linkcheck.yml")
    assert triggers(spec) == SELF_HOSTED_TRIGGERS
    assert not triggers(spec) & PULL_REQUEST_EVENTS


def test_the_self_hosted_runner_is_chosen_by_labels_a_runner_group_can_restrict():
    """`runs-on: [self-hosted]` would take any of the repository's runners; the label «linkcheck» is
    given only to the runner in the group opened to this workflow (README)."""
    import json
    import re

    spec = load(ROOT / ".github" / "workflows" / "linkcheck.yml")
    runs_on = spec["jobs"]["check"]["runs-on"]
    labels = [json.loads(found) for found in re.findall(r"'(\[[^']*\])'", runs_on)]
    assert labels == [["self-hosted", "linkcheck"]], runs_on
    assert all(job.get("runs-on") == "ubuntu-latest" for name, job in spec["jobs"].items() if name != "check")


def step_running(workflow: str, script: str) -> tuple[dict, dict]:
    spec = load(ROOT / ".github" / "workflows" / workflow)
    return next((job, step) for job in spec["jobs"].values() for step in job.get("steps", [])
                if script in step.get("run", ""))


def test_pull_requests_are_checked_for_a_changed_link_history_by_trustworthy_fields():
    job, step = step_running("deploy.yml", "scripts/check_pr_files.py")
    assert step["if"] == "${{ !cancelled() && github.event_name == 'pull_request' }}"
    names = [s.get("name") for s in job["steps"]]
    assert names.index(step["name"]) == names.index("Проверка данных и сборка сайта") + 1  # data errors first
    assert "--base HEAD^1 --head HEAD" in step["run"] and "${{" not in step["run"]
    assert step["env"] == {"PR_AUTHOR": "${{ github.event.pull_request.user.login }}",
                           "PR_HEAD_REPO": "${{ github.event.pull_request.head.repo.full_name }}"}
    assert job["steps"][0]["with"]["fetch-depth"] == 0  # the merge commit's first parent is there


def test_the_nightly_job_writes_only_a_history_the_site_reads_without_warnings():
    _, step = step_running("linkcheck.yml", "scripts/validate_link_status.py")
    run = step["run"]
    assert run.index("scripts/validate_link_status.py result/data/link_status.yaml") < run.index(
        "cp result/data/link_status.yaml data/link_status.yaml")


def test_codeowners_is_valid_and_covers_the_guarded_files():
    import re

    lines = [line.split() for line in (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    patterns = [pattern for pattern, *_ in lines]
    assert {"/data/link_status.yaml", "/.github/", "/scripts/check_pr_files.py"} <= set(patterns)
    owner = re.compile(r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?|[^@\s]+@[^@\s]+\.[a-z]+")
    for pattern, *owners in lines:
        assert pattern.startswith("/") and not pattern.startswith("!"), pattern  # negation is not supported
        assert all(owner.fullmatch(o) for o in owners), owners
