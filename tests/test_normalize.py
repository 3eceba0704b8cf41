from __future__ import annotations

import pytest

from postguard.engine.normalize import normalize

from .conftest import CheckFn, categories


@pytest.mark.parametrize(
    ("original", "folded"),
    [
        ("MRN ４５１２３８７", "MRN 4512387"),  # full-width digits
        ("M\u200bR\u200dN 4512387", "MRN 4512387"),  # zero-width characters
        ("M R N 4 5 1 2 3 8 7", "MRN4512387"),  # letter-spaced run
        ("МRN 45", "MRN 45"),  # Cyrillic capital EM
        ("last night\u2019s code", "last night's code"),
        ("72\u2011year\u2011old", "72-year-old"),  # non-breaking hyphens
        ("\u0661\u0662\u0663", "123"),  # Arabic-Indic digits
        ("Jose\u0301", "Jose"),  # combining accent
        ("pt\u00a0J.S.", "pt J.S."),  # no-break space
        ("soft\u00adhyphen", "softhyphen"),
        # spelled-out numbers and obfuscated emails
        ("seventy-nine y.o. gent", "79 y.o. gent"),
        ("rm fourteen-B", "rm 14-B"),
        ("rm four-twelve", "rm 412"),
        ("call nine one nine, five five five, zero four seven two.", "call 919-555-0472."),
        ("m.dalton88 (at) gmail (dot) com", "m.dalton88@gmail.com"),
        ("jo [at] mail [dot] org", "jo@mail.org"),
        ("tina at outlook dot com", "tina@outlook.com"),
        ("gramps1950 @ aol . com", "gramps1950@aol.com"),
        ("DOB the fourth of July, nineteen forty-one", "DOB the 4th of July, 1941"),
        ("d.o.b. zero three / fourteen / fifty-one", "d.o.b. 03 / 14 / 51"),
        ("D.O.B. twelve / oh-four / twenty-twenty", "D.O.B. 12 / 04 / 2020"),
        ("twenty twenty-minute sessions", "20 20-minute sessions"),  # not the year 2020
        ("J . R . in 22", "J.R. in 22"),
        ("M-r-s. K-o-w-a-l-s-k-i", "Mrs Kowalski"),
        ("her no. is oh-four-one-nine, three-three-two", "her no. is 0419-332"),
        ("Oh, one more thing: two three four", "Oh, one more thing: 234"),  # "oh" as a word stays
        ("fourteen-oh-two Larch Street", "1402 Larch Street"),
    ],
)
def test_folds(original: str, folded: str) -> None:
    assert normalize(original).text == folded


@pytest.mark.parametrize(
    "text",
    ["one of my patients", "two days ago", "first of all, the first time", "in her eighties", "eighty-something", "x-ray", "U.S. news", "meet at noon"],
)
def test_ordinary_words_are_not_rewritten(text: str) -> None:
    assert normalize(text).text == text


def test_rewritten_numbers_map_back_to_their_words() -> None:
    original = "pt is seventy-nine today"
    norm = normalize(original)
    start = norm.text.index("79")
    o_start, o_end = norm.original_span(start, start + 2)
    assert original[o_start:o_end] == "seventy-nine"


def test_offsets_point_into_the_original() -> None:
    original = "x M\u200bRN ４５１２ y"
    norm = normalize(original)
    start = norm.text.index("MRN")
    end = norm.text.index(" y")
    o_start, o_end = norm.original_span(start, end)
    assert original[o_start:o_end] == "M\u200bRN ４５１２"


def test_short_spaced_runs_are_left_alone() -> None:
    # Initials "J S" and the article "a" must not be glued to their neighbours.
    assert normalize("pt J S in a b").text == "pt J S in a b"


@pytest.mark.parametrize(
    "evasion",
    [
        "MRN ４５１２３８７ on the board",
        "M\u200bR\u200bN 4512387 on the board",
        "M R N 4 5 1 2 3 8 7 on the board",
        "МRN 4512387 on the board",
        "MRN 451-23-87 on the board",
        "MRN 451 2387 on the board",
    ],
)
def test_unicode_evasions_do_not_get_through(check: CheckFn, evasion: str) -> None:
    assert "mrn" in categories(check(evasion))


def test_finding_columns_are_in_the_original_text(check: CheckFn) -> None:
    text = "ok\u200b\u200b then: MRN ４５１２３８７"
    findings = [f for f in check(text) if f.category == "mrn"]
    assert findings
    loc = findings[0].location
    assert (loc.line, loc.column) == (1, text.index("MRN") + 1)
    assert loc.end_column == len(text)
