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


def _body(term: str) -> str:
    parts = [regex.escape(p) for p in term.split()]
    # "St Brigid" also matches "St. Brigid" and "St-Brigid".
    return r"[\s\-.]*[\s\-]+".join(parts)


def _folded(term: str) -> str:
    # Terms are folded like the text they are matched against ("≠" and "=" alike).
    return normalize(term).text.strip()


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return 0 < len(letters) <= 4 and all(c.isupper() for c in letters)


def term_pattern(term: str) -> str:
    """One term as a regex (used by the `{set:NAME}` pattern macro)."""
    term = _folded(term)
    body = _body(term)
    if _is_word(term[:1]):
        body = r"(?<![\w])" + body
    if _is_word(term[-1:]):
        body = body + r"(?![\w])"
    return body if _is_acronym(term) else "(?i:" + body + ")"


@lru_cache(maxsize=1024)
def _compile(terms: tuple[str, ...]) -> regex.Pattern[str] | None:
    folded = {_folded(t) for t in terms if t.strip()}
    folded.discard("")
    if not folded:
        return None
    # Most terms are plain words: match them in one alternation with the word boundaries
    # written once; that is several times faster than a lookaround per term.
    groups: dict[tuple[bool, bool, bool], list[str]] = {}
    for term in folded:
        key = (_is_acronym(term), _is_word(term[:1]), _is_word(term[-1:]))
        groups.setdefault(key, []).append(term)
    alternatives = []
    for (acronym, word_start, word_end), members in sorted(groups.items()):
        # Longest first so "operating room" wins over "room" at the same position.
        body = "|".join(_body(t) for t in sorted(members, key=len, reverse=True))
        body = ("(?<![\\w])" if word_start else "") + f"(?:{body})" + ("(?![\\w])" if word_end else "")
        alternatives.append(body if acronym else f"(?i:{body})")
    return regex.compile("|".join(alternatives))


# Term sets are long tuples that live as long as their rule set; hashing one on every
# lookup costs more than the lookup, so they are found by identity first.
_BY_IDENTITY: dict[int, tuple[tuple[str, ...], regex.Pattern[str] | None]] = {}


def compile_terms(terms: Iterable[str]) -> regex.Pattern[str] | None:
    key = terms if isinstance(terms, tuple) else tuple(terms)
    known = _BY_IDENTITY.get(id(key))
    if known is not None and known[0] is key:
        return known[1]
    pattern = _compile(key)
    if len(_BY_IDENTITY) > 4096:
        _BY_IDENTITY.clear()
    _BY_IDENTITY[id(key)] = (key, pattern)
    return pattern
