from __future__ import annotations

import re

from postguard.model import Box


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def contains(text: str, expected: str) -> bool:
    return norm(expected) in norm(text)


def inside(inner: Box, outer: Box, slack: int = 12) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return x >= ox - slack and y >= oy - slack and x + w <= ox + ow + slack and y + h <= oy + oh + slack
