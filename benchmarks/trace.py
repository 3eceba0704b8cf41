"""Why each rule did or did not fire on one post: every candidate match and what dropped it.

    python benchmarks/trace.py --config eval/posts/set_g/config.yaml "pt in 14B today" [--rule 'case.*']
"""

from __future__ import annotations

import argparse
import fnmatch

from postguard.config import Config, load_config
from postguard.engine.ruleset import load_ruleset
from postguard.engine.runner import Engine, PostContext
from postguard.engine.textmodels import READ_FIELDS, document_for
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
    confirm_floor = _model_scores(engine, ctx)
    for rule in engine.ruleset.rules:
        if rule.kind not in ("pattern", "terms", "entity") or not fnmatch.fnmatch(rule.id, args.rule):
            continue
        for field in post.fields:
            if field.name not in rule.fields:
                continue
            view = ctx.view(field)
            for hit in engine._hits(rule, view):
                why = engine.rejection(rule, hit, ctx)
                floor = confirm_floor.get((rule.category, rule.pack))
                if why is None and floor is not None and field.name in READ_FIELDS:
                    why = f"cleared by the text model (score below {floor})"
                print(f"{rule.id:40} {view.text[hit.start:hit.end]!r:30} {why or 'FIRES'}")


def _model_scores(engine: Engine, ctx: PostContext) -> dict[tuple[str, str], float]:
    """Print each model rule's score; return the confirm floors the post falls under."""
    floors: dict[tuple[str, str], float] = {}
    models = engine.text_models
    model_rules = [r for r in engine.ruleset.rules if r.kind == "model"]
    if models is None or models.off_reason or not model_rules:
        return floors
    for rule in model_rules:
        model = models.model(rule.model or "")
        if model is None:
            continue
        score = model.scores(document_for(ctx).render()).get(rule.category, 0.0)
        verdict = "REPORTS if nothing else does" if rule.min_score is not None and score >= rule.min_score else ""
        print(f"{rule.id:40} score {score:.2f} (reports at {rule.min_score}) {verdict}")
        if rule.confirm is not None and score < rule.confirm.min_score:
            for pack in rule.confirm.packs:
                floors[(rule.category, pack)] = rule.confirm.min_score
    return floors


if __name__ == "__main__":
    main()
