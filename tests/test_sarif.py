"""`--format sarif`: valid SARIF 2.1.0 as GitHub code scanning reads it, masked, capped."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from postguard.check import Report, run_check
from postguard.config import Config
from postguard.engine.ruleset import RuleSet, load_ruleset
from postguard.model import Finding, Location, Origin, Severity
from postguard.report import RenderOptions, sarif_report

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_ruleset(Config())


def validate(data: dict[str, Any]) -> None:
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def render(report: Report, rules: RuleSet, show: bool = False) -> dict[str, Any]:
    out = io.StringIO()
    sarif_report.render(report, rules, out, RenderOptions(show_matches=show))
    return json.loads(out.getvalue())


@pytest.fixture
def posts(tmp_path: Path) -> Path:
    (tmp_path / "a post.md").write_text("---\nplatform: x\n---\nGreat case, pt MRN 00123487 in room 4\n")
    (tmp_path / "batch.csv").write_text('id,text\nr1,"fine\nand MRN 00987652 here"\nr2,Flu shots today\n')
    (tmp_path / "ok.txt").write_text("Flu shots today!\n")
    return tmp_path


def test_cli_output_validates_and_maps_everything(posts: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "postguard", "check", "--format", "sarif", "."],
        cwd=posts,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    validate(data)
    (run,) = data["runs"]
    assert data["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "Policy" in rules["phi.mrn"]["help"]["text"] and rules["phi.mrn"]["properties"]["category"] == "mrn"
    results = run["results"]
    mrn = [r for r in results if r["ruleId"] == "phi.mrn"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in mrn} == {
        "a%20post.md",
        "batch.csv",
    }
    batch = next(r for r in mrn if r["properties"]["item"] == "r1")
    region = batch["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 3 and region["startColumn"] == 5 and region["endColumn"] == 17  # exclusive end
    assert run["tool"]["driver"]["rules"][batch["ruleIndex"]]["id"] == "phi.mrn"
    for result in results:
        assert result["level"] in ("error", "warning", "note")
        assert result["locations"][0]["physicalLocation"]["region"]["startColumn"] >= 1
        assert len(result["partialFingerprints"]["postguardContent/v1"]) == 64
    # Masked by default: the raw number appears nowhere in the file.
    assert "00123487" not in out.stdout and "00987652" not in out.stdout


def test_fingerprints_are_stable_across_line_moves(posts: Path, rules: RuleSet) -> None:
    def prints() -> set[str]:
        data = render(run_check([str(posts)], Config(), rules), rules)
        return {r["partialFingerprints"]["postguardContent/v1"] for r in data["runs"][0]["results"]}

    before = prints()
    text = (posts / "batch.csv").read_text().replace("id,text\n", "id,text\nr0,Another clean post\n")
    (posts / "batch.csv").write_text(text)
    assert prints() == before


def test_severities_map_to_levels(rules: RuleSet) -> None:
    findings = [
        Finding(
            "phi.mrn",
            "mrn",
            severity,
            "m",
            "p.txt",
            None,
            Origin.TEXT,
            Location(1, 1, 1, 3),
            match="abc",
            context_key=f"ctx {severity.value}",
        )
        for severity in Severity
    ]
    data = render(Report(findings=findings, files=1, posts=1), rules)
    validate(data)
    assert [r["level"] for r in data["runs"][0]["results"]] == ["error", "warning", "note"]


def test_image_findings_use_the_image_as_the_artifact(rules: RuleSet, tmp_path: Path) -> None:
    image = str(tmp_path / "scans" / "whiteboard.jpg")
    finding = Finding(
        "phi.mrn",
        "mrn",
        Severity.ERROR,
        "Medical record number",
        "posts/a.md",
        None,
        Origin.IMAGE_TEXT,
        Location(image=image, box=(10, 20, 30, 40)),
        match="MRN 00123487",
        value_range=(4, 12),
    )
    data = render(Report(findings=[finding], files=1, posts=1, images=1), rules)
    validate(data)
    (result,) = data["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("scans/whiteboard.jpg")
    assert location["region"] == {"startLine": 1, "startColumn": 1}
    assert result["properties"]["box"] == [10, 20, 30, 40]
    assert result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "posts/a.md"
    assert "00123487" not in json.dumps(data) and "MRN 00****87" in result["message"]["text"]
    assert "00123487" in json.dumps(render(Report(findings=[finding]), rules, show=True))


def test_results_are_capped_for_github(
    monkeypatch: pytest.MonkeyPatch, rules: RuleSet, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sarif_report, "MAX_RESULTS", 3)
    findings = [
        Finding(
            "phi.mrn",
            "mrn",
            Severity.WARNING if n % 2 else Severity.ERROR,
            "m",
            "p.txt",
            None,
            Origin.TEXT,
            Location(n + 1, 1, n + 1, 2),
            match="x",
            context_key=f"post {n}",
        )
        for n in range(6)
    ]
    data = render(Report(findings=findings), rules)
    validate(data)
    run = data["runs"][0]
    assert [r["level"] for r in run["results"]] == ["error", "error", "error"]  # errors kept first
    assert run["properties"]["omittedResults"] == 3
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any("at most 3" in n["message"]["text"] for n in notes)
    assert "3 of 6 results left out" in capsys.readouterr().err


def test_clean_run_is_valid_and_empty(tmp_path: Path, rules: RuleSet) -> None:
    (tmp_path / "ok.txt").write_text("Flu shots today!\n")
    data = render(run_check([str(tmp_path / "ok.txt")], Config(), rules), rules)
    validate(data)
    assert data["runs"][0]["results"] == []


@pytest.mark.parametrize(
    ("path", "uri"), [("a b/c#1.md", "a%20b/c%231.md"), ("/elsewhere/x.md", "file:///elsewhere/x.md")]
)
def test_artifact_uris_are_encoded(path: str, uri: str) -> None:
    assert sarif_report.artifact_uri(path) == uri
