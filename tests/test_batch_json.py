"""JSON, JSONL and YAML batches: items, lines and columns through escapes, errors fail closed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postguard.check import run_check
from postguard.config import Config
from postguard.engine.ruleset import RuleSet, load_ruleset
from postguard.inputs.batch import load_batch_file
from postguard.model import Finding


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_ruleset(Config())


def check(path: Path, rules: RuleSet) -> list[Finding]:
    return run_check([str(path)], Config(), rules).findings


def where(findings: list[Finding], rule: str) -> list[tuple[str | None, int | None, int | None]]:
    return [(f.item, f.location.line, f.location.column) for f in findings if f.rule == rule]


def test_json_list_items_point_into_escaped_strings(tmp_path: Path, rules: RuleSet) -> None:
    text = (
        "[\n"
        '  {"id": "p1", "text": "Flu shots today!"},\n'
        '  {"platform": "x",\n'
        '   "text": "Line one\\n\\u00e9\\ud83d\\ude00 \\"q\\" MRN 00123487"}\n'
        "]\n"
    )
    (tmp_path / "b.json").write_text(text)
    findings = check(tmp_path / "b.json", rules)
    line4 = text.split("\n")[3]
    assert where(findings, "phi.mrn") == [("2", 4, line4.index("MRN") + 1)]


def test_json_object_with_posts_key_and_non_objects(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text('{"posts": [\n {"text": "a"},\n 42\n]}\n')
    posts = load_batch_file(str(tmp_path / "b.json"))
    assert [(p.item, p.line) for p in posts] == [("1", 2), ("2", 3)]
    assert [f.rule for f in posts[1].problems] == ["input.batch-row"]


def test_json_syntax_error_keeps_earlier_posts_and_checks_the_rest_as_text(tmp_path: Path, rules: RuleSet) -> None:
    (tmp_path / "b.json").write_text('[{"text": "72-year-old pt"},\n{"text": "ok"}\n{"text": "MRN 00123487"}]\n')
    findings = check(tmp_path / "b.json", rules)
    (problem,) = [f for f in findings if f.rule == "input.batch-row"]
    assert problem.location.line == 2 and "invalid JSON on line 3" in problem.message
    assert where(findings, "phi.mrn")[0][1] == 3
    assert [f.item for f in findings if f.category == "patient-age"] == ["1"]


def test_json_that_is_not_a_batch_is_reported(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "x"}')
    (post,) = load_batch_file(str(tmp_path / "package.json"))
    assert "not a batch of posts" in post.problems[0].message


def test_postguards_own_outputs_are_not_batches(tmp_path: Path) -> None:
    (tmp_path / "report.json").write_text(json.dumps({"version": 1, "findings": [], "summary": {}}))
    (tmp_path / "base.json").write_text(json.dumps({"version": 1, "tool": "postguard", "entries": []}))
    assert load_batch_file(str(tmp_path / "report.json")) == []
    assert load_batch_file(str(tmp_path / "base.json")) == []


def test_jsonl_lines_items_and_broken_lines(tmp_path: Path, rules: RuleSet) -> None:
    (tmp_path / "b.jsonl").write_text(
        '{"text": "pt MRN 00123487"}\n\n{"text": "broken 72-year-old\n{"id": 7, "text": "a 72-year-old"}\n[1, 2]\n'
    )
    findings = check(tmp_path / "b.jsonl", rules)
    assert where(findings, "phi.mrn") == [("1", 1, 14)]
    assert [(f.item, f.location.line) for f in findings if f.rule == "input.batch-row"] == [("2", 3), ("4", 5)]
    assert sorted((f.item, f.location.line) for f in findings if f.category == "patient-age") == [("2", 3), ("7", 4)]


def test_yaml_batches_with_block_scalars(tmp_path: Path, rules: RuleSet) -> None:
    text = (
        "posts:\n"
        "  - id: y1\n"
        "    scheduled: 2026-11-30 09:00\n"
        "    text: |\n"
        "      Hello world\n"
        "        indented MRN 00123487 here\n"
        "  - text: >\n"
        "      folded line\n"
        "      a 72-year-old pt\n"
        '  - text: "quoted: 72-year-old"\n'
        "  - just a string\n"
    )
    (tmp_path / "b.yaml").write_text(text)
    findings = check(tmp_path / "b.yaml", rules)
    lines = text.split("\n")
    assert where(findings, "phi.mrn") == [("y1", 6, lines[5].index("MRN") + 1)]
    ages = sorted((f.item, f.location.line, f.location.column) for f in findings if f.category == "patient-age")
    assert ages == [("2", 9, lines[8].index("72") + 1), ("3", 10, lines[9].index("72") + 1)]
    assert [(f.item, f.location.line) for f in findings if f.rule == "input.batch-row"] == [("4", 11)]
    post = load_batch_file(str(tmp_path / "b.yaml"))[0]
    assert post.meta.scheduled is not None and post.meta.scheduled.hour == 9


def test_yaml_config_is_not_a_batch_and_bad_yaml_fails_closed(tmp_path: Path, rules: RuleSet) -> None:
    (tmp_path / "config.yaml").write_text("institution:\n  names: [A]\n")
    (post,) = load_batch_file(str(tmp_path / "config.yaml"))
    assert "not a batch of posts" in post.problems[0].message
    (tmp_path / "bad.yml").write_text("- text: [unclosed\n- text: MRN 00123487\n")
    findings = check(tmp_path / "bad.yml", rules)
    assert [f.rule for f in findings if f.category == "input"] == ["input.batch-row"]
    assert where(findings, "phi.mrn")


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("- &a {text: hi}\n- *a\n")
    (post,) = load_batch_file(str(tmp_path / "b.yaml"))
    assert "aliases" in post.problems[0].message


def test_batch_keys_share_the_front_matter_checks(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text('[{"text": "hi", "account": "corporate", "schedueld": "2026-11-30"}]')
    (post,) = load_batch_file(str(tmp_path / "b.json"))
    messages = sorted(f.message for f in post.problems)
    assert any("account" in m for m in messages) and any("did you mean 'scheduled'" in m for m in messages)
