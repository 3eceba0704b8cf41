"""The image-reading layer: OCR text with word boxes, metadata and problems for each image.

The engine runs its text rules over `ImageReading.text` (origin image-text) and over each
metadata value (origin image-metadata); this package never produces findings itself.
"""

from __future__ import annotations

from postguard.images.cache import OcrCache
from postguard.images.metadata import MetadataItem
from postguard.images.parallel import read_images
from postguard.images.reader import UNREADABLE, read_image
from postguard.images.reading_types import ImageProblem, ImageReading
from postguard.images.redact import RedactError, redact_image
from postguard.images.settings import OcrSettings
from postguard.images.sniff import SUPPORTED_FORMATS, sniff_format
from postguard.images.tesseract import INSTALL_HINT, tesseract_available

__all__ = [
    "INSTALL_HINT",
    "SUPPORTED_FORMATS",
    "UNREADABLE",
    "ImageProblem",
    "ImageReading",
    "MetadataItem",
    "OcrCache",
    "OcrSettings",
    "RedactError",
    "read_image",
    "read_images",
    "redact_image",
    "sniff_format",
    "tesseract_available",
]
