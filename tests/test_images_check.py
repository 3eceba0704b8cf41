"""Images through the whole check: OCR text and metadata become findings with boxes,
attached images join their post, bad images fail closed, and `redact` writes safe copies."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw, ImageFont

from postguard.cli import main

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")

CONFIG = """
institution:
  names: ["Lakeshore Health"]
  brand_terms: ["Lakeshore"]
  public_contacts: ["(555) 201-4000"]
"""


def _draw(path: Path, lines: list[str], size: tuple[int, int] = (900, 80)) -> None:
    font = ImageFont.truetype(FONT, 30)
    image = Image.new("RGB", (size[0], size[1] * len(lines)), (246, 244, 238))
    draw = ImageDraw.Draw(image)
    for index, text in enumerate(lines):
        draw.text((30, 20 + index * size[1]), text, fill=(25, 25, 60), font=font)
    image.save(path)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTGUARD_CACHE_DIR", str(tmp_path / "cache"))


def _check(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)


def test_whiteboard_identifiers_are_found_with_boxes(tmp_path: Path) -> None:
    _draw(tmp_path / "board.png", ["Bed 12   DOE, JANE", "MRN 00451238   DOB 03/14/1951"])
    code, report = _check("board.png")
    assert code == 1
    by_category = {f["category"]: f for f in report["findings"]}
    assert {"mrn", "date", "location", "patient-name"} <= set(by_category)
    mrn = by_category["mrn"]
    assert mrn["origin"] == "image-text" and mrn["image"] == "board.png"
    assert mrn["line"] is None and mrn["excerpt"] == "MRN 00****38"
    x, y, width, height = mrn["box"]
    assert 20 <= x <= 60 and 80 <= y <= 130 and width > 150 and 10 < height < 60
    assert report["summary"]["images"] == 1 and report["summary"]["posts"] == 0


def test_flyer_with_public_number_and_awards_slide_stay_clean(tmp_path: Path) -> None:
    (tmp_path / ".postguard.yaml").write_text(CONFIG)
    _draw(tmp_path / "flyer.png", ["Flu shots today! Call (555) 201-4000", "Lakeshore Health Awards 2026"])
    _draw(tmp_path / "awards.png", ["Nurse of the Year: Priya Natarajan, RN", "Congratulations Dr. Tom Becker!"])
    code, report = _check("flyer.png", "awards.png")
    assert (code, report["findings"]) == (0, [])


def test_exif_gps_and_capture_time_are_always_reported(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (41.0, 52.0, 41.16), 3: "W", 4: (87.0, 37.0, 47.28)}
    exif[0x8769] = {0x9003: "2026:11:20 03:12:45"}
    Image.new("RGB", (32, 32), (200, 200, 200)).save(tmp_path / "p.jpg", exif=exif.tobytes())
    code, report = _check("p.jpg")
    rules = {f["rule"]: f for f in report["findings"]}
    assert {"image.gps", "image.capture-date"} <= set(rules) and code == 1
    gps = rules["image.gps"]
    assert gps["origin"] == "image-metadata" and gps["image"] == "p.jpg"
    assert "41.8781" not in gps["excerpt"]  # masked like everything else


@pytest.mark.parametrize(
    ("name", "content"),
    [("empty.jpg", b""), ("text.png", b"not an image at all"), ("cut.png", None)],
)
def test_malformed_images_are_input_errors_not_crashes(tmp_path: Path, name: str, content: bytes | None) -> None:
    if content is None:
        _draw(tmp_path / "full.png", ["MRN 00451238"])
        content = (tmp_path / "full.png").read_bytes()[:200]
    (tmp_path / name).write_bytes(content)
    (tmp_path / "ok.txt").write_text("MRN 00123487\n")
    code, report = _check(name, "ok.txt")
    assert code == 1
    problems = [f for f in report["findings"] if f["path"] == name]
    assert [f["rule"] for f in problems] == ["input.image"] and problems[0]["severity"] == "error"
    assert any(f["path"] == "ok.txt" and f["category"] == "mrn" for f in report["findings"])


def test_attached_image_is_checked_with_its_post(tmp_path: Path) -> None:
    _draw(tmp_path / "band.png", ["NAME: DOE, JANE", "MRN 00451238"])
    (tmp_path / "post.md").write_text("---\nimages: [band.png]\n---\nMy patient's wristband, she was so brave!\n")
    code, report = _check("post.md")
    found = {(f["category"], f["origin"]) for f in report["findings"]}
    assert ("mrn", "image-text") in found and ("photo-consent", "front-matter") in found
    mrn = next(f for f in report["findings"] if f["category"] == "mrn")
    assert mrn["path"] == "post.md" and mrn["image"] == "band.png" and mrn["box"]


def test_missing_tesseract_is_reported_once_and_text_is_still_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _draw(tmp_path / "board.png", ["MRN 00451238"])
    (tmp_path / "ok.txt").write_text("MRN 00123487\n")
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    result = CliRunner().invoke(main, ["check", "--format", "json", "--no-cache", "board.png", "ok.txt"])
    report = json.loads(result.stdout)
    image = [f for f in report["findings"] if f["path"] == "board.png"]
    assert [f["rule"] for f in image] == ["input.image"] and "tesseract" in image[0]["message"]
    assert any(f["path"] == "ok.txt" and f["category"] == "mrn" for f in report["findings"])
    assert result.stderr.count("postguard: note: tesseract is not installed") == 1


def test_redact_writes_a_clean_copy_and_never_overwrites(tmp_path: Path) -> None:
    _draw(tmp_path / "board.png", ["Bed 12   DOE, JANE", "MRN 00451238   DOB 03/14/1951"])
    before = (tmp_path / "board.png").read_bytes()
    result = CliRunner().invoke(main, ["redact", "board.png"])
    assert result.exit_code == 0, result.output
    assert "board.png -> board-redacted.png" in result.stdout
    assert (tmp_path / "board.png").read_bytes() == before
    code, report = _check("board-redacted.png")
    assert [f for f in report["findings"] if f["category"] != "input"] == []
    refused = CliRunner().invoke(main, ["redact", "board.png", "-o", "board.png"])
    assert refused.exit_code == 2 and "refusing to overwrite" in refused.stderr
    in_place = CliRunner().invoke(main, ["redact", "--in-place", "board.png"])
    assert in_place.exit_code == 0 and (tmp_path / "board.png").read_bytes() != before
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".tmp")]
