"""Open image bytes safely: refuse bombs from the header, apply EXIF orientation, walk frames."""

from __future__ import annotations

import io
import os
import stat
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image

from postguard.images.sniff import sniff_format

# 60 megapixels covers any phone camera (a 200 MP sensor bins to 50 MP); more than that in
# a social media post is either a panorama nobody reads text in or a decompression bomb.
MAX_PIXELS = 60_000_000
# Read whole files into memory (for the cache key and the decoder): refuse absurd ones first.
MAX_FILE_BYTES = 200 * 1024 * 1024

# Orientation tag values mapped as ImageOps.exif_transpose maps them. Done by hand because
# exif_transpose reads the tag from each frame's own info, which a TIFF page or a converted
# frame no longer carries.
_TRANSPOSE: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

# warnings.catch_warnings swaps process-wide state: serialise the (header-only, cheap) open.
_OPEN_LOCK = threading.Lock()


class DecodeError(Exception):
    """An image that cannot be read. The message is safe to show: it holds no image content."""


@dataclass(frozen=True)
class Opened:
    image: Image.Image  # header parsed, pixels not decoded yet
    format: str
    orientation: int
    size: tuple[int, int]  # after EXIF orientation

    @property
    def frame_count(self) -> int:
        return int(getattr(self.image, "n_frames", 1) or 1)


def read_bytes(path: str) -> bytes:
    try:
        # A FIFO or device named like an image would block or never end: refuse it unread.
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
            raise DecodeError("not a regular file (FIFO, device or socket): the image was not read")
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise DecodeError("the image file does not exist") from None
    except IsADirectoryError:
        raise DecodeError("the image path is a directory, not a file") from None
    except OSError as exc:
        raise DecodeError(f"the image file could not be read ({exc.strerror or type(exc).__name__})") from None
    if len(data) > MAX_FILE_BYTES:
        raise DecodeError(f"the image file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB and was not read")
    return data


def open_image(data: bytes) -> Opened:
    """Parse the header only and refuse what must not be decoded."""
    if not data:
        raise DecodeError("the image file is empty (0 bytes)")
    fmt = sniff_format(data[:32])
    if fmt is None:
        raise DecodeError("the file is not a supported image (JPEG, PNG, WebP, TIFF, GIF, BMP) whatever its name says")
    with _OPEN_LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data), formats=[fmt])
        except Image.DecompressionBombError:
            raise DecodeError(_bomb_message(None)) from None
        except Exception:  # noqa: BLE001 - Pillow raises many types for bad headers
            raise DecodeError(f"the file starts like a {fmt} image but its header is corrupt") from None
    if any(issubclass(w.category, Image.DecompressionBombWarning) for w in caught):
        raise DecodeError(_bomb_message(im.size))
    check_size(im.size)
    orientation = _orientation(im)
    w, h = im.size
    size = (h, w) if orientation in (5, 6, 7, 8) else (w, h)
    return Opened(im, fmt, orientation, size)


def check_size(size: tuple[int, int]) -> None:
    w, h = size
    if w <= 0 or h <= 0:
        raise DecodeError("the image header declares an empty size")
    if w * h > MAX_PIXELS:
        raise DecodeError(_bomb_message(size))


def _bomb_message(size: tuple[int, int] | None) -> str:
    declared = f" ({size[0]}x{size[1]} pixels)" if size else ""
    return (
        f"the image declares an enormous size{declared}, over the {MAX_PIXELS // 1_000_000} megapixel limit; "
        "it was not decoded (possible decompression bomb)"
    )


def _orientation(im: Image.Image) -> int:
    try:
        value = im.getexif().get(0x0112, 1)
    except Exception:  # noqa: BLE001 - a broken EXIF block must not stop OCR
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def frames(opened: Opened, max_frames: int) -> Iterator[Image.Image]:
    """Yield up to `max_frames` decoded frames, oriented, as RGB (alpha flattened on white)."""
    im = opened.image
    for index in range(min(opened.frame_count, max(1, max_frames))):
        try:
            if index:
                im.seek(index)
            check_size(im.size)  # a TIFF page or WebP frame may declare its own size
            im.load()
            frame = _to_rgb(im)
        except DecodeError:
            raise
        except Image.DecompressionBombError:
            raise DecodeError(_bomb_message(im.size)) from None
        except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
            detail = "truncated" if "truncated" in str(exc) else "corrupt"
            where = f" (frame {index + 1})" if index else ""
            raise DecodeError(f"the {opened.format} image data is {detail}{where} and could not be decoded") from None
        method = _TRANSPOSE.get(opened.orientation)
        yield frame.transpose(method) if method is not None else frame


def _to_rgb(im: Image.Image) -> Image.Image:
    if im.mode in ("RGB", "L"):
        return im.convert("RGB")
    if im.mode == "P" and "transparency" not in im.info:
        return im.convert("RGB")
    rgba = im.convert("RGBA")
    # Transparent pixels often hold black RGB: put them on white as a viewer would show them.
    canvas = Image.new("RGB", rgba.size, (255, 255, 255))
    canvas.paste(rgba, mask=rgba.getchannel("A"))
    return canvas
