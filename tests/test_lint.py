"""The code stays typed and linted: ruff over everything, mypy over the package."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import REPO


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(REPO / ".venv" / "bin"))
    if found is None:
        candidate = f"{sys.prefix}/bin/{name}"
        found = candidate if shutil.which(candidate) else None
    if found is None:
        pytest.skip(f"{name} not installed (pip install -e '.[dev]')")
    return found


def test_ruff() -> None:
    out = subprocess.run([_tool("ruff"), "check", "src", "tests", "benchmarks"], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy() -> None:
    out = subprocess.run([_tool("mypy"), "src/postguard"], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
