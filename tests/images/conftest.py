from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"
# Until the package is installed in editable mode, import it from the work tree.
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from postguard.images import tesseract_available  # noqa: E402

needs_tesseract = pytest.mark.skipif(tesseract_available() is None, reason="tesseract is not installed")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never touch the developer's real cache (it holds PHI from their own runs).
    monkeypatch.setenv("POSTGUARD_CACHE_DIR", str(tmp_path / "cache"))
