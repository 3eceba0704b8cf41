"""Contract section 1 metadata: a raw mapping (front matter, CSV row, JSON object) to `PostMeta`.

Every problem is returned, not raised, so a post with one bad key is still checked on
everything else; the caller turns problems into `input` findings.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from postguard.model import PostMeta, Suppression

KNOWN_KEYS = (
    "platform", "account", "handle", "display_name", "bio", "scheduled", "case_date",
    "consent", "images", "alt_text", "id", "ignore", "text",
)
TEXT_KEYS = ("handle", "display_name", "bio", "alt_text")


@dataclass(frozen=True)
class MetaProblem:
    message: str
    key: str | None = None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def parse_datetime(value: Any) -> dt.datetime | None:
    """ISO 8601 date or date-time (YAML may already have built one). None if unreadable."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    return None


def _string_list(value: Any, *, split: str | None) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        parts = value.split(split) if split else [value]
        return tuple(p.strip() for p in parts if p.strip())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (str(value),)
    if isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return None


def parse_meta(raw: Mapping[str, Any], *, list_separator: str | None = None) -> tuple[PostMeta, list[MetaProblem]]:
    """Build `PostMeta` from raw keys. `list_separator` splits string lists (CSV: ';')."""
    meta = PostMeta()
    problems: list[MetaProblem] = []

    def bad(key: str, expected: str) -> None:
        problems.append(MetaProblem(f"front-matter key '{key}' must be {expected}", key))

    for key in raw:
        if not isinstance(key, str) or key in KNOWN_KEYS:
            continue
        close = difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.75)
        if close:
            problems.append(MetaProblem(f"unknown key '{key}': did you mean '{close[0]}'? (ignored)", key))

    for key in ("platform", "handle", "display_name", "bio", "alt_text", "id"):
        if key in raw and raw[key] is not None:
            text = _as_text(raw[key])
            if text is None:
                bad(key, "a string")
            else:
                setattr(meta, key, text)
    if meta.platform:
        meta.platform = meta.platform.strip().lower()

    account = raw.get("account")
    if account is not None:
        if isinstance(account, str) and account.strip().lower() in ("personal", "official"):
            meta.account = account.strip().lower()
        else:
            bad("account", "'personal' or 'official'")

    if raw.get("scheduled") not in (None, ""):
        scheduled = parse_datetime(raw["scheduled"])
        if scheduled is None:
            bad("scheduled", "an ISO 8601 date or date-time (2026-11-30 or 2026-11-30T09:00)")
        else:
            meta.scheduled = scheduled
    if raw.get("case_date") not in (None, ""):
        case = parse_datetime(raw["case_date"])
        if case is None:
            bad("case_date", "an ISO 8601 date (2026-11-12)")
        else:
            meta.case_date = case.date()

    for key, split in (("consent", None), ("images", list_separator)):
        if key in raw:
            values = _string_list(raw[key], split=split)
            if values is None:
                bad(key, "a string or a list of strings")
            else:
                setattr(meta, key, values)

    if "ignore" in raw and raw["ignore"] is not None:
        suppressions, ignore_problems = _parse_ignore(raw["ignore"])
        meta.ignore = suppressions
        problems.extend(ignore_problems)

    key_lines = getattr(raw, "key_lines", None)
    if isinstance(key_lines, dict):
        meta.key_lines = dict(key_lines)
    return meta, problems


def _parse_ignore(value: Any) -> tuple[tuple[Suppression, ...], list[MetaProblem]]:
    items = value if isinstance(value, list) else [value]
    found: list[Suppression] = []
    problems: list[MetaProblem] = []
    for item in items:
        if isinstance(item, str):
            found.append(Suppression(item.strip(), None))
        elif isinstance(item, Mapping) and isinstance(item.get("rule"), str):
            reason = item.get("reason")
            reason_text = reason.strip() if isinstance(reason, str) and reason.strip() else None
            found.append(Suppression(item["rule"].strip(), reason_text))
        else:
            problems.append(MetaProblem("each 'ignore' entry must be {rule: RULE-ID, reason: \"...\"}", "ignore"))
    return tuple(found), problems
