"""Find regions that look like text, whether or not OCR could read them.

Used twice: to aim the extra OCR passes at the places the cheap passes left unread, and to
tell the reviewer when text stays unread. The test is per 24x24 window of the grey image:
text is ink on a flat background (two tones, few pixels in between) with several strokes
across each row and column; sensor noise and photo texture have many in-between tones, and
the edge of an object has only one crossing.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

WINDOW = 24
STRIDE = 12
MAX_SIDE = 1600  # analyse at most this size: windows must stay near the size of a letter


@dataclass(frozen=True)
class TextMap:
    mask: np.ndarray  # bool, one cell per STRIDE x STRIDE pixels of the analysed image
    scale: float  # original pixels per analysed pixel

    def cell_box(self, row: int, col: int) -> tuple[int, int, int, int]:
        s = STRIDE * self.scale
        size = WINDOW * self.scale
        return (int(col * s), int(row * s), int(size), int(size))

    def core(self, min_neighbours: int = 4) -> TextMap:
        """Keep windows surrounded by others: text fills an area, while the rim of a shape,
        a barcode's outline or a blob junction in a photo only makes thin lines of windows."""
        m = self.mask
        if not m.size:
            return self
        padded = np.pad(m, 1).astype(np.int8)
        rows, cols = m.shape
        around = sum(
            padded[1 + dr : 1 + dr + rows, 1 + dc : 1 + dc + cols] for dr in (-1, 0, 1) for dc in (-1, 0, 1) if dr or dc
        )
        return TextMap(m & (around >= min_neighbours), self.scale)

    def count_in(self, box: tuple[int, int, int, int]) -> int:
        """Windows of the mask whose centre lies inside `box` (original pixels)."""
        if not self.mask.size:
            return 0
        rows, cols = np.nonzero(self.mask)
        half = WINDOW / 2 * self.scale
        cx = cols * STRIDE * self.scale + half
        cy = rows * STRIDE * self.scale + half
        x, y, w, h = box
        return int(((cx >= x) & (cx <= x + w) & (cy >= y) & (cy <= y + h)).sum())

    def regions(self, min_cells: int = 4) -> list[tuple[tuple[int, int, int, int], int]]:
        """Connected groups of text windows: (box in original pixels, number of windows)."""
        seen = np.zeros_like(self.mask)
        out: list[tuple[tuple[int, int, int, int], int]] = []
        rows, cols = self.mask.shape
        for r0, c0 in zip(*np.nonzero(self.mask), strict=True):
            if seen[r0, c0]:
                continue
            queue = deque([(int(r0), int(c0))])
            seen[r0, c0] = True
            rs, cs = [], []
            while queue:
                r, c = queue.popleft()
                rs.append(r)
                cs.append(c)
                for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1), (1, -1), (-1, 1)):
                    rr, cc = r + dr, c + dc
                    if 0 <= rr < rows and 0 <= cc < cols and self.mask[rr, cc] and not seen[rr, cc]:
                        seen[rr, cc] = True
                        queue.append((rr, cc))
            if len(rs) >= min_cells:
                x0, y0, _, _ = self.cell_box(min(rs), min(cs))
                x1, y1, w1, h1 = self.cell_box(max(rs), max(cs))
                out.append(((x0, y0, x1 + w1 - x0, y1 + h1 - y0), len(rs)))
        out.sort(key=lambda item: -item[1])
        return out


def text_map(image: Image.Image) -> TextMap:
    g = image.convert("L")
    scale = 1.0
    if max(g.size) > MAX_SIDE:
        scale = max(g.size) / MAX_SIDE
        g = g.resize((max(1, round(g.width / scale)), max(1, round(g.height / scale))), Image.Resampling.BOX)
    g = g.filter(ImageFilter.GaussianBlur(0.6))  # sensor noise would otherwise cross every threshold
    a = np.asarray(g, dtype=np.float32)
    if a.shape[0] < WINDOW or a.shape[1] < WINDOW:
        return TextMap(np.zeros((0, 0), dtype=bool), scale)
    win = np.lib.stride_tricks.sliding_window_view(a, (WINDOW, WINDOW))[::STRIDE, ::STRIDE]
    rows, cols = win.shape[:2]
    flat = win.reshape(rows, cols, WINDOW * WINDOW)
    lo = np.percentile(flat, 5, axis=2)
    hi = np.percentile(flat, 95, axis=2)
    contrast = hi - lo
    inbetween = ((flat > (lo + 0.25 * contrast)[..., None]) & (flat < (hi - 0.25 * contrast)[..., None])).mean(axis=2)
    binary = flat > ((lo + hi) / 2)[..., None]
    ink = binary.mean(axis=2)
    ink = np.minimum(ink, 1.0 - ink)
    b = binary.reshape(rows, cols, WINDOW, WINDOW)
    across = (b[..., 1:] != b[..., :-1]).sum(axis=(2, 3)) / WINDOW
    down = (b[:, :, 1:, :] != b[:, :, :-1, :]).sum(axis=(2, 3)) / WINDOW
    mask = (
        (contrast >= 18)
        & (inbetween <= 0.35)
        & (ink >= 0.05)
        & (across + down >= 1.6)
        & (down >= 0.4)  # barcodes and ruled lines cross one way only
        & (across >= 0.4)
        & (across <= 4.5)  # barcode stripes cross more often than letters do
    )
    # Text runs along lines: a window with no text-like neighbour beside it is a stray edge.
    beside = np.zeros_like(mask)
    beside[:, 1:] |= mask[:, :-1]
    beside[:, :-1] |= mask[:, 1:]
    return TextMap(mask & beside, scale)
