"""Reading bytes and text from inputs without trusting them.

Inputs may be huge, binary, FIFOs or devices: read at most a limit, never block on
something that is not a regular file, and decode strictly so that a wrong encoding is
reported rather than silently mangled.
"""

from __future__ import annotations

import os
import stat

from postguard.errors import InputError

MAX_POST_BYTES = 1 * 1024 * 1024  # a single post larger than this is not a post
MAX_BATCH_BYTES = 200 * 1024 * 1024


def read_bytes(path: str, limit: int) -> bytes:
    """Read a regular file, refusing anything larger than `limit` bytes."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file (FIFO, device or socket): skipped unchecked")
    if info.st_size > limit:
        raise InputError(f"file is {_size(info.st_size)}, over the {_size(limit)} limit: not checked")
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(f"file is over the {_size(limit)} limit: not checked")
    return data


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), strictly; newlines become `\\n`."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("file is UTF-16; save it as UTF-8")
    if b"\x00" in data:
        raise InputError("file contains NUL bytes: looks binary, not a text post")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x} on line {line}); save it as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MiB"
    return f"{count / 1024:.0f} KiB"
