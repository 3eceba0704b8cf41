"""Scheduler dates: read per batch.date_order; an ambiguous one is reported, never guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from postguard.inputs.dates import parse_date, parse_time


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2026-11-30", "auto", dt.datetime(2026, 11, 30)),
        ("2026-11-30T09:15:00Z", "auto", dt.datetime(2026, 11, 30, 9, 15, tzinfo=dt.UTC)),
        ("2026/11/30 9:15", "auto", dt.datetime(2026, 11, 30, 9, 15)),
        ("13/04/2026", "auto", dt.datetime(2026, 4, 13)),
        ("04/13/2026 2:30 PM", "auto", dt.datetime(2026, 4, 13, 14, 30)),
        ("03/04/2026", "day-first", dt.datetime(2026, 4, 3)),
        ("03/04/2026 18:00", "month-first", dt.datetime(2026, 3, 4, 18, 0)),
        ("05.05.26", "auto", dt.datetime(2026, 5, 5)),
        ("Nov 30, 2026 9:00 AM", "auto", dt.datetime(2026, 11, 30, 9, 0)),
        ("30 November 2026", "auto", dt.datetime(2026, 11, 30)),
        ("Monday, 30th Nov 2026 at 12:00 am", "auto", dt.datetime(2026, 11, 30, 0, 0)),
    ],
)
def test_readable_dates(text: str, order: str, expected: dt.datetime) -> None:
    result = parse_date(text, order)
    assert result.problem is None and result.value == expected


def test_ambiguous_date_is_a_problem_that_names_both_readings() -> None:
    result = parse_date("03/04/2026")
    assert result.value is None and result.problem is not None
    assert "3 April" in result.problem and "March 4" in result.problem and "batch.date_order" in result.problem


@pytest.mark.parametrize(
    ("text", "order", "fragment"),
    [
        ("13/04/2026", "month-first", "month-first"),
        ("04/13/2026", "day-first", "day-first"),
        ("31/02/2026", "auto", "not a valid date"),
        ("next tuesday", "auto", "not a date"),
        ("13:00 PM 2026-01-01", "auto", "not a date"),
        ("2026-11-30 25:00", "auto", "not a date"),
    ],
)
def test_unreadable_dates(text: str, order: str, fragment: str) -> None:
    result = parse_date(text, order)
    assert result.value is None and fragment in (result.problem or "")


def test_empty_is_no_date_and_no_problem() -> None:
    assert parse_date("  ") == parse_date("")
    assert parse_date("").value is None and parse_date("").problem is None


@pytest.mark.parametrize(
    ("text", "expected"), [("14:30", dt.time(14, 30)), ("2:05 pm", dt.time(14, 5)), ("12:00 AM", dt.time(0, 0))]
)
def test_time_column(text: str, expected: dt.time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "13:00 PM", "noon", ""])
def test_bad_time_column(text: str) -> None:
    assert parse_time(text) is None
