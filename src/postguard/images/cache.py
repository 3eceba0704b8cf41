"""A private on-disk cache of OCR results, so an unchanged image is never OCR'd twice.

Entries hold OCR text of patient photos: PHI. The folder is 0700 and every file 0600, and
entries are written whole (temp file + rename) so a crash never leaves half an entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir

from postguard.model import WordSpan

CACHE_ENV = "POSTGUARD_CACHE_DIR"
# Bump when the pass plan or the entry layout changes: old readings must not be served.
PIPELINE_VERSION = 2  # bump whenever OCR results or problems would differ for the same bytes


@dataclass(frozen=True)
class CachedOcr:
    text: str
    words: tuple[WordSpan, ...]
    problems: tuple[tuple[str, str], ...]  # (severity, message) found while reading pixels


def default_cache_dir() -> Path:
    root = os.environ.get(CACHE_ENV) or user_cache_dir("postguard")
    return Path(root) / "ocr"


def cache_key(image_sha256: str, settings_key: str, tesseract_version: str) -> str:
    blob = json.dumps([PIPELINE_VERSION, image_sha256, settings_key, tesseract_version])
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class OcrCache:
    """OCR results keyed by image bytes, settings and tesseract version."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedOcr | None:
        try:
            raw = self._path(key).read_text(encoding="utf-8")
            entry = _decode(json.loads(raw))
        except (OSError, ValueError, TypeError, KeyError):
            entry = None  # missing or corrupt: read the image again and overwrite
        if entry is None:
            self.misses += 1
        else:
            self.hits += 1
        return entry

    def put(self, key: str, entry: CachedOcr) -> None:
        """Store an entry; a cache that cannot be written only costs time, so errors are swallowed."""
        path = self._path(key)
        try:
            _private_dir(self.directory)
            _private_dir(path.parent)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")  # created 0600
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(_encode(entry), fh, ensure_ascii=False)
                os.replace(tmp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            pass

    def clear(self) -> None:
        if not self.directory.is_dir():
            return
        for sub in self.directory.iterdir():
            if sub.is_dir() and len(sub.name) == 2:
                for f in sub.glob("*.json"):
                    with contextlib.suppress(OSError):
                        f.unlink()


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkdir's mode is filtered by the umask, and an existing folder keeps whatever it had.
    if stat.S_IMODE(path.stat().st_mode) != 0o700:
        os.chmod(path, 0o700)


def _encode(entry: CachedOcr) -> dict[str, object]:
    return {
        "v": PIPELINE_VERSION,
        "text": entry.text,
        "words": [[w.start, w.end, *w.box] for w in entry.words],
        "problems": [list(p) for p in entry.problems],
    }


def _decode(data: object) -> CachedOcr | None:
    if not isinstance(data, dict) or data.get("v") != PIPELINE_VERSION:
        return None
    text = data["text"]
    if not isinstance(text, str):
        return None
    words = []
    for w in data["words"]:
        start, end, x, y, bw, bh = (int(v) for v in w)
        if not 0 <= start <= end <= len(text):
            return None
        words.append(WordSpan(start, end, (x, y, bw, bh)))
    problems = tuple((str(s), str(m)) for s, m in data["problems"])
    return CachedOcr(text, tuple(words), problems)
