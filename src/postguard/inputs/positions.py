"""File positions for values that are not verbatim in their file.

A CSV cell with `""` escapes or a JSON string with `\\n` escapes decodes to text whose
offsets differ from the file's. A `SegmentLocator` keeps, for each run of decoded text
that is copied verbatim from the file, where that run starts in both; a finding's
decoded offsets then map back to the file's real line and column.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from postguard.model import Location


class LineIndex:
    """Offset -> 1-based (line, column) in one file's (newline-normalised) text."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        find = text.find
        at = find("\n")
        while at >= 0:
            self.starts.append(at + 1)
            at = find("\n", at + 1)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def point(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


@dataclass(frozen=True)
class SegmentLocator:
    """Maps offsets in a decoded value to the file; `segments` are (value_offset, file_offset)."""

    index: LineIndex
    segments: tuple[tuple[int, int], ...]

    def _file_offset(self, offset: int) -> int:
        # The last segment starting at or before `offset`; offsets inside an escape map
        # to the escape's first character, which is where an editor would point.
        position = bisect.bisect_right(self.segments, (offset, float("inf"))) - 1
        value_start, file_start = self.segments[max(position, 0)]
        return file_start + (offset - value_start)

    def locate(self, start: int, end: int) -> Location:
        line, column = self.index.point(self._file_offset(start))
        end_line, end_column = self.index.point(self._file_offset(max(start, end - 1)))
        return Location(line, column, end_line, end_column)


def verbatim(index: LineIndex, file_offset: int) -> SegmentLocator:
    """A value copied from the file unchanged, starting at `file_offset`."""
    return SegmentLocator(index, ((0, file_offset),))
