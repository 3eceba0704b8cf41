"""Write a copy of an image with boxes blacked out (or outlined) and every metadata block gone."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from postguard.images.decode import DecodeError, frames, open_image, read_bytes
from postguard.model import Box

_SAVE_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "TIFF": "TIFF", "GIF": "GIF", "BMP": "BMP"}
FILL = (0, 0, 0)
OUTLINE = (230, 0, 0)


class RedactError(Exception):
    """The source could not be read or the output not written. The message holds no image content."""


def redact_image(
    src: str,
    dst: str,
    boxes: Sequence[Box],
    *,
    annotate: bool = False,
    labels: Sequence[str] | None = None,
) -> None:
    """Fill `boxes` (EXIF-oriented pixels, as ImageReading gives them), or outline and label them.

    The output keeps the input's format, is turned upright (the orientation tag goes with the
    rest of the metadata) and carries no EXIF, XMP, IPTC, ICC profile, comment or text chunk.
    """
    try:
        opened = open_image(read_bytes(src))
        pages = list(frames(opened, max_frames=opened.frame_count))
    except DecodeError as exc:
        raise RedactError(str(exc)) from None
    marked = [_mark(page, boxes, annotate, labels) for page in pages]
    _atomic_save(marked, dst, opened.format, opened.image)


def _mark(page: Image.Image, boxes: Sequence[Box], annotate: bool, labels: Sequence[str] | None) -> Image.Image:
    # A fresh image from the pixels alone: nothing of the source's `info` can ride along.
    out = Image.frombytes("RGB", page.size, page.convert("RGB").tobytes())
    draw = ImageDraw.Draw(out)
    font = ImageFont.load_default()
    for i, (x, y, w, h) in enumerate(boxes):
        if w <= 0 or h <= 0:
            continue
        rect = (x, y, x + w - 1, y + h - 1)
        if not annotate:
            draw.rectangle(rect, fill=FILL)
            continue
        draw.rectangle(rect, outline=OUTLINE, width=3)
        label = labels[i] if labels is not None and i < len(labels) else None
        if label:
            left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
            ty = y - (bottom - top) - 6 if y - (bottom - top) - 6 >= 0 else y + h + 2
            draw.rectangle((x, ty, x + right - left + 6, ty + bottom - top + 4), fill=OUTLINE)
            draw.text((x + 3 - left, ty + 2 - top), label, fill=(255, 255, 255), font=font)
    return out


def _atomic_save(pages: list[Image.Image], dst: str, fmt: str, source: Image.Image) -> None:
    target = Path(dst)
    folder = target.parent if str(target.parent) else Path(".")
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            first, rest = pages[0], pages[1:]
            params: dict[str, object] = {}
            if fmt == "JPEG":
                params = {"quality": 95}
            elif fmt == "WEBP":
                params = {"quality": 95}
            if rest and fmt in ("GIF", "TIFF", "WEBP", "PNG"):
                params["save_all"] = True
                params["append_images"] = rest
                if fmt in ("GIF", "WEBP", "PNG"):
                    # Timing is not metadata: keep the animation playing as it did.
                    params["duration"] = source.info.get("duration", 100)
                    params["loop"] = source.info.get("loop", 0)
            first.save(fh, format=_SAVE_FORMAT[fmt], **params)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
