"""`input` findings: what could not be read is reported, never passed silently."""

from __future__ import annotations

from postguard.model import Finding, Location, Origin, Severity

# Ids of the engine's own `input` rules; documented in rules/input.yaml.
UNREADABLE = "input.unreadable"
DECODE = "input.decode"
FRONT_MATTER = "input.front-matter"
METADATA = "input.metadata"
SUPPRESSION = "input.suppression"
RULE_TIMEOUT = "input.rule-timeout"
IMAGE = "input.image"
IMAGE_UNREAD_TEXT = "input.image-unread-text"
BATCH_ROW = "input.batch-row"


def input_finding(
    rule: str,
    message: str,
    path: str,
    *,
    item: str | None = None,
    line: int | None = None,
    severity: Severity = Severity.ERROR,
    origin: Origin = Origin.TEXT,
    image: str | None = None,
) -> Finding:
    location = Location(line=line, column=1 if line else None, end_line=line, end_column=1 if line else None, image=image)
    return Finding(rule, "input", severity, message, path, item, origin, location)
