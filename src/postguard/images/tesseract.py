"""The tesseract adapter: one subprocess call per image variant, word boxes from its TSV output.

Not pytesseract: it writes every image to a temporary file (world-readable under the usual
umask, and this is PHI) and runs tesseract with the parent's environment unchanged. Here the
pixels go through stdin, and each call gets OMP_THREAD_LIMIT=1: tesseract's OpenMP threads
thrash on small machines (0.64 s/image default vs 0.26 s with one thread on 2 cores), and the
parallelism comes from reading several images at once instead.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
from dataclasses import dataclass

from PIL import Image

TESSERACT_ENV = "POSTGUARD_TESSERACT"  # path of the tesseract binary, when not on PATH
INSTALL_HINT = (
    "tesseract is not installed: install it (Debian/Ubuntu: apt-get install tesseract-ocr; "
    "macOS: brew install tesseract); this image was not checked"
)


class TesseractMissing(Exception):
    pass


class OcrFailed(Exception):
    """Tesseract ran but failed. The message holds no OCR output."""


@dataclass(frozen=True)
class RawWord:
    text: str
    conf: float  # 0..100
    box: tuple[int, int, int, int]  # x, y, w, h in the pixels of the image given to tesseract
    line: tuple[int, int, int]  # (block, paragraph, line) within this call


def tesseract_cmd() -> str | None:
    configured = os.environ.get(TESSERACT_ENV)
    if configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    return shutil.which("tesseract")


@functools.lru_cache(maxsize=8)
def _version(cmd: str) -> str | None:
    try:
        out = subprocess.run([cmd, "--version"], capture_output=True, timeout=30, env=_env(), check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    text = (out.stdout or out.stderr).decode("utf-8", "replace").strip()
    first = text.splitlines()[0] if text else ""
    return first.removeprefix("tesseract").strip() or None


def tesseract_available() -> str | None:
    """Return tesseract's version string ("5.3.0"), or None when it is not installed."""
    cmd = tesseract_cmd()
    return _version(cmd) if cmd else None


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def run_tesseract(image: Image.Image, *, languages: str = "eng", psm: int = 3, timeout: float = 120.0) -> list[RawWord]:
    """OCR one image and return its words with boxes and confidences (tesseract's order)."""
    cmd = tesseract_cmd()
    if cmd is None:
        raise TesseractMissing(INSTALL_HINT)
    buf = io.BytesIO()
    # Uncompressed PNM: tesseract decodes it faster than PNG and we skip the compression.
    image.save(buf, format="PPM")
    args = [cmd, "stdin", "stdout", "-l", languages, "--psm", str(psm), "--dpi", "300", "tsv"]
    try:
        proc = subprocess.run(args, input=buf.getvalue(), capture_output=True, timeout=timeout, env=_env(), check=False)
    except FileNotFoundError:
        raise TesseractMissing(INSTALL_HINT) from None
    except subprocess.TimeoutExpired:
        raise OcrFailed(f"tesseract did not finish within {timeout:.0f} seconds") from None
    except OSError as exc:
        raise OcrFailed(f"tesseract could not be started ({exc.strerror or type(exc).__name__})") from None
    if proc.returncode != 0:
        # stderr names missing language data and the like; it never echoes recognised text.
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        hint = reason[-1][:200] if reason else f"exit status {proc.returncode}"
        raise OcrFailed(f"tesseract failed on this image ({hint})")
    return parse_tsv(proc.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> list[RawWord]:
    words: list[RawWord] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        try:
            left, top, width, height = (int(c) for c in cols[6:10])
            conf = float(cols[10])
            line = (int(cols[2]), int(cols[3]), int(cols[4]))
        except ValueError:
            continue
        words.append(RawWord(text, max(0.0, conf), (left, top, width, height), line))
    return words
