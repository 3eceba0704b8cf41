"""A normalised view of text that still knows where every character came from.

Rules match the normalised view so that Unicode tricks cannot slip a post through:
compatibility forms are folded (full-width and other Unicode digits become ASCII,
ligatures split), accents and invisible characters (zero-width spaces, joiners,
direction marks, soft hyphens, variation selectors) are dropped, Latin lookalike letters
from Cyrillic and Greek are folded to Latin, dashes and quotes are unified, and
letter-spaced runs such as `M R N 4 5 1 2` are closed up; then `rewrites.py` turns spelled-out
numbers and dates into digits and closes up obfuscated emails. Each normalised character
keeps the original offsets it came from, so a finding points into the original file.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

from postguard.engine.rewrites import apply_rewrites

# Cyrillic and Greek capitals/smalls, and small-capital letters, that render like Latin ones.
_CONFUSABLES = str.maketrans(
    "АВЕКМНОРСТХУаеорсухіјѕԁɡΑΒΕΖΗΙΚΜΝΟΡΤΧΥοικνρτυχᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ",
    "ABEKMHOPCTXYaeopcyxijsdgABEZHIKMNOPTXYoikvptuxabcdefghijklmnoprstuvwyz",
)
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
           "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"'}

# Four or more single letters/digits separated by a space, or by one dot, dash, slash or
# underscore with optional spaces around it ("M R N 4 5 1", "7 7 3 . 5 5 5").
_SPACED_RUN = regex.compile(r"(?<![\w])\w(?:(?: ?[._\-/:–] ?| )\w(?![\w])){3,}")


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Cf" or "\ufe00" <= char <= "\ufe0f" or char == "\u034f":
        return ""
    if char in "\n\t":
        return char
    if category == "Nd":
        return str(unicodedata.decimal(char))
    if category in ("Zs", "Cc") and char != "\n":
        return " " if category == "Zs" or char == "\r" else char
    if category in ("Zl", "Zp"):
        return "\n"
    if category == "Pd" or char == "\u2212":
        return "-"
    if char in _QUOTES:
        return _QUOTES[char]
    folded = unicodedata.normalize("NFKD", char)
    folded = "".join(c for c in folded if unicodedata.category(c) != "Mn")
    folded = folded.translate(_CONFUSABLES)
    # NFKD can yield further Unicode digits (e.g. circled numbers): fold them too.
    return "".join(str(unicodedata.decimal(c)) if unicodedata.category(c) == "Nd" else c for c in folded)


@dataclass(frozen=True)
class NormalizedText:
    """`text` is what rules match; `starts[i]`/`ends[i]` are the original offsets of `text[i]`."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span [start, end) back to the original string."""
        if not self.text:
            return (0, 0)
        start = min(max(start, 0), len(self.text) - 1)
        end = min(max(end, start + 1), len(self.text))
        return self.starts[start], self.ends[end - 1]


def normalize(original: str) -> NormalizedText:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(original):
        if char.isascii() and char not in "\r\x0b\x0c":
            # Fast path: plain ASCII maps to itself.
            chars.append(char)
            starts.append(index)
            ends.append(index + 1)
            continue
        for out in fold_char(char):
            chars.append(out)
            starts.append(index)
            ends.append(index + 1)
    text = "".join(chars)
    # Close up letter-spaced runs; drop the separators but keep the offsets of the rest.
    drop: set[int] = set()
    for run in _SPACED_RUN.finditer(text):
        for gap in regex.finditer(r"[^\w]+", run.group(0)):
            a, b = run.start() + gap.start(), run.start() + gap.end()
            keep_space = "." in gap.group(0) and gap.group(0).endswith(" ") and text[b].isupper()
            # "M-r-s. K-o-w-a-l-s-k-i", "0-4-2. I wrote": a full stop and a space before a capital end a word.
            drop.update(range(a, b - 1) if keep_space else range(a, b))
    if drop:
        keep = [i for i in range(len(text)) if i not in drop]
        text = "".join(text[i] for i in keep)
        starts = [starts[i] for i in keep]
        ends = [ends[i] for i in keep]
    text, starts, ends = apply_rewrites(text, starts, ends)
    return NormalizedText(original, text, tuple(starts), tuple(ends))

