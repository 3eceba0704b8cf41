"""The data that flows between stages: posts in, findings out.

Loaders build `Post`s, the engine turns them into `Finding`s, reporters only ever see
`Finding`s (plus rule descriptions). Nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Origin(str, Enum):
    TEXT = "text"
    FRONT_MATTER = "front-matter"
    IMAGE_TEXT = "image-text"
    IMAGE_METADATA = "image-metadata"


# Contract section 2: the closed list. Packs add rules, never categories.
CATEGORIES: tuple[str, ...] = (
    "patient-name",
    "mrn",
    "patient-age",
    "case-timing",
    "date",
    "contact",
    "government-id",
    "location",
    "handle-branding",
    "missing-disclaimer",
    "photo-consent",
    "clinical-setting",
    "image-metadata",
    "data-use",
    "spokesperson",
    "conduct",
    "input",
)

Box = tuple[int, int, int, int]  # x, y, width, height in pixels


@dataclass(frozen=True)
class Location:
    """Where a match sits: a file span for text origins, a pixel box for images."""

    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    image: str | None = None
    box: Box | None = None


class Locator(Protocol):
    def locate(self, start: int, end: int) -> Location: ...


@dataclass(frozen=True)
class FileLocator:
    """Maps offsets in a field's value to line/column in its file.

    `line`/`column` give the position of the value's first character. Values that span
    lines (a post body, a multi-line CSV cell) count columns from each line start.
    """

    value: str
    line: int | None
    column: int | None

    def _point(self, offset: int) -> tuple[int | None, int | None]:
        if self.line is None or self.column is None:
            return self.line, self.column
        before = self.value[:offset]
        newlines = before.count("\n")
        if newlines == 0:
            return self.line, self.column + offset
        return self.line + newlines, offset - before.rfind("\n")

    def locate(self, start: int, end: int) -> Location:
        line, column = self._point(start)
        # The end is inclusive in the report: point at the last matched character.
        end_line, end_column = self._point(max(start, end - 1))
        return Location(line, column, end_line, end_column)


@dataclass(frozen=True)
class WordSpan:
    start: int
    end: int
    box: Box


@dataclass(frozen=True)
class ImageLocator:
    """Maps offsets in OCR text back to the union box of the words they touch."""

    image: str
    words: tuple[WordSpan, ...] = ()

    def locate(self, start: int, end: int) -> Location:
        hit = [w.box for w in self.words if w.start < end and w.end > start]
        return Location(image=self.image, box=union_box(hit) if hit else None)


def union_box(boxes: list[Box]) -> Box:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


@dataclass(frozen=True)
class TextField:
    """One piece of checkable text of a post: its body, bio, alt text, OCR text, ..."""

    name: str  # "text", "bio", "handle", "display_name", "alt_text", "link", "image-text", ...
    value: str
    origin: Origin
    locator: Locator


@dataclass(frozen=True)
class Suppression:
    rule: str
    reason: str | None


@dataclass
class PostMeta:
    """Contract section 1 metadata, already validated and typed."""

    platform: str | None = None
    account: str | None = None  # "personal" | "official"; None: take the config default
    handle: str | None = None
    display_name: str | None = None
    bio: str | None = None
    scheduled: dt.datetime | None = None
    case_date: dt.date | None = None
    consent: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    alt_text: str | None = None
    id: str | None = None
    ignore: tuple[Suppression, ...] = ()
    # Where each metadata key sits in the file, for findings about metadata.
    key_lines: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ImageMetaEntry:
    """One metadata value found in an image file (GPS, a capture time, a name, free text)."""

    image: str
    key: str
    value: str
    kind: str  # "gps" | "date" | "name" | "text"


@dataclass
class Post:
    """A post as the engine sees it, whatever file it came from."""

    path: str  # as given on the command line (or the file under a directory argument)
    item: str | None  # batch id or 1-based row/index; None for a single-post file
    meta: PostMeta
    fields: list[TextField] = field(default_factory=list)
    # Problems met while loading (bad front matter, undecodable bytes): `input` findings.
    problems: list[Finding] = field(default_factory=list)
    # Image paths resolved against the post's folder, in the order of `meta.images`.
    image_paths: tuple[str, ...] = ()
    line: int | None = None  # where the post starts in its file (batch rows)
    is_image: bool = False  # an image given on its own, checked as a post of its own
    image_meta: list[ImageMetaEntry] = field(default_factory=list)


    def field_named(self, name: str) -> TextField | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class Finding:
    """The one result type reporters see. `match` holds raw text: mask before printing."""

    rule: str
    category: str
    severity: Severity
    message: str
    path: str
    item: str | None
    origin: Origin
    location: Location = Location()
    match: str = field(default="", repr=False)
    # Part of `match` that is the identifier itself (the rest is a label such as "MRN").
    value_range: tuple[int, int] | None = field(default=None, repr=False)
    # The source line holding the match, and the match's span in it, for text reports.
    snippet: str = field(default="", repr=False, compare=False)
    snippet_span: tuple[int, int] | None = field(default=None, repr=False, compare=False)
    # The normalised text of the whole post: high-entropy context for baseline hashes.
    context_key: str = field(default="", repr=False, compare=False)
    mask: bool = True  # identifiers are masked in every report unless --show-matches
    source_field: str = ""  # which part of the post matched: text, bio, alt_text, image-text, ...

    @property
    def sort_key(self) -> tuple[object, ...]:
        loc = self.location
        return (
            self.path,
            self.item or "",
            loc.line or 0,
            loc.column or 0,
            loc.image or "",
            loc.box or (0, 0, 0, 0),
            self.rule,
        )
