"""Per-post `ignore` entries: drop matching findings, and report suppressions that are
missing a reason (a suppression must say why) or that suppress nothing."""

from __future__ import annotations

import fnmatch

from postguard.inputs.problems import SUPPRESSION, input_finding
from postguard.model import Finding, Origin, Post, Severity


def apply_suppressions(post: Post, findings: list[Finding]) -> list[Finding]:
    if not post.meta.ignore:
        return findings
    line = post.meta.key_lines.get("ignore", post.line)
    kept: list[Finding] = []
    used: set[int] = set()
    for finding in findings:
        hit = next(
            (i for i, s in enumerate(post.meta.ignore)
             if finding.category != "input" and fnmatch.fnmatchcase(finding.rule, s.rule)),
            None,
        )
        if hit is None:
            kept.append(finding)
        else:
            used.add(hit)
    for index, suppression in enumerate(post.meta.ignore):
        if not suppression.reason:
            kept.append(input_finding(
                SUPPRESSION, f"suppression of '{suppression.rule}' has no reason: add reason: \"why this is safe\"",
                post.path, item=post.item, line=line, severity=Severity.WARNING, origin=Origin.FRONT_MATTER,
            ))
        elif index not in used:
            kept.append(input_finding(
                SUPPRESSION, f"suppression of '{suppression.rule}' matches no finding: remove it",
                post.path, item=post.item, line=line, severity=Severity.INFO, origin=Origin.FRONT_MATTER,
            ))
    return kept
