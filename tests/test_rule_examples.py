"""Every example of every built-in rule, plus meta-tests that keep the rule corpus honest."""

from __future__ import annotations

import re

import pytest

from postguard.config import Config
from postguard.engine.examples import ExampleResult, run_examples
from postguard.engine.ruleset import load_ruleset
from postguard.model import CATEGORIES

from .conftest import SHARED

RULESET = load_ruleset(Config())
RESULTS = run_examples(RULESET, RULESET.packs)


@pytest.mark.parametrize("result", RESULTS, ids=[r.label.split("/")[-1] for r in RESULTS])
def test_example(result: ExampleResult) -> None:
    verb = "must be flagged" if result.expect_flag else "must not be flagged"
    assert result.ok, f"{result.label}: {result.example.text or result.example.file!r} {verb}"


def test_rule_ids_are_unique() -> None:
    ids = [r.id for r in RULESET.all_rules]
    assert len(ids) == len(set(ids))


def test_every_contract_category_has_a_rule() -> None:
    covered = {r.category for r in RULESET.all_rules}
    # image-metadata findings come from the image reader (rules/image.yaml).
    assert set(CATEGORIES) - covered == set()


def test_every_rule_has_flag_and_pass_examples() -> None:
    for rule in RULESET.all_rules:
        assert rule.examples_pass, rule.id
        # No small file shows a timeout of a built-in rule or unreadable text (tests/images does).
        if rule.id not in ("input.rule-timeout", "input.image-unread-text"):
            assert rule.examples_flag, rule.id


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="guideline seeds not beside the checkout")
def test_policy_quotes_are_verbatim_from_the_seeds() -> None:
    seeds = {p.name: _squash(p.read_text(encoding="utf-8")) for p in (SHARED / "seeds").glob("*.txt")}
    contract = _squash((SHARED / "spec" / "contract.md").read_text(encoding="utf-8"))
    for rule in RULESET.all_rules:
        source = rule.policy.source.split()[0]
        text = contract if source == "contract.md" else seeds.get(source)
        assert text is not None, f"{rule.id}: unknown policy source {source}"
        assert _squash(rule.policy.quote) in text, f"{rule.id}: quote not found in {source}"
