"""Read the metadata a post's image carries: EXIF, XMP, IPTC, PNG text chunks, comments.

Values are decoded for a reviewer (GPS as decimal degrees) and capped in size. Nothing here
interprets values as PHI: the engine's rules do that, as for any other text.
"""

from __future__ import annotations

import html
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, IptcImagePlugin

MAX_VALUE = 2048  # characters per value: keys such as UserComment can hold megabytes
MAX_ITEMS = 200
MAX_XMP = 1024 * 1024  # bytes of XMP packet examined
MAX_CHUNK_TEXT = 64 * 1024  # bytes of decompressed PNG text per chunk (zTXt bombs)


@dataclass(frozen=True)
class MetadataItem:
    key: str  # e.g. "EXIF GPSInfo", "XMP dc:creator", "IPTC By-line", "PNG tEXt Comment"
    value: str
    kind: str  # "gps" | "date" | "name" | "text"


# EXIF tags worth a reviewer's eye, by IFD. Camera make, exposure and the like are not.
_IFD0 = {
    0x010E: ("ImageDescription", "text"),
    0x013B: ("Artist", "name"),
    0x8298: ("Copyright", "name"),
    0x0132: ("DateTime", "date"),
    0x9C9B: ("XPTitle", "text"),
    0x9C9C: ("XPComment", "text"),
    0x9C9D: ("XPAuthor", "name"),
    0x9C9E: ("XPKeywords", "text"),
    0x9C9F: ("XPSubject", "text"),
}
_EXIF_IFD = {
    0x9003: ("DateTimeOriginal", "date"),
    0x9004: ("DateTimeDigitized", "date"),
    0x9286: ("UserComment", "text"),
    0xA430: ("CameraOwnerName", "name"),
    0xA420: ("ImageUniqueID", "text"),
}
_IPTC = {
    (2, 5): ("Object Name", "text"),
    (2, 25): ("Keywords", "text"),
    (2, 40): ("Special Instructions", "text"),
    (2, 55): ("Date Created", "date"),
    (2, 62): ("Digital Creation Date", "date"),
    (2, 80): ("By-line", "name"),
    (2, 85): ("By-line Title", "text"),
    (2, 90): ("City", "text"),
    (2, 92): ("Sub-location", "text"),
    (2, 95): ("Province-State", "text"),
    (2, 101): ("Country", "text"),
    (2, 105): ("Headline", "text"),
    (2, 110): ("Credit", "name"),
    (2, 116): ("Copyright Notice", "name"),
    (2, 118): ("Contact", "name"),
    (2, 120): ("Caption-Abstract", "text"),
    (2, 122): ("Writer-Editor", "name"),
}
_XMP = {
    "dc:creator": "name",
    "dc:description": "text",
    "dc:title": "text",
    "dc:subject": "text",
    "dc:rights": "name",
    "photoshop:DateCreated": "date",
    "photoshop:City": "text",
    "photoshop:State": "text",
    "photoshop:Country": "text",
    "photoshop:Headline": "text",
    "photoshop:Credit": "name",
    "photoshop:CaptionWriter": "name",
    "photoshop:Instructions": "text",
    "Iptc4xmpCore:Location": "text",
    "Iptc4xmpCore:CiAdrExtadr": "text",
    "Iptc4xmpCore:CiEmailWork": "text",
    "Iptc4xmpCore:CiTelWork": "text",
    "Iptc4xmpExt:PersonInImage": "name",
    "mwg-rs:Name": "name",  # face regions tagged with a person's name
    "MicrosoftPhoto:PersonDisplayName": "name",
    "xmp:CreateDate": "date",
    "xmp:ModifyDate": "date",
    "xmp:MetadataDate": "date",
    "exif:DateTimeOriginal": "date",
    "exif:DateTimeDigitized": "date",
    "exif:UserComment": "text",
    "exif:GPSLatitude": "gps",
    "exif:GPSLongitude": "gps",
    "tiff:Artist": "name",
    "tiff:ImageDescription": "text",
}
_PNG_KINDS = {"author": "name", "artist": "name", "creation time": "date", "copyright": "name"}


def _clip(value: str) -> str:
    value = value.replace("\x00", " ").strip()
    return value if len(value) <= MAX_VALUE else value[: MAX_VALUE - 1] + "…"


def read_metadata(im: Image.Image, data: bytes, fmt: str) -> tuple[MetadataItem, ...]:
    """Everything found, in file order per source; never raises on a malformed block."""
    items: list[MetadataItem] = []
    seen: set[tuple[str, str]] = set()
    for source in (_exif, _xmp, _iptc, _png_chunks, _comments):
        try:
            found = list(source(im, data, fmt))
        except Exception:  # noqa: BLE001 - one broken block must not hide the others
            continue
        for item in found:
            if not item.value or (item.key, item.value) in seen:
                continue
            seen.add((item.key, item.value))
            items.append(item)
            if len(items) >= MAX_ITEMS:
                return tuple(items)
    return tuple(items)


# --- EXIF -------------------------------------------------------------------------------


def _exif(im: Image.Image, data: bytes, fmt: str) -> Iterator[MetadataItem]:
    exif = im.getexif()
    if not exif:
        return
    for tag, (name, kind) in _IFD0.items():
        if tag in exif:
            value = _exif_value(tag, exif[tag])
            if value:
                yield MetadataItem(f"EXIF {name}", _clip(value), kind)
    sub = exif.get_ifd(0x8769)
    for tag, (name, kind) in _EXIF_IFD.items():
        if tag in sub:
            value = _exif_value(tag, sub[tag])
            if value:
                yield MetadataItem(f"EXIF {name}", _clip(value), kind)
    gps = exif.get_ifd(0x8825)
    if gps:
        position = _gps_position(gps)
        if position:
            yield MetadataItem("EXIF GPSInfo", position, "gps")
        stamp = gps.get(29)  # GPSDateStamp
        if isinstance(stamp, str) and stamp.strip():
            yield MetadataItem("EXIF GPSDateStamp", _clip(stamp), "date")


def _exif_value(tag: int, raw: object) -> str:
    if tag == 0x9286:
        return decode_user_comment(raw if isinstance(raw, bytes) else str(raw).encode("utf-8", "replace"))
    if 0x9C9B <= tag <= 0x9C9F:
        if isinstance(raw, tuple):
            raw = bytes(raw)
        if isinstance(raw, bytes):
            return raw.decode("utf-16-le", "replace").rstrip("\x00").strip()
    if isinstance(raw, bytes):
        return raw.decode("utf-8", "replace").strip()
    return str(raw).strip()


def decode_user_comment(raw: bytes) -> str:
    """UserComment starts with an 8-byte charset code: ASCII, UNICODE (UTF-16), JIS, or none."""
    code, body = raw[:8], raw[8:]
    if code.startswith(b"ASCII"):
        text = body.decode("ascii", "replace")
    elif code.startswith(b"UNICODE"):
        # The byte order is the file's; a BOM or the common little-endian writers decide.
        if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text = body.decode("utf-16", "replace")
        else:
            le, be = body.decode("utf-16-le", "replace"), body.decode("utf-16-be", "replace")
            text = le if _printable(le) >= _printable(be) else be
    elif code.startswith(b"JIS"):
        text = body.decode("shift_jis", "replace")
    elif code == b"\x00" * 8:
        text = body.decode("utf-8", "replace")
    else:
        text = raw.decode("utf-8", "replace")
    return text.rstrip("\x00 ").strip()


def _printable(text: str) -> int:
    return sum(ch.isascii() and ch.isprintable() for ch in text)


def _gps_position(gps: dict[int, object]) -> str | None:
    lat = _dms(gps.get(2), gps.get(1), "S")
    lon = _dms(gps.get(4), gps.get(3), "W")
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return f"{_deg(lat)}, {_deg(lon)}"


def _dms(value: object, ref: object, negative: str) -> float | None:
    if not isinstance(value, tuple | list) or len(value) != 3:
        return None
    try:
        d, m, s = (float(v) for v in value)  # IFDRational converts
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if any(x != x for x in (d, m, s)):  # NaN from a 0/0 rational
        return None
    deg = d + m / 60 + s / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    return -deg if isinstance(ref, str) and ref.strip().upper() == negative else deg


def _deg(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


# --- XMP --------------------------------------------------------------------------------

_XMP_PACKET = re.compile(rb"<x:xmpmeta\b.*?</x:xmpmeta>", re.DOTALL)
_LI = re.compile(r"<rdf:li\b[^>]*>(.*?)</rdf:li>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_XMP_GPS = re.compile(r"^\s*(\d+(?:\.\d+)?),(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?\s*([NSEW])\s*$")


def _xmp(im: Image.Image, data: bytes, fmt: str) -> Iterator[MetadataItem]:
    packets: list[str] = []
    for key in ("xmp", "XML:com.adobe.xmp"):
        value = im.info.get(key)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str) and value:
            packets.append(value[:MAX_XMP])
    # Formats whose packet Pillow does not expose (TIFF tag 700, GIF application block)
    # carry it as plain bytes: find it in the file itself.
    match = _XMP_PACKET.search(data, 0, len(data))
    if match:
        packets.append(match.group(0)[:MAX_XMP].decode("utf-8", "replace"))
    for packet in packets:
        yield from _xmp_items(packet)


def _xmp_items(packet: str) -> Iterator[MetadataItem]:
    """Extract known properties with regular expressions: no XML parser, so no entity expansion."""
    gps: dict[str, float] = {}
    for prop, kind in _XMP.items():
        values: list[str] = []
        attr = re.compile(rf"\b{re.escape(prop)}\s*=\s*(\"[^\"]*\"|'[^']*')")
        values += [m.group(1)[1:-1] for m in attr.finditer(packet)]
        elem = re.compile(rf"<{re.escape(prop)}\b[^>]*?(?<!/)>(.*?)</{re.escape(prop)}>", re.DOTALL)
        for m in elem.finditer(packet):
            inner = m.group(1)
            lis = _LI.findall(inner)
            values += lis if lis else [inner]
        for raw in values:
            value = html.unescape(_TAG.sub("", raw)).strip()
            if not value:
                continue
            if kind == "gps":
                degrees = _xmp_degrees(value)
                if degrees is not None:
                    gps.setdefault(prop, degrees)
                continue
            yield MetadataItem(f"XMP {prop}", _clip(value), kind)
    if "exif:GPSLatitude" in gps and "exif:GPSLongitude" in gps:
        yield MetadataItem("XMP exif:GPS", f"{_deg(gps['exif:GPSLatitude'])}, {_deg(gps['exif:GPSLongitude'])}", "gps")


def _xmp_degrees(value: str) -> float | None:
    """XMP GPS coordinates look like "41,52.686N" or "41,52,41.16N"."""
    m = _XMP_GPS.match(value)
    if not m:
        return None
    deg = float(m.group(1)) + float(m.group(2)) / 60 + float(m.group(3) or 0) / 3600
    return -deg if m.group(4) in "SW" else deg


# --- IPTC -------------------------------------------------------------------------------


def _iptc(im: Image.Image, data: bytes, fmt: str) -> Iterator[MetadataItem]:
    if fmt not in ("JPEG", "TIFF"):
        return
    info = IptcImagePlugin.getiptcinfo(im)  # type: ignore[arg-type]
    if not info:
        return
    for record, (name, kind) in _IPTC.items():
        raw = info.get(record)
        if raw is None:
            continue
        values = raw if isinstance(raw, list) else [raw]
        texts = [_iptc_text(v) for v in values]
        value = "; ".join(t for t in texts if t)
        if kind == "date" and re.fullmatch(r"\d{8}", value):
            value = f"{value[:4]}-{value[4:6]}-{value[6:]}"
        if value:
            yield MetadataItem(f"IPTC {name}", _clip(value), kind)


def _iptc_text(raw: object) -> str:
    if isinstance(raw, bytes):
        try:
            return raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            return raw.decode("latin-1").strip()
    return str(raw).strip()


# --- PNG text chunks and comments ---------------------------------------------------------


def _png_chunks(im: Image.Image, data: bytes, fmt: str) -> Iterator[MetadataItem]:
    """Walk the chunks ourselves: Pillow merges tEXt, zTXt and iTXt and hides which was which."""
    if fmt != "PNG":
        return
    pos = 8
    total = 0
    while pos + 12 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if ctype == b"IEND":
            break
        if ctype not in (b"tEXt", b"zTXt", b"iTXt"):
            continue
        parsed = _png_text(ctype, body)
        if parsed is None:
            continue
        keyword, text = parsed
        if keyword == "XML:com.adobe.xmp" or keyword.startswith("Raw profile type"):
            continue  # XMP is read above; raw profiles are hex dumps of EXIF/IPTC
        total += len(text)
        if total > 16 * MAX_CHUNK_TEXT:
            break
        kind = _PNG_KINDS.get(keyword.lower(), "text")
        yield MetadataItem(f"PNG {ctype.decode()} {keyword}", _clip(text), kind)


def _png_text(ctype: bytes, body: bytes) -> tuple[str, str] | None:
    keyword, sep, rest = body.partition(b"\x00")
    if not sep:
        return None
    key = keyword.decode("latin-1", "replace")
    if ctype == b"tEXt":
        return key, rest.decode("latin-1", "replace")
    if ctype == b"zTXt":
        if rest[:1] != b"\x00":  # 0 is the only compression method PNG defines
            return None
        return key, _inflate(rest[1:]).decode("latin-1", "replace")
    # iTXt: compression flag, method, language tag\0, translated keyword\0, text
    if len(rest) < 2:
        return None
    flag = rest[0]
    lang_etc = rest[2:]
    _lang, _, lang_etc = lang_etc.partition(b"\x00")
    _tkey, _, text = lang_etc.partition(b"\x00")
    raw = _inflate(text) if flag else text
    return key, raw.decode("utf-8", "replace")


def _inflate(raw: bytes) -> bytes:
    d = zlib.decompressobj()
    try:
        return d.decompress(raw, MAX_CHUNK_TEXT)
    except zlib.error:
        return b""


def _comments(im: Image.Image, data: bytes, fmt: str) -> Iterator[MetadataItem]:
    comment = im.info.get("comment")
    if isinstance(comment, bytes):
        comment = comment.decode("utf-8", "replace")
    if isinstance(comment, str) and comment.strip():
        yield MetadataItem(f"{fmt} Comment", _clip(comment), "text")
