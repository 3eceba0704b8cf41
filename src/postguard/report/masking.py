"""Masking of matched text: PHI must not leak into terminals, logs or CI artefacts."""

from __future__ import annotations

from postguard.model import Finding

MAX_EXCERPT = 80


def mask_value(value: str) -> str:
    """Keep a hint of the shape (first/last characters of long values), hide the rest.

    A whole sentence (what the text model points at) gets no hint: its last characters
    may be the very identifier ("... in 4B")."""
    positions = [i for i, c in enumerate(value) if c.isalnum()]
    count = len(positions)
    keep = 0 if len(value.split()) > 3 else 2 if count >= 8 else 1 if count >= 5 else 0
    shown = set(positions[:keep] + positions[count - keep:]) if keep else set()
    return "".join(c if (not c.isalnum() or i in shown) else "*" for i, c in enumerate(value))


def excerpt(finding: Finding, *, show_matches: bool = False) -> str:
    text = masked_match(finding, show_matches=show_matches)
    text = " ".join(text.split())
    return text if len(text) <= MAX_EXCERPT else text[: MAX_EXCERPT - 1] + "…"


def masked_match(finding: Finding, *, show_matches: bool = False) -> str:
    match = finding.match
    if show_matches or not finding.mask or not match:
        return match
    start, end = finding.value_range or (0, len(match))
    return match[:start] + mask_value(match[start:end]) + match[end:]
