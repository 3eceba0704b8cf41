"""The compiled form of a rule, as the matchers use it. Built only by `engine.pack`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex

from postguard.model import Severity

KINDS = ("pattern", "terms", "entity", "metadata", "timing", "post", "model", "image-metadata", "input")
# Categories whose matched text is an identifier: masked in every report by default.
MASKED_CATEGORIES = frozenset(
    {"patient-name", "mrn", "patient-age", "date", "contact", "government-id", "location", "image-metadata"}
)
TEXT_FIELDS = ("text", "alt_text", "link", "image-text", "image-metadata")


@dataclass(frozen=True)
class Policy:
    source: str
    quote: str


@dataclass(frozen=True)
class Proximity:
    """Terms of these sets within `within` tokens, or in the same 'sentence' / 'post'."""

    sets: tuple[str, ...]
    within: int | str  # an int: tokens either side; "sentence"; "field"; "post"


@dataclass(frozen=True)
class When:
    """Post-level conditions; None means 'either way'."""

    account: str | None = None
    images: bool | None = None
    consent: bool | None = None
    mentions: tuple[str, ...] = ()  # a term of each listed set appears somewhere in the post
    mentions_any: tuple[str, ...] = ()  # a term of at least one listed set appears
    unless_mentions: tuple[str, ...] = ()  # no term of these sets may appear anywhere


@dataclass(frozen=True)
class Confirm:
    """A model rule's check on other rules: their matches of its category in the post's
    text and alt text stand only when the model scores the category at least `min_score`."""

    packs: tuple[str, ...]
    min_score: float


@dataclass(frozen=True)
class Example:
    """A post that must (or must not) trigger the rule: text plus optional metadata."""

    text: str
    meta: dict[str, Any]
    line: int
    file: str | None = None  # for input rules: a file name and its raw content
    content: bytes | None = None


@dataclass
class Rule:
    id: str
    category: str
    severity: Severity
    message: str
    policy: Policy
    kind: str
    description: str
    pack: str
    source_file: str
    line: int
    fields: tuple[str, ...] = TEXT_FIELDS
    near: tuple[Proximity, ...] = ()
    not_near: tuple[Proximity, ...] = ()
    when: When = When()
    mask: bool = True
    # pattern / terms / entity
    pattern: regex.Pattern[str] | None = None
    pattern_source: str = ""
    terms: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    validator: str | None = None
    exclude: tuple[regex.Pattern[str], ...] = ()
    preceded_by: regex.Pattern[str] | None = None  # must match the text just before
    not_preceded_by: regex.Pattern[str] | None = None
    not_followed_by: regex.Pattern[str] | None = None
    allow: tuple[str, ...] = ()  # sets whose entries, when equal to the match, clear it
    value_in: tuple[str, ...] = ()  # sets one of whose entries the match must equal
    # metadata
    test: str | None = None
    # timing
    max_days: int | None = None
    # model: a text model named in the pack's `models`, the score to report at, and
    # optionally the confirmation it gives other rules of its category
    model: str | None = None
    min_score: float | None = None
    confirm: Confirm | None = None
    examples_flag: tuple[Example, ...] = ()
    examples_pass: tuple[Example, ...] = ()
    enabled: bool = True
    # A signed release (`consent`) lowers these findings to this severity instead of
    # dropping them: the reviewer still sees a named or aged patient.
    consent_severity: Severity | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def needs_nlp(self) -> bool:
        return self.kind == "entity"
