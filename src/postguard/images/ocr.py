"""OCR of one decoded frame: a cheap pass, then extra passes only where text stays unread.

The pass plan (what each buys: `benchmarks/ocr_bench.py --ablation`):

1. grey: the whole frame in grey, tesseract's automatic layout (psm 3). Reads clean
   images, screenshots, flyers, dark-mode screens. Colour is dropped because some colour
   images read only after conversion to grey.
2. regions: each text-like region holding windows no confident word covers (largest first,
   at most `max_regions`) is cropped, contrast-normalised, turned level (projection-profile
   skew estimate: tesseract reads nothing once text leans ~8 degrees), enlarged towards
   ~30 px letters and read as sparse text (psm 11). Reads rotated labels, small background
   text, faint text and text beside barcodes, which upset tesseract's page layout.
3. contrast: only if text-like windows are still unread, the whole frame after local
   contrast normalisation, as sparse text. Reads coloured text on coloured ground (the
   two colours often make nearly the same grey) that the region crops miss.

A clean image costs one tesseract call, a photo without text one; the generated test set
averages about two. Regions before contrast: same recall on the test images, 26% less time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from postguard.images import preprocess as pp
from postguard.images.merge import Word, lines
from postguard.images.settings import OcrSettings
from postguard.images.tesseract import RawWord, run_tesseract
from postguard.images.textness import TextMap, text_map

Runner = Callable[..., list[RawWord]]

MAX_OCR_SIDE = 3500  # whole-frame passes on a larger photo cost seconds for nothing: shrink it
# Below these confidences tesseract's output on photos is mostly texture read as letters, and
# junk digits in the text would feed the MRN rules. Sparse passes see more texture: stricter.
MIN_CONF_LAYOUT = 30.0
MIN_CONF_SPARSE = 60.0
MIN_CONF_SHORT = 85.0  # sparse-pass words of 2-3 letters: texture reads as "ee", "th", "GD"
MIN_CONF_SINGLE = 93.0  # and as a lone "a" or "i" with surprising confidence
# Text-like windows (24 px, stride 12) left unread before the extra passes are worth it, and
# before the reviewer is told to look.
UNREAD_TO_RETRY = 3
CONFIDENT = 80.0  # words below this leave their place "unread" for the retry and the warning
UNREAD_TO_WARN = 10
# ... and as a share of all text-like windows: a flyer read whole but for a logo or a QR code
# (2% unread on the held-out flyers) is not "text that could not be read".
UNREAD_SHARE_TO_WARN = 0.04


@dataclass
class FrameOcr:
    rows: list[list[Word]]
    unread_cells: int  # text-like windows no kept word covers
    calls: int  # tesseract calls made
    gained: dict[str, int]  # pass name -> words it contributed to the final reading
    text_cells: int = 0  # text-like windows in the frame, read or not


def plain_frame(frame: Image.Image, settings: OcrSettings, run: Runner = run_tesseract) -> FrameOcr:
    """What `tesseract IMG stdout` reads: one pass on the image as it is."""
    raw = run(frame, languages=settings.languages, psm=3, timeout=settings.timeout)
    words = [
        Word(r.text, r.conf, r.box, (0, *r.line), i, 0.0) for i, r in enumerate(raw) if any(c.isalnum() for c in r.text)
    ]
    return FrameOcr(lines(words), 0, 1, {"plain": len(words)})


def ocr_frame(frame: Image.Image, settings: OcrSettings, run: Runner = run_tesseract) -> FrameOcr:
    bounds = frame.size
    base = pp.Variant(pp.grey(frame), pp.IDENTITY)
    whole = base
    if max(bounds) > MAX_OCR_SIDE:
        whole = pp.scaled(base, MAX_OCR_SIDE / max(bounds))
    words: list[Word] = []
    calls = 0
    tmap = text_map(frame)

    def read(variant: pp.Variant, psm: int, min_conf: float) -> None:
        nonlocal calls
        pass_no = calls
        calls += 1
        raw = run(variant.image, languages=settings.languages, psm=psm, timeout=settings.timeout)
        sparse = psm == 11
        good = [(i, r) for i, r in enumerate(raw) if _plausible(r, min_conf, sparse=sparse)]
        if sparse:
            good = _drop_odd_sizes(good)
        for i, r in good:
            box = variant.box_to_original(r.box, bounds)
            if box[2] and box[3]:
                words.append(Word(r.text, r.conf, box, (pass_no, *r.line), i, variant.angle))

    names: list[str] = []
    if "grey" in settings.passes:
        read(whole, 3, MIN_CONF_LAYOUT)
        names.append("grey")
    unread = _unread(tmap, words)
    if "regions" in settings.passes and unread.mask.sum() >= UNREAD_TO_RETRY:
        for box in _regions_to_retry(tmap, unread)[: settings.max_regions]:
            read(_region_variant(base, box, bounds), 11, MIN_CONF_SPARSE)
            names.append("regions")
        unread = _unread(tmap, words)
    if "contrast" in settings.passes and unread.mask.sum() >= UNREAD_TO_RETRY:
        read(pp.Variant(pp.local_contrast(whole.image), whole.to_original), 11, MIN_CONF_SPARSE)
        names.append("contrast")
        unread = _unread(tmap, words)
    rows = lines(words)
    gained: dict[str, int] = {}
    for row in rows:
        for w in row:
            gained[names[w.line[0]]] = gained.get(names[w.line[0]], 0) + 1
    return FrameOcr(rows, int(unread.mask.sum()), calls, gained, int(tmap.mask.sum()))


def _plausible(r: RawWord, min_conf: float, *, sparse: bool) -> bool:
    letters = sum(c.isalnum() for c in r.text)
    if not letters or r.conf < min_conf:
        return False
    if sparse and letters == 1:
        return r.conf >= MIN_CONF_SINGLE
    return not (sparse and letters <= 3 and r.conf < MIN_CONF_SHORT)


def _drop_odd_sizes(words: list[tuple[int, RawWord]]) -> list[tuple[int, RawWord]]:
    """Drop words far taller or shorter than the others of the pass.

    Letters in one crop or one sparse reading share a size; a blob of texture read as a "4"
    with 95% confidence does not.
    """
    if len(words) < 3:
        return words
    heights = sorted(r.box[3] for _i, r in words)
    median = heights[len(heights) // 2]
    return [(i, r) for i, r in words if 0.4 * median <= r.box[3] <= 2.2 * median]


def _regions_to_retry(tmap: TextMap, unread: TextMap) -> list[tuple[int, int, int, int]]:
    """Whole text-like regions that still hold unread windows, most unread first.

    The whole region, not just its unread part: a partly read line is cut mid-word otherwise.
    """
    scored: list[tuple[int, tuple[int, int, int, int]]] = []
    for box, _cells in tmap.regions(min_cells=UNREAD_TO_RETRY):
        left = unread.count_in(box)
        if left >= UNREAD_TO_RETRY:
            scored.append((left, box))
    scored.sort(key=lambda item: -item[0])
    return [box for _left, box in scored]


def _unread(tmap: TextMap, words: list[Word]) -> TextMap:
    """The text-like windows that no word read with enough confidence covers."""
    mask = tmap.mask.copy()
    if not mask.size or not words:
        return TextMap(mask, tmap.scale).core()
    rows, cols = np.nonzero(mask)
    half = 12 * tmap.scale  # windows are 24 px: test their centres
    cx = cols * 12 * tmap.scale + half
    cy = rows * 12 * tmap.scale + half
    read = np.zeros(len(rows), dtype=bool)
    for w in words:
        if w.conf < CONFIDENT:
            continue  # read, but doubtfully: worth another look
        x, y, bw, bh = w.box
        pad = max(6.0, 0.6 * bh)  # a window centred in the gap between words or lines is read too
        read |= (cx >= x - pad) & (cx <= x + bw + pad) & (cy >= y - pad) & (cy <= y + bh + pad)
    mask[rows[read], cols[read]] = False
    return TextMap(mask, tmap.scale).core()


def _region_variant(base: pp.Variant, box: tuple[int, int, int, int], bounds: tuple[int, int]) -> pp.Variant:
    x, y, w, h = box
    margin = max(16, min(w, h) // 4)
    x0, y0 = max(0, x - margin), max(0, y - margin)
    x1, y1 = min(bounds[0], x + w + margin), min(bounds[1], y + h + margin)
    crop = pp.cropped(base, (x0, y0, x1 - x0, y1 - y0))
    norm = pp.local_contrast(crop.image)
    # Tesseract wants dark ink on a light ground: the majority tone of a text region is its ground.
    t = pp.otsu_threshold(crop.image)
    if (np.asarray(crop.image) > t).mean() < 0.5:
        norm = Image.eval(norm, lambda v: 255 - v)
    variant = pp.Variant(norm, crop.to_original, crop.angle)
    angle = pp.estimate_skew(norm)
    if abs(angle) >= 2:
        variant = pp.rotated(variant, angle)
    # Small regions mostly hold small text: enlarge towards the ~30 px letters tesseract reads best.
    factor = min(3.0, max(1.0, 1000 / max(variant.image.size)))
    return pp.scaled(variant, factor)
