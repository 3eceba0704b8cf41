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


def _folded(term: str) -> str:
    # Terms are folded like the text they are matched against ("≠" and "=" alike).
    return normalize(term).text.strip()


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return 0 < len(letters) <= 4 and all(c.isupper() for c in letters)


@lru_cache(maxsize=1024)
def _compile(terms: tuple[str, ...]) -> regex.Pattern[str] | None:
    source = terms_source(terms)
    return regex.compile(source) if source is not None else None


def terms_source(terms: tuple[str, ...]) -> str | None:
    """All terms as one regex source (None for an empty set); used by `{set:NAME}` too."""
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
        body = _trie(members, fold=not acronym)
        body = ("(?<![\\w])" if word_start else "") + f"(?:{body})" + ("(?![\\w])" if word_end else "")
        alternatives.append(body if acronym else f"(?i:{body})")
    return "|".join(alternatives)


_SPACE = object()  # a space inside a term: any run of spaces or hyphens, after an optional dot


def _trie(terms: list[str], *, fold: bool) -> str:
    """The terms as one regex that shares their prefixes ("ICU", "ICU bed", "ICU room").

    A set of hundreds of words is matched at every position of every post; a flat
    alternation retries each word from its first letter, a trie only the letters that
    differ. Longer terms are still preferred: each shorter ending is an optional tail.
    """
    root: dict[object, dict] = {}
    for term in terms:
        node = root
        for unit in _units(term.casefold() if fold else term):
            node = node.setdefault(unit, {})
        node[None] = {}
    return _emit(root)


def _units(term: str) -> list[object]:
    out: list[object] = []
    for i, part in enumerate(term.split()):
        if i:
            out.append(_SPACE)
        out.extend(part)
    return out


def _emit(node: dict[object, dict]) -> str:
    branches = []
    for unit in sorted((u for u in node if u is not None), key=lambda u: (u is _SPACE, str(u))):
        piece = r"[\s\-.]*[\s\-]+" if unit is _SPACE else regex.escape(str(unit))
        branches.append(piece + _emit(node[unit]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # A term ends here too: the longer continuations are tried first, then the end.
    return f"(?:{body})?" if None in node else body


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
