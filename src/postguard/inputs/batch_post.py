"""One batch record (a CSV row, a JSON/YAML object) to a `Post`, whatever the format.

Scheduler exports name their columns differently (`message`, `Post Message`,
`imageUrls`, ...): `Columns` maps each column or key to a contract section 1 key, with
the config's `batch.columns` winning over the built-in aliases.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import regex

from postguard.config import BatchSettings
from postguard.errors import ConfigError
from postguard.inputs.dates import parse_date, parse_time
from postguard.inputs.post_builder import build_post
from postguard.inputs.problems import BATCH_ROW, METADATA, input_finding
from postguard.model import FileLocator, Locator, Origin, Post, PostMeta, Severity, TextField
from postguard.yamlsafe import YamlError, load_yaml

Position = tuple[int | None, int | None]

# Keys a column may map to: contract section 1 plus the scheduler-only `time` and `link`.
TARGET_KEYS = (
    "text", "scheduled", "time", "link", "platform", "account", "handle", "display_name", "bio",
    "case_date", "consent", "images", "alt_text", "id", "ignore",
)
_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "message", "message_text", "post message", "post text", "content", "caption", "body"),
    "scheduled": (
        "scheduled", "date", "publish_date", "scheduled_at", "post date", "scheduled date", "datetime",
        "publish at", "posting time", "scheduled time",
    ),
    "time": ("time", "time_24hr", "time24", "publish_time", "post time"),
    "images": ("images", "image", "image_urls", "image url", "media", "media_urls", "media url"),
    "link": ("link", "url", "link url"),
    "platform": ("platform", "network", "social network"),
    "alt_text": ("alt_text", "alt"),
    "id": ("id", "post id"),
}
# Published text: a finding here is about what the public will read.
_TEXT_ORIGIN_KEYS = ("text", "link")


def normalise(name: str) -> str:
    """`Post Message`, `post_message` and `POSTMESSAGE` are one column; `(DD/MM/YYYY)` hints go."""
    name = regex.sub(r"\(.*?\)|\[.*?\]", "", name)
    return regex.sub(r"[\s_\-.]+", "", name).casefold()


_BUILTIN: dict[str, str] = {normalise(key): key for key in TARGET_KEYS}
for _key, _names in _ALIASES.items():
    _BUILTIN.update({normalise(n): _key for n in _names})

_ORDER_HINT = regex.compile(r"(?P<first>d{1,2}|m{1,2})[/.\-](?P<second>d{1,2}|m{1,2})", regex.IGNORECASE)


def order_hint(name: str) -> str | None:
    """A header such as `Date (DD/MM/YYYY)` says its own date order."""
    match = _ORDER_HINT.search(name)
    if match is None or match["first"][0].lower() == match["second"][0].lower():
        return None
    return "day-first" if match["first"][0].lower() == "d" else "month-first"


class Columns:
    """Column or key name -> target key, per the config mapping and the built-in aliases."""

    def __init__(self, settings: BatchSettings, config_path: str | None) -> None:
        self.settings = settings
        self.mapping: dict[str, str] = {}
        for source, target in settings.columns.items():
            if target not in TARGET_KEYS:
                raise ConfigError(
                    f"{config_path or '.postguard.yaml'}: batch.columns: '{source}' maps to '{target}', "
                    f"which is not one of {', '.join(TARGET_KEYS)}"
                )
            self.mapping[normalise(source)] = target

    def key(self, name: str) -> str | None:
        norm = normalise(name)
        return self.mapping.get(norm) or _BUILTIN.get(norm)

    def near_miss(self, name: str) -> str | None:
        close = difflib.get_close_matches(normalise(name), list(_BUILTIN), n=1, cutoff=0.8)
        return _BUILTIN[close[0]] if close else None

    def order(self, name: str) -> str:
        return order_hint(name) or self.settings.date_order


@dataclass(frozen=True)
class Cell:
    """One value of a record, with where it sits in the file."""

    name: str  # the column or key as written in the file
    value: Any
    line: int | None
    column: int | None = None
    locator: Locator | None = None  # exact positions for string values


@dataclass
class Record:
    path: str
    number: str  # 1-based row or index: the item when the record has no id
    line: int | None
    cells: list[Cell]
    base_dir: str
    csv: bool = False  # CSV: string cells, `;`-separated images, `ignore` written inline
    problems: list[tuple[str, str, int | None]] = field(default_factory=list)  # (rule, message, line)


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _item(record: Record, cells: Mapping[str, Cell]) -> str:
    cell = cells.get("id")
    if cell is not None and isinstance(cell.value, (str, int)) and not isinstance(cell.value, bool):
        text = str(cell.value).strip()
        if text:
            return text
    return record.number


def _inline_ignore(text: str) -> Any:
    """CSV `ignore` cells: `rule: reason; rule2: reason`, or YAML flow `[{rule: .., reason: ..}]`."""
    if text.lstrip().startswith(("[", "{")):
        try:
            return load_yaml(text)
        except YamlError:
            return text
    entries = []
    for part in text.split(";"):
        rule, sep, reason = part.partition(":")
        if rule.strip():
            entries.append({"rule": rule.strip(), "reason": reason.strip() or None} if sep else rule.strip())
    return entries


def record_post(record: Record, columns: Columns) -> Post:
    """Build the post of one record; problems (bad dates, bad values) ride on it as findings."""
    by_key: dict[str, Cell] = {}
    unknown_positions: dict[str, Position] = {}
    extra_text: list[Cell] = []
    raw: dict[str, Any] = {}
    for cell in record.cells:
        key = columns.key(cell.name)
        if key is None:
            if not record.csv:
                raw[cell.name] = cell.value  # parse_meta flags near-miss keys
                unknown_positions[cell.name] = (cell.line, cell.column)
            continue
        if not _present(cell.value):
            continue
        if key in by_key:
            if key == "text":
                extra_text.append(cell)  # two text columns: check both, never drop one
            continue
        by_key[key] = cell

    item = _item(record, by_key)
    problems: list[tuple[str, str, int | None]] = list(record.problems)
    positions: dict[str, Position] = dict(unknown_positions)
    for key, cell in by_key.items():
        positions[key] = (cell.line, cell.column)
        if key in ("text", "link", "scheduled", "time", "case_date"):
            continue
        value = cell.value
        if key == "ignore" and isinstance(value, str):
            value = _inline_ignore(value)
        raw[key] = value

    scheduled = _date(by_key.get("scheduled"), by_key.get("time"), columns, problems, show_value=True)
    if scheduled is not None:
        raw["scheduled"] = scheduled
    case_date = _date(by_key.get("case_date"), None, columns, problems, show_value=False)
    if case_date is not None:
        raw["case_date"] = case_date

    body_cell = by_key.get("text")
    body = _string(body_cell)
    post = build_post(
        record.path, item, raw, body if body is not None else "",
        body_position=(body_cell.line, body_cell.column) if body_cell else (record.line, 1),
        key_positions=positions, base_dir=record.base_dir, meta_origin=Origin.FRONT_MATTER,
        list_separator=";" if record.csv else None, post_line=record.line,
    )
    post.meta.key_lines = {key: line for key, (line, _) in positions.items() if line is not None and key in by_key}
    _relocate(post, by_key)
    for cell in [c for c in (by_key.get("link"),) if c is not None] + extra_text:
        text = _string(cell)
        if text:
            name = "link" if cell is by_key.get("link") else "text"
            post.fields.append(TextField(name, text, Origin.TEXT, _locator(cell, text)))
    if body_cell is not None and body is None:
        problems.append((METADATA, f"'{body_cell.name}' must be text", body_cell.line))
    for rule, message, line in problems:
        post.problems.append(input_finding(rule, message, record.path, item=item, line=line))
    return post


def _string(cell: Cell | None) -> str | None:
    if cell is None:
        return None
    if isinstance(cell.value, str):
        return cell.value
    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        return str(cell.value)
    return None


def _locator(cell: Cell, text: str) -> Locator:
    if cell.locator is not None and text == cell.value:
        return cell.locator
    return FileLocator(text, cell.line, cell.column)


def _relocate(post: Post, by_key: Mapping[str, Cell]) -> None:
    """Give each field built from a cell the cell's exact locator (escapes, quotes)."""
    for index, text_field in enumerate(post.fields):
        cell = by_key.get(text_field.name)
        if cell is not None and cell.locator is not None and text_field.value == cell.value:
            origin = Origin.TEXT if text_field.name in _TEXT_ORIGIN_KEYS else text_field.origin
            post.fields[index] = TextField(text_field.name, text_field.value, origin, cell.locator)


def _date(
    cell: Cell | None, time_cell: Cell | None, columns: Columns,
    problems: list[tuple[str, str, int | None]], *, show_value: bool,
) -> dt.datetime | None:
    if cell is None:
        return None
    value = cell.value
    if isinstance(value, dt.datetime):
        result: dt.datetime | None = value
        has_time = True
    elif isinstance(value, dt.date):
        result, has_time = dt.datetime(value.year, value.month, value.day), False
    elif isinstance(value, str):
        parsed = parse_date(value, columns.order(cell.name))
        if parsed.problem is not None:
            shown = f" value '{value.strip()}'" if show_value else ""
            problems.append((METADATA, f"column '{cell.name}'{shown} {parsed.problem}", cell.line))
            return None
        result, has_time = parsed.value, parsed.has_time
    else:
        problems.append((METADATA, f"'{cell.name}' must be a date", cell.line))
        return None
    if result is not None and time_cell is not None and isinstance(time_cell.value, str):
        clock = parse_time(time_cell.value)
        if clock is None:
            shown = time_cell.value.strip()
            problems.append((METADATA, f"column '{time_cell.name}' value '{shown}' is not a time (14:30 or 2:30 PM)",
                             time_cell.line))
        elif not has_time:
            result = dt.datetime.combine(result.date(), clock, result.tzinfo)
    return result


def batch_problem(
    path: str, item: str | None, message: str, line: int | None, severity: Severity = Severity.ERROR,
) -> Post:
    """A problem with no text to check: a non-object item, a header (item None) or file problem."""
    post = Post(path=path, item=item, meta=PostMeta(), line=line)
    post.problems.append(input_finding(BATCH_ROW, message, path, item=item, line=line, severity=severity))
    return post


def raw_text_post(path: str, item: str | None, text: str, locator: Locator, line: int | None, message: str) -> Post:
    """Fail closed: a record that could not be parsed is still checked as raw text."""
    post = Post(path=path, item=item, meta=PostMeta(), line=line)
    post.fields.append(TextField("text", text, Origin.TEXT, locator))
    post.problems.append(input_finding(BATCH_ROW, message, path, item=item, line=line))
    return post
