"""Named term sets and how a term matches: whole words, any case, flexible spacing.

A term written in capitals of four letters or fewer ("OR", "ICU", "MRN") matches only in
capitals, so that "or" in prose is not "OR" the operating room; every other term matches
in any case. Spaces inside a term match any run of spaces or hyphens, after an optional dot.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import regex

from postguard.engine.normalize import normalize


def term_pattern(term: str) -> str:
    # Terms are folded like the text they are matched against ("≠" and "=" alike).
    term = normalize(term).text.strip()
    parts = [regex.escape(p) for p in term.split()]
    # "St Brigid" also matches "St. Brigid" and "St-Brigid".
    body = r"[\s\-.]*[\s\-]+".join(parts) if len(parts) > 1 else parts[0]
    if term[:1].isalnum() or term[:1] == "_":
        body = r"(?<![\w])" + body
    if term[-1:].isalnum() or term[-1:] == "_":
        body = body + r"(?![\w])"
    if _is_acronym(term):
        return body
    return "(?i:" + body + ")"


def _is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return 0 < len(letters) <= 4 and all(c.isupper() for c in letters)


@lru_cache(maxsize=1024)
def _compile(terms: tuple[str, ...]) -> regex.Pattern[str] | None:
    # Longest first so "operating room" wins over "room" at the same position.
    ordered = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not ordered:
        return None
    return regex.compile("|".join(term_pattern(t) for t in ordered))


def compile_terms(terms: Iterable[str]) -> regex.Pattern[str] | None:
    return _compile(tuple(terms))
