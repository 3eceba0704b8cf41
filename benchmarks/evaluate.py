"""Per-category precision and recall of postguard on a labelled set of posts.

The set is a JSONL file: one post per line with the contract's metadata keys, `text`, and
`expect` (the categories the post must trigger; [] for a clean post). Scoring is per post
and category: a post counts as found for a category when any finding has that category.
`input` findings (e.g. attached images that do not exist) are not scored.

    python benchmarks/evaluate.py --posts heldout/posts.jsonl --config heldout/config.yaml [-v]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from dataclasses import replace

from postguard.config import Config, ModelFile, load_config
from postguard.engine.ruleset import load_ruleset
from postguard.engine.runner import Engine
from postguard.inputs.post_builder import build_post
from postguard.model import CATEGORIES

SKIP_KEYS = {"expect", "note", "text"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", required=True)
    parser.add_argument("--config")
    parser.add_argument("--ner-model", help="override ner_model (e.g. none)")
    parser.add_argument("--text-model", help="none, or a model file to use instead of the pinned one "
                        "(e.g. one trained with some sets left out: benchmarks/train_textcat.py --exclude)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss and false alarm")
    args = parser.parse_args()

    config = load_config(args.config) if args.config else Config()
    if args.ner_model:
        config = replace(config, ner_model=None if args.ner_model == "none" else args.ner_model)
    if args.text_model:
        config = replace(config, text_model=None if args.text_model == "none" else ModelFile(
            args.text_model, hashlib.sha256(open(args.text_model, "rb").read()).hexdigest()))
    engine = Engine(load_ruleset(config), config)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    clean_total = clean_ok = 0
    details: list[str] = []
    with open(args.posts, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            meta = {k: v for k, v in row.items() if k not in SKIP_KEYS}
            post = build_post(args.posts, str(row.get("id", number)), meta, row.get("text", ""),
                              body_position=(number, 1), key_positions={}, base_dir=".")
            findings = list(post.problems) + engine.check(post)
            got = {f.category for f in findings if f.category != "input"}
            want = set(row.get("expect", []))
            for category in got & want:
                tp[category] += 1
            for category in got - want:
                fp[category] += 1
                rules = sorted({f.rule for f in findings if f.category == category})
                details.append(f"FP {row.get('id')} {category} {rules}: {row.get('text', '')[:90]!r}")
            for category in want - got:
                fn[category] += 1
                details.append(f"FN {row.get('id')} {category}: {row.get('text', '')[:90]!r}")
            if not want:
                clean_total += 1
                clean_ok += not got
    print(f"{'category':<20}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    for category in CATEGORIES:
        if category in ("input", "image-metadata") and not (tp[category] + fp[category] + fn[category]):
            continue
        t, f, n = tp[category], fp[category], fn[category]
        precision = t / (t + f) if t + f else 1.0
        recall = t / (t + n) if t + n else 1.0
        print(f"{category:<20}{t:>5}{f:>5}{n:>5}{precision:>11.2f}{recall:>8.2f}")
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(f"{'all':<20}{t:>5}{f:>5}{n:>5}{t / max(t + f, 1):>11.2f}{t / max(t + n, 1):>8.2f}")
    print(f"clean posts with no finding: {clean_ok}/{clean_total}")
    for note in sorted(engine.notes):
        print(f"note: {note}", file=sys.stderr)
    if args.verbose:
        print("\n".join(sorted(details)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
