"""Train the text classifier the `model` pack uses, from the labelled sets in eval/posts.

One logistic regression per category over the word and character n-grams of
`postguard.engine.textcat.features`, so training and checking read posts the same way.
Needs scikit-learn (`pip install scikit-learn`), which postguard itself never imports.

    python benchmarks/train_textcat.py                       # all sets -> rules/models/textcat.json.gz
    python benchmarks/train_textcat.py --exclude xf,xg --out /tmp/m.json.gz   # leave sets out

It prints the file's sha256 and, for the built-in model, pins it in rules/model.yaml (a
model written elsewhere is named with its sha256 in a config's `text_model`).
"""

from __future__ import annotations

import argparse
import glob
import gzip
import hashlib
import json
import math
import os
import re
import sys
from collections import Counter
from dataclasses import replace

from postguard.config import Config, load_config
from postguard.engine.ruleset import load_ruleset
from postguard.engine.runner import Engine, PostContext
from postguard.engine.textcat import FORMAT, encode_floats, features
from postguard.engine.textmodels import document_for
from postguard.inputs.post_builder import build_post

CATEGORIES = (
    "patient-name", "mrn", "patient-age", "case-timing", "date", "contact", "government-id",
    "location", "photo-consent", "clinical-setting", "data-use", "spokesperson", "conduct",
)
SKIP_KEYS = {"expect", "note", "text"}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "rules", "models", "textcat.json.gz")


def read_set(folder: str) -> list[tuple[str, set[str]]]:
    """(rendered document, expected categories) for every post of one labelled set."""
    config_path = os.path.join(folder, "config.yaml")
    config = load_config(config_path) if os.path.exists(config_path) else Config()
    # The context only needs views and the account; the model being trained is not loaded.
    config = replace(config, text_model=None, ner_model=None)
    engine = Engine(load_ruleset(config), config)
    posts_path = os.path.join(folder, "posts.jsonl")
    rows = []
    with open(posts_path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            meta = {k: v for k, v in row.items() if k not in SKIP_KEYS}
            post = build_post(posts_path, str(row.get("id", number)), meta, row.get("text", ""),
                              body_position=(number, 1), key_positions={}, base_dir=".")
            rows.append((document_for(PostContext(post, engine)).render(), set(row.get("expect", []))))
    return rows


def fit_block(counts: list[Counter[str]], min_df: int) -> tuple[list[str], list[float]]:
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    vocab = sorted(f for f, n in df.items() if n >= min_df)
    n = len(counts)
    # Smoothed idf, as the usual tf-idf implementations define it.
    idf = [math.log((1 + n) / (1 + df[f])) + 1 for f in vocab]
    return vocab, idf


def matrix(counts: list[Counter[str]], vocab: list[str], idf: list[float]):  # noqa: ANN201
    from scipy.sparse import csr_matrix

    index = {f: i for i, f in enumerate(vocab)}
    data: list[float] = []
    columns: list[int] = []
    pointers = [0]
    for c in counts:
        values = {index[f]: (1 + math.log(k)) * idf[index[f]] for f, k in c.items() if f in index}
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        for i, v in sorted(values.items()):
            columns.append(i)
            data.append(v / norm)
        pointers.append(len(columns))
    return csr_matrix((data, columns, pointers), shape=(len(counts), len(vocab)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=os.path.join(ROOT, "eval", "posts"), help="folder of set_* folders")
    parser.add_argument("--exclude", default="", help="comma-separated set names to leave out (e.g. xf,xg)")
    parser.add_argument("--out", default=DEFAULT_OUT, help="the built-in model (its pin in rules/model.yaml is updated)")
    parser.add_argument("--c", type=float, default=10.0, help="inverse regularisation strength")
    parser.add_argument("--class-weight", choices=("none", "balanced"), default="none",
                        help="'none' keeps scores calibrated as probabilities")
    parser.add_argument("--prune", type=float, default=0.5,
                        help="drop features whose largest weight is below this (keeps the file small)")
    args = parser.parse_args()
    try:
        from scipy.sparse import hstack
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print("training needs scikit-learn: pip install scikit-learn", file=sys.stderr)
        return 2

    excluded = {s.strip() for s in args.exclude.split(",") if s.strip()}
    folders = [f for f in sorted(glob.glob(os.path.join(args.sets, "set_*")))
               if os.path.basename(f)[4:] not in excluded]
    rows = [row for folder in folders for row in read_set(folder)]
    words, chars = zip(*(features(doc) for doc, _ in rows), strict=True)
    counts = (list(words), list(chars))
    blocks = [fit_block(counts[0], 2), fit_block(counts[1], 3)]
    labels = {c: [c in expect for _, expect in rows] for c in CATEGORIES}

    def fit(blocks):  # noqa: ANN001, ANN202
        x = hstack([matrix(counts[0], *blocks[0]), matrix(counts[1], *blocks[1])]).tocsr()
        weight = None if args.class_weight == "none" else "balanced"
        models = [LogisticRegression(C=args.c, max_iter=5000, class_weight=weight).fit(x, labels[c])
                  for c in CATEGORIES]
        return x.shape[1], [m.coef_[0] for m in models], [float(m.intercept_[0]) for m in models]

    width, coefficients, bias = fit(blocks)
    # Features no category leans on are dropped, then the models are fitted again on the
    # rest, so the file holds exactly what scoring normalises over.
    pruned = []
    offset = 0
    for vocab, idf in blocks:
        kept = [i for i in range(len(vocab)) if max(abs(w[offset + i]) for w in coefficients) >= args.prune]
        pruned.append(([vocab[i] for i in kept], [idf[i] for i in kept]))
        offset += len(vocab)
    kept_total, coefficients, bias = fit(pruned)
    print(f"{len(folders)} sets, {len(rows)} posts; kept {kept_total} of {width} features", file=sys.stderr)
    for category in CATEGORIES:
        print(f"  {category:<18} {sum(labels[category]):5} positive", file=sys.stderr)

    data = {"format": FORMAT, "categories": list(CATEGORIES), "bias": bias,
            "trained_on": f"{len(rows)} posts from {len(folders)} labelled sets"}
    offset = 0
    for name, (vocab, idf) in zip(("words", "chars"), pruned, strict=True):
        weights = [float(coefficients[c][offset + i]) for i in range(len(vocab)) for c in range(len(CATEGORIES))]
        data[name] = {"vocab": vocab, "idf": encode_floats(idf), "weights": encode_floats(weights)}
        offset += len(vocab)
    raw = gzip.compress(json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8"), mtime=0)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "wb") as handle:
        handle.write(raw)
    digest = hashlib.sha256(raw).hexdigest()
    print(f"wrote {args.out} ({len(raw) // 1024} KiB)", file=sys.stderr)
    if os.path.abspath(args.out) == os.path.abspath(DEFAULT_OUT):
        _pin(digest)
    print(f"sha256: {digest}")
    return 0


def _pin(digest: str) -> None:
    """Write the new model's sha256 into the built-in pack that names it."""
    pack = os.path.join(ROOT, "rules", "model.yaml")
    with open(pack, encoding="utf-8") as handle:
        text = handle.read()
    pinned, count = re.subn(r"(?m)^(    sha256: )[0-9a-f]{64}$", lambda m: m.group(1) + digest, text)
    if count != 1:
        raise SystemExit(f"{pack}: expected one sha256 line to update, found {count}")
    with open(pack, "w", encoding="utf-8") as handle:
        handle.write(pinned)
    print(f"pinned it in {pack}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
