from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from postguard.config import Config, parse_config
from postguard.engine.ruleset import RuleSet, load_ruleset
from postguard.engine.runner import Engine
from postguard.inputs.post_builder import build_post
from postguard.model import Finding

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

LAKESHORE = """
institution:
  names: ["Lakeshore Health", "Lakeshore Medical Center"]
  brand_terms: ["Lakeshore", "LSH"]
  official_handles: ["@LakeshoreHealth"]
  public_contacts: ["(555) 201-4000", "appointments@lakeshorehealth.org", "1200 Harbor Drive"]
  domains: ["lakeshorehealth.org"]
"""


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may pick up a .postguard.yaml from the developer's folders."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="session")
def lakeshore_config() -> Config:
    return parse_config(LAKESHORE, "lakeshore.yaml")


@pytest.fixture(scope="session")
def lakeshore_rules(lakeshore_config: Config) -> RuleSet:
    return load_ruleset(lakeshore_config)


CheckFn = Callable[..., list[Finding]]


@pytest.fixture(scope="session")
def check(lakeshore_config: Config, lakeshore_rules: RuleSet) -> CheckFn:
    """Check one post text (plus metadata) against the built-in rules and Lakeshore config."""
    engine = Engine(lakeshore_rules, lakeshore_config)

    def run(text: str, **meta: object) -> list[Finding]:
        post = build_post("post.md", None, meta, text, body_position=(1, 1), key_positions={}, base_dir=os.getcwd())
        return list(post.problems) + engine.check(post)

    return run


def categories(findings: list[Finding]) -> set[str]:
    return {f.category for f in findings}
