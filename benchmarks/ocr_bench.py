"""Time postguard's image reading against plain tesseract, and what each OCR pass buys.

    python benchmarks/ocr_bench.py                 # 12 generated photo-like images
    python benchmarks/ocr_bench.py --folder DIR    # your own images (*.jpg, *.png, ...)
    python benchmarks/ocr_bench.py --ablation      # recall per pass set on the test images

Prints seconds per image: `tesseract IMG stdout` (default environment and OMP_THREAD_LIMIT=1),
then postguard cold (no cache) and warm (cache filled) with jobs=1 and jobs=2. No assertions:
numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "images"))

import synth  # noqa: E402

from postguard.images import OcrCache, OcrSettings, read_images, tesseract_available  # noqa: E402
from postguard.images.tesseract import run_tesseract, tesseract_cmd  # noqa: E402

SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".gif", ".bmp"}


def generate(folder: Path, count: int) -> list[str]:
    makers = list(synth.ALL.values()) + [synth.no_text_photo, synth.flyer]
    paths = []
    for i in range(count):
        sample = makers[i % len(makers)]()
        path = folder / f"{i:02d}.jpg"
        sample.image.convert("RGB").save(path, quality=88)
        paths.append(str(path))
    return paths


def raw_tesseract(paths: list[str], one_thread: bool) -> float:
    cmd = tesseract_cmd()
    assert cmd
    env = dict(os.environ)
    if one_thread:
        env["OMP_THREAD_LIMIT"] = "1"
    else:
        env.pop("OMP_THREAD_LIMIT", None)
    start = time.perf_counter()
    for p in paths:
        subprocess.run([cmd, p, "stdout"], capture_output=True, env=env, check=False)
    return (time.perf_counter() - start) / len(paths)


def postguard(paths: list[str], jobs: int, cache_dir: Path, settings: OcrSettings) -> tuple[float, float]:
    cache = OcrCache(cache_dir)
    cache.clear()
    start = time.perf_counter()
    read_images(paths, settings, cache, jobs=jobs)
    cold = (time.perf_counter() - start) / len(paths)
    start = time.perf_counter()
    read_images(paths, settings, cache, jobs=jobs)
    warm = (time.perf_counter() - start) / len(paths)
    return cold, warm


def timing(paths: list[str]) -> None:
    print(f"{len(paths)} images, tesseract {tesseract_available()}, {os.cpu_count()} cores\n")
    print(f"{'what':50} {'s/image':>8}")
    print(f"{'tesseract IMG stdout (default threads)':50} {raw_tesseract(paths, False):8.4f}")
    print(f"{'tesseract IMG stdout (OMP_THREAD_LIMIT=1)':50} {raw_tesseract(paths, True):8.4f}")
    with tempfile.TemporaryDirectory() as tmp:
        for label, settings in (("preprocess off", OcrSettings(preprocess=False)), ("preprocess on", OcrSettings())):
            for jobs in (1, 2):
                cold, warm = postguard(paths, jobs, Path(tmp) / "c", settings)
                print(f"{f'postguard {label}, jobs={jobs}, cold':50} {cold:8.4f}")
                print(f"{f'postguard {label}, jobs={jobs}, warm (cached)':50} {warm:8.4f}")


def ablation() -> None:
    """Recall of the expected strings in the generated test images, per set of passes."""
    from postguard.images.ocr import ocr_frame, plain_frame

    cases = {**synth.ALL, "no_text": synth.no_text_photo, "flyer": synth.flyer}
    samples = {name: make() for name, make in cases.items()}
    plans: dict[str, OcrSettings | None] = {
        "plain (preprocess off)": None,
        "grey": OcrSettings(passes=("grey",)),
        "grey+contrast": OcrSettings(passes=("grey", "contrast")),
        "grey+regions": OcrSettings(passes=("grey", "regions")),
        "grey+contrast+regions": OcrSettings(),
    }
    norm = lambda s: re.sub(r"\s+", "", s).lower()  # noqa: E731
    print(f"{'passes':24} {'found':>7} {'calls':>6} {'s/image':>8}   misses")
    for label, settings in plans.items():
        found = total = calls = 0
        misses: list[str] = []
        start = time.perf_counter()
        for name, sample in samples.items():
            frame = sample.image.convert("RGB")
            if settings is None:
                result = plain_frame(frame, OcrSettings(), run_tesseract)
            else:
                result = ocr_frame(frame, settings, run_tesseract)
            text = norm(" ".join(w.text for row in result.rows for w in row))
            calls += result.calls
            for expected in sample.expected:
                total += 1
                if norm(expected) in text:
                    found += 1
                elif name not in misses:
                    misses.append(name)
        per = (time.perf_counter() - start) / len(samples)
        print(f"{label:24} {found:>3}/{total:<3} {calls:>6} {per:8.2f}   {', '.join(misses)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", type=Path, help="time these images instead of generated ones")
    ap.add_argument("--count", type=int, default=12, help="how many images to generate")
    ap.add_argument("--ablation", action="store_true", help="print recall per pass set instead of timings")
    args = ap.parse_args()
    if tesseract_available() is None:
        sys.exit("tesseract is not installed")
    if args.ablation:
        ablation()
        return
    if args.folder:
        paths = sorted(str(p) for p in args.folder.iterdir() if p.suffix.lower() in SUFFIXES)
        timing(paths)
        return
    with tempfile.TemporaryDirectory() as tmp:
        timing(generate(Path(tmp), args.count))


if __name__ == "__main__":
    main()
