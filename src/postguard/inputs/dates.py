"""Scheduler dates: ISO 8601 plus the numeric and month-name forms bulk-schedule CSVs use.

`03/04/2026` means 3 April in most of the world and March 4 in the US. A wrong guess
moves a post's publication date by weeks, which changes the one-month consent rule, so
an ambiguous date is reported and never guessed: `batch.date_order` in the config says
which order a team's files use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

_TIME = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?"
_NUMERIC = regex.compile(
    r"(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
    r"(?:(?:\s+|T|,\s*)" + _TIME + r")?",
    regex.IGNORECASE,
)
_YEAR_FIRST = regex.compile(
    r"(?P<year>\d{4})(?P<sep>[/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?:(?:\s+|T|,\s*)" + _TIME + r")?",
    regex.IGNORECASE,
)
_MONTH_FIRST_NAME = regex.compile(
    r"(?:[a-z]{3,9},?\s+)?(?P<month>[a-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    r"(?:(?:\s+|,\s*|\s+at\s+)" + _TIME + r")?",
    regex.IGNORECASE,
)
_DAY_FIRST_NAME = regex.compile(
    r"(?:[a-z]{3,9},?\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[a-z]{3,9})\.?,?\s+(?P<year>\d{4})"
    r"(?:(?:\s+|,\s*|\s+at\s+)" + _TIME + r")?",
    regex.IGNORECASE,
)
_TIME_ONLY = regex.compile(_TIME, regex.IGNORECASE)


@dataclass(frozen=True)
class DateResult:
    value: dt.datetime | None
    problem: str | None = None  # why the value could not be read; None when read (or empty)
    has_time: bool = False


def _time_parts(match: regex.Match[str]) -> tuple[int, int, int] | None:
    if match.group("hour") is None:
        return (0, 0, 0)
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    second = int(match.group("second") or 0)
    ampm = (match.group("ampm") or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def _build(year: int, month: int, day: int, match: regex.Match[str]) -> dt.datetime | None:
    clock = _time_parts(match)
    if clock is None:
        return None
    try:
        return dt.datetime(year, month, day, *clock)
    except ValueError:
        return None


def _year(text: str) -> int:
    # Two-digit years in a posting schedule are this century's.
    return int(text) + 2000 if len(text) == 2 else int(text)


def parse_time(text: str) -> dt.time | None:
    """A separate time column: `14:30`, `2:30 PM`, `14:30:00`."""
    match = _TIME_ONLY.fullmatch(text.strip())
    if match is None:
        return None
    clock = _time_parts(match)
    return dt.time(*clock) if clock else None


def parse_date(text: str, order: str = "auto") -> DateResult:
    """Read a scheduler date; an ambiguous or unreadable one comes back as a problem."""
    value = text.strip()
    if not value:
        return DateResult(None)
    iso = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        parsed = dt.datetime.fromisoformat(iso)
    except ValueError:
        pass
    else:
        # A plain ISO date (2026-11-30) has no time; fromisoformat accepts both.
        return DateResult(parsed, has_time=len(value) > 10)

    match = _YEAR_FIRST.fullmatch(value)
    if match is not None:
        built = _build(int(match["year"]), int(match["month"]), int(match["day"]), match)
        return _result(built, match, value)

    for pattern in (_MONTH_FIRST_NAME, _DAY_FIRST_NAME):
        match = pattern.fullmatch(value)
        if match is not None and match["month"].lower().rstrip(".") in _MONTHS:
            month = _MONTHS[match["month"].lower().rstrip(".")]
            built = _build(int(match["year"]), month, int(match["day"]), match)
            return _result(built, match, value)

    match = _NUMERIC.fullmatch(value)
    if match is None:
        return DateResult(None, "is not a date this tool can read (use 2026-11-30 or 2026-11-30 09:00)")
    a, b, year = int(match["a"]), int(match["b"]), _year(match["year"])
    day_first = _build(year, b, a, match)
    month_first = _build(year, a, b, match)
    if order == "day-first":
        return _result(day_first, match, value, f"is not a valid day-first date (batch.date_order is {order})")
    if order == "month-first":
        return _result(month_first, match, value, f"is not a valid month-first date (batch.date_order is {order})")
    if day_first is not None and month_first is not None and day_first != month_first:
        return DateResult(None, (
            f"is ambiguous ({day_first:%-d %B} or {month_first:%B %-d}): "
            "set batch.date_order to day-first or month-first in .postguard.yaml"
        ))
    return _result(day_first or month_first, match, value)


def _result(built: dt.datetime | None, match: regex.Match[str], value: str, problem: str | None = None) -> DateResult:
    if built is None:
        return DateResult(None, problem or "is not a valid date")
    return DateResult(built, has_time=match.group("hour") is not None)
