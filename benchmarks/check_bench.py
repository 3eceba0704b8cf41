"""Print how fast postguard checks text posts: cold start of a one-post check, and posts
per second over a generated batch of a few thousand posts, with and without the NER model
(and without the text model, for comparison).

    python benchmarks/check_bench.py [--posts 3000] [--runs 5]

Figures only; nothing here asserts on time (these machines are noisy).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TEMPLATES = [
    "Last night's trauma: {age} y/o M, MRN {mrn}, in bed {bed}. He made it.",
    "Grand rounds today in Room 204: sepsis bundles and the {pct}% survival data.",
    "Flu shots are here! Patients 65+ should get the high-dose shot. Call (555) 201-4000.",
    "My patient {name} rang the bell today after {n} rounds of chemo 🔔",
    "Congratulations to Dr. {name} on this year's Daisy Award!",
    "pt J.S. in rm {bed}B keeps pressing the call light lol #nightshift",
    "Our hospital turns 100 this year. Founded in 1926 on the North Shore.",
    "Selfie in the OR before the big case 😷 #surgery",
    "Thank you Senator Hollis for supporting nurse staffing ratios!",
    "DOB {m}/{d}/51 on the sticker, oops. Delete delete delete.",
]
NAMES = ["Maria", "Tomas", "Kayla", "Priya", "Jordan", "Rosa", "Ahmed", "Grace"]


def make_posts(folder: str, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for index in range(count):
        text = rng.choice(TEMPLATES).format(
            age=rng.randint(2, 99), mrn=rng.randint(10**6, 10**8), bed=rng.randint(1, 40),
            pct=rng.randint(50, 99), name=rng.choice(NAMES), n=rng.randint(2, 12),
            m=rng.randint(1, 12), d=rng.randint(1, 28),
        )
        sub = os.path.join(folder, f"d{index // 500:02d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"post{index:05d}.md"), "w", encoding="utf-8") as handle:
            handle.write(f"---\nplatform: x\nbio: Nurse. Views my own.\n---\n{text}\n")


def postguard_cmd() -> list[str]:
    exe = shutil.which("postguard") or os.path.join(os.path.dirname(sys.executable), "postguard")
    return [exe] if os.path.exists(exe) else [sys.executable, "-m", "postguard"]


def timed(cmd: list[str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        one = os.path.join(folder, "one.txt")
        with open(one, "w", encoding="utf-8") as handle:
            handle.write("Last night's trauma: 72 y/o M, MRN 00451238, in bed 12.\n")
        no_ner = os.path.join(folder, "no-ner.yaml")
        with open(no_ner, "w", encoding="utf-8") as handle:
            handle.write("ner_model: none\n")
        bare = os.path.join(folder, "bare.yaml")
        with open(bare, "w", encoding="utf-8") as handle:
            handle.write("ner_model: none\ntext_model: none\n")
        batch = os.path.join(folder, "batch")
        make_posts(batch, args.posts)
        cmd = postguard_cmd()
        print(f"postguard: {' '.join(cmd)}   python {sys.version.split()[0]}   cores {os.cpu_count()}")
        print(f"{'measure':<46}{'median':>10}{'min':>10}")
        for label, extra in (("cold start, one post, NER model (auto)", []),
                             ("cold start, one post, no NER model", ["--config", no_ner]),
                             ("cold start, one post, no NER, no text model", ["--config", bare])):
            times = [timed(cmd + ["check", *extra, one], folder) for _ in range(args.runs)]
            print(f"{label:<46}{statistics.median(times):>9.3f}s{min(times):>9.3f}s")
        for label, extra in (("batch, NER model (auto)", []), ("batch, no NER model", ["--config", no_ner]),
                             ("batch, no NER, no text model", ["--config", bare])):
            times = [timed(cmd + ["check", "--format", "json", *extra, batch], folder) for _ in range(max(1, args.runs // 2))]
            best = min(times)
            print(f"{label + f' ({args.posts} posts)':<46}{statistics.median(times):>9.3f}s{best:>9.3f}s"
                  f"   {args.posts / best:,.0f} posts/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
