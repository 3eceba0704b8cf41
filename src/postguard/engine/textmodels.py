"""Model rules: what the text classifier reports, and how it confirms other rules' matches.

A `kind: model` rule reads the classifier's score for its category. Two things follow:
- `confirm`: matches of the listed packs' rules in that category, found in the post's own
  text or alt text, are dropped when the score is below `confirm.min_score`. Matches in
  image text and metadata are never dropped: the classifier does not read them.
- `min_score`: when no finding of the category is left and the score reaches it, the rule
  reports the category itself, at the sentence that scores highest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from postguard.config import Config, ModelFile
from postguard.engine.rule import Rule
from postguard.engine.textcat import Document, Textcat, TextcatError
from postguard.engine.textview import TextView
from postguard.errors import ConfigError

if TYPE_CHECKING:
    from postguard.model import Finding, Post, TextField

# (rule, post, view, span, score) -> the finding to report
MakeFinding = Callable[[Rule, Any, TextView, tuple[int, int], float], "Finding"]

READ_FIELDS = ("text", "alt_text")  # what the classifier reads of a post


class PostView(Protocol):
    post: Post

    @property
    def account(self) -> str: ...

    @property
    def has_images(self) -> bool: ...

    def view(self, field: TextField) -> TextView: ...


def document_for(ctx: PostView) -> Document:
    """The classifier's view of a post; training builds it the same way."""
    text = _field_text(ctx, "text")
    meta = ctx.post.meta
    return Document(
        text=text,
        alt_text=_field_text(ctx, "alt_text"),
        images=ctx.has_images,
        consent=bool(meta.consent),
        official=ctx.account == "official",
    )


def _field_text(ctx: PostView, name: str) -> str:
    field = ctx.post.field_named(name)
    return ctx.view(field).text if field is not None else ""


class TextModels:
    """The text models the active rules name, loaded once per run."""

    def __init__(self, models: dict[str, ModelFile], config: Config) -> None:
        self.off_reason: str | None = None
        self._files = dict(models)
        self._loaded: dict[str, Textcat] = {}
        if config.text_model is None:
            self.off_reason = "no text model (text_model: none)"
        elif isinstance(config.text_model, ModelFile):
            # A team's retrained model stands in for every model the packs name.
            self._files = {name: config.text_model for name in self._files}

    def load(self, names: Iterable[str]) -> None:
        """Load up front, so a missing or altered model stops the run before any check."""
        if self.off_reason:
            return
        for name in names:
            if name in self._loaded:
                continue
            model_file = self._files[name]
            try:
                self._loaded[name] = Textcat.load(model_file.path, model_file.sha256)
            except TextcatError as exc:
                raise ConfigError(str(exc)) from None

    def model(self, name: str) -> Textcat | None:
        return self._loaded.get(name)


def apply_model_rules(rules: list[Rule], models: TextModels, ctx: PostView, findings: list[Finding],
                      make_finding: MakeFinding, notes: set[str]) -> list[Finding]:
    """Confirm other rules' matches with each model rule, then add what only the model saw."""
    if models.off_reason:
        notes.add(f"skipped the model rules (model.*) and their checks on other rules' matches: {models.off_reason}")
        return findings
    document = document_for(ctx).render()
    for rule in rules:
        model = models.model(rule.model or "")
        if model is None or rule.category not in model.categories:
            notes.add(f"skipped rule {rule.id}: its text model has no '{rule.category}' category")
            continue
        score = model.scores(document)[rule.category]
        if rule.confirm is not None and score < rule.confirm.min_score:
            findings = [f for f in findings if not _confirmable(f, rule)]
        assert rule.min_score is not None
        if score >= rule.min_score and not any(f.category == rule.category for f in findings):
            spot = best_sentence(ctx, model, rule.category)
            if spot is not None:
                findings.append(make_finding(rule, ctx, spot[0], spot[1], score))
    return findings


def _confirmable(finding: Finding, rule: Rule) -> bool:
    assert rule.confirm is not None
    return (
        finding.category == rule.category
        and finding.source_field in READ_FIELDS
        and finding.rule.split(".", 1)[0] in rule.confirm.packs
    )


def best_sentence(ctx: PostView, model: Textcat, category: str) -> tuple[TextView, tuple[int, int]] | None:
    """The sentence of the text or alt text that the model scores highest for the category."""
    best: tuple[float, TextView, tuple[int, int]] | None = None
    for name in READ_FIELDS:
        field = ctx.post.field_named(name)
        if field is None:
            continue
        view = ctx.view(field)
        for start, end in _sentences(view):
            score = model.scores(view.text[start:end])[category]
            if best is None or score > best[0]:
                best = (score, view, (start, end))
    return None if best is None else (best[1], best[2])


def _sentences(view: TextView) -> Iterable[tuple[int, int]]:
    starts = view.sentence_starts
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(view.text)
        text = view.text[start:end]
        # Trim the spaces and line breaks between sentences from the span.
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        if right > left:
            yield start + left, start + right
