"""JSON and JSONL batches, parsed value by value so each key keeps its file position.

`json.loads` forgets where things were; `raw_decode` on each member gives the offset of
every value, and a string's escapes (`\\n`, `\\u00e9`) are mapped so a finding inside a
post's text points at the real line and column. A syntax error does not lose the posts
before it: they are checked, and the rest of the file is checked as raw text.
"""

from __future__ import annotations

import json
from typing import Any

import regex

from postguard.inputs.batch_post import Cell, Columns, Record, batch_problem, raw_text_post, record_post
from postguard.inputs.positions import LineIndex, SegmentLocator, verbatim
from postguard.model import Post

_DECODER = json.JSONDecoder()
NOT_A_BATCH = "not a batch of posts: expected a list of post objects, or an object with a \"posts\" list"
_SPACE = regex.compile(r"[ \t\n\r]*")


class NotABatch(Exception):
    """Valid JSON, but not a list of posts (a config, a package.json, ...)."""


class OwnOutput(Exception):
    """A postguard baseline or JSON report left in a checked folder: not posts, not a problem."""


def _own_output(top: dict[str, Any]) -> bool:
    return top.get("tool") == "postguard" and "entries" in top or {"version", "findings", "summary"} <= set(top)


class JsonSyntax(Exception):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


def _skip(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def _value(text: str, pos: int) -> tuple[Any, int]:
    try:
        return _DECODER.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise JsonSyntax(exc.msg.removesuffix(" at"), exc.pos) from None
    except RecursionError:
        raise JsonSyntax("nested too deeply", pos) from None


def string_segments(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """(value offset, file offset) runs of the JSON string literal text[start:end]."""
    segments = [(0, start + 1)]
    length = 0
    pos = start + 1
    last = end - 1  # the closing quote
    while True:
        slash = text.find("\\", pos, last)
        if slash < 0:
            return tuple(segments)
        length += slash - pos
        width = 2
        if text[slash + 1] == "u":
            width = 6
            high = int(text[slash + 2:slash + 6], 16)
            # A surrogate pair (\ud83d\ude00) is one character in the decoded string.
            if 0xD800 <= high < 0xDC00 and text.startswith("\\u", slash + 6):
                low = int(text[slash + 8:slash + 12], 16)
                if 0xDC00 <= low < 0xE000:
                    width = 12
        pos = slash + width
        length += 1
        segments.append((length, pos))


def scan_object(text: str, pos: int, index: LineIndex) -> tuple[list[Cell], int]:
    """The members of the object at text[pos] ('{'), as cells with positions; and its end."""
    cells: list[Cell] = []
    pos = _skip(text, pos + 1)
    if text.startswith("}", pos):
        return cells, pos + 1
    while True:
        if not text.startswith('"', pos):
            raise JsonSyntax("expected a key in double quotes", pos)
        key, pos = _value(text, pos)
        pos = _skip(text, pos)
        if not text.startswith(":", pos):
            raise JsonSyntax("expected ':' after a key", pos)
        start = _skip(text, pos + 1)
        value, pos = _value(text, start)
        line, column = index.point(start)
        locator = SegmentLocator(index, string_segments(text, start, pos)) if isinstance(value, str) else None
        cells = [c for c in cells if c.name != key]  # a repeated key: the last wins, as in json.loads
        cells.append(Cell(key, value, line, column, locator))
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
            continue
        if text.startswith("}", pos):
            return cells, pos + 1
        raise JsonSyntax("expected ',' or '}' in an object", pos)


def _posts_array(text: str, index: LineIndex) -> int:
    """Where the list of posts starts: the top-level array, or the value of a `posts` key."""
    pos = _skip(text, 0)
    if text.startswith("[", pos):
        return pos
    if text.startswith("{", pos):
        cells, _ = scan_object(text, pos, index)
        if _own_output({c.name: c.value for c in cells}):
            raise OwnOutput()
        for cell in cells:
            if cell.name == "posts" and isinstance(cell.value, list) and cell.line is not None:
                return index.starts[cell.line - 1] + (cell.column or 1) - 1
        raise NotABatch()
    _value(text, pos)  # a syntax error is reported as one; valid JSON is just not a batch
    raise NotABatch()


def load_json(path: str, text: str, columns: Columns, base_dir: str) -> list[Post]:
    index = LineIndex(text)
    posts: list[Post] = []
    item_start = 0
    if not text.strip():
        return posts
    try:
        pos = _skip(text, _posts_array(text, index) + 1)
        number = 0
        while not text.startswith("]", pos):
            number += 1
            item_start = pos
            line = index.line_of(pos)
            if text.startswith("{", pos):
                cells, end = scan_object(text, pos, index)
                posts.append(record_post(Record(path, str(number), line, cells, base_dir), columns))
            else:
                _, end = _value(text, pos)
                posts.append(batch_problem(path, str(number), f"item {number} is not a post object", line))
            pos = _skip(text, end)
            if text.startswith(",", pos):
                pos = _skip(text, pos + 1)
            elif not text.startswith("]", pos):
                raise JsonSyntax("expected ',' or ']' between posts", pos)
    except OwnOutput:
        return []
    except NotABatch:
        posts.append(batch_problem(path, None, NOT_A_BATCH, index.line_of(_skip(text, 0))))
    except JsonSyntax as exc:
        line = index.line_of(exc.pos)
        start = item_start if posts else 0
        message = (
            f"invalid JSON on line {line}: {exc.message}: "
            f"the file from line {index.line_of(start)} on was checked as raw text"
        )
        posts.append(raw_text_post(path, None, text[start:], verbatim(index, start), index.line_of(start), message))
    return posts


def load_jsonl(path: str, text: str, columns: Columns, base_dir: str) -> list[Post]:
    index = LineIndex(text)
    posts: list[Post] = []
    number = 0
    for line_number, start in enumerate(index.starts, start=1):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        pos = _skip(text, start)
        if pos >= end:
            continue
        number += 1
        item = str(number)
        try:
            # Parsing runs on the whole text (no copy per line) but must end on this line.
            if not text.startswith("{", pos):
                _, stop = _value(text, pos)
                if stop > end:
                    raise JsonSyntax("a value runs past the end of its line", end)
                posts.append(batch_problem(path, item, f"line {line_number} is not a post object", line_number))
                continue
            cells, stop = scan_object(text, pos, index)
            if stop > end:
                raise JsonSyntax("the object is not closed on its line", end)
            if text[stop:end].strip():
                raise JsonSyntax("extra text after the object", stop)
        except JsonSyntax as exc:
            message = f"invalid JSON: {exc.message}: the line was checked as raw text"
            posts.append(raw_text_post(path, item, text[start:end], verbatim(index, start), line_number, message))
            continue
        posts.append(record_post(Record(path, item, line_number, cells, base_dir), columns))
    return posts
