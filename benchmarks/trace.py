"""Why each rule did or did not fire on one post: every candidate match and what dropped it.

    python benchmarks/trace.py --config eval/posts/set_g/config.yaml "pt in 14B today" [--rule 'case.*']
"""

from __future__ import annotations

import argparse
import fnmatch

from postguard.config import Config, load_config
from postguard.engine.ruleset import load_ruleset
from postguard.engine.runner import Engine, PostContext
from postguard.inputs.post_builder import build_post


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("text")
    parser.add_argument("--config")
    parser.add_argument("--rule", default="*", help="glob of rule ids to trace")
    args = parser.parse_args()
    config = load_config(args.config) if args.config else Config()
    engine = Engine(load_ruleset(config), config)
    post = build_post("-", "trace", {}, args.text, body_position=(1, 1), key_positions={}, base_dir=".")
    ctx = PostContext(post, engine)
    for rule in engine.ruleset.rules:
        if rule.kind not in ("pattern", "terms", "entity") or not fnmatch.fnmatch(rule.id, args.rule):
            continue
        for field in post.fields:
            if field.name not in rule.fields:
                continue
            view = ctx.view(field)
            for hit in engine._hits(rule, view):
                why = engine.rejection(rule, hit, ctx)
                print(f"{rule.id:40} {view.text[hit.start:hit.end]!r:30} {why or 'FIRES'}")


if __name__ == "__main__":
    main()
