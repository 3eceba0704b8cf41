"""Brand terms inside handles and display names (contract section 5).

A term longer than three letters is found in the handle with case and separators
ignored (`Lakeshore` in `@lakeshorenurse`); a short one (`LSH`) only as a whole part,
between separators or case changes (`@LSH_Jo`, not `@flashcards`).
"""

from __future__ import annotations

import regex

_PART = regex.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_CAPS_RUN = regex.compile(r"(?<![A-Z])[A-Z]{2,}(?=[a-z])")


def _compact(text: str) -> tuple[str, list[int]]:
    chars, index = [], []
    for i, char in enumerate(text):
        if char.isalnum():
            chars.append(char.lower())
            index.append(i)
    return "".join(chars), index


def find_brand(value: str, terms: tuple[str, ...]) -> tuple[int, int] | None:
    """Span of the first brand term in `value`, or None."""
    compact, index = _compact(value)
    parts = [(m.group(0).lower(), m.start(), m.end()) for m in _PART.finditer(value)]
    # "HRHnightnurse": a run of capitals before lower case is a part of its own too.
    parts += [(m.group(0).lower(), m.start(), m.end()) for m in _CAPS_RUN.finditer(value)]
    for term in sorted(terms, key=len, reverse=True):
        wanted, _ = _compact(term)
        if not wanted:
            continue
        if len(wanted) > 3:
            at = compact.find(wanted)
            if at >= 0:
                return index[at], index[at + len(wanted) - 1] + 1
        else:
            for text, start, end in parts:
                if text == wanted:
                    return start, end
    return None
