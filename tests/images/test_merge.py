from __future__ import annotations

from postguard.images.merge import Word, assemble, dedupe, lines, same_place
from postguard.model import ImageLocator


def w(text: str, conf: float, box: tuple[int, int, int, int], pass_no: int = 0, seq: int = 0) -> Word:
    return Word(text, conf, box, (pass_no, 1, 1, 1), seq, 0.0)


def test_same_word_keeps_higher_confidence() -> None:
    kept, _ = dedupe([w("0O451238", 60, (100, 10, 90, 20)), w("00451238", 95, (98, 8, 94, 40), 1)])
    assert [k.text for k in kept] == ["00451238"]


def test_fragment_loses_to_the_whole_word() -> None:
    kept, _ = dedupe([w("KE", 90, (100, 10, 30, 20)), w("KEVIN", 70, (100, 10, 70, 20), 1)])
    assert [k.text for k in kept] == ["KEVIN"]


def test_neighbours_are_not_the_same_word() -> None:
    assert not same_place((0, 0, 50, 20), (60, 0, 50, 20))
    assert not same_place((0, 0, 50, 20), (0, 30, 50, 20))


def test_words_from_two_passes_join_one_line() -> None:
    rows = lines(
        [
            w("MRN", 95, (10, 10, 60, 20), 0, 0),
            w("00451238", 90, (80, 12, 120, 20), 1, 0),
            w("DOB", 96, (10, 50, 60, 20), 0, 1),
        ]
    )
    text, spans = assemble([rows])
    assert text == "MRN 00451238\nDOB"
    assert ImageLocator("x.png", spans).locate(0, 12).box == (10, 10, 190, 22)


def test_frames_separated_by_blank_line() -> None:
    one = lines([w("A1", 95, (0, 0, 10, 10))])
    two = lines([w("B2", 95, (0, 0, 10, 10))])
    text, spans = assemble([one, [], two])
    assert text == "A1\n\nB2"
    assert [(s.start, s.end) for s in spans] == [(0, 2), (4, 6)]
