"""GitHub Actions workflow commands: one `::error file=...,line=...::message` line a finding.

GitHub turns these lines into annotations on the pull request. Values are escaped the
way the Actions runner unescapes them: `%`, CR and LF everywhere, plus `:` and `,` in
properties, so a message can never end a property early or inject a second command.
"""

from __future__ import annotations

import os
from typing import TextIO

from postguard.check import Report
from postguard.engine.ruleset import RuleSet
from postguard.model import Finding, Severity
from postguard.report import RenderOptions
from postguard.report.masking import excerpt

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _file(finding: Finding) -> str:
    loc = finding.location
    path = loc.image if loc.line is None and loc.image else finding.path
    if os.path.isabs(path):
        relative = os.path.relpath(path)
        path = path if relative.startswith("..") else relative
    # GitHub matches annotations to repository paths: no `./` prefix.
    return os.path.normpath(path).replace(os.sep, "/")


def annotation(finding: Finding, show_matches: bool = False) -> str:
    loc = finding.location
    props = [("file", _file(finding))]
    if loc.line is not None:
        props.append(("line", str(loc.line)))
        if loc.column is not None:
            props.append(("col", str(loc.column)))
        if loc.end_line is not None:
            props.append(("endLine", str(loc.end_line)))
        if loc.end_column is not None:
            props.append(("endColumn", str(loc.end_column)))
    props.append(("title", f"postguard {finding.rule} ({finding.category})"))
    shown = excerpt(finding, show_matches=show_matches)
    message = finding.message + (f": \u201c{shown}\u201d" if shown else "")
    if finding.item is not None:
        message = f"[item {finding.item}] {message}"
    if loc.line is None and loc.image is not None and os.path.normpath(loc.image) != os.path.normpath(finding.path):
        message += f" (attached to {os.path.normpath(finding.path)})"
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{COMMANDS[finding.severity]} {rendered}::{escape_data(message)}"


def render(report: Report, ruleset: RuleSet, out: TextIO, options: RenderOptions) -> None:
    for finding in report.findings:
        out.write(annotation(finding, options.show_matches) + "\n")
    counts = ", ".join(f"{report.count(s)} {s.value}" for s in Severity)
    # A plain line (not a command) so the log says what was checked even when clean.
    out.write(f"postguard: {len(report.findings)} findings ({counts}) in {report.files} files, "
              f"{report.posts} posts, {report.images} images\n")
