"""Run the active rules over one post and produce findings.

The engine never prints and never exits: it returns findings and a set of notes (what it
had to skip and why) for the caller to show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace

import regex

from postguard.config import Config
from postguard.engine.brand import find_brand
from postguard.engine.nlp import Ner, NerUnavailable
from postguard.engine.rule import TEXT_FIELDS as CONTENT_FIELDS
from postguard.engine.rule import Proximity, Rule
from postguard.engine.ruleset import RuleSet
from postguard.engine.terms import compile_terms
from postguard.engine.textmodels import TextModels, apply_model_rules
from postguard.engine.textview import TextView
from postguard.engine.validators import VALIDATORS, digits
from postguard.inputs.problems import RULE_TIMEOUT, input_finding
from postguard.model import FileLocator, Finding, Location, Origin, Post, TextField

MATCH_TIMEOUT = 1.0  # seconds per rule and field; a custom pattern must not hang a run
_CONTEXT = 48  # characters looked at by preceded_by / not_preceded_by / not_followed_by


@dataclass(frozen=True)
class Hit:
    view: TextView
    start: int  # normalised offsets of the whole match
    end: int
    value_start: int
    value_end: int


class PostContext:
    """Per-post state shared by all rules: views of each field, post-wide set hits."""

    def __init__(self, post: Post, engine: Engine) -> None:
        self.post = post
        self.engine = engine
        self.views = {id(f): TextView(f) for f in post.fields}
        self._mentions: dict[str, bool] = {}

    def view(self, field: TextField) -> TextView:
        return self.views[id(field)]

    def mentions(self, set_name: str) -> bool:
        """Whether the post's content (not the account's bio, handle or name) uses a term."""
        if set_name not in self._mentions:
            terms = self.engine.ruleset.sets[set_name]
            self._mentions[set_name] = any(
                v.hits(set_name, terms) for v in self.views.values() if v.field.name in CONTENT_FIELDS
            )
        return self._mentions[set_name]

    @property
    def account(self) -> str:
        handle = (self.post.meta.handle or "").lower()
        if handle and handle in {h.lower() for h in self.engine.config.official_handles}:
            return "official"
        return self.post.meta.account or self.engine.config.account

    @property
    def has_images(self) -> bool:
        return bool(self.post.image_paths) or any(f.origin == Origin.IMAGE_TEXT for f in self.post.fields)


class Engine:
    def __init__(self, ruleset: RuleSet, config: Config, *, now: dt.datetime | None = None) -> None:
        self.ruleset = ruleset
        self.config = config
        self.now = now
        self.ner = Ner(config.ner_model) if ruleset.needs_nlp else None
        model_rules = [r for r in ruleset.rules if r.kind == "model"]
        self.text_models = TextModels(ruleset.models, config) if model_rules else None
        if self.text_models is not None:
            self.text_models.load({r.model for r in model_rules if r.model})
        self.notes: set[str] = set()
        self._term_patterns: dict[str, regex.Pattern[str] | None] = {}
        self._members: dict[str, frozenset[str]] = {}

    # --- public -------------------------------------------------------------------------

    def check(self, post: Post, rules: list[Rule] | None = None) -> list[Finding]:
        ctx = PostContext(post, self)
        findings: list[Finding] = []
        model_rules: list[Rule] = []
        for rule in rules if rules is not None else self.ruleset.rules:
            if rule.kind == "input" or not self._when_holds(rule, ctx):
                continue
            if rule.kind == "model":
                model_rules.append(rule)  # they weigh the other rules' findings: run last
                continue
            try:
                findings.extend(self._run(rule, ctx))
            except TimeoutError:
                findings.append(input_finding(
                    RULE_TIMEOUT,
                    f"rule {rule.id} took too long on this text and was stopped: review the post by eye",
                    post.path, item=post.item, line=post.line,
                ))
        if model_rules:
            if self.text_models is None:
                self.text_models = TextModels(self.ruleset.models, self.config)
            self.text_models.load({r.model for r in model_rules if r.model})
            findings = apply_model_rules(model_rules, self.text_models, ctx, findings, self._model_finding, self.notes)
        return _dedupe(findings)

    # --- conditions ---------------------------------------------------------------------

    def _when_holds(self, rule: Rule, ctx: PostContext) -> bool:
        when = rule.when
        if when.account is not None and ctx.account != when.account:
            return False
        if when.images is not None and ctx.has_images != when.images:
            return False
        if when.consent is not None and bool(ctx.post.meta.consent) != when.consent:
            return False
        if not all(ctx.mentions(s) for s in when.mentions):
            return False
        if when.mentions_any and not any(ctx.mentions(s) for s in when.mentions_any):
            return False
        if any(ctx.mentions(s) for s in when.unless_mentions):
            return False
        return True

    def _near(self, prox: Proximity, hit: Hit, ctx: PostContext) -> bool:
        return any(self._set_near(name, prox.within, hit, ctx) for name in prox.sets)

    def _set_near(self, set_name: str, within: int | str, hit: Hit, ctx: PostContext) -> bool:
        """Whether a term of the set occurs within `within` of the hit."""
        if within == "post":
            return ctx.mentions(set_name)
        spans = hit.view.hits(set_name, self.ruleset.sets[set_name])
        if not spans:
            return False
        if within == "field":
            return True
        if within == "sentence":
            s_start, _ = hit.view.sentence_span(hit.start)
            _, s_end = hit.view.sentence_span(max(hit.start, hit.end - 1))
            return any(a < s_end and b > s_start for a, b in spans)
        assert isinstance(within, int)
        first = hit.view.token_index(hit.start)
        last = hit.view.token_index(max(hit.start, hit.end - 1))
        for a, b in spans:
            t_first = hit.view.token_index(a)
            t_last = hit.view.token_index(max(a, b - 1))
            if t_first <= last + within and t_last >= first - within:
                return True
        return False

    def _hit_passes(self, rule: Rule, hit: Hit, ctx: PostContext) -> bool:
        return self.rejection(rule, hit, ctx) is None

    def rejection(self, rule: Rule, hit: Hit, ctx: PostContext) -> str | None:
        """Why a candidate match is dropped (None when it stands); rule authors trace with it."""
        text = hit.view.text
        matched = text[hit.start:hit.end]
        value = text[hit.value_start:hit.value_end]
        if rule.validator and not VALIDATORS[rule.validator](value):
            return f"validator {rule.validator}"
        if any(p.search(matched) for p in rule.exclude):
            return "exclude"
        before = text[max(0, hit.start - _CONTEXT):hit.start]
        if rule.preceded_by is not None and not rule.preceded_by.search(before):
            return "preceded_by"
        if rule.not_preceded_by is not None and rule.not_preceded_by.search(before):
            return "not_preceded_by"
        if rule.not_followed_by is not None and rule.not_followed_by.search(text[hit.end:hit.end + _CONTEXT]):
            return "not_followed_by"
        if rule.allow and _allowed(value, [t for s in rule.allow for t in self.ruleset.sets[s]]):
            return "allow"
        if rule.value_in and not self._is_member(rule, value):
            return f"value_in {'/'.join(rule.value_in)}"
        for prox in rule.near:
            if not self._near(prox, hit, ctx):
                return f"near {'/'.join(prox.sets)} within {prox.within}"
        for prox in rule.not_near:
            for set_name in prox.sets:
                if self._set_near(set_name, prox.within, hit, ctx):
                    return f"not_near {set_name} within {prox.within}"
        return None

    # --- kinds --------------------------------------------------------------------------

    def _run(self, rule: Rule, ctx: PostContext) -> Iterator[Finding]:
        if rule.kind in ("pattern", "terms", "entity"):
            for field in ctx.post.fields:
                if field.name not in rule.fields:
                    continue
                view = ctx.view(field)
                # A rule whose required context words are nowhere in the field cannot fire:
                # skip its (costlier) pattern search.
                if rule.kind != "entity" and not self._context_possible(rule, view):
                    continue
                for hit in self._hits(rule, view):
                    if self._hit_passes(rule, hit, ctx):
                        yield self._finding(rule, ctx, view, hit)
        elif rule.kind == "metadata":
            yield from self._metadata(rule, ctx)
        elif rule.kind == "timing":
            yield from self._timing(rule, ctx)
        elif rule.kind == "post":
            yield self._post_finding(rule, ctx)
        elif rule.kind == "image-metadata":
            yield from self._image_metadata(rule, ctx)

    def _hits(self, rule: Rule, view: TextView) -> Iterator[Hit]:
        if rule.kind == "pattern":
            assert rule.pattern is not None
            has_value = "value" in rule.pattern.groupindex
            for m in rule.pattern.finditer(view.text, timeout=MATCH_TIMEOUT):
                if m.end() == m.start():
                    continue
                vs, ve = m.span("value") if has_value and m.group("value") else m.span()
                yield Hit(view, m.start(), m.end(), vs, ve)
        elif rule.kind == "terms":
            pattern = self._terms_pattern(rule)
            if pattern is not None:
                for m in pattern.finditer(view.text, timeout=MATCH_TIMEOUT):
                    yield Hit(view, m.start(), m.end(), m.start(), m.end())
        elif rule.kind == "entity":
            # The model is slow; skip fields where the rule's required context is absent.
            if not self._context_possible(rule, view):
                return
            spans = self._entities(rule, view)
            for start, end in spans:
                yield Hit(view, start, end, start, end)

    def _is_member(self, rule: Rule, value: str) -> bool:
        members = self._members.get(rule.id)
        if members is None:
            # Folded once per rule: a name list holds thousands of entries.
            members = frozenset(t.casefold() for s in rule.value_in for t in self.ruleset.sets[s])
            self._members[rule.id] = members
        return value.strip().casefold() in members

    def _context_possible(self, rule: Rule, view: TextView) -> bool:
        for prox in rule.near:
            if prox.within == "post":
                continue
            if not any(view.hits(name, self.ruleset.sets[name]) for name in prox.sets):
                return False
        return True

    def _terms_pattern(self, rule: Rule) -> regex.Pattern[str] | None:
        if rule.id not in self._term_patterns:
            terms = rule.terms + tuple(t for s in rule.sets for t in self.ruleset.sets[s])
            self._term_patterns[rule.id] = compile_terms(terms)
        return self._term_patterns[rule.id]

    def _entities(self, rule: Rule, view: TextView) -> list[tuple[int, int]]:
        assert self.ner is not None
        try:
            return self.ner.entities(view.text, rule.labels)
        except NerUnavailable as exc:
            self.notes.add(f"skipped rule {rule.id}: {exc}")
            return []

    def _metadata(self, rule: Rule, ctx: PostContext) -> Iterator[Finding]:
        terms = tuple(t for s in rule.sets for t in self.ruleset.sets[s]) + rule.terms
        for field in ctx.post.fields:
            if field.name not in rule.fields:
                continue
            view = ctx.view(field)
            if rule.test == "contains-brand":
                brand = terms or self.config.brand_terms + self.config.institution_names
                span = find_brand(view.text, brand)
                if span is not None:
                    yield self._finding(rule, ctx, view, Hit(view, span[0], span[1], span[0], span[1]))
            elif rule.test == "has-terms":
                m = self._search_terms(rule, terms, view.text)
                if m is not None:
                    yield self._finding(rule, ctx, view, Hit(view, m.start(), m.end(), m.start(), m.end()))
            elif rule.test == "lacks-terms":
                if self._lacks(rule, terms, view, ctx):
                    end = len(view.text.split("\n", 1)[0]) or len(view.text)
                    yield self._finding(rule, ctx, view, Hit(view, 0, end, 0, end), mask=False)

    @staticmethod
    def _search_terms(rule: Rule, terms: tuple[str, ...], text: str) -> regex.Match[str] | None:
        pattern = compile_terms(terms)
        found = pattern.search(text) if pattern is not None else None
        if found is None and rule.pattern is not None:
            found = rule.pattern.search(text, timeout=MATCH_TIMEOUT)
        return found

    def _lacks(self, rule: Rule, terms: tuple[str, ...], view: TextView, ctx: PostContext) -> bool:
        if self._search_terms(rule, terms, view.text) is not None:
            return False
        if view.field.name == "bio" and self.config.disclaimer_in == "bio-or-post":
            body = ctx.post.field_named("text")
            if body is not None and self._search_terms(rule, terms, ctx.view(body).text) is not None:
                return False
        return True

    def _timing(self, rule: Rule, ctx: PostContext) -> Iterator[Finding]:
        meta = ctx.post.meta
        if meta.case_date is None or rule.max_days is None:
            return
        scheduled = meta.scheduled or self.now or dt.datetime.now()
        days = (scheduled.date() - meta.case_date).days
        if days < rule.max_days:
            line = meta.key_lines.get("case_date", ctx.post.line)
            message = f"{rule.message} (case completed {days} day{'s' if days != 1 else ''} before posting)"
            yield Finding(
                rule.id, rule.category, rule.severity, message, ctx.post.path, ctx.post.item,
                Origin.FRONT_MATTER, Location(line, 1 if line else None, line, 1 if line else None),
                match=str(meta.case_date), context_key=_context_key(ctx), mask=rule.mask,
            )

    def _post_finding(self, rule: Rule, ctx: PostContext) -> Finding:
        meta = ctx.post.meta
        line = meta.key_lines.get("images") or ctx.post.line
        origin = Origin.FRONT_MATTER if "images" in meta.key_lines else Origin.TEXT
        if line is None:
            body = ctx.post.field_named("text")
            if isinstance(body, TextField) and isinstance(body.locator, FileLocator):
                line = body.locator.line
        image = next((f.locator.locate(0, 0).image for f in ctx.post.fields if f.origin == Origin.IMAGE_TEXT), None)
        if line is None and image is not None:
            origin = Origin.IMAGE_TEXT
        return Finding(
            rule.id, rule.category, rule.severity, rule.message, ctx.post.path, ctx.post.item, origin,
            Location(line, 1 if line else None, line, 1 if line else None, image=image if line is None else None),
            context_key=_context_key(ctx), mask=False,
        )

    def _image_metadata(self, rule: Rule, ctx: PostContext) -> Iterator[Finding]:
        # `labels` names the metadata kinds this rule reports: gps, date, name, text.
        for entry in ctx.post.image_meta:
            if entry.kind in rule.labels:
                yield Finding(
                    rule.id, rule.category, rule.severity, f"{rule.message} ({entry.key})", ctx.post.path,
                    ctx.post.item, Origin.IMAGE_METADATA, Location(image=entry.image),
                    match=entry.value, context_key=f"{entry.image}\n{entry.key}", mask=rule.mask,
                    source_field="image-metadata",
                )

    # --- findings -----------------------------------------------------------------------

    def _finding(self, rule: Rule, ctx: PostContext, view: TextView, hit: Hit, *, mask: bool | None = None) -> Finding:
        field = view.field
        severity = rule.severity
        if rule.consent_severity is not None and ctx.post.meta.consent:
            severity = rule.consent_severity
        o_start, o_end = view.norm.original_span(hit.start, hit.end)
        v_start, v_end = view.norm.original_span(hit.value_start, hit.value_end)
        location = field.locator.locate(o_start, o_end)
        line_start = field.value.rfind("\n", 0, o_start) + 1
        line_end = field.value.find("\n", o_start)
        line_end = len(field.value) if line_end < 0 else line_end
        return Finding(
            rule.id, rule.category, severity, rule.message, ctx.post.path, ctx.post.item, field.origin,
            location,
            match=field.value[o_start:o_end],
            value_range=(v_start - o_start, v_end - o_start),
            snippet=field.value[line_start:line_end],
            snippet_span=(o_start - line_start, min(o_end, line_end) - line_start),
            context_key=_context_key(ctx),
            mask=rule.mask if mask is None else mask,
            source_field=field.name,
        )


    def _model_finding(self, rule: Rule, ctx: PostContext, view: TextView, span: tuple[int, int], score: float) -> Finding:
        finding = self._finding(rule, ctx, view, Hit(view, span[0], span[1], span[0], span[1]))
        return replace(finding, message=f"{rule.message} (text model score {score:.2f})")


def _context_key(ctx: PostContext) -> str:
    return "\n".join(v.text for v in ctx.views.values())


def _allowed(value: str, allowed: list[str]) -> bool:
    value_digits = digits(value)
    folded = value.strip().casefold()
    for entry in allowed:
        entry_digits = digits(entry)
        if len(entry_digits) >= 7 and len(value_digits) >= 7:
            if value_digits[-10:] == entry_digits[-10:]:
                return True
            continue
        entry_folded = entry.strip().casefold()
        if folded == entry_folded or folded.endswith(("@" + entry_folded, "." + entry_folded)):
            return True
    return False


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per category and place: overlapping matches keep the most severe, longest."""
    ranked = sorted(findings, key=lambda f: (-f.severity.rank, -len(f.match)))
    kept: list[Finding] = []
    for finding in ranked:
        if any(_overlaps(finding, other) for other in kept):
            continue
        kept.append(finding)
    return sorted(kept, key=lambda f: f.sort_key)


def _overlaps(a: Finding, b: Finding) -> bool:
    if a.category != b.category or a.path != b.path or a.item != b.item or a.source_field != b.source_field:
        return False
    if a.category == "input" or not a.match or not b.match:
        return a.rule == b.rule and a.location == b.location
    la, lb = a.location, b.location
    if la.image or lb.image:
        if la.image != lb.image or la.box is None or lb.box is None:
            return False
        # Boxes of one place overlap mostly; neighbouring lines of a board only touch.
        ax, ay, aw, ah = la.box
        bx, by, bw, bh = lb.box
        inter_w = min(ax + aw, bx + bw) - max(ax, bx)
        inter_h = min(ay + ah, by + bh) - max(ay, by)
        if inter_w <= 0 or inter_h <= 0:
            return False
        smaller = min(aw * ah, bw * bh) or 1
        return inter_w * inter_h / smaller > 0.6
    if la.line is None or lb.line is None:
        return a.rule == b.rule
    start_a, end_a = (la.line, la.column or 0), (la.end_line or la.line, la.end_column or 0)
    start_b, end_b = (lb.line, lb.column or 0), (lb.end_line or lb.line, lb.end_column or 0)
    return start_a <= end_b and start_b <= end_a
