"""`postguard redact`: check each image like `postguard check` does, then write a copy with
the flagged words covered (or outlined) and every piece of metadata removed."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from postguard.check import CheckOptions, run_check
from postguard.config import Config
from postguard.engine.ruleset import RuleSet
from postguard.errors import UsageError
from postguard.model import Box, Severity


@dataclass
class RedactResult:
    source: str
    destination: str
    boxes: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def plan_outputs(images: tuple[str, ...], *, output: str | None, suffix: str, in_place: bool) -> list[tuple[str, str]]:
    """Pair each input with where its copy goes; refuse any plan that would overwrite an input."""
    if output is not None and len(images) > 1 and not os.path.isdir(output):
        raise UsageError(f"--output must be an existing folder when redacting several images: {output}")
    pairs = []
    for image in images:
        if in_place:
            destination = image
        elif output is not None and os.path.isdir(output):
            destination = os.path.join(output, os.path.basename(image))
        elif output is not None:
            destination = output
        else:
            stem, ext = os.path.splitext(image)
            if not suffix:
                raise UsageError("--suffix must not be empty (use --in-place to replace inputs)")
            destination = f"{stem}{suffix}{ext}"
        if not in_place and os.path.abspath(destination) in {os.path.abspath(i) for i in images}:
            raise UsageError(f"{destination} is an input: refusing to overwrite it (use --in-place)")
        pairs.append((image, destination))
    return pairs


def redact_paths(
    pairs: list[tuple[str, str]], config: Config, ruleset: RuleSet, *, annotate: bool,
    jobs: int | None = None, use_cache: bool = True,
) -> list[RedactResult]:
    from postguard.images import RedactError, redact_image

    report = run_check([src for src, _ in pairs], config, ruleset, CheckOptions(jobs=jobs, use_cache=use_cache))
    results = []
    for source, destination in pairs:
        result = RedactResult(source, destination)
        mine = [f for f in report.findings if f.path == source]
        problems = [f for f in mine if f.category == "input"]
        if any(f.severity == Severity.ERROR for f in problems):
            result.error = next(f.message for f in problems if f.severity == Severity.ERROR)
            results.append(result)
            continue
        result.warnings = [f.message for f in problems]
        boxes: list[Box] = []
        labels: list[str] = []
        for finding in mine:
            if finding.location.box is not None and finding.location.box not in boxes:
                boxes.append(finding.location.box)
                labels.append(finding.rule)
        try:
            redact_image(source, destination, boxes, annotate=annotate, labels=labels)
        except (RedactError, OSError) as exc:
            result.error = str(exc)
        result.boxes = len(boxes)
        results.append(result)
    return results
