"""Synthetic test images: drawn with Pillow and DejaVu, so the expected text is known exactly.

Kept apart from the held-out set used to report recall: thresholds are tuned on these only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

DEJAVU = "/usr/share/fonts/truetype/dejavu/"


def font(size: int, face: str = "DejaVuSans.ttf") -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(DEJAVU + face, size)


@dataclass
class Sample:
    image: Image.Image
    expected: list[str]  # strings that must appear in the OCR text (case/space-insensitive)
    box: tuple[int, int, int, int] | None = None  # where the text was drawn, x y w h


def noisy_photo(w: int, h: int, seed: int, sigma: float = 8.0) -> Image.Image:
    """Smooth colour blobs, a lighting ramp and sensor noise: texture without text."""
    rng = np.random.default_rng(seed)
    coarse = rng.uniform(60, 200, (h // 50 + 2, w // 50 + 2, 3)).astype(np.uint8)
    base = np.asarray(Image.fromarray(coarse).resize((w, h), Image.BICUBIC), float)
    ramp = np.linspace(0.8, 1.1, w)[None, :, None]
    img = Image.fromarray(np.clip(base * ramp, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    r = random.Random(seed)
    for _ in range(6):
        x, y = r.randint(0, w), r.randint(0, h)
        d.ellipse(
            [x, y, x + r.randint(40, 200), y + r.randint(40, 200)], fill=tuple(r.randint(0, 255) for _ in range(3))
        )
    img = img.filter(ImageFilter.GaussianBlur(1.5))
    a = np.asarray(img, float) + rng.normal(0, sigma, (h, w, 3))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def text_panel(
    lines: list[str], size: int, fg=(0, 0, 0), bg=(255, 255, 255), face="DejaVuSans.ttf", pad=None
) -> Image.Image:
    f = font(size, face)
    pad = size // 2 if pad is None else pad
    width = max(int(f.getlength(t)) for t in lines) + 2 * pad
    height = int(len(lines) * size * 1.6) + 2 * pad
    panel = Image.new("RGB", (width, height), bg)
    d = ImageDraw.Draw(panel)
    for i, t in enumerate(lines):
        d.text((pad, pad + int(i * size * 1.6)), t, font=f, fill=fg)
    return panel


LINES = ["PATIENT: DOE, JANE", "MRN 00451238", "DOB 03/14/1951"]
EXPECTED = ["DOE, JANE", "00451238", "03/14/1951"]


def clean() -> Sample:
    img = Image.new("RGB", (700, 320), "white")
    panel = text_panel(LINES, 32)
    img.paste(panel, (40, 30))
    return Sample(img, EXPECTED, (40, 30, panel.width, panel.height))


def on_photo(panel: Image.Image, size=(900, 650), at=(120, 150), seed=1, angle: float = 0.0) -> Image.Image:
    img = noisy_photo(*size, seed=seed)
    rgba = panel.convert("RGBA").rotate(angle, resample=Image.BICUBIC, expand=True)
    img.paste(rgba, at, rgba)
    return img


def rotated(angle: float = 10.0) -> Sample:
    return Sample(on_photo(text_panel(LINES, 30), angle=angle, seed=2), EXPECTED)


def small_background() -> Sample:
    panel = text_panel(["SMITH, ROBERT", "MRN 00983412", "Room 412"], 12, bg=(245, 240, 220), pad=6)
    img = noisy_photo(1200, 900, seed=3)
    img.paste(panel, (700, 520))
    return Sample(img, ["SMITH, ROBERT", "00983412", "Room 412"], (700, 520, panel.width, panel.height))


def low_contrast() -> Sample:
    panel = text_panel(LINES, 30, fg=(150, 150, 150), bg=(185, 185, 185))
    return Sample(on_photo(panel, seed=4), EXPECTED)


def dark_screen() -> Sample:
    img = Image.new("RGB", (900, 420), (18, 22, 32))
    rows = [["Rm 12", "DOE, JANE", "00451238", "03/14/1951"], ["Rm 14", "GARCIA, LUIS", "00762301", "11/02/1948"]]
    d = ImageDraw.Draw(img)
    f = font(18)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            d.text((20 + c * 200, 40 + r * 44), cell, font=f, fill=(200, 210, 220))
    return Sample(img, ["DOE, JANE", "00451238", "GARCIA, LUIS", "00762301"])


def blurred() -> Sample:
    return Sample(on_photo(text_panel(LINES, 30), seed=5).filter(ImageFilter.GaussianBlur(1.8)), EXPECTED)


def jpeg_noisy() -> Sample:
    import io

    buf = io.BytesIO()
    on_photo(text_panel(LINES, 22), seed=6).save(buf, "JPEG", quality=20)
    return Sample(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), EXPECTED)


def barcode() -> Sample:
    img = Image.new("RGB", (760, 200), (250, 250, 245))
    d = ImageDraw.Draw(img)
    r = random.Random(7)
    x = 10
    while x < 150:
        w = r.choice([2, 3, 5])
        d.rectangle([x, 20, x + w, 180], fill="black")
        x += w + r.choice([2, 3])
    d.text((170, 40), "NAME: DOE, JANE", font=font(28, "DejaVuSansMono.ttf"), fill="black")
    d.text((170, 110), "MRN 00451238", font=font(28, "DejaVuSansMono.ttf"), fill="black")
    return Sample(on_photo(img, seed=8, at=(60, 200)), ["DOE, JANE", "00451238"])


def colour_text() -> Sample:
    panel = text_panel(LINES, 30, fg=(200, 40, 40), bg=(60, 120, 200))
    return Sample(on_photo(panel, seed=9), EXPECTED)


def no_text_photo() -> Sample:
    return Sample(noisy_photo(900, 650, seed=10, sigma=12), [])


def flyer() -> Sample:
    img = Image.new("RGB", (700, 900), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 700, 150], fill=(0, 90, 160))
    d.text((30, 40), "HEALTH FAIR", font=font(56, "DejaVuSans-Bold.ttf"), fill="white")
    for i, t in enumerate(["Free blood pressure checks", "Saturday 10am to 2pm", "Call (312) 555-0142"]):
        d.text((30, 200 + i * 70), t, font=font(34), fill=(30, 30, 30))
    return Sample(img, ["HEALTH FAIR", "(312) 555-0142"])


def unreadable() -> Sample:
    """Text a person sees is there but no OCR can read: tiny, smeared, on a busy photo."""
    img = noisy_photo(900, 650, seed=11)
    panel = text_panel(["DOE JANE 00451238 03/14/1951 BED 12"] * 6, 9, bg=(235, 235, 225), pad=8)
    panel = panel.filter(ImageFilter.GaussianBlur(1.6))
    img.paste(panel.resize((panel.width * 2, panel.height * 2)), (80, 120))
    return Sample(img, [])


ALL = {
    "clean": clean,
    "rotated": rotated,
    "small_background": small_background,
    "low_contrast": low_contrast,
    "dark_screen": dark_screen,
    "blurred": blurred,
    "jpeg_noisy": jpeg_noisy,
    "barcode": barcode,
    "colour_text": colour_text,
}


def band_with_barcode(angle: float = -7.0) -> Sample:
    """A label strip with a barcode, turned a little, on a photo: an ID band or specimen label."""
    band = Image.new("RGB", (640, 120), (248, 248, 244))
    d = ImageDraw.Draw(band)
    r = random.Random(12)
    x = 8
    while x < 120:
        w = r.choice([2, 3, 4, 6])
        d.rectangle([x, 12, x + w, 108], fill="black")
        x += w + r.choice([2, 3])
    d.text((140, 18), "GARCIA, LUIS", font=font(26, "DejaVuSansCondensed.ttf"), fill="black")
    d.text((140, 66), "MRN 00762301", font=font(26, "DejaVuSansCondensed.ttf"), fill="black")
    return Sample(on_photo(band, size=(900, 600), at=(80, 200), seed=13, angle=angle), ["GARCIA, LUIS", "00762301"])


ALL["band_with_barcode"] = band_with_barcode
