from __future__ import annotations

from pathlib import Path

import pytest

from postguard.config import find_config, load_config, parse_config
from postguard.engine.ruleset import load_ruleset
from postguard.errors import ConfigError
from postguard.model import Severity


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(None, search_from=str(tmp_path))
    assert config.account == "personal"
    assert config.fail_on == Severity.ERROR
    assert config.path is None


def test_found_in_a_parent_folder(tmp_path: Path) -> None:
    (tmp_path / ".postguard.yaml").write_text("fail_on: warning\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(str(deep)) == str(tmp_path / ".postguard.yaml")
    assert load_config(None, search_from=str(deep)).fail_on == Severity.WARNING


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("colour: red\n", r"c.yaml:1: config: unknown key 'colour'"),
        ("institution:\n  brands: [X]\n", r"c.yaml:2: config.institution: unknown key 'brands' \(did you mean 'brand_terms'\?\)"),
        ("fail_on: fatal\n", r"c.yaml:1: config: 'fail_on' must be one of"),
        ("account: corporate\n", r"'account' must be one of: personal, official"),
        ("exclude: 5\n", r"'exclude' must be a list"),
        ("rules:\n  phi.mrn: maybe\n", r"c.yaml:2: .*'phi.mrn' must be off, on"),
        ("a: [1\n", r"c.yaml:\d+: invalid YAML"),
    ],
)
def test_invalid_config_is_one_clear_line(text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        parse_config(text, "c.yaml")


def test_overrides_by_id_and_glob() -> None:
    config = parse_config("rules:\n  phi.patient-age-*: {severity: info}\n  advocacy.*: off\n", "c.yaml")
    ruleset = load_ruleset(config)
    ages = [r for r in ruleset.rules if r.id.startswith("phi.patient-age")]
    assert ages and all(r.severity == Severity.INFO for r in ages)
    assert not any(r.id.startswith("advocacy.") for r in ruleset.rules)
    assert ruleset.rule("advocacy.insult-official") is not None  # still known, just off


def test_override_matching_no_rule_is_an_error() -> None:
    with pytest.raises(ConfigError, match="c.yaml:2: rules: 'phi.mnr' matches no rule"):
        load_ruleset(parse_config("rules:\n  phi.mnr: off\n", "c.yaml"))


def test_input_rules_cannot_be_turned_off() -> None:
    with pytest.raises(ConfigError, match="would turn off input rules"):
        load_ruleset(parse_config("rules:\n  input.*: off\n", "c.yaml"))


def test_custom_pack_path_is_relative_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_text(
        "pack: team\nrules:\n  - id: team.word\n    category: conduct\n    severity: warning\n    kind: terms\n"
        "    terms: [bad word]\n    message: Bad\n    policy: {source: p, quote: q}\n"
        "    examples: {flag: [bad word], pass: [good]}\n"
    )
    (tmp_path / ".postguard.yaml").write_text("packs: [team.yaml]\n")
    config = load_config(str(tmp_path / ".postguard.yaml"))
    assert load_ruleset(config).rule("team.word") is not None


def test_missing_custom_pack_is_an_error(tmp_path: Path) -> None:
    (tmp_path / ".postguard.yaml").write_text("packs: [nope.yaml]\n")
    with pytest.raises(ConfigError, match="no rule pack at"):
        load_ruleset(load_config(str(tmp_path / ".postguard.yaml")))
