"""The optional text classifier: one linear model per category over word and character n-grams.

Patterns see the shapes of identifiers; they miss the ways people phrase a policy problem
("our STS stars put us in the top 10%", "on behalf of the society we oppose ..."). The
classifier reads the whole post and gives each category a score in [0, 1]. Rules use it two
ways, both declared in the packs: `kind: model` reports a category the model is sure of,
and `confirm` drops a fuzzy rule's match when the model finds its category unlikely.

The model is plain data (vocabulary, idf weights, per-category coefficients) in a gzipped
JSON file shipped with the rules, pinned by sha256 in the pack that names it. Scoring needs
only the standard library, so it never pulls in spaCy or numpy. `benchmarks/train_textcat.py`
builds the file from the labelled sets in `eval/posts`, with the same `features` function.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import math
import re
import sys
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass

FORMAT = "postguard-textcat/1"
_WORD = re.compile(r"\w+|[^\w\s]")
_DIGIT = re.compile(r"\d")
_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")
CHAR_SIZES = (2, 3, 4, 5)


class TextcatError(Exception):
    """A model file that is missing, altered or not a postguard model."""


@dataclass(frozen=True)
class Document:
    """What the classifier reads of a post: its words and the few facts policies hinge on."""

    text: str
    alt_text: str = ""
    images: bool = False
    consent: bool = False
    official: bool = False

    def render(self) -> str:
        parts = [self.text]
        # Facts become marker words, so a linear model can weigh them with the wording.
        if self.images:
            parts.append("zzimages")
        if self.consent:
            parts.append("zzconsent")
        if self.alt_text:
            parts.append("zzalt " + self.alt_text)
        parts.append("zzacct_official" if self.official else "zzacct_personal")
        # A one-liner gives the model little to go on: its length lets it learn how little.
        words = len(self.text.split())
        parts.append("zzlen_short" if words < 8 else "zzlen_medium" if words < 25 else "zzlen_long")
        return "\n".join(parts)


def fold(text: str) -> str:
    """Case, width and digit folding: '72 y/o' and '68 Y/O' read alike."""
    return _DIGIT.sub("0", unicodedata.normalize("NFKC", text).casefold())


def features(text: str) -> tuple[Counter[str], Counter[str]]:
    """Word 1-2-grams and within-word character 2-5-grams of the folded text."""
    folded = fold(text)
    words = _WORD.findall(folded)
    word_counts: Counter[str] = Counter(words)
    word_counts.update(a + " " + b for a, b in zip(words, words[1:], strict=False))
    # Folding makes "OR" (the operating room) the word "or": capitalised short words also
    # count as acronyms of their own.
    word_counts.update("^" + w.casefold() for w in _ACRONYM.findall(unicodedata.normalize("NFKC", text)))
    char_counts: Counter[str] = Counter()
    for token in folded.split():
        padded = f" {token} "
        for size in CHAR_SIZES:
            if size > len(padded):
                break
            char_counts.update(padded[i:i + size] for i in range(len(padded) - size + 1))
    return word_counts, char_counts


def tfidf(counts: Counter[str], index: dict[str, int], idf: array) -> dict[int, float]:
    """Sublinear tf times idf over known features, L2-normalised."""
    values = {}
    for feature, count in counts.items():
        position = index.get(feature)
        if position is not None:
            values[position] = (1.0 + math.log(count)) * idf[position]
    norm = math.sqrt(sum(v * v for v in values.values()))
    if norm:
        for position in values:
            values[position] /= norm
    return values


class Textcat:
    """A loaded model: `scores(document)` gives each category's probability."""

    def __init__(self, data: dict) -> None:
        if data.get("format") != FORMAT:
            raise TextcatError(f"not a {FORMAT} model")
        self.categories: tuple[str, ...] = tuple(data["categories"])
        self.trained_on: str = data.get("trained_on", "")
        self._blocks = []
        for block in ("words", "chars"):
            vocab = data[block]["vocab"]
            self._blocks.append(({f: i for i, f in enumerate(vocab)}, _floats(data[block]["idf"])))
        # Coefficients are stored per feature (all categories side by side), so a post's
        # score costs one lookup per feature it contains.
        self._width = len(self.categories)
        self._weights = [_floats(data[block]["weights"]) for block in ("words", "chars")]
        self._bias = [float(b) for b in data["bias"]]
        self._cache: dict[str, dict[str, float]] = {}

    @classmethod
    def load(cls, path: str, sha256: str) -> Textcat:
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
        except OSError as exc:
            raise TextcatError(f"cannot read text model {path}: {exc.strerror}") from None
        digest = hashlib.sha256(raw).hexdigest()
        if digest != sha256.lower():
            raise TextcatError(f"text model {path} has sha256 {digest}, not the pinned {sha256}")
        try:
            return cls(json.loads(gzip.decompress(raw)))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise TextcatError(f"text model {path} is not readable: {exc}") from None

    def scores(self, text: str) -> dict[str, float]:
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        totals = list(self._bias)
        width = self._width
        for (index, idf), weights, counts in zip(self._blocks, self._weights, features(text), strict=True):
            for position, value in tfidf(counts, index, idf).items():
                base = position * width
                for c in range(width):
                    totals[c] += value * weights[base + c]
        result = {cat: _sigmoid(t) for cat, t in zip(self.categories, totals, strict=True)}
        if len(self._cache) > 256:
            self._cache.clear()
        self._cache[text] = result
        return result


def _floats(encoded: str) -> array:
    values = array("f")
    values.frombytes(base64.b64decode(encoded))
    if sys.byteorder == "big":
        values.byteswap()
    return values


def encode_floats(values: list[float]) -> str:
    """The inverse of `_floats`, for the training script: little-endian float32, base64."""
    packed = array("f", values)
    if sys.byteorder == "big":
        packed.byteswap()
    return base64.b64encode(packed.tobytes()).decode("ascii")


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)
