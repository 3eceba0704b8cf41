"""`.postguard.yaml` (contract section 5): found upwards from the current folder or given
with `--config`, validated with the same schema reader as rule packs (unknown keys: exit 2).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, NoReturn

from postguard.errors import ConfigError
from postguard.model import Severity
from postguard.schema import Section
from postguard.yamlsafe import YamlError, load_yaml

CONFIG_NAMES = (".postguard.yaml", ".postguard.yml")
TOP_KEYS = (
    "institution", "account", "fail_on", "exclude", "rules", "packs", "builtin_packs", "sets",
    "ner_model", "text_model", "disclaimer_in", "batch",
)
INSTITUTION_KEYS = ("names", "brand_terms", "official_handles", "public_contacts", "domains")


@dataclass(frozen=True)
class RuleOverride:
    pattern: str  # rule id or glob
    enabled: bool = True
    severity: Severity | None = None
    line: int = 0


@dataclass(frozen=True)
class BatchSettings:
    columns: dict[str, str] = field(default_factory=dict)  # source column -> metadata key
    date_order: str = "auto"  # "auto" | "day-first" | "month-first"


@dataclass(frozen=True)
class ModelFile:
    """A text model named by file and pinned by its sha256."""

    path: str
    sha256: str


def is_sha256(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


@dataclass(frozen=True)
class Config:
    path: str | None = None
    root: str = "."
    institution_names: tuple[str, ...] = ()
    brand_terms: tuple[str, ...] = ()
    official_handles: tuple[str, ...] = ()
    public_contacts: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    account: str = "personal"
    fail_on: Severity = Severity.ERROR
    exclude: tuple[str, ...] = ()
    overrides: tuple[RuleOverride, ...] = ()
    packs: tuple[str, ...] = ()  # resolved paths of custom packs
    builtin_packs: tuple[str, ...] | None = None  # None: all
    sets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ner_model: str | None = "auto"
    # "auto": the model the built-in packs pin; None: off; or a team's own retrained file.
    text_model: str | ModelFile | None = "auto"
    disclaimer_in: str = "bio"  # "bio" or "bio-or-post"
    batch: BatchSettings = BatchSettings()

    def config_sets(self) -> dict[str, tuple[str, ...]]:
        """Term sets filled from the config, usable by any pack as `config.NAME`."""
        return {
            "config.institution_names": self.institution_names,
            "config.brand_terms": self.brand_terms,
            "config.official_handles": self.official_handles,
            "config.public_contacts": self.public_contacts,
            "config.domains": self.domains,
        }


def find_config(start: str) -> str | None:
    folder = os.path.abspath(start)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def load_config(path: str | None, *, search_from: str = ".") -> Config:
    """Load the given config, or the nearest one upwards; no file gives the defaults."""
    if path is None:
        path = find_config(search_from)
        if path is None:
            return Config(root=os.path.abspath(search_from))
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read(1024 * 1024 + 1)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {getattr(exc, 'strerror', None) or exc}") from None
    return parse_config(text, path)


def parse_config(text: str, path: str) -> Config:
    def fail(message: str, line: int) -> NoReturn:
        raise ConfigError(f"{path}:{line}: {message}")

    try:
        data = load_yaml(text)
    except YamlError as exc:
        fail(exc.message, exc.line or 1)
    return config_from_data(data, path)


def config_from_data(data: Any, path: str) -> Config:
    """Validate already-parsed config data (a config file, or a pack's example_config)."""

    def fail(message: str, line: int) -> NoReturn:
        raise ConfigError(f"{path}:{line}: {message}")

    if data is None:
        data = {}
    top = Section(data, "config", 1, fail)
    top.refuse_unknown(TOP_KEYS)
    root = os.path.dirname(os.path.abspath(path))
    values: dict[str, Any] = {"path": path, "root": root}

    inst = top.section("institution")
    if inst is not None:
        inst.refuse_unknown(INSTITUTION_KEYS)
        values["institution_names"] = inst.strings("names")
        for key in INSTITUTION_KEYS[1:]:
            values[key] = inst.strings(key)
    values["account"] = top.string("account", default="personal", choices=("personal", "official"))
    values["fail_on"] = Severity(top.string("fail_on", default="error", choices=[s.value for s in Severity]))
    values["exclude"] = top.strings("exclude")
    values["packs"] = tuple(os.path.normpath(os.path.join(root, p)) for p in top.strings("packs"))
    if top.has("builtin_packs"):
        raw = top.raw("builtin_packs")
        values["builtin_packs"] = None if raw == "all" else top.strings("builtin_packs")
    values["overrides"] = _overrides(top)
    sets = top.section("sets")
    if sets is not None:
        values["sets"] = {str(name): sets.strings(str(name), allow_single=False) for name in sets.data}
    if top.has("ner_model"):
        raw = top.raw("ner_model")
        values["ner_model"] = None if raw in (None, False, "none", "off") else top.string("ner_model")
    if top.has("text_model"):
        values["text_model"] = _text_model(top, root)
    values["disclaimer_in"] = top.string("disclaimer_in", default="bio", choices=("bio", "bio-or-post"))
    batch = top.section("batch")
    if batch is not None:
        batch.refuse_unknown(("columns", "date_order"))
        columns = batch.section("columns")
        mapping: dict[str, str] = {}
        if columns is not None:
            for column in columns.data:
                mapping[str(column).strip().lower()] = columns.string(str(column)) or ""
        values["batch"] = BatchSettings(
            columns=mapping,
            date_order=batch.string("date_order", default="auto", choices=("auto", "day-first", "month-first")) or "auto",
        )
    return Config(**values)


def _text_model(top: Section, root: str) -> str | ModelFile | None:
    raw = top.raw("text_model")
    if raw in (None, False, "none", "off"):
        return None
    if raw == "auto":
        return "auto"
    if not isinstance(raw, dict):
        top.error("text_model", "must be auto, none, or {file: PATH, sha256: HEX}")
    sub = top.section("text_model")
    assert sub is not None
    sub.refuse_unknown(("file", "sha256"))
    path = sub.string("file", required=True) or ""
    digest = (sub.string("sha256", required=True) or "").lower()
    if not is_sha256(digest):
        sub.error("sha256", "must be the 64 hex digits of the model file's sha256")
    return ModelFile(os.path.normpath(os.path.join(root, path)), digest)


def _overrides(top: Section) -> tuple[RuleOverride, ...]:
    rules = top.section("rules")
    if rules is None:
        return ()
    result = []
    for pattern, value in rules.data.items():
        line = rules.line_of(str(pattern))
        if value in ("off", False):
            result.append(RuleOverride(str(pattern), enabled=False, line=line))
        elif value in ("on", True):
            result.append(RuleOverride(str(pattern), enabled=True, line=line))
        elif isinstance(value, dict):
            sub = Section(value, f"config.rules.{pattern}", line, top.fail)
            sub.refuse_unknown(("severity", "enabled"))
            severity = sub.string("severity", choices=[s.value for s in Severity])
            enabled = sub.boolean("enabled", default=True)
            result.append(RuleOverride(str(pattern), bool(enabled), Severity(severity) if severity else None, line))
        else:
            rules.error(str(pattern), "must be off, on, or {severity: error|warning|info, enabled: true|false}")
    return tuple(result)
