"""One field's text as rules see it: normalised, tokenised, split into sentences.

Everything is computed lazily and once per field, however many rules look at it.
"""

from __future__ import annotations

import bisect
from functools import cached_property

import regex

from postguard.engine.normalize import NormalizedText, normalize
from postguard.engine.terms import compile_terms
from postguard.model import TextField

_TOKEN = regex.compile(r"\w+(?:'\w+)*|[^\w\s]")
_BOUNDARY = regex.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*")
# Words whose trailing dot does not end a sentence.
_ABBREVIATIONS = frozenset(
    "dr mr mrs ms mx st rm pt pts vs no nos approx dept jr sr prof e.g i.e etc yo y.o yrs yr hr hrs min mins "
    "sen rep gov gen lt col capt sgt rev hon fig ave blvd rd apt ste".split()
)


class TextView:
    def __init__(self, field: TextField) -> None:
        self.field = field
        self.norm: NormalizedText = normalize(field.value)
        self.text = self.norm.text
        self._set_hits: dict[str, list[tuple[int, int]]] = {}

    @cached_property
    def token_starts(self) -> list[int]:
        return [m.start() for m in _TOKEN.finditer(self.text)]

    def token_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.token_starts, offset) - 1)

    @cached_property
    def sentence_starts(self) -> list[int]:
        starts = [0]
        for match in _BOUNDARY.finditer(self.text):
            if "\n" not in match.group(0):
                word = regex.search(r"([\w.]+)\.[\"')\]]*$", self.text[: match.start()][-24:])
                if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1).replace(".", "")) == 1):
                    continue
            starts.append(match.end())
        return starts

    def sentence_span(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.sentence_starts, offset) - 1
        start = self.sentence_starts[index]
        end = self.sentence_starts[index + 1] if index + 1 < len(self.sentence_starts) else len(self.text)
        return start, end

    def hits(self, set_name: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
        """Spans where any term of a named set occurs in this field."""
        if set_name not in self._set_hits:
            pattern = compile_terms(terms)
            self._set_hits[set_name] = [m.span() for m in pattern.finditer(self.text)] if pattern else []
        return self._set_hits[set_name]
