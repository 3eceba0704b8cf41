"""The OCR cache: no OCR on a re-run, private permissions, corrupt entries ignored."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import synth
from conftest import needs_tesseract

from postguard.images import OcrCache, OcrSettings, read_image
from postguard.images.cache import CachedOcr, default_cache_dir
from postguard.images.tesseract import run_tesseract
from postguard.model import WordSpan

pytestmark = needs_tesseract


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args: object, **kwargs: object) -> object:
        self.calls += 1
        return run_tesseract(*args, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("img") / "clean.png"
    synth.clean().image.save(path)
    return str(path)


def test_rerun_does_no_ocr(image: str) -> None:
    cache = OcrCache()
    counter = Counter()
    first = read_image(image, cache=cache, runner=counter)  # type: ignore[arg-type]
    assert counter.calls >= 1
    counter.calls = 0
    second = read_image(image, cache=OcrCache(), runner=counter)  # type: ignore[arg-type]
    assert counter.calls == 0
    assert (second.text, second.words, second.problems) == (first.text, first.words, first.problems)


def test_settings_are_part_of_the_key(image: str) -> None:
    cache = OcrCache()
    counter = Counter()
    read_image(image, cache=cache, runner=counter)  # type: ignore[arg-type]
    before = counter.calls
    read_image(image, OcrSettings(preprocess=False), cache=cache, runner=counter)  # type: ignore[arg-type]
    assert counter.calls == before + 1


def test_changed_bytes_are_read_again(image: str, tmp_path: Path) -> None:
    cache = OcrCache()
    counter = Counter()
    copy = tmp_path / "copy.png"
    copy.write_bytes(Path(image).read_bytes())
    read_image(str(copy), cache=cache, runner=counter)  # type: ignore[arg-type]
    n = counter.calls
    synth.flyer().image.save(copy)
    read_image(str(copy), cache=cache, runner=counter)  # type: ignore[arg-type]
    assert counter.calls > n


def test_location_from_env_and_private_permissions(image: str, tmp_path: Path) -> None:
    assert default_cache_dir() == tmp_path / "cache" / "ocr"  # conftest sets POSTGUARD_CACHE_DIR
    old = os.umask(0o022)
    try:
        read_image(image, cache=OcrCache())
    finally:
        os.umask(old)
    root = tmp_path / "cache" / "ocr"
    files = list(root.rglob("*.json"))
    assert len(files) == 1
    for folder in [root, files[0].parent]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert not list(root.rglob(".tmp-*"))  # written atomically, nothing left behind


def test_corrupt_entry_is_ignored_and_replaced(image: str) -> None:
    cache = OcrCache()
    first = read_image(image, cache=cache)
    (entry,) = list(cache.directory.rglob("*.json"))
    entry.write_text("{not json")
    counter = Counter()
    again = read_image(image, cache=cache, runner=counter)  # type: ignore[arg-type]
    assert counter.calls >= 1 and again.text == first.text
    counter.calls = 0
    read_image(image, cache=cache, runner=counter)  # type: ignore[arg-type]
    assert counter.calls == 0


@pytest.mark.parametrize(
    "payload",
    ['{"v": 1, "text": "ab", "words": [[0, 99, 0, 0, 1, 1]], "problems": []}', '{"v": 999}', "[]", ""],
)
def test_malformed_entries_are_misses(tmp_path: Path, payload: str) -> None:
    cache = OcrCache(tmp_path / "c")
    cache.put("ab" * 32, CachedOcr("ab", (WordSpan(0, 2, (0, 0, 1, 1)),), ()))
    (entry,) = list((tmp_path / "c").rglob("*.json"))
    entry.write_text(payload)
    assert cache.get("ab" * 32) is None
    assert cache.misses == 1


def test_unwritable_cache_only_costs_time(image: str, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    reading = read_image(image, cache=OcrCache(blocker / "ocr"))
    assert reading.text
