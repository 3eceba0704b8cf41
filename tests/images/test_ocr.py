"""OCR on generated images with real tesseract: recall, boxes, and the unreadable-text warning."""

from __future__ import annotations

from pathlib import Path

import pytest
import synth
from conftest import needs_tesseract
from helpers import contains, inside
from PIL import Image, ImageDraw

from postguard.images import UNREADABLE, ImageReading, OcrSettings, read_image, read_images
from postguard.images.tesseract import run_tesseract

pytestmark = needs_tesseract

CASES = {**synth.ALL, "no_text": synth.no_text_photo, "flyer": synth.flyer, "unreadable": synth.unreadable}


@pytest.fixture(scope="module")
def readings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[synth.Sample, ImageReading]]:
    """Every generated case read once (two at a time), shared by the tests below."""
    folder = tmp_path_factory.mktemp("ocr")
    samples = {name: make() for name, make in CASES.items()}
    paths = []
    for name, sample in samples.items():
        path = folder / f"{name}.png"
        sample.image.save(path)
        paths.append(str(path))
    results = read_images(paths, OcrSettings(), cache=None, jobs=2)
    return {name: (samples[name], r) for name, r in zip(samples, results, strict=True)}


@pytest.mark.parametrize("case", sorted(synth.ALL))
def test_known_text_is_found(readings: dict[str, tuple[synth.Sample, ImageReading]], case: str) -> None:
    sample, reading = readings[case]
    assert reading.problems == ()
    for expected in sample.expected:
        assert contains(reading.text, expected), f"{case}: {expected!r} not in OCR text"


def test_words_map_to_text_offsets(readings: dict[str, tuple[synth.Sample, ImageReading]]) -> None:
    for _case, (_sample, reading) in readings.items():
        for w in reading.words:
            assert 0 <= w.start < w.end <= len(reading.text)
            assert " " not in reading.text[w.start : w.end] and "\n" not in reading.text[w.start : w.end]
        assert len(reading.words) == len(reading.text.split())


@pytest.mark.parametrize("case", ["clean", "small_background"])
def test_boxes_are_where_the_text_was_drawn(readings: dict[str, tuple[synth.Sample, ImageReading]], case: str) -> None:
    sample, reading = readings[case]
    assert sample.box is not None and reading.words
    for w in reading.words:
        assert inside(w.box, sample.box), f"{case}: word box {w.box} outside the drawn text {sample.box}"


def test_rotated_text_boxes_land_on_the_panel(readings: dict[str, tuple[synth.Sample, ImageReading]]) -> None:
    _sample, reading = readings["rotated"]
    mrn = reading.text.index("00451238")
    box = next(w.box for w in reading.words if w.start <= mrn < w.end)
    # synth.rotated pastes the panel (about 320 x 170 once turned) at (120, 150)
    assert inside(box, (120, 150, 330, 200), slack=20)


@pytest.mark.parametrize("case", sorted(synth.ALL) + ["flyer", "no_text"])
def test_no_unreadable_warning_when_everything_was_read(
    readings: dict[str, tuple[synth.Sample, ImageReading]], case: str
) -> None:
    _sample, reading = readings[case]
    assert UNREADABLE not in [p.message for p in reading.problems]


def test_unreadable_text_is_reported(readings: dict[str, tuple[synth.Sample, ImageReading]]) -> None:
    _sample, reading = readings["unreadable"]
    assert [p.severity for p in reading.problems if p.message == UNREADABLE] == ["warning"]


def test_no_text_photo_gives_no_junk_words(readings: dict[str, tuple[synth.Sample, ImageReading]]) -> None:
    _sample, reading = readings["no_text"]
    assert not any(ch.isdigit() for ch in reading.text)  # junk digits would feed the MRN rules
    assert len(reading.text.split()) <= 2


def test_clean_image_costs_one_tesseract_call(tmp_path: Path) -> None:
    path = tmp_path / "clean.png"
    synth.clean().image.save(path)
    calls = []

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return run_tesseract(*args, **kwargs)  # type: ignore[arg-type]

    reading = read_image(str(path), runner=counting)  # type: ignore[arg-type]
    assert contains(reading.text, "00451238")
    assert len(calls) == 1


def test_preprocessing_off_is_one_plain_pass(tmp_path: Path) -> None:
    path = tmp_path / "low.png"
    synth.low_contrast().image.save(path)
    calls = []

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return run_tesseract(*args, **kwargs)  # type: ignore[arg-type]

    plain = read_image(str(path), OcrSettings(preprocess=False), runner=counting)  # type: ignore[arg-type]
    assert len(calls) == 1
    assert not contains(plain.text, "00451238")  # what preprocessing is for


def test_exif_orientation_is_applied_before_ocr(tmp_path: Path) -> None:
    upright = synth.clean().image  # 700 x 320, text drawn from (40, 30)
    # Store the pixels turned a quarter (as a phone held sideways does) with Orientation=6:
    # "rotate 90 clockwise to display", so viewers show it upright.
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "sideways.jpg"
    stored.save(path, quality=95, exif=exif.tobytes())
    reading = read_image(str(path))
    assert reading.size == (700, 320)
    assert contains(reading.text, "00451238")
    drawn = synth.clean().box
    assert drawn is not None
    for w in reading.words:
        assert inside(w.box, drawn), w.box


def test_gif_frames_up_to_the_cap(tmp_path: Path) -> None:
    frames = []
    for word in ("ALPHA 1111", "BRAVO 2222", "CHARLIE 3333"):
        img = Image.new("RGB", (420, 120), "white")
        ImageDraw.Draw(img).text((20, 30), word, font=synth.font(40), fill="black")
        frames.append(img.convert("P", palette=Image.Palette.ADAPTIVE))
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=200, loop=0)
    reading = read_image(str(path), OcrSettings(max_frames=2))
    assert reading.format == "GIF"
    assert contains(reading.text, "ALPHA 1111") and contains(reading.text, "BRAVO 2222")
    assert not contains(reading.text, "3333")
    assert "\n\n" in reading.text  # frames are separated by a blank line
    warnings = [p for p in reading.problems if p.severity == "warning"]
    assert len(warnings) == 1 and "3 frames" in warnings[0].message and "first 2" in warnings[0].message
