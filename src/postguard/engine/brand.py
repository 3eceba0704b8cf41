"""Brand terms inside handles and display names (contract section 5).

A term longer than three letters is found in the handle with case and separators
ignored (`Lakeshore` in `@lakeshorenurse`); a short one (`LSH`) only as a whole part,
between separators or case changes (`@LSH_Jo`, not `@flashcards`), or spelled out letter
by letter (`L.S.H.`, `L_S_H`). Look-alike digits and letters count as the letter they
imitate (`L4keshore`, `1akeshore`, `AIamito` with a capital I).
"""

from __future__ import annotations

import regex

_PART = regex.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_CAPS_RUN = regex.compile(r"(?<![A-Z])[A-Z]{2,}(?=[a-z])")
# Single letters joined by dots, underscores, dashes or spaces: "B.G.H.", "A_V_H".
_SPELLED = regex.compile(r"(?<![^\W_])[^\W_](?:[._\-\s][^\W_](?![^\W_])){1,5}")
# Characters handles use in place of letters; i and l are told apart by nobody.
_LOOKALIKE = str.maketrans({"1": "l", "i": "l", "|": "l", "!": "l", "0": "o", "4": "a", "@": "a",
                            "3": "e", "5": "s", "$": "s", "7": "t"})


def _skeleton(text: str) -> str:
    return text.lower().translate(_LOOKALIKE)


def _compact(text: str) -> tuple[str, list[int]]:
    chars, index = [], []
    for i, char in enumerate(text):
        if char.isalnum():
            chars.append(char.lower())
            index.append(i)
    return "".join(chars), index


def find_brand(value: str, terms: tuple[str, ...]) -> tuple[int, int] | None:
    """Span of the first brand term in `value`, or None."""
    compact, index = _compact(value)
    skeleton = _skeleton(compact)
    parts = [(m.group(0), m.start(), m.end()) for m in _PART.finditer(value)]
    # "HRHnightnurse": a run of capitals before lower case is a part of its own too.
    parts += [(m.group(0), m.start(), m.end()) for m in _CAPS_RUN.finditer(value)]
    parts += [(regex.sub(r"[._\-\s]", "", m.group(0)), m.start(), m.end()) for m in _SPELLED.finditer(value)]
    for term in sorted(terms, key=len, reverse=True):
        wanted, _ = _compact(term)
        if not wanted:
            continue
        wanted = _skeleton(wanted)
        if len(wanted) > 3:
            at = skeleton.find(wanted)
            if at >= 0:
                return index[at], index[at + len(wanted) - 1] + 1
        else:
            for text, start, end in parts:
                if _skeleton(text) == wanted:
                    return start, end
    return None
