from __future__ import annotations

import io

import pytest
from PIL import Image

from postguard.images import sniff_format


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF", "GIF", "BMP"])
def test_format_from_bytes(fmt: str) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, fmt)
    assert sniff_format(buf.getvalue()[:32]) == fmt


@pytest.mark.parametrize("head", [b"", b"%PDF-1.7\n", b"<html>", b"BM", b"RIFF\x00\x00\x00\x00WAVE", b"\xff\xd8"])
def test_not_an_image(head: bytes) -> None:
    assert sniff_format(head) is None
