"""How many labelled identifiers in a folder of images postguard reports, per kind, with and
without OCR preprocessing.

    python benchmarks/evaluate_images.py --folder DIR [--labels DIR/labels.json] [--config C]

labels.json maps an image file name to {"mrn": [...], "name": [...], "dob": [...],
"bed": [...], "phone": [...]}: the strings a careful person can read in that image. A label
counts as found when a finding of the matching category covers it. Images whose name says
`flyer` or `awards` hold public numbers and staff names: there every finding is a false
alarm, and they are counted as such instead (as are images labelled `"clean": true`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections import Counter

from postguard.check import CheckOptions, run_check
from postguard.config import Config, load_config
from postguard.engine.ruleset import load_ruleset
from postguard.images import OcrSettings

CLEAN_IMAGES = ("flyer", "awards")
CATEGORY = {"mrn": "mrn", "name": "patient-name", "dob": "date", "bed": "location", "phone": "contact"}


def squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def covers(label: str, match: str) -> bool:
    """A finding covers a label when it holds the label's identifying part."""
    wanted, got = squash(label), squash(match)
    digits = re.sub(r"\D", "", wanted)
    if digits:  # "Bed 12" is covered by "12 GARCIA"; MRNs by their digits
        return digits in re.sub(r"\D", "", got)
    return wanted in got or (len(got) >= 4 and got in wanted)


def score(folder: str, labels: dict[str, dict[str, list[str]]], config: Config, preprocess: bool) -> tuple[Counter[str], Counter[str]]:
    ruleset = load_ruleset(config)
    paths = [os.path.join(folder, name) for name in sorted(labels)]
    options = CheckOptions(use_cache=False, ocr_settings=OcrSettings(preprocess=preprocess))
    report = run_check(paths, config, ruleset, options)
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for name, kinds in labels.items():
        path = os.path.join(folder, name)
        if kinds.get("clean") is True or any(word in name for word in CLEAN_IMAGES):
            found["false alarms"] += sum(1 for f in report.findings if f.path == path and f.category != "input")
            total["clean images"] += 1
            continue
        for kind, strings in kinds.items():
            if kind not in CATEGORY:
                continue
            matches = [f.match for f in report.findings if f.path == path and f.category == CATEGORY[kind]]
            for label in strings:
                total[kind] += 1
                if any(covers(label, m) for m in matches):
                    found[kind] += 1
    return found, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", required=True)
    parser.add_argument("--labels")
    parser.add_argument("--config")
    args = parser.parse_args()
    with open(args.labels or os.path.join(args.folder, "labels.json"), encoding="utf-8") as handle:
        labels = json.load(handle)
    config = load_config(args.config) if args.config else Config(ner_model=None)
    on, total = score(args.folder, labels, config, preprocess=True)
    off, _ = score(args.folder, labels, config, preprocess=False)
    print(f"{'kind':<8}{'labels':>8}{'found (preprocessing on)':>28}{'found (off)':>14}")
    for kind in CATEGORY:
        if total[kind]:
            print(f"{kind:<8}{total[kind]:>8}{on[kind]:>20} ({on[kind] / total[kind]:.0%}){off[kind]:>8} ({off[kind] / total[kind]:.0%})")
    all_total = sum(total[k] for k in CATEGORY)
    all_on, all_off = sum(on[k] for k in CATEGORY), sum(off[k] for k in CATEGORY)
    print(f"{'all':<8}{all_total:>8}{all_on:>20} ({all_on / all_total:.0%}){all_off:>8} ({all_off / all_total:.0%})")
    print(f"false alarms on {total['clean images']} clean images (flyers, award slides): "
          f"{on['false alarms']} with preprocessing, {off['false alarms']} without")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
