"""The annotated demo posts in fixtures/demo: each must trigger exactly the rules listed in
fixtures/expected.yaml (input findings for the demo's placeholder images aside)."""

from __future__ import annotations

import os

import pytest
import yaml

from postguard.check import run_check
from postguard.config import load_config
from postguard.engine.ruleset import load_ruleset

from .conftest import REPO

DEMO = REPO / "fixtures" / "demo"
EXPECTED = yaml.safe_load((REPO / "fixtures" / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo_report() -> dict[str, set[str]]:
    config = load_config(str(DEMO / ".postguard.yaml"))
    report = run_check([str(DEMO)], config, load_ruleset(config))
    found: dict[str, set[str]] = {}
    for finding in report.findings:
        relative = os.path.relpath(finding.path, DEMO).replace(os.sep, "/")
        if finding.category != "input":
            found.setdefault(relative, set()).add(finding.rule)
    return found


@pytest.mark.parametrize("post", sorted(EXPECTED))
def test_demo_post(post: str, demo_report: dict[str, set[str]]) -> None:
    assert demo_report.get(post, set()) == set(EXPECTED[post] or [])


def test_every_demo_post_is_annotated(demo_report: dict[str, set[str]]) -> None:
    assert set(demo_report) <= set(EXPECTED)


def test_excluded_folder_is_not_checked(demo_report: dict[str, set[str]]) -> None:
    assert not any(path.startswith("archive/") for path in demo_report)
