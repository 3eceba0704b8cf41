"""OCR settings: everything here changes what OCR returns, so all of it is in the cache key."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

# Pass names, cheapest first. "grey": the whole image in grey; "contrast": local contrast
# normalisation read as sparse text; "regions": each text-like region still unread, cropped,
# deskewed and enlarged.
ALL_PASSES: tuple[str, ...] = ("grey", "contrast", "regions")


@dataclass(frozen=True)
class OcrSettings:
    preprocess: bool = True  # False: one plain tesseract pass, as `tesseract IMG stdout` would do
    max_frames: int = 10
    languages: str = "eng"
    passes: tuple[str, ...] = ALL_PASSES
    max_regions: int = 4  # region passes per frame, largest unread regions first
    timeout: float = 120.0  # seconds per tesseract call

    def key(self) -> str:
        data = asdict(self)
        data.pop("timeout")  # how long we wait does not change what is read
        return json.dumps(data, sort_keys=True)


# Frozen, so one shared default instance is safe as a parameter default.
DEFAULT_SETTINGS = OcrSettings()
