"""Tell an image's format from its first bytes, never from its file name."""

from __future__ import annotations

# A renamed file (a PDF saved as .jpg, an HTML error page saved by a scraper) must be
# reported as what it is, so only the magic numbers count.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "JPEG"),
    (b"\x89PNG\r\n\x1a\n", 0, "PNG"),
    (b"GIF87a", 0, "GIF"),
    (b"GIF89a", 0, "GIF"),
    (b"II*\x00", 0, "TIFF"),
    (b"MM\x00*", 0, "TIFF"),
    (b"BM", 0, "BMP"),
)

SUPPORTED_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP", "TIFF", "GIF", "BMP")


def sniff_format(head: bytes) -> str | None:
    """Return "JPEG", "PNG", "WEBP", "TIFF", "GIF" or "BMP" for the given leading bytes, else None."""
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    for magic, offset, name in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            if name == "BMP" and len(head) < 26:
                return None  # "BM" alone is too common a text prefix to trust
            return name
    return None
