"""Run every rule's own examples: `flag` posts must trigger it, `pass` posts must not.

Used by `postguard rules test` (so teams can test their custom packs) and by the test
suite for the built-in packs.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

from postguard.config import Config, config_from_data
from postguard.engine.pack import Pack
from postguard.engine.rule import Example, Rule
from postguard.engine.ruleset import RuleSet, build_ruleset
from postguard.engine.runner import Engine
from postguard.inputs.post_builder import build_post
from postguard.model import Finding, ImageLocator, Origin, TextField


@dataclass(frozen=True)
class ExampleResult:
    rule: Rule
    example: Example
    expect_flag: bool
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return bool(self.findings) == self.expect_flag

    @property
    def label(self) -> str:
        return f"{self.rule.source_file}:{self.example.line}: {self.rule.id} {'flag' if self.expect_flag else 'pass'}"


def example_config(pack: Pack, base: Config) -> Config:
    if not pack.example_config:
        return base
    return config_from_data(pack.example_config, f"{pack.path} (example_config)")


def run_examples(ruleset: RuleSet, packs: list[Pack]) -> list[ExampleResult]:
    results: list[ExampleResult] = []
    for pack in packs:
        config = example_config(pack, Config())
        # Examples run against the pack's own example institution, with every set known.
        local = build_ruleset(ruleset.packs, config)
        engine = Engine(local, config)
        for rule in pack.rules:
            compiled = local.rule(rule.id)
            assert compiled is not None
            for expect, examples in ((True, rule.examples_flag), (False, rule.examples_pass)):
                for example in examples:
                    found = _run_one(engine, compiled, example, config)
                    results.append(ExampleResult(compiled, example, expect, tuple(found)))
    return results


def _run_one(engine: Engine, rule: Rule, example: Example, config: Config) -> list[Finding]:
    if example.file is not None:
        from postguard.check import CheckOptions, check_paths

        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, example.file)
            with open(path, "wb") as handle:
                handle.write(example.content or b"")
            report = check_paths([path], config, engine, CheckOptions())
            return [f for f in report.findings if f.rule == rule.id]
    meta = dict(example.meta)
    image_text = meta.pop("image_text", None)
    post = build_post("<example>", None, meta, example.text, body_position=(1, 1), key_positions={}, base_dir=".")
    if image_text:
        # Stands for what OCR read in an attached image; OCR itself is tested on real images.
        post.fields.append(TextField("image-text", str(image_text), Origin.IMAGE_TEXT, ImageLocator("example.png")))
    return [f for f in engine.check(post, rules=[rule]) if f.rule == rule.id]
