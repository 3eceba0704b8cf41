from __future__ import annotations

from pathlib import Path

import pytest
import synth
from conftest import needs_tesseract
from helpers import contains
from PIL import Image, ImageDraw

from postguard.images import OcrCache, read_images

pytestmark = needs_tesseract


@pytest.mark.parametrize("jobs", [1, 2])
def test_order_preserved_and_progress_reported(tmp_path: Path, jobs: int) -> None:
    paths = []
    for i in range(4):
        img = Image.new("RGB", (360, 100), "white")
        ImageDraw.Draw(img).text((20, 25), f"ROOM {i}0{i}", font=synth.font(36), fill="black")
        path = tmp_path / f"{i}.png"
        img.save(path)
        paths.append(str(path))
    paths.append(str(tmp_path / "missing.png"))
    seen: list[tuple[int, int]] = []
    readings = read_images(paths, cache=OcrCache(), jobs=jobs, progress=lambda d, t: seen.append((d, t)))
    assert [r.path for r in readings] == paths
    for i in range(4):
        assert contains(readings[i].text, f"ROOM {i}0{i}")
    assert readings[4].problems[0].severity == "error"
    assert seen == [(n, 5) for n in range(1, 6)]


def test_empty_list() -> None:
    assert read_images([], jobs=2) == []
