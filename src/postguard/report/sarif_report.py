"""SARIF 2.1.0, as GitHub code scanning and other CI dashboards read it.

Rules carry their policy passage; results carry a physical location with 1-based
columns counted in Unicode code points, a content fingerprint that survives line moves,
and a masked excerpt. Image findings have no line: the image itself is the artifact.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.parse
from typing import Any, TextIO

from postguard import __version__
from postguard.baseline import fingerprints
from postguard.check import Report
from postguard.engine.rule import Rule
from postguard.engine.ruleset import RuleSet
from postguard.model import Finding, Severity
from postguard.report import RenderOptions
from postguard.report.masking import excerpt

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# GitHub code scanning rejects a run with more results than this.
MAX_RESULTS = 25_000
FINGERPRINT_KEY = "postguardContent/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(path: str) -> str:
    """A relative, '/'-separated, percent-encoded URI; absolute paths become file: URIs."""
    if os.path.isabs(path):
        relative = os.path.relpath(path)
        if relative.startswith(".."):
            return "file://" + urllib.parse.quote(path.replace(os.sep, "/"))
        path = relative
    # `./posts/a.md` and `posts/a.md` must be one artifact, or fingerprints and alerts split.
    return urllib.parse.quote(os.path.normpath(path).replace(os.sep, "/"))


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    help_text = rule.description.strip() or rule.message
    markdown = help_text
    if rule.policy.quote:
        help_text += f"\n\nPolicy: \u201c{rule.policy.quote}\u201d ({rule.policy.source})"
        markdown += f"\n\n**Policy** ({rule.policy.source}):\n\n> {rule.policy.quote}"
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.replace("-", ".").split(".")),
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": rule.description.strip() or rule.message},
        "help": {"text": help_text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": rule.enabled},
        "properties": {"category": rule.category, "tags": ["postguard", rule.category], "pack": rule.pack},
    }


def _region(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    if loc.line is None:
        # Images (and rare metadata findings) have no line; GitHub needs a startLine.
        return {"startLine": 1, "startColumn": 1}
    start_column = max(loc.column or 1, 1)
    region: dict[str, Any] = {"startLine": loc.line, "startColumn": start_column}
    end_line = loc.end_line or loc.line
    # Our end column is inclusive (the last matched character); SARIF's is exclusive.
    end_column = max((loc.end_column or start_column) + 1, 1)
    if end_line > loc.line or end_column > start_column:
        region["endLine"] = end_line
        region["endColumn"] = end_column
    return region


def _result(finding: Finding, rule_index: int | None, fingerprint: str, show: bool) -> dict[str, Any]:
    loc = finding.location
    shown = excerpt(finding, show_matches=show)
    text = finding.message + (f": \u201c{shown}\u201d" if shown else "")
    if finding.item is not None:
        text += f" (item {finding.item})"
    artifact = loc.image if loc.line is None and loc.image else finding.path
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(artifact)},
                "region": _region(finding),
            },
        }],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {
            "category": finding.category,
            "origin": finding.origin.value,
            "item": finding.item,
            "excerpt": shown,
        },
    }
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    if loc.image is not None:
        result["properties"]["image"] = artifact_uri(loc.image)
    if loc.box is not None:
        result["properties"]["box"] = list(loc.box)
    if artifact != finding.path:
        # The post that attached the image, so the finding can be traced back to it.
        result["relatedLocations"] = [{
            "id": 1,
            "message": {"text": "the post that attaches this image"},
            "physicalLocation": {"artifactLocation": {"uri": artifact_uri(finding.path)}},
        }]
    return result


def sarif_dict(report: Report, ruleset: RuleSet, show_matches: bool = False) -> dict[str, Any]:
    rules = list(ruleset.rules)
    known = {r.id for r in rules}
    rules += [r for r in ruleset.all_rules if r.id not in known and any(f.rule == r.id for f in report.findings)]
    index = {rule.id: position for position, rule in enumerate(rules)}

    findings = report.findings
    prints = fingerprints(findings)
    ordered = sorted(zip(findings, prints, strict=True), key=lambda pair: (-pair[0].severity.rank, pair[0].sort_key))
    omitted = max(0, len(ordered) - MAX_RESULTS)
    kept = sorted(ordered[:MAX_RESULTS], key=lambda pair: pair[0].sort_key)

    notifications = [{"level": "note", "message": {"text": note}} for note in report.notes]
    if omitted:
        notifications.append({"level": "warning", "message": {"text": cap_message(omitted, len(findings))}})
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "postguard",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": [_rule_descriptor(r) for r in rules],
        }},
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index.get(f.rule), fp, show_matches) for f, fp in kept],
        "properties": {
            "summary": {
                "files": report.files, "posts": report.posts, "images": report.images,
                **{s.value: report.count(s) for s in Severity},
            },
            "omittedResults": omitted,
        },
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def cap_message(omitted: int, total: int) -> str:
    return (
        f"{omitted} of {total} results left out: GitHub code scanning accepts at most {MAX_RESULTS} "
        "results per run (errors were kept first); use --format json for the full list"
    )


def render(report: Report, ruleset: RuleSet, out: TextIO, options: RenderOptions) -> None:
    data = sarif_dict(report, ruleset, options.show_matches)
    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")
    omitted = data["runs"][0]["properties"]["omittedResults"]
    if omitted:
        # Said in the file too; stderr so that a CI log shows it without opening the SARIF.
        print(f"postguard: warning: {cap_message(omitted, len(report.findings))}", file=sys.stderr)
