"""Rule pack validation: every problem is `FILE:LINE: what is wrong`, raised before checking."""

from __future__ import annotations

from pathlib import Path

import pytest

from postguard.config import Config
from postguard.engine import runner
from postguard.engine.pack import load_pack
from postguard.engine.ruleset import build_ruleset, load_ruleset
from postguard.engine.runner import Engine
from postguard.errors import RuleError
from postguard.inputs.post_builder import build_post

GOOD_RULE = """
  - id: team.word
    category: conduct
    severity: warning
    kind: terms
    terms: [bad word]
    message: Bad word
    policy: {source: our-policy.pdf, quote: "Be kind."}
    examples:
      flag: ["a bad word here"]
      pass: ["a good word here"]
"""


def _load(text: str, path: str = "team.yaml") -> list[object]:
    pack = load_pack(path, text)
    packs = load_ruleset(Config()).packs + [pack]
    return build_ruleset(packs, Config()).rules


def test_a_valid_custom_pack_loads() -> None:
    rules = _load("pack: team\nrules:" + GOOD_RULE)
    assert any(getattr(r, "id", "") == "team.word" for r in rules)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pack: team\nrules:" + GOOD_RULE.replace("severity: warning", "severity: fatal"), r"team.yaml:5: rule team.word: 'severity' must be one of"),
        ("pack: team\nrules:" + GOOD_RULE.replace("category: conduct", "category: rudeness"), r"team.yaml:4: .*'category' must be one of"),
        ("pack: team\nrules:" + GOOD_RULE.replace("    terms: [bad word]\n", "    terms: [bad word]\n    colour: red\n"), r"team.yaml:8: rule team.word: unknown key 'colour'"),
        ("pack: team\nrules:" + GOOD_RULE.replace("    policy: {source: our-policy.pdf, quote: \"Be kind.\"}\n", ""), r"'policy' is required"),
        ("pack: team\nrules:" + GOOD_RULE.replace("      flag: [\"a bad word here\"]\n", ""), r"'flag' must list at least one example"),
        ("pack: team\nrules:" + GOOD_RULE.replace("id: team.word", "id: Team Word"), r"'id' must look like"),
        ("pack: team\nrules: [\n", r"team.yaml:\d+: invalid YAML"),
        ("pack: team\nrules:" + GOOD_RULE.replace("kind: terms\n    terms: [bad word]", "kind: pattern\n    pattern: '(unclosed'"), r"team.yaml:\d+: rule team.word: 'pattern' is not a valid regular expression"),
        ("pack: team\nrules:" + GOOD_RULE.replace("kind: terms\n    terms: [bad word]", "kind: pattern\n    pattern: '(a|aa)+$'"), r"backtracks catastrophically"),
        ("pack: team\nrules:" + GOOD_RULE.replace("kind: terms\n    terms: [bad word]", "kind: terms\n    sets: [no_such_set]"), r"unknown term set 'no_such_set'"),
        ("pack: team\nrules:" + GOOD_RULE.replace("kind: terms", "kind: pattern"), r"'pattern' is required for kind 'pattern'"),
        ("pack: team\nrules:" + GOOD_RULE.replace("kind: terms\n    terms: [bad word]", "kind: pattern\n    pattern: >-\n      it''s bad"), r"team.yaml:\d+: rule team.word: 'pattern' has two apostrophes"),
        ("pack: team\nrules:" + GOOD_RULE.replace("id: team.word", "id: phi.mrn"), r"rule id 'phi.mrn' is already defined"),
        ("pack: team\nrules:" + GOOD_RULE.replace("    terms: [bad word]\n", "    terms: [bad word]\n    value_in: [no_such_set]\n"), r"unknown term set 'no_such_set'"),
    ],
)
def test_invalid_packs_name_file_line_and_problem(text: str, expected: str) -> None:
    with pytest.raises(RuleError, match=expected):
        _load(text)


def test_a_slow_pattern_is_stopped_and_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    # A pattern that passes the load-time probe but is slow on one crafted post.
    pack = load_pack("team.yaml", "pack: team\nrules:" + GOOD_RULE.replace(
        "kind: terms\n    terms: [bad word]", "kind: pattern\n    pattern: '(?:z|zz)+$'"))
    ruleset = build_ruleset([pack], Config())
    monkeypatch.setattr(runner, "MATCH_TIMEOUT", 0.05)
    post = build_post("p.txt", None, {}, "z" * 5000 + "!", body_position=(1, 1), key_positions={}, base_dir=".")
    findings = Engine(ruleset, Config()).check(post)
    assert [f.rule for f in findings] == ["input.rule-timeout"]
    assert findings[0].severity.value == "error"


def test_builtin_packs_ship_with_the_package() -> None:
    from postguard.engine.ruleset import builtin_pack_paths

    names = {Path(p).stem for p in builtin_pack_paths()}
    assert {"phi", "case", "account", "advocacy", "input", "common", "names"} <= names


def test_choosing_builtin_packs_keeps_the_shared_term_sets() -> None:
    # `builtin_packs: [phi]` must not drop the set-only packs phi's rules refer to.
    ruleset = load_ruleset(Config(builtin_packs=("phi",)))
    assert {r.pack for r in ruleset.rules} == {"phi", "input"}
    assert "patient" in ruleset.sets and "given_names" in ruleset.sets


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("pt Priscilla wants her tea", True),
        ("pt Breakfast wants her tea", False),  # capitalised, but not a name in the set
        ("pt priscilla wants her tea", True),  # the set is matched in any case
    ],
)
def test_value_in_keeps_only_matches_found_in_the_set(text: str, flagged: bool) -> None:
    rule = GOOD_RULE.replace("kind: terms\n    terms: [bad word]", "kind: pattern\n    pattern: 'pt\\s+(?P<value>\\w+)'\n    value_in: [given_names]")
    rule = rule.replace("a bad word here", "pt Priscilla here").replace("a good word here", "pt Breakfast here")
    packs = load_ruleset(Config()).packs + [load_pack("team.yaml", "pack: team\nrules:" + rule)]
    engine = Engine(build_ruleset(packs, Config()), Config())
    post = build_post("p.txt", None, {}, text, body_position=(1, 1), key_positions={}, base_dir=".")
    assert any(f.rule == "team.word" for f in engine.check(post)) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("the card said bad word on it", True),  # "id" is not the end of "said"
        ("patient id bad word", False),
        ("our #bad word", False),  # a guard word that starts with a symbol still applies
    ],
)
def test_preceded_by_words_match_whole_words(text: str, flagged: bool) -> None:
    pack = load_pack("team.yaml", "pack: team\nrules:" + GOOD_RULE.replace(
        "    terms: [bad word]\n", "    terms: [bad word]\n    not_preceded_by: '(?:id|\\#)\\s*'\n"))
    engine = Engine(build_ruleset([pack], Config()), Config())
    post = build_post("p.txt", None, {}, text, body_position=(1, 1), key_positions={}, base_dir=".")
    assert any(f.rule == "team.word" for f in engine.check(post)) is flagged
