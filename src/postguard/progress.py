"""A progress bar on stderr for long runs, only where a person is watching.

Never in CI logs (a bar redrawn thousands of times is noise there) and never when the
output is piped or redirected to something that is not a terminal.
"""

from __future__ import annotations

import os
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

MIN_POSTS = 200  # below this a run is over before a bar would help



def in_ci(environ: dict[str, str] | os._Environ[str] | None = None) -> bool:
    value = (environ if environ is not None else os.environ).get("CI", "")
    return value.strip().lower() not in ("", "0", "false", "no")


def wanted(stderr: TextIO, stdout_is_terminal: bool) -> bool:
    """A bar only for a person at a terminal: stderr and the report both on one, no CI."""
    if in_ci() or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stderr, "isatty", lambda: False)()) and stdout_is_terminal


class ProgressBar:
    """A `CheckOptions.progress` callback that draws (lazily) once a run is large enough."""

    def __init__(self, stream: TextIO, minimum: int = MIN_POSTS, label: str = "checking posts") -> None:
        self.minimum = minimum
        self.label = label
        self.console = Console(file=stream, stderr=True)
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if total < self.minimum:
            return
        if self._progress is None:
            self._progress = Progress(
                TextColumn(self.label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                console=self.console, transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("check", total=total)
        assert self._task is not None
        self._progress.update(self._task, completed=done, total=total)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def progress_for(stderr: TextIO, stdout_is_terminal: bool, *, minimum: int = MIN_POSTS,
                 label: str = "checking posts") -> ProgressBar | None:
    return ProgressBar(stderr, minimum, label) if wanted(stderr, stdout_is_terminal) else None
