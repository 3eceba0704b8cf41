"""The JSON report, exactly as contract section 3 fixes it."""

from __future__ import annotations

import json
from typing import Any, TextIO

from postguard.check import Report
from postguard.engine.ruleset import RuleSet
from postguard.model import Finding, Severity
from postguard.report import RenderOptions
from postguard.report.masking import excerpt

VERSION = 1


def finding_dict(finding: Finding, show_matches: bool) -> dict[str, Any]:
    loc = finding.location
    return {
        "rule": finding.rule,
        "category": finding.category,
        "severity": finding.severity.value,
        "message": finding.message,
        "path": finding.path,
        "item": finding.item,
        "origin": finding.origin.value,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "image": loc.image,
        "box": list(loc.box) if loc.box is not None else None,
        "excerpt": excerpt(finding, show_matches=show_matches),
    }


def report_dict(report: Report, show_matches: bool = False) -> dict[str, Any]:
    return {
        "version": VERSION,
        "findings": [finding_dict(f, show_matches) for f in report.findings],
        "summary": {
            "files": report.files,
            "posts": report.posts,
            "images": report.images,
            "error": report.count(Severity.ERROR),
            "warning": report.count(Severity.WARNING),
            "info": report.count(Severity.INFO),
        },
    }


def render(report: Report, ruleset: RuleSet, out: TextIO, options: RenderOptions) -> None:
    json.dump(report_dict(report, options.show_matches), out, indent=2, ensure_ascii=False)
    out.write("\n")
