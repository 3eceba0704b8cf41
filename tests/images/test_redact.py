"""redact_image: boxes filled, the rest untouched, every metadata block gone."""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import synth
from PIL import Image, PngImagePlugin

from postguard.images import RedactError, redact_image

BOX = (40, 30, 120, 50)


def metadata_exif() -> bytes:
    exif = Image.Exif()
    exif[0x013B] = "Jane Photographer"
    exif.get_ifd(0x8825)[2] = (Fraction(41), Fraction(52), Fraction(41))
    return exif.tobytes()


def source(tmp_path: Path, fmt: str) -> Path:
    img = synth.noisy_photo(240, 160, seed=3)
    path = tmp_path / f"src.{fmt.lower()}"
    kwargs: dict[str, object] = {"exif": metadata_exif()}
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "MRN 00451238")
        info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta><dc:creator>Jane</dc:creator></x:xmpmeta>")
        kwargs["pnginfo"] = info
        kwargs["icc_profile"] = b"fake-icc-with-text"
    if fmt == "JPEG":
        kwargs.update(quality=95, comment=b"taken in OR 3", xmp=b"<x:xmpmeta>Jane</x:xmpmeta>")
    img.save(path, fmt, **kwargs)
    return path


def pixels(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)


def in_box(shape: tuple[int, ...], box: tuple[int, int, int, int]) -> np.ndarray:
    mask = np.zeros(shape[:2], dtype=bool)
    x, y, w, h = box
    mask[y : y + h, x : x + w] = True
    return mask


def test_png_box_filled_rest_untouched_metadata_gone(tmp_path: Path) -> None:
    src = source(tmp_path, "PNG")
    dst = tmp_path / "out.png"
    redact_image(str(src), str(dst), [BOX])
    before, after = pixels(src), pixels(dst)
    mask = in_box(before.shape, BOX)
    assert (after[mask] == 0).all()
    assert (after[~mask] == before[~mask]).all()
    out = Image.open(dst)
    assert out.format == "PNG"
    assert not out.getexif()
    assert out.info == {} or set(out.info) <= {"dpi"}
    assert not getattr(out, "text", {})
    raw = dst.read_bytes()
    for marker in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP", b"00451238", b"Jane"):
        assert marker not in raw


def test_jpeg_metadata_gone_and_box_dark(tmp_path: Path) -> None:
    src = source(tmp_path, "JPEG")
    dst = tmp_path / "out.jpg"
    redact_image(str(src), str(dst), [BOX])
    out = Image.open(dst)
    assert out.format == "JPEG"
    assert not out.getexif()
    assert not {"exif", "xmp", "icc_profile", "comment", "photoshop"} & set(out.info)
    assert b"Jane" not in dst.read_bytes() and b"OR 3" not in dst.read_bytes()
    after = pixels(dst)
    x, y, w, h = BOX
    assert after[y + 3 : y + h - 3, x + 3 : x + w - 3].max() < 12  # JPEG rounding only
    before = pixels(src)
    far = np.zeros(before.shape[:2], dtype=bool)
    far[:, 200:] = True
    assert np.abs(after[far] - before[far]).mean() < 4  # re-encoded, not changed


@pytest.mark.parametrize("fmt", ["WEBP", "TIFF", "GIF", "BMP"])
def test_format_kept(tmp_path: Path, fmt: str) -> None:
    src = tmp_path / f"src.{fmt.lower()}"
    synth.noisy_photo(120, 80, seed=4).save(src, fmt)
    dst = tmp_path / f"out.{fmt.lower()}"
    redact_image(str(src), str(dst), [(10, 10, 30, 20)])
    out = Image.open(dst)
    assert out.format == fmt
    assert out.convert("RGB").getpixel((20, 20)) == (0, 0, 0)
    assert 0x013B not in out.getexif()


def test_exif_orientation_is_baked_in(tmp_path: Path) -> None:
    stored = Image.new("RGB", (100, 200), "white")  # displayed 200 x 100 with Orientation=6
    exif = Image.Exif()
    exif[0x0112] = 6
    src = tmp_path / "src.jpg"
    stored.save(src, exif=exif.tobytes())
    dst = tmp_path / "out.jpg"
    redact_image(str(src), str(dst), [(150, 10, 40, 40)])  # boxes come in displayed pixels
    out = Image.open(dst)
    assert out.size == (200, 100) and not out.getexif()
    assert sum(out.convert("RGB").getpixel((170, 30))) < 30


def test_annotate_outlines_and_labels(tmp_path: Path) -> None:
    src = tmp_path / "src.png"
    Image.new("RGB", (200, 120), "white").save(src)
    dst = tmp_path / "out.png"
    redact_image(str(src), str(dst), [(50, 50, 100, 40)], annotate=True, labels=["phi.mrn"])
    out = Image.open(dst).convert("RGB")
    assert out.getpixel((50, 70)) == (230, 0, 0)  # outline
    assert out.getpixel((100, 70)) == (255, 255, 255)  # inside stays visible
    label_area = np.asarray(out.crop((50, 30, 100, 48)))
    assert (label_area == (230, 0, 0)).all(axis=2).any()


def test_overwrite_in_place_is_atomic(tmp_path: Path) -> None:
    src = source(tmp_path, "PNG")
    os.chmod(src, 0o640)
    redact_image(str(src), str(src), [BOX])
    assert pixels(src)[BOX[1] + 1, BOX[0] + 1].tolist() == [0, 0, 0]
    assert oct(src.stat().st_mode & 0o777) == oct(0o640)
    assert [p.name for p in tmp_path.iterdir()] == [src.name]


def test_unreadable_source_raises_redact_error(tmp_path: Path) -> None:
    src = tmp_path / "x.png"
    src.write_bytes(b"not an image")
    with pytest.raises(RedactError, match="not a supported image"):
        redact_image(str(src), str(tmp_path / "out.png"), [BOX])
    assert not (tmp_path / "out.png").exists()
