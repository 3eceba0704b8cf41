"""Image variants for OCR passes, each with the map from its pixels back to the original's.

Every variant remembers how it was made (crop offset, scale, rotation), so a word box found in
it can be drawn on the original image, where a reviewer and the redactor need it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

Affine = tuple[float, float, float, float, float, float]  # variant (x, y) -> original: a x + b y + c, d x + e y + f

IDENTITY: Affine = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


@dataclass(frozen=True)
class Variant:
    image: Image.Image  # "L" mode, what tesseract sees
    to_original: Affine
    angle: float = 0.0  # degrees the text was turned to read it: the line direction in the original

    def box_to_original(self, box: tuple[int, int, int, int], bounds: tuple[int, int]) -> tuple[int, int, int, int]:
        x, y, w, h = box
        a, b, c, d, e, f = self.to_original
        xs, ys = [], []
        for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)):
            xs.append(a * px + b * py + c)
            ys.append(d * px + e * py + f)
        x0 = max(0, math.floor(min(xs)))
        y0 = max(0, math.floor(min(ys)))
        x1 = min(bounds[0], math.ceil(max(xs)))
        y1 = min(bounds[1], math.ceil(max(ys)))
        return (x0, y0, max(0, x1 - x0), max(0, y1 - y0))


def compose(outer: Affine, inner: Affine) -> Affine:
    """The map `outer(inner(p))`."""
    a1, b1, c1, d1, e1, f1 = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (
        a1 * a2 + b1 * d2,
        a1 * b2 + b1 * e2,
        a1 * c2 + b1 * f2 + c1,
        d1 * a2 + e1 * d2,
        d1 * b2 + e1 * e2,
        d1 * c2 + e1 * f2 + f1,
    )


def grey(image: Image.Image) -> Image.Image:
    return image if image.mode == "L" else image.convert("L")


def scaled(v: Variant, factor: float) -> Variant:
    if abs(factor - 1.0) < 1e-3:
        return v
    w, h = v.image.size
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    img = v.image.resize(size, Image.Resampling.LANCZOS if factor > 1 else Image.Resampling.BOX)
    sx, sy = w / size[0], h / size[1]
    return Variant(img, compose(v.to_original, (sx, 0.0, 0.0, 0.0, sy, 0.0)), v.angle)


def cropped(v: Variant, box: tuple[int, int, int, int]) -> Variant:
    x, y, w, h = box
    img = v.image.crop((x, y, x + w, y + h))
    return Variant(img, compose(v.to_original, (1.0, 0.0, float(x), 0.0, 1.0, float(y))), v.angle)


def rotated(v: Variant, angle: float) -> Variant:
    """Turn the image `angle` degrees counter-clockwise (as shown on screen), growing the canvas."""
    if abs(angle) < 0.05:
        return v
    w, h = v.image.size
    t = math.radians(angle)
    cos, sin = math.cos(t), math.sin(t)
    out_w = math.ceil(abs(w * cos) + abs(h * sin))
    out_h = math.ceil(abs(w * sin) + abs(h * cos))
    icx, icy, ocx, ocy = w / 2, h / 2, out_w / 2, out_h / 2
    # output -> input: undo the turn about the output centre, then move to the input centre
    inverse: Affine = (cos, -sin, icx - (cos * ocx - sin * ocy), sin, cos, icy - (sin * ocx + cos * ocy))
    # A plain white or black fill would draw a hard frame around the text: use the median.
    fill = int(np.median(np.asarray(v.image)))
    img = v.image.transform(
        (out_w, out_h), Image.Transform.AFFINE, inverse, resample=Image.Resampling.BICUBIC, fillcolor=fill
    )
    return Variant(img, compose(v.to_original, inverse), v.angle - angle)


def local_contrast(image: Image.Image, radius: int = 15) -> Image.Image:
    """Normalise each pixel by the mean and spread around it.

    Faint text on a busy photo, red on blue (nearly the same grey) and text on a screen all
    come out as dark-on-mid strokes; a global autocontrast or Otsu threshold does not help
    there because the photo around the text already spans the full range.
    """
    a = np.asarray(image, dtype=np.float32)
    mean = np.asarray(image.filter(ImageFilter.BoxBlur(radius)), dtype=np.float32)
    sq = Image.fromarray(np.clip(a * a / 255.0, 0, 255).astype(np.uint8))
    mean_sq = np.asarray(sq.filter(ImageFilter.BoxBlur(radius)), dtype=np.float32) * 255.0
    spread = np.sqrt(np.maximum(mean_sq - mean * mean, 1.0))
    # The +8 keeps flat areas (spread ~ sensor noise) from being blown up into texture.
    z = (a - mean) / (spread + 8.0)
    return Image.fromarray(np.clip(128.0 + z * 60.0, 0, 255).astype(np.uint8))


def otsu_threshold(image: Image.Image) -> int:
    hist = np.bincount(np.asarray(image).ravel(), minlength=256).astype(np.float64)
    p = hist / max(hist.sum(), 1.0)
    w = np.cumsum(p)
    mu = np.cumsum(p * np.arange(256))
    between = (mu[-1] * w - mu) ** 2 / (w * (1.0 - w) + 1e-12)
    return int(np.argmax(between))


def estimate_skew(image: Image.Image, limit: float = 16.0, step: float = 1.0) -> float:
    """Return the angle (degrees, counter-clockwise) that makes text lines in `image` horizontal.

    Projection profile: when lines are level, ink piles up in some rows and leaves others empty,
    so the row sums vary most.
    """
    small = image
    if max(image.size) > 600:
        f = 600 / max(image.size)
        small = image.resize((max(1, round(image.width * f)), max(1, round(image.height * f))), Image.Resampling.BOX)
    t = otsu_threshold(small)
    a = np.asarray(small)
    ink_dark = (a <= t).mean() < 0.5
    mask = Image.fromarray(((a <= t) if ink_dark else (a > t)).astype(np.uint8) * 255)
    best, best_score = 0.0, -1.0
    n = int(limit / step)
    for k in range(-n, n + 1):
        angle = k * step
        rows = np.asarray(mask.rotate(angle, resample=Image.Resampling.NEAREST, expand=True), dtype=np.float32).sum(
            axis=1
        )
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score + 1e-6 or (abs(score - best_score) <= 1e-6 and abs(angle) < abs(best)):
            best, best_score = angle, score
    return best
