"""CSV batches: one scheduled post a row, with real file positions for every cell.

The stdlib `csv` module returns values only; a finding must name the line (and column)
of a word inside a quoted, multi-line cell with `""` escapes, so cells are tokenised
here (RFC 4180, plus the lenient habits of spreadsheet exports) keeping offsets.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from postguard.inputs.batch_post import Cell, Columns, Record, batch_problem, raw_text_post, record_post
from postguard.inputs.positions import LineIndex, SegmentLocator, verbatim
from postguard.model import Post, Severity

DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class RawCell:
    value: str
    start: int  # file offset of the cell's first character (its opening quote, if any)
    segments: tuple[tuple[int, int], ...]  # (value offset, file offset) runs


@dataclass(frozen=True)
class RawRow:
    start: int
    end: int  # offset just past the row (its newline excluded)
    cells: list[RawCell]
    unterminated: bool = False


def sniff_delimiter(text: str) -> str:
    """Spreadsheets in comma-decimal locales save `;`-separated files; some tools use tabs."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties keep the earlier, i.e. ','
    return best if counts[best] else ","


def tokenize(text: str, delimiter: str) -> Iterator[RawRow]:
    """Rows with cell offsets; blank lines are skipped, an unclosed quote ends the file."""
    stop = regex.compile("[" + regex.escape(delimiter) + "\n]")
    size = len(text)
    pos = 0
    while pos < size:
        if text[pos] == "\n":
            pos += 1
            continue
        start = pos
        cells: list[RawCell] = []
        while True:
            cell, pos, closed = _cell(text, pos, stop)
            cells.append(cell)
            if not closed:
                yield RawRow(start, size, cells, unterminated=True)
                return
            if pos < size and text[pos] == delimiter:
                pos += 1
                continue
            break
        yield RawRow(start, pos, cells)
        pos += 1  # the newline


def _cell(text: str, pos: int, stop: regex.Pattern[str]) -> tuple[RawCell, int, bool]:
    if pos >= len(text) or text[pos] != '"':
        found = stop.search(text, pos)
        end = found.start() if found else len(text)
        return RawCell(text[pos:end], pos, ((0, pos),)), end, True
    start = pos
    pos += 1
    parts: list[str] = []
    segments: list[tuple[int, int]] = [(0, pos)]
    length = 0
    while True:
        quote = text.find('"', pos)
        if quote < 0:
            parts.append(text[pos:])
            return RawCell("".join(parts), start, tuple(segments)), len(text), False
        if text.startswith('""', quote):
            # An escaped quote: keep one, and start a new run after the pair.
            parts.append(text[pos:quote + 1])
            length += quote + 1 - pos
            pos = quote + 2
            segments.append((length, pos))
            continue
        parts.append(text[pos:quote])
        length += quote - pos
        pos = quote + 1
        break
    # Spreadsheet leniency: `"abc"def` is the cell `abcdef`, as the csv module reads it.
    found = stop.search(text, pos)
    end = found.start() if found else len(text)
    if end > pos:
        segments.append((length, pos))
        parts.append(text[pos:end])
    return RawCell("".join(parts), start, tuple(segments)), end, True


def load_csv(path: str, text: str, columns: Columns, base_dir: str) -> list[Post]:
    index = LineIndex(text)
    rows = tokenize(text, sniff_delimiter(text))
    header = next(rows, None)
    if header is None:
        return []
    names = [c.value.strip() for c in header.cells]
    header_line = index.line_of(header.start)
    posts: list[Post] = []
    header_problems = _header_problems(names, columns)
    has_text = any(columns.key(n) == "text" for n in names)
    if header.unterminated:
        header_problems.append("the header row has a quoted cell that is never closed")
    for message in header_problems:
        severity = Severity.WARNING if "not used" in message else Severity.ERROR
        posts.append(batch_problem(path, None, message, header_line, severity))

    for number, row in enumerate(rows, start=1):
        line = index.line_of(row.start)
        item = str(number)
        if row.unterminated or len(row.cells) > len(names) or not has_text:
            posts.append(_raw_row(path, item, text, index, row, line, len(names), has_text))
            continue
        if all(not c.value.strip() for c in row.cells):
            continue  # `,,,,` lines that spreadsheets leave at the end
        cells = [
            Cell(name, raw.value, *index.point(raw.segments[0][1]), SegmentLocator(index, raw.segments))
            for name, raw in zip(names, row.cells, strict=False)  # short rows: trailing cells empty
        ]
        record = Record(path, item, line, cells, base_dir, csv=True)
        posts.append(record_post(record, columns))
    return posts


def _header_problems(names: list[str], columns: Columns) -> list[str]:
    problems = []
    if not any(columns.key(n) == "text" for n in names):
        problems.append(
            "no text column (text, message, message_text or post message; map yours with batch.columns "
            "in .postguard.yaml): every row was checked as raw text"
        )
    for name in names:
        if name and columns.key(name) is None:
            guess = columns.near_miss(name)
            if guess:
                problems.append(f"column '{name}' is not used: did you mean '{guess}'? (map it with batch.columns)")
    return problems


def _raw_row(
    path: str, item: str, text: str, index: LineIndex, row: RawRow, line: int, width: int, has_text: bool,
) -> Post:
    raw = text[row.start:row.end]
    if row.unterminated:
        message = f"a quoted cell in row {item} is never closed: the rest of the file was checked as raw text"
    elif not has_text:
        message = "row checked as raw text (no text column)"
    else:
        message = f"row {item} has {len(row.cells)} cells but the header has {width}: the row was checked as raw text"
    post = raw_text_post(path, item, raw, verbatim(index, row.start), line, message)
    if not has_text and not row.unterminated:
        post.problems = []  # the header finding already says so, once
    return post
