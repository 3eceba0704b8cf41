"""Metadata from EXIF, XMP, IPTC, PNG chunks and comments, decoded for a reviewer."""

from __future__ import annotations

import io
import struct
import zlib
from fractions import Fraction
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from postguard.images import MetadataItem, read_image
from postguard.images.metadata import MAX_VALUE, decode_user_comment


@pytest.fixture(autouse=True)
def _no_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    # Metadata is read without OCR; skipping tesseract keeps these tests fast.
    monkeypatch.setenv("POSTGUARD_TESSERACT", "/nonexistent/tesseract")


def items(path: Path) -> dict[str, MetadataItem]:
    return {m.key: m for m in read_image(str(path)).metadata}


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x013B] = "Dr. Jane Photographer"  # Artist
    exif[0x010E] = "Bed 4 before discharge"  # ImageDescription
    exif[0x9C9C] = "ward round".encode("utf-16-le") + b"\x00\x00"  # XPComment
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = "2026:03:14 09:26:53"  # DateTimeOriginal
    sub[0x9286] = b"ASCII\x00\x00\x00patient in bay 3"  # UserComment
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (Fraction(41), Fraction(52), Fraction(4116, 100))
    gps[3] = "W"
    gps[4] = (Fraction(87), Fraction(37), Fraction(4728, 100))
    return exif


def test_exif_gps_dates_names_comments(tmp_path: Path) -> None:
    path = tmp_path / "a.jpg"
    Image.new("RGB", (64, 48), "grey").save(path, exif=gps_exif().tobytes())
    found = items(path)
    assert found["EXIF GPSInfo"] == MetadataItem("EXIF GPSInfo", "41.8781, -87.6298", "gps")
    assert found["EXIF DateTimeOriginal"] == MetadataItem("EXIF DateTimeOriginal", "2026:03:14 09:26:53", "date")
    assert found["EXIF Artist"] == MetadataItem("EXIF Artist", "Dr. Jane Photographer", "name")
    assert found["EXIF UserComment"] == MetadataItem("EXIF UserComment", "patient in bay 3", "text")
    assert found["EXIF ImageDescription"].kind == "text"
    assert found["EXIF XPComment"].value == "ward round"


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "TIFF"])
def test_exif_in_other_formats(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"a.{fmt.lower()}"
    Image.new("RGB", (64, 48), "grey").save(path, fmt, exif=gps_exif().tobytes())
    found = items(path)
    assert found["EXIF GPSInfo"].value == "41.8781, -87.6298"
    assert found["EXIF Artist"].value == "Dr. Jane Photographer"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"ASCII\x00\x00\x00hello", "hello"),
        (b"UNICODE\x00" + "Zoë".encode("utf-16-le"), "Zoë"),
        (b"UNICODE\x00" + "Zoë".encode("utf-16-be"), "Zoë"),
        (b"\x00" * 8 + "naïve".encode(), "naïve"),
        (b"ASCII\x00\x00\x00" + b"\x00" * 20, ""),
    ],
)
def test_user_comment_charsets(raw: bytes, text: str) -> None:
    assert decode_user_comment(raw) == text


def test_png_text_chunks(tmp_path: Path) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "MRN 00451238 follow-up")
    info.add_text("Author", "Jane Doe")
    info.add_text("Description", "wound day 3", zip=True)
    info.add_itxt("Title", "Zoë's chart", lang="en", tkey="Titel", zip=True)
    path = tmp_path / "a.png"
    Image.new("RGB", (32, 32), "white").save(path, pnginfo=info)
    found = items(path)
    assert found["PNG tEXt Comment"] == MetadataItem("PNG tEXt Comment", "MRN 00451238 follow-up", "text")
    assert found["PNG tEXt Author"].kind == "name"
    assert found["PNG zTXt Description"].value == "wound day 3"
    assert found["PNG iTXt Title"].value == "Zoë's chart"


XMP = """<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
  xmlns:exif="http://ns.adobe.com/exif/1.0/" photoshop:DateCreated="2026-03-14T09:26:53"
  exif:GPSLatitude="41,52.686N" exif:GPSLongitude="87,37.788W">
<dc:creator><rdf:Seq><rdf:li>Jane &amp; John Doe</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Bed 12, post-op</rdf:li></rdf:Alt></dc:description>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end='w'?>"""


def test_xmp_packet(tmp_path: Path) -> None:
    path = tmp_path / "a.jpg"
    Image.new("RGB", (32, 32), "white").save(path, xmp=XMP.encode())
    found = items(path)
    assert found["XMP dc:creator"] == MetadataItem("XMP dc:creator", "Jane & John Doe", "name")
    assert found["XMP dc:description"].value == "Bed 12, post-op"
    assert found["XMP photoshop:DateCreated"].kind == "date"
    assert found["XMP exif:GPS"] == MetadataItem("XMP exif:GPS", "41.8781, -87.6298", "gps")


def test_xmp_entities_are_not_expanded(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator><rdf:Seq><rdf:li>&b;&b;&b;</rdf:li></rdf:Seq>'
        "</dc:creator></x:xmpmeta>"
    )
    path = tmp_path / "a.jpg"
    Image.new("RGB", (32, 32), "white").save(path, xmp=bomb.encode())
    assert items(path)["XMP dc:creator"].value == "&b;&b;&b;"


def iptc_jpeg(records: list[tuple[int, int, bytes]]) -> bytes:
    """A JPEG with a Photoshop APP13 block holding IPTC-IIM records."""
    iptc = b"".join(b"\x1c" + bytes([rec, ds]) + struct.pack(">H", len(v)) + v for rec, ds, v in records)
    if len(iptc) % 2:
        iptc += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    body = b"Photoshop 3.0\x00" + resource
    app13 = b"\xff\xed" + struct.pack(">H", len(body) + 2) + body
    buf = io.BytesIO()
    Image.new("RGB", (32, 32), "white").save(buf, "JPEG")
    data = buf.getvalue()
    return data[:2] + app13 + data[2:]


def test_iptc(tmp_path: Path) -> None:
    path = tmp_path / "a.jpg"
    path.write_bytes(
        iptc_jpeg(
            [
                (2, 80, b"Jane Photographer"),
                (2, 120, "Caption: Zoë, bed 7".encode()),
                (2, 25, b"ICU"),
                (2, 25, b"trauma"),
                (2, 55, b"20260314"),
                (2, 90, b"Chicago"),
                (2, 92, b"Lakeshore 4 West"),
            ]
        )
    )
    found = items(path)
    assert found["IPTC By-line"] == MetadataItem("IPTC By-line", "Jane Photographer", "name")
    assert found["IPTC Caption-Abstract"].value == "Caption: Zoë, bed 7"
    assert found["IPTC Keywords"].value == "ICU; trauma"
    assert found["IPTC Date Created"] == MetadataItem("IPTC Date Created", "2026-03-14", "date")
    assert found["IPTC City"].value == "Chicago"
    assert found["IPTC Sub-location"].value == "Lakeshore 4 West"


def test_jpeg_and_gif_comments(tmp_path: Path) -> None:
    jpg, gif = tmp_path / "a.jpg", tmp_path / "a.gif"
    Image.new("RGB", (32, 32), "white").save(jpg, comment=b"taken in OR 3")
    Image.new("P", (32, 32)).save(gif, comment=b"for Jane Doe")
    assert items(jpg)["JPEG Comment"].value == "taken in OR 3"
    assert items(gif)["GIF Comment"].value == "for Jane Doe"


def test_values_are_capped(tmp_path: Path) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "x" * 100_000, zip=True)
    path = tmp_path / "a.png"
    Image.new("RGB", (8, 8)).save(path, pnginfo=info)
    value = items(path)["PNG zTXt Comment"].value
    assert len(value) == MAX_VALUE and value.endswith("…")


def test_ztxt_bomb_fails_closed(tmp_path: Path) -> None:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "PNG")
    data = buf.getvalue()
    bomb = chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * 50_000_000, 9))
    path = tmp_path / "a.png"
    path.write_bytes(data[:33] + bomb + data[33:])
    reading = read_image(str(path))  # Pillow refuses text chunks over 1 MB: reported, not raised
    assert [p.severity for p in reading.problems] == ["error"]


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_broken_exif_does_not_stop_the_rest(tmp_path: Path) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "still here")
    path = tmp_path / "a.png"
    Image.new("RGB", (8, 8)).save(path, pnginfo=info, exif=b"Exif\x00\x00II*\x00\xff\xff\xff\x7f")
    reading = read_image(str(path))
    assert {m.key for m in reading.metadata} == {"PNG tEXt Comment"}
