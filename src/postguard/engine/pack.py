"""Rule packs: YAML files validated on load into `Rule`s.

Errors name the file and line (`rules/phi.yaml:42: rule phi.mrn: ...`) and end the run
with exit 2 before anything is checked. Patterns are compiled here, with two macros:
`{digits:N,M}` (N to M digits, each optionally split by one space, dot, dash or slash, so
`451-23 87` is caught) and `{set:NAME}` (the terms of a named set as an alternation).
"""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass, field
from typing import Any, NoReturn

import regex

from postguard.config import ModelFile, is_sha256
from postguard.engine.normalize import fold_char
from postguard.engine.rule import (
    KINDS,
    MASKED_CATEGORIES,
    TEXT_FIELDS,
    Confirm,
    Example,
    Policy,
    Proximity,
    Rule,
    When,
)
from postguard.engine.terms import terms_source
from postguard.engine.validators import VALIDATORS
from postguard.errors import RuleError
from postguard.model import CATEGORIES, Severity
from postguard.schema import Section
from postguard.yamlsafe import YamlError, load_yaml

RULE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$")
SET_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)?$")
_MACRO = re.compile(r"\{(digits|set):([^}]*)\}|\{(date|phone|address)\}")
# Shapes used by several packs, written once.
_DATE = (
    # "3/14" alone is a date; "6-8" or "1.5" alone are not: dashes and dots need a year.
    r"(?:\d{1,2}/\d{1,2}(?:/(?:\d{4}|\d{2}))?(?![\d/])|\d{1,2}\s/\s\d{1,2}\s/\s(?:\d{4}|\d{2})(?![\d/])|\d{1,2}[\-.]\d{1,2}[\-.](?:\d{4}|\d{2})(?![\d\-.])|\d{4}-\d{1,2}-\d{1,2}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?(?![\w])"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?:,?\s+\d{4})?(?![\w])"
    r"|\d{1,2}-(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*-(?:\d{4}|\d{2})(?![\w])"
    r"|the\s+\d{1,2}(?:st|nd|rd|th)(?![\w])"
    r"|(?:christmas|boxing|new\s+year'?s|thanksgiving|halloween|valentine'?s|easter|independence|labou?r|memorial|mother'?s|father'?s)\s+(?:day|eve)(?:,?\s+\d{4})?(?![\w])"
    r"|\d{1,2}\s+de\s+(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)(?:\s+de\s+\d{4})?(?![\w]))"
)
_PHONE = (
    # North American numbers, and the trunk-prefixed or +country forms used elsewhere
    # (07911 443 208, 0412 558 903, 02 9555 0183, +44 20 7946 0958).
    # The last digits may be read in pairs ("520 613 44 02", "0417 22 88 91").
    r"(?<![\w+])(?P<value>(?:\+?1[\s.\-]?)?\(?[2-9]\d{2}\)?[\s.\-]?[2-9]\d{2}[\s.\-]?(?:\d{4}|\d\d[\s.\-]\d\d)"
    r"|(?:\+\d{2,3}[\s.\-]?(?:\(0\)[\s.\-]?|\(?0?\)?)|0)\d{1,5}(?:[\s.\-]?\d{3,5}(?:[\s.\-]?\d{3,4})?|(?:[\s.\-]\d\d){3}))(?![\w\-])"
)
# Always case-sensitive: street names are told by their capitals.
_ADDRESS = (
    r"(?-i:(?<![\w])(?P<value>\d{1,6}\s+(?:(?:[NS][EW]|[NSEW])\.?\s+)?(?:[A-Z][a-z]+\s+){1,3}"
    r"(?i:st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|ln|lane|ct|court|way|pl|place|ter|terrace"
    r"|pkwy|parkway|cir|circle|hwy|highway|trl|trail|cres|crescent|close|grove|gardens|row|square|sq|mews)\.?(?:,?\s*(?i:apt|apartment|unit|\#)\s*\w+)?)(?![\w])"
    # Street types written first: "4417 E Calle Aurora", "12 rue des Lilas", "88 Jalan Besar".
    r"|(?-i:(?<![\w])(?P<value>\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:Calle|Avenida|Av\.|Camino|Paseo|Callejón|Rua|Rue|Via|Viale|Jalan|Jl\.)\s+(?:[A-Za-zÀ-ÿ]+\s+)?[A-ZÀ-Þ][a-zà-ÿ]+))(?![\w])"
    r"|(?i:(?<![\w])p\.?\s?o\.?\s+box\s+)(?P<value>\d{1,6})(?![\w])"
    r"|(?i:(?<![\w])(?:flat|apt|apartment|unit)\s+)(?P<value>\d{1,4}[A-Z]?,\s+(?:[A-Z][a-z]+\s+){1,3}(?i:st|street|rd|road|ave|avenue|lane|nagar|colony|apartments|towers|residency|heights|court|house|block))(?![\w])"
    r"|(?i:address(?:\s+on\s+file)?(?:\s+is)?\s*[:\-]?\s*)(?P<value>\d{1,6}\s+(?:(?:[NS][EW]|[NSEW])\.?\s+)?[A-Z][a-z]+"
    r"(?:\s+[A-Z][a-z]+){0,2}(?:\s*\#\s*\w+)?)(?![\w]))"
)
_NAMED = {"date": _DATE, "phone": _PHONE, "address": _ADDRESS}
RULE_KEYS = (
    "id", "category", "severity", "message", "policy", "kind", "description", "fields", "near",
    "not_near", "when", "mask", "pattern", "ignore_case", "terms", "sets", "labels", "validator",
    "exclude", "preceded_by", "not_preceded_by", "not_followed_by", "allow", "value_in", "test", "max_days", "examples",
    "consent_severity", "model", "min_score", "confirm",
)
EXAMPLE_META_KEYS = (
    "text", "platform", "account", "handle", "display_name", "bio", "scheduled", "case_date",
    "consent", "images", "alt_text", "ignore", "file", "content", "content_hex", "image_text",
)
FIELD_NAMES = TEXT_FIELDS + ("bio", "handle", "display_name")
METADATA_TESTS = ("contains-brand", "lacks-terms", "has-terms")
# Strings that make a backtracking-prone pattern blow up; tried on custom packs at load.
_ADVERSARIAL = ("a" * 3000 + "!", "1" * 3000 + "!", "a " * 1500 + "!", "-" * 3000 + "!")


@dataclass
class Pack:
    name: str
    description: str
    path: str
    sets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    example_config: dict[str, Any] = field(default_factory=dict)
    builtin: bool = False
    models: dict[str, ModelFile] = field(default_factory=dict)  # text models, by name


def _failer(path: str) -> Any:
    def fail(message: str, line: int) -> NoReturn:
        raise RuleError(f"{path}:{line}: {message}")

    return fail


def load_pack(path: str, text: str, *, builtin: bool = False) -> Pack:
    """Parse and validate one pack; patterns are compiled later, once all sets are known."""
    fail = _failer(path)
    try:
        data = load_yaml(text)
    except YamlError as exc:
        fail(exc.message, exc.line or 1)
    top = Section(data, "pack", 1, fail)
    top.refuse_unknown(("pack", "description", "sets", "models", "rules", "example_config"))
    name = top.string("pack", required=True) or ""
    pack = Pack(name=name, description=top.string("description", default="") or "", path=path, builtin=builtin)
    sets = top.section("sets")
    if sets is not None:
        for set_name in sets.data:
            if not isinstance(set_name, str) or not SET_NAME.match(set_name) or set_name.startswith("config."):
                sets.error(str(set_name), "is not a valid set name (lower case, digits, underscores)")
            pack.sets[set_name] = sets.strings(set_name, allow_single=False)
    pack.models = _models(top, path)
    example_config = top.raw("example_config")
    if example_config is not None:
        if not isinstance(example_config, dict):
            top.error("example_config", "must be a mapping (the config used by this pack's examples)")
        pack.example_config = example_config
    items = top.items("rules")
    if not items and not pack.sets:
        fail("pack: 'rules' must list at least one rule (or the pack must define 'sets')", top.line)
    for raw_rule, line in items:
        pack.rules.append(_parse_rule(raw_rule, line, pack, fail))
    return pack


def _models(top: Section, path: str) -> dict[str, ModelFile]:
    """`models: {NAME: {file: PATH, sha256: HEX}}`, files relative to the pack."""
    models = top.section("models")
    if models is None:
        return {}
    result = {}
    folder = os.path.dirname(os.path.abspath(path))
    for name in models.data:
        sub = models.section(str(name))
        if sub is None or not SET_NAME.match(str(name)):
            models.error(str(name), "must be a model name (lower case) with {file, sha256}")
        assert sub is not None
        sub.refuse_unknown(("file", "sha256"))
        digest = (sub.string("sha256", required=True) or "").lower()
        if not is_sha256(digest):
            sub.error("sha256", "must be the 64 hex digits of the model file's sha256")
        result[str(name)] = ModelFile(os.path.join(folder, sub.string("file", required=True) or ""), digest)
    return result


def _parse_rule(data: Any, line: int, pack: Pack, fail: Any) -> Rule:
    rule_id = data.get("id") if isinstance(data, dict) else None
    section = Section(data, f"rule {rule_id or '(no id)'}", line, fail)
    section.refuse_unknown(RULE_KEYS)
    rule_id = section.string("id", required=True) or ""
    if not RULE_ID.match(rule_id):
        section.error("id", "must look like 'pack.name' (lower case, dots between parts)")
    category = section.string("category", required=True, choices=CATEGORIES) or ""
    severity = Severity(section.string("severity", required=True, choices=[s.value for s in Severity]))
    kind = section.string("kind", required=True, choices=KINDS) or ""
    policy_section = section.section("policy")
    if policy_section is None:
        section.error("policy", "is required: the guideline passage this rule enforces ({source, quote})")
    policy_section.refuse_unknown(("source", "quote"))
    policy = Policy(policy_section.string("source", required=True) or "", policy_section.string("quote", required=True) or "")
    fields = section.strings("fields") or (TEXT_FIELDS if kind in ("pattern", "terms", "entity") else ())
    for name in fields:
        if name not in FIELD_NAMES:
            section.error("fields", f"has unknown field '{name}' (known: {', '.join(FIELD_NAMES)})")
    rule = Rule(
        id=rule_id,
        category=category,
        severity=severity,
        message=section.string("message", required=True) or "",
        policy=policy,
        kind=kind,
        description=(section.string("description", default="") or "").strip(),
        pack=pack.name,
        source_file=pack.path,
        line=section.line,
        fields=tuple(fields),
        near=_proximities(section, "near"),
        not_near=_proximities(section, "not_near"),
        when=_when(section),
        mask=bool(section.boolean("mask", default=category in MASKED_CATEGORIES)),
        terms=section.strings("terms"),
        sets=section.strings("sets"),
        labels=section.strings("labels"),
        validator=section.string("validator"),
        allow=section.strings("allow"),
        value_in=section.strings("value_in"),
        test=section.string("test", choices=METADATA_TESTS),
        max_days=section.integer("max_days", minimum=1),
        model=section.string("model"),
        min_score=_score(section, "min_score"),
        confirm=_confirm(section),
    )
    consent_severity = section.string("consent_severity", choices=[s.value for s in Severity])
    rule.consent_severity = Severity(consent_severity) if consent_severity else None
    rule.pattern_source = section.string("pattern") or ""
    rule.extra = {
        "ignore_case": section.boolean("ignore_case", default=True),
        "exclude": section.strings("exclude"),
        "preceded_by": section.string("preceded_by"),
        "not_preceded_by": section.string("not_preceded_by"),
        "not_followed_by": section.string("not_followed_by"),
        "lines": {key: section.line_of(key) for key in section.data},
    }
    if rule.validator and rule.validator not in VALIDATORS:
        section.error("validator", f"names no known validator (known: {', '.join(sorted(VALIDATORS))})")
    _check_kind(rule, section, pack)
    rule.examples_flag, rule.examples_pass = _examples(section)
    return rule


def _check_kind(rule: Rule, section: Section, pack: Pack) -> None:
    need = {
        "pattern": ("pattern",),
        "terms": (),
        "entity": ("labels",),
        "image-metadata": ("labels",),
        "metadata": ("fields", "test"),
        "timing": ("max_days",),
        "model": ("model", "min_score"),
    }.get(rule.kind, ())
    for key in need:
        if not section.has(key):
            section.error(key, f"is required for kind '{rule.kind}'")
    for key in ("model", "min_score", "confirm"):
        if rule.kind != "model" and section.has(key):
            section.error(key, f"only applies to kind 'model', not '{rule.kind}'")
    if rule.kind == "model" and rule.model not in pack.models:
        section.error("model", f"names no model in this pack's 'models' (known: {', '.join(sorted(pack.models)) or 'none'})")
    if rule.kind == "terms" and not (rule.terms or rule.sets):
        section.error("terms", "or 'sets' is required for kind 'terms'")
    if rule.kind not in ("pattern", "metadata") and section.has("pattern"):
        section.error("pattern", f"only applies to kinds 'pattern' and 'metadata', not '{rule.kind}'")
    if rule.kind == "metadata" and rule.test in ("lacks-terms", "has-terms") and not (
        rule.terms or rule.sets or section.has("pattern")
    ):
        section.error("test", f"'{rule.test}' needs 'terms', 'sets' or 'pattern'")


def _score(section: Section, key: str) -> float | None:
    value = section.raw(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        section.error(key, "must be a score between 0 and 1")
    return float(value)


def _confirm(section: Section) -> Confirm | None:
    sub = section.section("confirm")
    if sub is None:
        return None
    sub.refuse_unknown(("packs", "min_score"))
    packs = sub.strings("packs")
    if not packs:
        sub.error("packs", "must name the packs whose matches the model confirms")
    score = _score(sub, "min_score")
    if score is None:
        sub.error("min_score", "is required: matches scored below it are dropped")
    assert score is not None
    return Confirm(packs, score)


def _proximities(section: Section, key: str) -> tuple[Proximity, ...]:
    result = []
    for item, line in section.items(key):
        sub = Section(item, f"{section.where}.{key}", line, section.fail)
        sub.refuse_unknown(("sets", "within"))
        sets = sub.strings("sets")
        if not sets:
            sub.error("sets", "must name at least one term set")
        within = sub.raw("within", "sentence")
        if not (within in ("sentence", "field", "post") or (isinstance(within, int) and not isinstance(within, bool) and within > 0)):
            sub.error("within", "must be a number of tokens, 'sentence', 'field' or 'post'")
        result.append(Proximity(sets, within))
    return tuple(result)


def _when(section: Section) -> When:
    sub = section.section("when")
    if sub is None:
        return When()
    sub.refuse_unknown(("account", "images", "consent", "mentions", "mentions_any", "unless_mentions"))
    return When(
        account=sub.string("account", choices=("personal", "official")),
        images=sub.boolean("images"),
        consent=sub.boolean("consent"),
        mentions=sub.strings("mentions"),
        mentions_any=sub.strings("mentions_any"),
        unless_mentions=sub.strings("unless_mentions"),
    )


def _examples(section: Section) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
    sub = section.section("examples")
    if sub is None:
        section.error("examples", "are required: posts that must ('flag') and must not ('pass') be flagged")
    sub.refuse_unknown(("flag", "pass"))
    out: dict[str, list[Example]] = {"flag": [], "pass": []}
    for key in ("flag", "pass"):
        items = sub.items(key)
        # Input rules are raised by loaders; one (rule timeouts) has no file that shows it.
        if not items and not (key == "flag" and section.raw("kind") == "input"):
            sub.error(key, "must list at least one example")
        for item, line in items:
            out[key].append(_example(item, line, sub))
    return tuple(out["flag"]), tuple(out["pass"])


def _example(item: Any, line: int, section: Section) -> Example:
    if isinstance(item, str):
        return Example(text=item, meta={}, line=line)
    ex = Section(item, f"{section.where} example", line, section.fail)
    ex.refuse_unknown(EXAMPLE_META_KEYS)
    if ex.has("file"):
        name = ex.string("file") or "post.txt"
        if ex.has("content_hex"):
            try:
                content = base64.b16decode(str(ex.raw("content_hex")).replace(" ", "").upper())
            except ValueError:
                ex.error("content_hex", "must be hexadecimal bytes")
        else:
            content = str(ex.raw("content", "")).encode("utf-8")
        return Example(text="", meta={}, line=line, file=name, content=content)
    meta = {k: v for k, v in item.items() if k != "text"}
    return Example(text=str(ex.raw("text", "")), meta=meta, line=line)


# --- compiling patterns once every set is known ------------------------------------------


def expand_macros(source: str, sets: dict[str, tuple[str, ...]], fail: Any, line: int) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(3):
            return _NAMED[match.group(3)]
        name, arg = match.group(1), match.group(2).strip()
        if name == "digits":
            bounds = re.fullmatch(r"(\d+),(\d+)", arg)
            if not bounds or int(bounds.group(1)) < 1 or int(bounds.group(2)) < int(bounds.group(1)):
                fail(f"pattern macro {{digits:{arg}}} needs two counts MIN,MAX", line)
            assert bounds is not None
            low, high = int(bounds.group(1)), int(bounds.group(2))
            return rf"(?<!\d)\d(?:[ .\-/]?\d){{{low - 1},{high - 1}}}(?![ .\-/]?\d)"
        if arg not in sets:
            fail(f"pattern macro {{set:{arg}}} names an unknown set", line)
        source = terms_source(tuple(sets[arg]))
        if source is None:
            return "(?!)"  # an empty set (e.g. no brand terms configured) matches nothing
        return "(?:" + source + ")"

    return _MACRO.sub(replace, source)


def compile_rule(rule: Rule, sets: dict[str, tuple[str, ...]], *, probe: bool) -> None:
    fail = _failer(rule.source_file)
    lines = rule.extra.get("lines", {})

    def compile_one(source: str, key: str, flags: int = 0) -> regex.Pattern[str]:
        line = lines.get(key, rule.line)
        if "''" in source:
            # YAML only turns '' into ' inside single quotes; in a >- block it stays doubled.
            fail(f"rule {rule.id}: '{key}' has two apostrophes ('') in a row; outside single quotes write one", line)
        # Text is matched folded ("doña" reads "dona"): fold the pattern's letters the same way.
        source = "".join(c if c.isascii() else fold_char(c) for c in source)
        expanded = expand_macros(source, sets, fail, line)
        try:
            # Verbose mode: patterns may be folded over lines; spaces are written \s or "\ ".
            pattern = regex.compile(expanded, flags | regex.VERSION0 | regex.VERBOSE)
        except regex.error as exc:
            fail(f"rule {rule.id}: '{key}' is not a valid regular expression: {exc}", line)
        if probe:
            for text in _ADVERSARIAL:
                try:
                    pattern.search(text, timeout=0.05)
                except TimeoutError:
                    fail(f"rule {rule.id}: '{key}' backtracks catastrophically (nested repetition?); simplify it", line)
        return pattern

    flags = regex.IGNORECASE if rule.extra.get("ignore_case", True) else 0
    if rule.pattern_source:
        rule.pattern = compile_one(rule.pattern_source, "pattern", flags)
    rule.exclude = tuple(compile_one(s, "exclude", regex.IGNORECASE) for s in rule.extra.get("exclude", ()))
    for key in ("preceded_by", "not_preceded_by", "not_followed_by"):
        source = rule.extra.get(key)
        if source:
            # A word in a preceded_by list matches whole words only: "id" must not match "said".
            anchored = f"^(?:{source})" if key == "not_followed_by" else f"(?:(?<![\\w])|(?!\\w))(?:{source})$"
            setattr(rule, key, compile_one(anchored, key, regex.IGNORECASE))
    referenced = list(rule.sets) + list(rule.allow) + list(rule.value_in)
    referenced += [s for p in rule.near + rule.not_near for s in p.sets]
    referenced += list(rule.when.mentions) + list(rule.when.mentions_any) + list(rule.when.unless_mentions)
    for name in referenced:
        if name not in sets:
            fail(f"rule {rule.id}: unknown term set '{name}' (known: {', '.join(sorted(sets))})", rule.line)
