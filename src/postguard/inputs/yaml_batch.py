"""YAML batches: a list of post mappings, or a mapping with a `posts:` list.

Parsed with the project's safe loader (no tags, no aliases), whose mappings remember
each key's line. A block scalar's text starts on the line after its `|` or `>`, indented:
its lines are aligned back to the file so findings point at the right line and column.
"""

from __future__ import annotations

from typing import Any

from postguard.inputs.batch_post import Cell, Columns, Record, batch_problem, raw_text_post, record_post
from postguard.inputs.positions import LineIndex, SegmentLocator, verbatim
from postguard.inputs.reading import MAX_BATCH_BYTES
from postguard.model import Locator, Post
from postguard.yamlsafe import LineDict, LineList, YamlError, load_yaml

NOT_A_BATCH = (
    "not a batch of posts: expected a list of post mappings, or posts: [...] "
    "(a config or rule pack is not a batch: keep it out of the checked paths)"
)


def load_yaml_batch(path: str, text: str, columns: Columns, base_dir: str) -> list[Post]:
    index = LineIndex(text)
    try:
        data = load_yaml(text, max_bytes=MAX_BATCH_BYTES)
    except YamlError as exc:
        message = f"invalid YAML on line {exc.line or 1}: {exc.message}: the file was checked as raw text"
        return [raw_text_post(path, None, text, verbatim(index, 0), 1, message)]
    if data is None:
        return []
    if isinstance(data, LineDict) and isinstance(data.get("posts"), LineList):
        data = data["posts"]
    if not isinstance(data, LineList):
        return [batch_problem(path, None, NOT_A_BATCH, getattr(data, "line", 1) or 1)]
    lines = text.split("\n")
    posts: list[Post] = []
    for number, (entry, line) in enumerate(zip(data, data.item_lines, strict=True), start=1):
        if not isinstance(entry, LineDict):
            posts.append(batch_problem(path, str(number), f"item {number} is not a post mapping", line))
            continue
        cells = [_cell(str(key), value, entry, index, lines) for key, value in entry.items()]
        posts.append(record_post(Record(path, str(number), line, cells, base_dir), columns))
    return posts


def _cell(key: str, value: Any, entry: LineDict, index: LineIndex, lines: list[str]) -> Cell:
    line = entry.key_lines.get(key)
    column = entry.value_cols.get(key)
    locator: Locator | None = None
    if isinstance(value, str) and line is not None and column is not None:
        locator = _text_locator(value, line, column, index, lines)
        located = locator.locate(0, 1)
        line, column = located.line, located.column
    return Cell(key, value, line, column, locator)


def _text_locator(value: str, line: int, column: int, index: LineIndex, lines: list[str]) -> Locator:
    source = lines[line - 1] if line - 1 < len(lines) else ""
    indicator = source[column - 1:column]
    offset = index.starts[line - 1] + column - 1
    if indicator in ('"', "'"):
        return SegmentLocator(index, ((0, offset + 1),))
    if indicator not in ("|", ">"):
        return SegmentLocator(index, ((0, offset),))
    return SegmentLocator(index, _block_segments(value, line, index, lines))


def _block_segments(value: str, line: int, index: LineIndex, lines: list[str]) -> tuple[tuple[int, int], ...]:
    """Align each content line of a block scalar with its place in the decoded value."""
    segments: list[tuple[int, int]] = []
    cursor = 0
    indent: int | None = None
    for number in range(line, len(lines)):  # `number` is the 0-based index of the next line
        source = lines[number]
        content = source.lstrip(" ")
        if not content:
            continue
        if indent is None:
            indent = len(source) - len(content)
        if len(source) - len(content) < indent:
            break  # dedented: the block is over
        piece = source[indent:]
        if not value.startswith(piece, cursor):
            break
        segments.append((cursor, index.starts[number] + indent))
        cursor += len(piece)
        # Literal blocks join lines with newlines, folded ones with a space.
        skipped = cursor
        while cursor < len(value) and value[cursor] == "\n":
            cursor += 1
        if cursor == skipped and value.startswith(" ", cursor):
            cursor += 1
    return tuple(segments) or ((0, index.starts[min(line, len(index.starts) - 1)]),)
