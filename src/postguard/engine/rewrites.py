"""Rewrites of the folded text that undo how people spell identifiers out.

Spelled-out numbers become digits ("seventy-nine" is 79, "nine one nine, five five five" is
919-555, "four-twelve" is 412), spelled dates and years too ("the fourth of July, nineteen
forty-one"), obfuscated emails are closed up ("name (at) mail (dot) com", "name @ mail .
com"), and so are spaced initials ("J . R .") and letters split by dashes ("M-r-s"). The
new characters point at the whole original match, so findings still land on the words.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

_DIGIT_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_TEENS = {w: str(10 + i) for i, w in enumerate(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: str(20 + 10 * i) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_DIGIT = "(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
# Three or more digit words in a row: a number read out ("nine one nine, five five five");
# a leading "oh" only when tied by a dash ("oh-four-one-nine"), not "oh, one more thing".
_DIGIT_RUN = regex.compile(rf"(?i)(?<![\w])(?!oh\b(?!-)){_DIGIT}(?:[\s,.\-]{{1,3}}{_DIGIT}(?![\w])){{2,}}")
# "seventy-nine", "forty two", "fourteen": one number each.
_NUMBER_WORD = regex.compile(
    rf"(?i)(?<![\w\-])(?:(?P<tens>{'|'.join(_TENS)})(?:[\s\-](?P<unit>{_DIGIT.replace('zero|oh|', '')}))?"
    rf"|(?P<teen>{'|'.join(_TEENS)}))(?![\w])(?![\s\-]?something)"
)
# "four-twelve", "five-oh-two" style room numbers: a digit word tied to a number word.
_ROOM_WORDS = regex.compile(
    rf"(?i)(?<![\w\-])(?P<lead>{_DIGIT.replace('zero|oh|', '')})-(?P<rest>(?:{'|'.join(_TEENS)}|(?:{'|'.join(_TENS)})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?))(?![\w\-])"
)
# Spaced initials "J . R ." and letters split by dashes or dots "M-r-s" are closed up.
_SPACED_INITIALS = regex.compile(r"(?<![\w])(?-i:[A-Z])(?:\s*\.\s*(?-i:[A-Z])){1,2}\s*\.(?![\w])")
_SHORT_SPLIT = regex.compile(r"(?<![\w\-.])[A-Za-z](?:[\-.][A-Za-z]){2}(?![\w\-])")
_ORDINALS = {w: str(i + 1) for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
_ORDINALS.update({f"twenty-{w}": str(20 + int(n)) for w, n in list(_ORDINALS.items())[:9]})
_ORDINALS.update({"thirtieth": "30", "thirty-first": "31"})
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
# "the fourth of July", "fourteenth of Nov": a spelled day of a month.
_ORDINAL_DAY = regex.compile(
    rf"(?i)(?<![\w\-])(?P<day>{'|'.join(sorted(_ORDINALS, key=len, reverse=True))})(?=\s+of\s+(?:{_MONTHS}))"
)
# "nineteen forty-one" is 1941, "twenty-twenty" is 2020, "oh-four" / "zero three" is 04 / 03.
_YEAR_WORDS = regex.compile(
    rf"(?i)(?<![\w\-])(?P<century>nineteen|twenty)[\s\-](?P<rest>(?:{'|'.join(_TENS)})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|(?:{'|'.join(_TEENS)})|oh[\s\-](?:one|two|three|four|five|six|seven|eight|nine))(?![\w\-])"
)
# "fourteen-oh-two" is 1402, "forty oh six" is 4006 (house and room numbers).
_HUNDRED_OH = regex.compile(
    rf"(?i)(?<![\w\-])(?P<lead>(?:{'|'.join(_TENS)})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|(?:{'|'.join(_TEENS)}))[\s\-](?:oh|zero)[\s\-](?P<d>one|two|three|four|five|six|seven|eight|nine)(?![\w\-])"
)
_ZERO_DIGIT = regex.compile(r"(?i)(?<![\w\-])(?:oh|zero)[\s\-](?P<d>one|two|three|four|five|six|seven|eight|nine)(?![\w\-])")
# "name (at) mail (dot) com", "name [at] mail [dot] org", "name at mail dot com", "name @ mail . com".
_AT_DOT = regex.compile(
    r"(?i)(?<=\w)(?:\s*[(\[{<]\s*(?P<at>at)\s*[)\]}>]\s*|\s*[(\[{<]\s*(?P<dot>dot)\s*[)\]}>]\s*"
    r"|\s+(?P<at>at)\s+(?=[\w\-]+\s+dot\s+\w)|\s+(?P<dot>dot)\s+(?=(?:com|org|net|edu|gov|co|uk|ca|au|us|io|me|info)\b)"
    r"|\s+(?P<at>@)\s+(?=[\w\-]+\s*\.\s*\w)|(?<=@\s*[\w\-]+)\s+(?P<dot>\.)\s+(?=(?:com|org|net|edu|gov|co|uk|ca|au|us|io|me|info)\b))(?=\w)"
)


def _spell_digits(match: regex.Match[str]) -> str:
    out = []
    for piece in regex.split(r"([\s,.\-]+)", match.group(0)):
        if piece.lower() in _DIGIT_WORDS:
            out.append(_DIGIT_WORDS[piece.lower()])
        elif regex.search(r"[,.]|\s-|-\s", piece):
            out.append("-")
    return "".join(out)


def _number_word(match: regex.Match[str]) -> str:
    if match.group("teen"):
        return _TEENS[match.group("teen").lower()]
    tens = _TENS[match.group("tens").lower()]
    unit = match.group("unit")
    return tens[0] + _DIGIT_WORDS[unit.lower()] if unit else tens


def _room_words(match: regex.Match[str]) -> str:
    lead = _DIGIT_WORDS[match.group("lead").lower()]
    rest = _NUMBER_WORD.sub(_number_word, match.group("rest").replace("-", " "))
    return lead + rest


def _close_up(match: regex.Match[str]) -> str:
    return regex.sub(r"[\s\-]", "", match.group(0))


def _ordinal_day(match: regex.Match[str]) -> str:
    number = _ORDINALS[match.group("day").lower()]
    return number + {"1": "st", "2": "nd", "3": "rd"}.get(number[-1] if number not in ("11", "12", "13") else "", "th")


def _year_words(match: regex.Match[str]) -> str:
    century = "19" if match.group("century").lower() == "nineteen" else "20"
    rest = match.group("rest").lower()
    if rest.startswith("oh"):
        return century + "0" + _DIGIT_WORDS[rest[3:]]
    return century + _NUMBER_WORD.sub(_number_word, rest)


def _hundred_oh(match: regex.Match[str]) -> str:
    lead = _NUMBER_WORD.sub(_number_word, match.group("lead").replace("-", " "))
    return lead + "0" + _DIGIT_WORDS[match.group("d").lower()]


def _zero_digit(match: regex.Match[str]) -> str:
    return "0" + _DIGIT_WORDS[match.group("d").lower()]


def _at_dot(match: regex.Match[str]) -> str:
    return "@" if match.group("at") else "."


_REWRITES = (
    (_SPACED_INITIALS, _close_up),
    (_SHORT_SPLIT, _close_up),
    (_DIGIT_RUN, _spell_digits),
    (_ORDINAL_DAY, _ordinal_day),
    (_YEAR_WORDS, _year_words),
    (_HUNDRED_OH, _hundred_oh),
    (_ZERO_DIGIT, _zero_digit),
    (_ROOM_WORDS, _room_words),
    (_NUMBER_WORD, _number_word),
    (_AT_DOT, _at_dot),
)


def apply_rewrites(text: str, starts: list[int], ends: list[int]) -> tuple[str, list[int], list[int]]:
    for pattern, rewrite in _REWRITES:
        text, starts, ends = _rewrite(text, starts, ends, pattern, rewrite)
    return text, starts, ends


def _rewrite(text: str, starts: list[int], ends: list[int], pattern: regex.Pattern[str],
             rewrite: Callable[[regex.Match[str]], str]) -> tuple[str, list[int], list[int]]:
    """Replace each match; the new characters all point at the whole original match."""
    pieces: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        a, b = match.span()
        if a == b:
            continue
        out = rewrite(match)
        pieces.append(text[last:a])
        new_starts.extend(starts[last:a])
        new_ends.extend(ends[last:a])
        pieces.append(out)
        new_starts.extend([starts[a]] * len(out))
        new_ends.extend([ends[b - 1]] * len(out))
        last = b
    if not pieces:
        return text, starts, ends
    pieces.append(text[last:])
    new_starts.extend(starts[last:])
    new_ends.extend(ends[last:])
    return "".join(pieces), new_starts, new_ends
