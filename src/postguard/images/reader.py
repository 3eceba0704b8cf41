"""read_image: bytes in, an ImageReading out; every failure becomes a problem, never an exception."""

from __future__ import annotations

import hashlib

from postguard.images.cache import CachedOcr, OcrCache, cache_key
from postguard.images.decode import DecodeError, Opened, frames, open_image, read_bytes
from postguard.images.merge import Word, assemble
from postguard.images.metadata import MetadataItem, read_metadata
from postguard.images.ocr import UNREAD_SHARE_TO_WARN, UNREAD_TO_WARN, Runner, ocr_frame, plain_frame
from postguard.images.reading_types import ImageProblem, ImageReading
from postguard.images.settings import DEFAULT_SETTINGS, OcrSettings
from postguard.images.sniff import sniff_format
from postguard.images.tesseract import INSTALL_HINT, OcrFailed, TesseractMissing, run_tesseract, tesseract_available
from postguard.model import WordSpan

UNREADABLE = "text in this image could not be read; review it by eye"


def read_image(
    path: str,
    settings: OcrSettings = DEFAULT_SETTINGS,
    cache: OcrCache | None = None,
    *,
    runner: Runner = run_tesseract,
) -> ImageReading:
    """OCR an image and read its metadata. Problems are reported in the result, never raised."""
    try:
        data = read_bytes(path)
    except DecodeError as exc:
        return _failed(path, None, str(exc))
    fmt = sniff_format(data[:32])
    try:
        opened = open_image(data)
    except DecodeError as exc:
        return _failed(path, fmt, str(exc))
    metadata: tuple[MetadataItem, ...] = read_metadata(opened.image, data, opened.format)

    version = tesseract_available()
    if version is None:
        return ImageReading(path, fmt, "", (), metadata, (ImageProblem("error", INSTALL_HINT),), opened.size)
    key = cache_key(hashlib.sha256(data).hexdigest(), settings.key(), version)
    if cache is not None:
        hit = cache.get(key)
        if hit is not None:
            kept = tuple(ImageProblem(s, m) for s, m in hit.problems)
            return ImageReading(path, fmt, hit.text, hit.words, metadata, kept, opened.size)

    problems: list[ImageProblem] = []
    try:
        text, words, found = _ocr(opened, settings, runner)
    except DecodeError as exc:
        return ImageReading(path, fmt, "", (), metadata, (ImageProblem("error", str(exc)),), opened.size)
    except (TesseractMissing, OcrFailed) as exc:
        return ImageReading(path, fmt, "", (), metadata, (ImageProblem("error", str(exc)),), opened.size)
    except MemoryError:
        msg = "the image could not be OCR'd: not enough memory"
        return ImageReading(path, fmt, "", (), metadata, (ImageProblem("error", msg),), opened.size)
    except Exception as exc:  # noqa: BLE001 - the contract: an unreadable input is a finding, not a crash
        msg = f"the image could not be OCR'd ({type(exc).__name__})"
        return ImageReading(path, fmt, "", (), metadata, (ImageProblem("error", msg),), opened.size)
    problems.extend(found)
    if cache is not None:
        cache.put(key, CachedOcr(text, words, tuple((p.severity, p.message) for p in problems)))
    return ImageReading(path, fmt, text, words, metadata, tuple(problems), opened.size)


def _ocr(opened: Opened, settings: OcrSettings, runner: Runner) -> tuple[str, tuple[WordSpan, ...], list[ImageProblem]]:
    problems: list[ImageProblem] = []
    per_frame: list[list[list[Word]]] = []
    unread = False
    seen: set[bytes] = set()
    for frame in frames(opened, settings.max_frames):
        # Animations repeat frames: an identical frame reads identically, so read it once.
        digest = hashlib.blake2b(frame.tobytes(), digest_size=16).digest()
        if digest in seen:
            continue
        seen.add(digest)
        result = ocr_frame(frame, settings, runner) if settings.preprocess else plain_frame(frame, settings, runner)
        per_frame.append(result.rows)
        unread = unread or (
            result.unread_cells >= UNREAD_TO_WARN and result.unread_cells >= UNREAD_SHARE_TO_WARN * result.text_cells
        )
    total = opened.frame_count
    if total > settings.max_frames:
        problems.append(
            ImageProblem(
                "warning",
                f"the image has {total} frames and only the first {settings.max_frames} were checked; "
                "review the rest by eye",
            )
        )
    if unread:
        problems.append(ImageProblem("warning", UNREADABLE))
    text, words = assemble(per_frame)
    return text, words, problems


def _failed(path: str, fmt: str | None, message: str) -> ImageReading:
    return ImageReading(path, fmt, "", (), (), (ImageProblem("error", message),), None)


__all__ = ["UNREADABLE", "read_image"]
