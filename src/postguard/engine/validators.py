"""Named checks on a matched value, referenced from packs by name (`validator: ssn`).

Each takes the matched value as normalised text and says whether it is plausibly real;
a pack cannot define code, only pick from this registry.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_DIGITS = re.compile(r"\d")


def digits(value: str) -> str:
    return "".join(_DIGITS.findall(value))


def ssn(value: str) -> bool:
    """US SSN issuance rules: no area 000, 666 or 9xx, no group 00, no serial 0000."""
    d = digits(value)
    if len(d) != 9:
        return False
    area, group, serial = d[:3], d[3:5], d[5:]
    return area not in ("000", "666") and not area.startswith("9") and group != "00" and serial != "0000"


def luhn(value: str) -> bool:
    d = digits(value)
    if len(d) < 2:
        return False
    total = 0
    for index, char in enumerate(reversed(d)):
        n = int(char)
        if index % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def nanp_phone(value: str) -> bool:
    """North American numbers: 10 digits (or 11 with a leading 1), area and exchange not 0/1."""
    d = digits(value)
    if len(d) == 11 and d[0] == "1":
        d = d[1:]
    return len(d) == 10 and d[0] not in "01" and d[3] not in "01"


def phone(value: str) -> bool:
    """A North American number, or a trunk-prefixed / international one of 9 to 13 digits."""
    if nanp_phone(value):
        return True
    stripped = value.strip()
    d = digits(stripped.replace("(0)", ""))  # "+44 (0)20 …": the bracketed trunk 0 is not dialled
    return (stripped.startswith("+") or d.startswith("0")) and 9 <= len(d) <= 13 and len(set(d)) > 2


def record_number(value: str) -> bool:
    """An identifier with at least five digits that is not one digit repeated or a plain year."""
    d = digits(value)
    if len(d) < 5 or len(set(d)) == 1:
        return False
    return True


def age(value: str) -> bool:
    d = digits(value)
    return bool(d) and 1 <= int(d) <= 120  # "(0)" is a trunk prefix or a count, not an age


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "ssn": ssn,
    "luhn": luhn,
    "nanp_phone": nanp_phone,
    "phone": phone,
    "record_number": record_number,
    "age": age,
}
