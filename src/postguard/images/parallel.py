"""Read many images at once.

Threads, not processes: the heavy part runs in the tesseract subprocess, and Pillow and numpy
release the GIL in their inner loops. Each tesseract runs single-threaded (OMP_THREAD_LIMIT=1),
so `jobs` tesseracts keep `jobs` cores busy.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed

from postguard.images.cache import OcrCache
from postguard.images.reader import read_image
from postguard.images.reading_types import ImageReading
from postguard.images.settings import DEFAULT_SETTINGS, OcrSettings


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def read_images(
    paths: Sequence[str],
    settings: OcrSettings = DEFAULT_SETTINGS,
    cache: OcrCache | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[ImageReading]:
    """Read every image, `jobs` at a time (default: one per core); results in the order given.

    `progress(done, total)` is called from the calling thread after each image.
    """
    total = len(paths)
    workers = min(max(1, jobs or default_jobs()), max(1, total))
    results: list[ImageReading | None] = [None] * total
    if workers == 1:
        for i, path in enumerate(paths):
            results[i] = read_image(path, settings, cache)
            if progress is not None:
                progress(i + 1, total)
        return [r for r in results if r is not None]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="postguard-ocr") as pool:
        futures = {pool.submit(read_image, path, settings, cache): i for i, path in enumerate(paths)}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress is not None:
                progress(done, total)
    return [r for r in results if r is not None]
