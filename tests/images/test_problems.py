"""Every way an image can fail becomes an ImageProblem; nothing escapes read_image."""

from __future__ import annotations

import io
import os
import stat
import struct
import zlib
from pathlib import Path

import pytest
import synth
from conftest import needs_tesseract
from PIL import Image

from postguard.images import INSTALL_HINT, read_image
from postguard.images.tesseract import TESSERACT_ENV


def errors(reading: object) -> list[str]:
    return [p.message for p in reading.problems if p.severity == "error"]  # type: ignore[attr-defined]


def png_header(width: int, height: int) -> bytes:
    """A PNG whose IHDR declares `width` x `height` and whose pixel data is a few bytes."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    )


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_zero_bytes(tmp_path: Path) -> None:
    r = read_image(write(tmp_path, "empty.jpg", b""))
    assert errors(r) == ["the image file is empty (0 bytes)"]
    assert r.format is None and r.text == ""


def test_not_an_image_with_an_image_extension(tmp_path: Path) -> None:
    r = read_image(write(tmp_path, "photo.jpg", b"%PDF-1.7\n%binary\n1 0 obj <<>> endobj\n"))
    assert len(errors(r)) == 1 and "not a supported image" in errors(r)[0]


def test_extension_lies_but_bytes_decide(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buf, "PNG")
    r = read_image(write(tmp_path, "really-a-png.jpg", buf.getvalue()))
    assert r.format == "PNG"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert errors(read_image(str(tmp_path / "nope.png"))) == ["the image file does not exist"]
    assert "directory" in errors(read_image(str(tmp_path)))[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "locked.png", png_header(4, 4))
    os.chmod(path, 0)
    assert "could not be read" in errors(read_image(path))[0]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_truncated_file(tmp_path: Path, fmt: str) -> None:
    buf = io.BytesIO()
    synth.noisy_photo(300, 200, seed=1).save(buf, fmt)
    data = buf.getvalue()
    r = read_image(write(tmp_path, f"cut.{fmt.lower()}", data[: len(data) // 2]))
    assert len(errors(r)) == 1
    assert "truncated" in errors(r)[0] or "corrupt" in errors(r)[0]


def test_corrupt_header(tmp_path: Path) -> None:
    r = read_image(write(tmp_path, "bad.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40))
    assert "header is corrupt" in errors(r)[0]


@pytest.mark.parametrize("size", [(10_000, 8_000), (100_000, 100_000)])
def test_decompression_bomb_refused_before_decoding(tmp_path: Path, size: tuple[int, int]) -> None:
    # 80 MP passes Pillow's own limit (89 MP) but not ours; 10 GP trips Pillow's error too.
    r = read_image(write(tmp_path, "bomb.png", png_header(*size)))
    assert len(errors(r)) == 1
    assert "enormous size" in errors(r)[0] and "decompression bomb" in errors(r)[0]
    assert r.text == "" and r.size is None


def test_tesseract_missing_still_reads_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TESSERACT_ENV, str(tmp_path / "no-such-tesseract"))
    exif = Image.Exif()
    exif[0x013B] = "Jane Photographer"
    path = tmp_path / "a.jpg"
    Image.new("RGB", (60, 40), "white").save(path, exif=exif.tobytes())
    r = read_image(str(path))
    assert errors(r) == [INSTALL_HINT]
    assert INSTALL_HINT == (
        "tesseract is not installed: install it (Debian/Ubuntu: apt-get install tesseract-ocr; "
        "macOS: brew install tesseract); this image was not checked"
    )
    assert [(m.key, m.value) for m in r.metadata] == [("EXIF Artist", "Jane Photographer")]


@needs_tesseract
def test_ocr_failure_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A tesseract that answers --version but fails on every image (missing language data, say).
    fake = tmp_path / "tesseract"
    fake.write_text(
        '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "tesseract 9.9.9-broken"; exit 0; fi\n'
        "echo \"Failed loading language 'eng'\" >&2\nexit 1\n"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv(TESSERACT_ENV, str(fake))
    path = tmp_path / "clean.png"
    synth.clean().image.save(path)
    r = read_image(str(path))
    assert len(errors(r)) == 1 and errors(r)[0].startswith("tesseract failed on this image")
    assert "DOE" not in errors(r)[0]


@needs_tesseract
def test_unexpected_exception_does_not_escape(tmp_path: Path) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("boom with PATIENT DOE")

    path = tmp_path / "clean.png"
    synth.clean().image.save(path)
    r = read_image(str(path), runner=broken)  # type: ignore[arg-type]
    assert errors(r) == ["the image could not be OCR'd (RuntimeError)"]
