"""The human report: findings grouped by file, the source line with the match marked
(masked unless --show-matches), the policy each finding enforces, and a summary."""

from __future__ import annotations

import os
from collections import Counter
from itertools import groupby
from typing import TextIO

from rich.console import Console
from rich.text import Text

from postguard.check import Report
from postguard.engine.ruleset import RuleSet
from postguard.model import Finding, Severity
from postguard.report import RenderOptions
from postguard.report.masking import mask_value, masked_match

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _console(out: TextIO, options: RenderOptions) -> Console:
    color = options.color
    if color is None:
        color = out.isatty() and "NO_COLOR" not in os.environ
    return Console(
        file=out, force_terminal=color, no_color=not color, highlight=False, soft_wrap=True,
        emoji=False, markup=False, width=None if color else 200,
    )


def _where(finding: Finding) -> str:
    loc = finding.location
    item = f"[{finding.item}] " if finding.item else ""
    if loc.line is not None:
        return f"{item}{loc.line}:{loc.column or 1}"
    if loc.image is not None:
        box = f" @{loc.box[0]},{loc.box[1]} {loc.box[2]}x{loc.box[3]}" if loc.box else ""
        return f"{item}{os.path.basename(loc.image)}{box}"
    return item.strip() or "-"


def _value_span(finding: Finding) -> tuple[int, int]:
    """The identifier's span within the source line (labels such as "MRN" stay readable)."""
    assert finding.snippet_span is not None
    start, end = finding.snippet_span
    if finding.value_range is None:
        return start, end
    return start + finding.value_range[0], min(end, start + finding.value_range[1])


def _source_line(finding: Finding, same_line: list[Finding], show: bool) -> Text | None:
    if not finding.snippet or finding.snippet_span is None:
        return None
    line = finding.snippet
    # Mask every identifier found on this line, not only this finding's.
    spans = sorted({_value_span(f) for f in same_line if f.snippet_span and f.mask and f.snippet == line})
    pieces: list[str] = []
    cursor = 0
    if not show:
        for start, end in spans:
            if start < cursor:
                continue
            pieces.append(line[cursor:start])
            pieces.append(mask_value(line[start:end]))
            cursor = end
    pieces.append(line[cursor:])
    shown = "".join(pieces)
    start, end = finding.snippet_span
    text = Text("      │ ", style="dim")
    body = Text(shown.rstrip())
    body.stylize("bold underline", start, end)
    text.append_text(body)
    return text


def render(report: Report, ruleset: RuleSet, out: TextIO, options: RenderOptions) -> None:
    console = _console(out, options)
    for path, group in groupby(report.findings, key=lambda f: f.path):
        findings = list(group)
        console.print(Text(path, style="bold underline"))
        for finding in findings:
            line = Text("  ")
            line.append(f"{_where(finding):<10}", style="dim")
            line.append(" ")
            line.append(f"{finding.severity.value:<7}", style=STYLES[finding.severity])
            line.append(" ")
            line.append(finding.rule, style="magenta")
            line.append("  ")
            line.append(finding.message)
            if finding.match and not finding.snippet:
                line.append("  ")
                line.append(f"«{masked_match(finding, show_matches=options.show_matches)}»", style="bold")
            console.print(line)
            if not options.quiet:
                same_line = [f for f in findings if f.location.line == finding.location.line and f.item == finding.item]
                source = _source_line(finding, same_line, options.show_matches)
                if source is not None:
                    console.print(source)
                rule = ruleset.rule(finding.rule)
                if rule is not None and rule.policy.quote:
                    console.print(Text(f"      policy: “{rule.policy.quote}” — {rule.policy.source}", style="dim"))
        console.print()
    if options.quiet and not report.findings:
        return
    summary = Text()
    counts = [(s, report.count(s)) for s in Severity]
    total = sum(c for _, c in counts)
    if total == 0:
        summary.append("✓ no findings", style="bold green")
    else:
        summary.append(f"✗ {total} finding{'s' if total != 1 else ''}: ", style="bold")
        summary.append(", ".join(f"{c} {s.value}" for s, c in counts if c))
    summary.append(f"  ({report.files} file{'s' if report.files != 1 else ''}, {report.posts} post{'s' if report.posts != 1 else ''}, {report.images} image{'s' if report.images != 1 else ''})", style="dim")
    console.print(summary)
    if total and not options.quiet:
        by_category = Counter(f.category for f in report.findings)
        per_category = " · ".join(f"{name} {count}" for name, count in by_category.most_common())
        console.print(Text(f"  by category: {per_category}", style="dim"))
        console.print(Text("  postguard rules explain RULE-ID tells what a rule catches and why", style="dim"))
