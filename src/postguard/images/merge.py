"""Merge the words of several OCR passes into one reading: no duplicates, lines kept whole.

Two readings whose boxes overlap strongly are the same word; the more confident one stays.
When one pass read everything, its own lines and order stand; otherwise lines are rebuilt
from the word boxes, so "MRN" read by one pass and "00451238" read by another still end up
side by side on one line, where a rule can match them together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from postguard.model import Box, WordSpan


@dataclass(frozen=True)
class Word:
    text: str
    conf: float
    box: Box  # original image pixels
    line: tuple[int, int, int, int]  # (pass, block, paragraph, line)
    seq: int  # order of the word within its pass
    angle: float  # the direction of its line in the original image, degrees counter-clockwise


def _span_overlap(a0: int, a1: int, b0: int, b1: int) -> float:
    inter = min(a1, b1) - max(a0, b0)
    shorter = min(a1 - a0, b1 - b0)
    return inter / shorter if inter > 0 and shorter > 0 else 0.0


def same_place(a: Box, b: Box) -> bool:
    """Two readings of one word: they overlap across most of the narrower and the shorter box.

    Tested per axis because sparse passes on contrast-normalised images return boxes much
    taller than the letters; an area ratio would keep both readings.
    """
    return (
        _span_overlap(a[0], a[0] + a[2], b[0], b[0] + b[2]) >= SAME_WORD
        and _span_overlap(a[1], a[1] + a[3], b[1], b[1] + b[3]) >= SAME_WORD
    )


def _extends(a: Box, b: Box) -> bool:
    """`a` spans `b` and clearly more: `b` is likely a fragment ("KE" of "KEVIN", "1" of "10")."""
    # Sparse passes pad boxes by a few pixels: let the fragment stick out that much.
    tol = max(0.3 * min(a[3], b[3]), 0.2 * b[2])
    return a[0] <= b[0] + tol and a[0] + a[2] >= b[0] + b[2] - tol and a[2] >= 1.3 * b[2]


SAME_WORD = 0.5


def dedupe(words: list[Word]) -> tuple[list[Word], list[tuple[Word, Word]]]:
    """Keep one reading per place; return kept words and (dropped, kept-instead) pairs.

    The more confident reading wins, except that a reading spanning a fragment of itself wins
    over the fragment: passes often read part of a word confidently.
    """
    kept: list[Word] = []
    replaced: list[tuple[Word, Word]] = []
    for w in sorted(words, key=lambda w: (-w.conf, w.line[0], w.seq)):
        rivals = [i for i, k in enumerate(kept) if same_place(w.box, k.box)]
        if not rivals:
            kept.append(w)
            continue
        if all(_extends(w.box, kept[i].box) for i in rivals):
            for i in sorted(rivals, reverse=True):
                replaced.append((kept.pop(i), w))
            kept.append(w)
        else:
            replaced.append((w, kept[rivals[0]]))
    return kept, replaced


def _centre(w: Word) -> tuple[float, float]:
    return (w.box[0] + w.box[2] / 2, w.box[1] + w.box[3] / 2)


def lines(words: list[Word]) -> list[list[Word]]:
    """Dedupe and group into reading-order lines."""
    kept, _replaced = dedupe(words)
    if not kept:
        return []
    if len({w.line[0] for w in kept}) == 1:
        # One pass read everything: keep tesseract's own lines and reading order.
        by_line: dict[tuple[int, int, int, int], list[Word]] = {}
        for w in sorted(kept, key=lambda w: w.seq):
            by_line.setdefault(w.line, []).append(w)
        return list(by_line.values())
    # Several passes: rebuild lines from geometry, per reading direction, so that words of
    # one line read by different passes end up side by side.
    by_angle: dict[float, list[Word]] = {}
    for w in kept:
        by_angle.setdefault(round(w.angle), []).append(w)
    rows: list[list[Word]] = []
    for members in by_angle.values():
        rows.extend(_split_rows(members))
    rows.sort(key=lambda r: (_centre(r[0])[1], _centre(r[0])[0]))
    return rows


def _direction(members: list[Word]) -> float:
    counts: dict[float, int] = {}
    for w in members:
        counts[w.angle] = counts.get(w.angle, 0) + 1
    return max(counts, key=lambda a: counts[a])


def _split_rows(members: list[Word]) -> list[list[Word]]:
    """Order a group along its line direction, splitting it where it holds several rows."""
    t = math.radians(_direction(members))
    ux, uy = math.cos(t), -math.sin(t)  # along the line (y grows downwards)
    nx, ny = -uy, ux  # across it
    across = sorted(members, key=lambda w: _centre(w)[0] * nx + _centre(w)[1] * ny)
    heights = sorted(w.box[3] for w in members)
    gap = 0.6 * heights[len(heights) // 2]
    rows: list[list[Word]] = [[across[0]]]
    last = _centre(across[0])[0] * nx + _centre(across[0])[1] * ny
    for w in across[1:]:
        pos = _centre(w)[0] * nx + _centre(w)[1] * ny
        if pos - last > gap:
            rows.append([])
        rows[-1].append(w)
        last = pos
    for row in rows:
        row.sort(key=lambda w: _centre(w)[0] * ux + _centre(w)[1] * uy)
    return rows


def assemble(frames: list[list[list[Word]]]) -> tuple[str, tuple[WordSpan, ...]]:
    """Join words by spaces, lines by newlines, frames by blank lines; record each word's span."""
    parts: list[str] = []
    spans: list[WordSpan] = []
    pos = 0
    for f, rows in enumerate(r for r in frames if r):
        if f:
            parts.append("\n\n")
            pos += 2
        for i, row in enumerate(rows):
            if i:
                parts.append("\n")
                pos += 1
            for j, w in enumerate(row):
                if j:
                    parts.append(" ")
                    pos += 1
                parts.append(w.text)
                spans.append(WordSpan(pos, pos + len(w.text), w.box))
                pos += len(w.text)
    return "".join(parts), tuple(spans)
