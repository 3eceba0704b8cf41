"""Reporters, looked up by `--format`. They only ever see `Finding`s and rule descriptions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from postguard.check import Report
from postguard.engine.ruleset import RuleSet


@dataclass(frozen=True)
class RenderOptions:
    show_matches: bool = False
    quiet: bool = False
    color: bool | None = None  # None: decide from the terminal and NO_COLOR


Renderer = Callable[[Report, RuleSet, TextIO, RenderOptions], None]


def renderers() -> dict[str, Renderer]:
    from postguard.report import json_report, text_report

    found: dict[str, Renderer] = {"text": text_report.render, "json": json_report.render}
    try:
        from postguard.report import github_report, sarif_report
    except ImportError:  # pragma: no cover - both ship with the package
        return found
    found["sarif"] = sarif_report.render
    found["github"] = github_report.render
    return found


FORMATS = ("text", "json", "sarif", "github")
