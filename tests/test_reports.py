"""Reporters: the JSON report follows contract section 3; nothing leaks PHI by default."""

from __future__ import annotations

import io
import json
from pathlib import Path

from postguard.check import run_check
from postguard.config import Config
from postguard.engine.ruleset import load_ruleset
from postguard.report import RenderOptions, renderers
from postguard.report.masking import mask_value

CONTRACT_KEYS = [
    "rule", "category", "severity", "message", "path", "item", "origin", "line", "column",
    "end_line", "end_column", "image", "box", "excerpt",
]
SECRET_MRN = "00123487"


def _report(tmp_path: Path) -> tuple[object, object]:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text("---\nplatform: x\n---\nHi all\nPt back on 4W, MRN 00123487, DOB 3/14/51\n")
    (tmp_path / "posts" / "b.txt").write_text("Flu shots today!\n")
    ruleset = load_ruleset(Config())
    return run_check([str(tmp_path / "posts")], Config(), ruleset), ruleset


def _render(fmt: str, report: object, ruleset: object, **options: object) -> str:
    out = io.StringIO()
    renderers()[fmt](report, ruleset, out, RenderOptions(**options))  # type: ignore[arg-type]
    return out.getvalue()


def test_json_report_follows_the_contract(tmp_path: Path) -> None:
    report, ruleset = _report(tmp_path)
    data = json.loads(_render("json", report, ruleset))
    assert list(data) == ["version", "findings", "summary"]
    assert data["version"] == 1
    assert data["summary"] == {"files": 2, "posts": 2, "images": 0, "error": 3, "warning": 0, "info": 0}
    mrn = next(f for f in data["findings"] if f["category"] == "mrn")
    assert list(mrn) == CONTRACT_KEYS
    assert mrn["rule"] == "phi.mrn" and mrn["severity"] == "error" and mrn["origin"] == "text"
    assert mrn["path"].endswith("posts/a.md") and mrn["item"] is None
    assert (mrn["line"], mrn["column"], mrn["end_line"], mrn["end_column"]) == (5, 16, 5, 27)
    assert mrn["image"] is None and mrn["box"] is None
    assert mrn["excerpt"] == "MRN 00****87"


def test_no_format_leaks_a_match_unless_asked(tmp_path: Path) -> None:
    report, ruleset = _report(tmp_path)
    for fmt in renderers():
        assert SECRET_MRN not in _render(fmt, report, ruleset), fmt
    assert SECRET_MRN in _render("json", report, ruleset, show_matches=True)
    assert SECRET_MRN in _render("text", report, ruleset, show_matches=True)


def test_text_report_groups_by_file_and_marks_the_line(tmp_path: Path) -> None:
    report, ruleset = _report(tmp_path)
    text = _render("text", report, ruleset, color=False)
    assert "posts/a.md" in text
    assert "5:16" in text and "phi.mrn" in text
    assert "│ Pt back on **, MRN 00****87, DOB 3/**/*1" in text
    assert "policy: “Scan images carefully" in text
    assert "3 findings: 3 error" in text
    assert "by category: " in text and "mrn 1" in text
    assert "\x1b[" not in text  # plain output when colour is off


def test_text_report_colours_only_when_asked(tmp_path: Path) -> None:
    report, ruleset = _report(tmp_path)
    assert "\x1b[" in _render("text", report, ruleset, color=True)


def test_quiet_clean_run_prints_nothing(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Flu shots today!")
    ruleset = load_ruleset(Config())
    report = run_check([str(tmp_path / "ok.txt")], Config(), ruleset)
    assert _render("text", report, ruleset, quiet=True) == ""
    assert "no findings" in _render("text", report, ruleset)


def test_mask_value_keeps_only_a_hint() -> None:
    assert mask_value("00123487") == "00****87"
    assert mask_value("4512387") == "4*****7"
    assert mask_value("72") == "**"
    assert mask_value("J.S.") == "*.*."
    assert mask_value("3/14/51") == "3/**/*1"


def test_every_demo_finding_keeps_the_contract_shape() -> None:
    """Image origins carry image (and a box when matched) and no line; others the reverse."""
    from postguard.config import load_config

    from .conftest import REPO

    demo = REPO / "fixtures" / "demo"
    config = load_config(str(demo / ".postguard.yaml"))
    report = run_check([str(demo)], config, load_ruleset(config))
    data = json.loads(_render("json", report, load_ruleset(config)))
    assert data["findings"]
    for finding in data["findings"]:
        assert list(finding) == CONTRACT_KEYS
        if finding["origin"] in ("image-text", "image-metadata"):
            assert finding["image"] and finding["line"] is None and finding["column"] is None
        else:
            assert finding["image"] is None and finding["box"] is None
            if finding["line"] is not None:
                assert finding["line"] >= 1 and finding["column"] >= 1
                assert (finding["end_line"], finding["end_column"]) >= (finding["line"], finding["column"])
