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
    from postguard.report import github_report, json_report, sarif_report, text_report

    return {
        "text": text_report.render,
        "json": json_report.render,
        "sarif": sarif_report.render,
        "github": github_report.render,
    }


FORMATS = ("text", "json", "sarif", "github")
