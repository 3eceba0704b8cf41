"""All active rules for a run: built-in packs, custom packs, config overrides, term sets."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from postguard.config import Config, ModelFile
from postguard.engine.pack import Pack, compile_rule, load_pack
from postguard.engine.rule import Rule
from postguard.errors import ConfigError, RuleError


def builtin_rules_dir() -> Path:
    """The shipped packs: package data in a wheel, the repo's `rules/` in a checkout."""
    packaged = resources.files("postguard") / "rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "rules"


def builtin_pack_paths() -> list[Path]:
    return sorted(builtin_rules_dir().glob("*.yaml"))


@dataclass
class RuleSet:
    packs: list[Pack]
    rules: list[Rule]  # enabled rules only, in pack order
    sets: dict[str, tuple[str, ...]]
    all_rules: list[Rule] = field(default_factory=list)  # including disabled ones
    models: dict[str, ModelFile] = field(default_factory=dict)  # text models named by packs

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.all_rules if r.id == rule_id), None)

    @property
    def needs_nlp(self) -> bool:
        return any(r.needs_nlp for r in self.rules)


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read(4 * 1024 * 1024 + 1)
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read rule pack: {getattr(exc, 'strerror', None) or exc}") from None


def load_ruleset(config: Config) -> RuleSet:
    packs: list[Pack] = []
    for path in builtin_pack_paths():
        pack = load_pack(str(path), path.read_text(encoding="utf-8"), builtin=True)
        if config.builtin_packs is None or pack.name in config.builtin_packs or pack.name == "input":
            packs.append(pack)
        else:
            # Built-in packs share their term sets: an unchosen pack still lends its sets.
            packs.append(replace(pack, rules=[]))
    if config.builtin_packs is not None:
        known = {p.name for p in packs}
        for name in config.builtin_packs:
            if name not in known:
                raise ConfigError(f"{config.path}: builtin_packs: no built-in pack named '{name}'")
    for custom in config.packs:
        if not os.path.isfile(custom):
            raise ConfigError(f"{config.path}: packs: no rule pack at {custom}")
        packs.append(load_pack(custom, _read(custom)))
    return build_ruleset(packs, config)


def build_ruleset(packs: list[Pack], config: Config) -> RuleSet:
    sets: dict[str, tuple[str, ...]] = {}
    for pack in packs:
        for name, terms in pack.sets.items():
            sets[name] = tuple(dict.fromkeys(sets.get(name, ()) + terms))
    for name, terms in config.sets.items():
        sets[name] = tuple(dict.fromkeys(sets.get(name, ()) + terms))
    sets.update(config.config_sets())

    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for pack in packs:
        for rule in pack.rules:
            if rule.id in seen:
                raise RuleError(f"{rule.source_file}:{rule.line}: rule id '{rule.id}' is already defined in {seen[rule.id].source_file}")
            seen[rule.id] = rule
            compile_rule(rule, sets, probe=not pack.builtin)
            rules.append(rule)
    _apply_overrides(rules, config)
    models = {name: model for pack in packs for name, model in pack.models.items()}
    return RuleSet(packs=packs, rules=[r for r in rules if r.enabled], sets=sets, all_rules=rules, models=models)


def _apply_overrides(rules: list[Rule], config: Config) -> None:
    for override in config.overrides:
        matched = [r for r in rules if fnmatch.fnmatchcase(r.id, override.pattern)]
        if not matched:
            raise ConfigError(f"{config.path}:{override.line}: rules: '{override.pattern}' matches no rule id (see `postguard rules list`)")
        for rule in matched:
            if rule.category == "input" and not override.enabled:
                # Fail closed: what cannot be read must always be reported.
                raise ConfigError(f"{config.path}:{override.line}: rules: '{override.pattern}' would turn off input rules; unreadable files are always reported")
            rule.enabled = override.enabled
            if override.severity is not None:
                rule.severity = override.severity
