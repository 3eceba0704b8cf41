"""What the image layer hands to the engine: plain data, no findings."""

from __future__ import annotations

from dataclasses import dataclass

from postguard.images.metadata import MetadataItem
from postguard.model import WordSpan

__all__ = ["ImageProblem", "ImageReading", "MetadataItem"]


@dataclass(frozen=True)
class ImageProblem:
    severity: str  # "error" | "warning"
    message: str  # one sentence for a reviewer; never holds OCR'd text


@dataclass(frozen=True)
class ImageReading:
    path: str  # as given
    format: str | None  # told from the bytes: "JPEG", "PNG", "WEBP", "TIFF", "GIF", "BMP"
    text: str  # words joined by spaces, lines by "\n", frames by "\n\n"
    words: tuple[WordSpan, ...]  # offsets into `text`, boxes in EXIF-oriented pixels
    metadata: tuple[MetadataItem, ...]
    problems: tuple[ImageProblem, ...]
    size: tuple[int, int] | None  # EXIF-oriented width, height

    @property
    def checked(self) -> bool:
        """False when an error kept the pixels from being read: the image was not checked."""
        return not any(p.severity == "error" for p in self.problems)
