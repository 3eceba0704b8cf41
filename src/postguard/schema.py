"""A tiny validator for YAML mappings that names file, line and key in every error.

Used by rule packs and the config alike, so both reject unknown keys and wrong types
the same way: `FILE:LINE: what is wrong`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from postguard.yamlsafe import LineDict, LineList

Fail = Callable[[str, int], NoReturn]


class Section:
    """One mapping being read: tracks which keys were used so unknown ones are refused."""

    def __init__(self, data: Any, where: str, line: int, fail: Fail) -> None:
        self.fail = fail
        self.where = where
        if not isinstance(data, dict):
            fail(f"{where}: expected a mapping", line)
        self.data: dict[str, Any] = data
        self.line = getattr(data, "line", line) or line

    def line_of(self, key: str) -> int:
        if isinstance(self.data, LineDict):
            return self.data.key_lines.get(key, self.line)
        return self.line

    def error(self, key: str, message: str) -> NoReturn:
        self.fail(f"{self.where}: '{key}' {message}", self.line_of(key))

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def string(self, key: str, *, required: bool = False, default: str | None = None,
               choices: Sequence[str] | None = None) -> str | None:
        if key not in self.data or self.data[key] is None:
            if required:
                self.fail(f"{self.where}: missing required key '{key}'", self.line)
            return default
        value = self.data[key]
        if not isinstance(value, str) or not value.strip():
            self.error(key, "must be a non-empty string")
        if choices is not None and value not in choices:
            self.error(key, f"must be one of: {', '.join(choices)} (got '{value}')")
        return value

    def boolean(self, key: str, default: bool | None = None) -> bool | None:
        if key not in self.data or self.data[key] is None:
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            self.error(key, "must be true or false")
        return value

    def integer(self, key: str, default: int | None = None, minimum: int = 0) -> int | None:
        if key not in self.data or self.data[key] is None:
            return default
        value = self.data[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.error(key, f"must be a whole number of at least {minimum}")
        return value

    def strings(self, key: str, *, allow_single: bool = True) -> tuple[str, ...]:
        if key not in self.data or self.data[key] is None:
            return ()
        value = self.data[key]
        if isinstance(value, str) and allow_single:
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.error(key, "must be a list of non-empty strings")
        return tuple(value)

    def section(self, key: str) -> Section | None:
        if key not in self.data or self.data[key] is None:
            return None
        return Section(self.data[key], f"{self.where}.{key}", self.line_of(key), self.fail)

    def items(self, key: str) -> list[tuple[Any, int]]:
        """List items with their lines."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(key, "must be a list")
        lines = value.item_lines if isinstance(value, LineList) else [self.line_of(key)] * len(value)
        return list(zip(value, lines, strict=True))

    def refuse_unknown(self, allowed: Sequence[str]) -> None:
        for key in self.data:
            if key not in allowed:
                hint = _suggest(str(key), allowed)
                self.fail(f"{self.where}: unknown key '{key}'{hint}", self.line_of(str(key)))


def _suggest(key: str, allowed: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.7)
    return f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(allowed)})"
