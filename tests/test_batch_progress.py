"""Progress bar: on a terminal for large batches; never in CI logs or when output is piped."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from postguard import progress


def _batch(folder: Path, rows: int) -> Path:
    path = folder / "big.csv"
    path.write_text("text\n" + "".join(f"Flu clinic open for post {n}\n" for n in range(rows)))
    return path


def _run_on_terminal(folder: Path, env: dict[str, str]) -> str:
    """Run the real command with stdout and stderr on a pseudo-terminal; return what it drew."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "postguard", "check", "--quiet", "big.csv"],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=secondary,
        env=env,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=120)
    os.close(primary)
    return b"".join(chunks).decode("utf-8", "replace")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "TERM")}
    env.update(TERM="xterm-256color", COLUMNS="100", **extra)
    return env


def test_bar_is_drawn_on_a_terminal_for_a_large_batch(tmp_path: Path) -> None:
    _batch(tmp_path, 400)
    assert "checking posts" in _run_on_terminal(tmp_path, _env())


def test_no_bar_in_ci_even_on_a_terminal(tmp_path: Path) -> None:
    _batch(tmp_path, 400)
    assert "checking posts" not in _run_on_terminal(tmp_path, _env(CI="true"))


def test_no_bar_when_piped(tmp_path: Path) -> None:
    _batch(tmp_path, 400)
    out = subprocess.run(
        [sys.executable, "-m", "postguard", "check", "big.csv"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=_env(),
    )
    assert out.returncode == 0 and "checking posts" not in out.stderr + out.stdout


def test_no_bar_for_a_small_batch(tmp_path: Path) -> None:
    _batch(tmp_path, 20)
    assert "checking posts" not in _run_on_terminal(tmp_path, _env())


@pytest.mark.parametrize(
    ("value", "expected"), [("true", True), ("1", True), ("", False), ("false", False), ("0", False)]
)
def test_ci_variable(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv("CI", value)
    assert progress.in_ci() is expected


def test_wanted_needs_both_streams_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert progress.wanted(Tty(), stdout_is_terminal=True)
    assert not progress.wanted(Tty(), stdout_is_terminal=False)
    assert not progress.wanted(io.StringIO(), stdout_is_terminal=True)
