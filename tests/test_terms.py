"""Term sets: whole words, longest term first, capitals only for short acronyms."""

from __future__ import annotations

import pytest

from postguard.engine.terms import compile_terms

TERMS = ("room", "operating room", "OR", "ICU", "ICU bed", "St Brigid", "views are my own", "views")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the operating room at 3", ["operating room"]),  # the longer term wins at one place
        ("ICU bed 4 and the ICU", ["ICU bed", "ICU"]),
        ("tea or coffee in the OR", ["OR"]),  # a short acronym matches only in capitals
        ("St. Brigid and St-Brigid", ["St. Brigid", "St-Brigid"]),  # spaces match dots and dashes
        ("Views Are My Own", ["Views Are My Own"]),  # other terms match in any case
        ("bathroom roommates", []),  # whole words only
    ],
)
def test_terms_match_whole_words_longest_first(text: str, expected: list[str]) -> None:
    pattern = compile_terms(TERMS)
    assert pattern is not None
    assert [m.group(0) for m in pattern.finditer(text)] == expected


def test_an_empty_set_matches_nothing() -> None:
    assert compile_terms(("", "  ")) is None
