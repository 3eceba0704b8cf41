"""Throughput of a large scheduled-post CSV batch (text only): posts per second.

Generates a realistic bulk-schedule export (scheduler headers, day-first dates with a
separate time column, multi-line quoted cells, links, about one post in ten with an
identifier) in a temporary folder, then times loading alone, the whole library check,
and the installed command end to end. Prints figures; asserts nothing.

    python benchmarks/batch_bench.py [--rows 10000] [--repeat 3] [--no-cli]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from postguard.check import run_check
from postguard.config import BatchSettings, Config
from postguard.engine.ruleset import load_ruleset
from postguard.inputs.batch import load_batch_file

CLEAN = [
    "Flu shots are available at the main lobby this week, no appointment needed!",
    "Congratulations to our nursing team on the Magnet recognition. Proud of you all.",
    "Join us Friday for grand rounds: advances in minimally invasive cardiac surgery.",
    "Heat advisory this weekend: drink water, check on your neighbours, and know the signs of heat stroke.",
    "Our residents ran the half marathon for the children's hospital fund. Thank you to everyone who donated!",
    "New visitor hours start Monday. Details on our website.",
    "Thank you to the volunteers who knitted 300 hats for the NICU this winter.\nWarm hearts, warm heads.",
    "Reminder: screening saves lives. Talk to your doctor about colon cancer screening after 45.",
]
RISKY = [
    "What a night in the trauma bay, pt MRN 00123487 is doing well now",
    "Amazing recovery for our 72-year-old patient from room 4B",
    "Last night's case was one for the textbooks",
    "Discharged today after 3 weeks, call her at 555-201-7788 if you know her",
]


def make_csv(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    lines = ["Date,time_24hr,Post Message,link,Platform"]
    for _ in range(rows):
        text = rng.choice(RISKY) if rng.random() < 0.1 else rng.choice(CLEAN)
        if "\n" in text or "," in text or '"' in text or rng.random() < 0.05:
            text = '"' + text.replace('"', '""') + '"'
        link = "https://example.org/news" if rng.random() < 0.3 else ""
        lines.append(
            f"{rng.randint(13, 28)}/{rng.randint(1, 12):02d}/2027,{rng.randint(7, 20):02d}:{rng.choice(['00', '30'])},"
            f"{text},{link},{rng.choice(['x', 'facebook', 'linkedin', 'instagram'])}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def best_of(repeat: int, action: object) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-cli", action="store_true", help="skip timing the installed command")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scheduled.csv"
        make_csv(path, args.rows)
        size = path.stat().st_size
        config = Config(batch=BatchSettings(date_order="day-first"), ner_model=None)
        ruleset = load_ruleset(config)
        posts = load_batch_file(str(path), config.batch)
        assert len(posts) == args.rows, len(posts)

        load = best_of(args.repeat, lambda: load_batch_file(str(path), config.batch))
        findings = 0

        def whole() -> None:
            nonlocal findings
            findings = len(run_check([str(path)], config, ruleset).findings)

        check = best_of(args.repeat, whole)
        print(f"batch: {args.rows} rows, {size / 1024 / 1024:.1f} MiB CSV, {findings} findings")
        print(f"load only (CSV -> posts):     {load:7.2f} s  {args.rows / load:9.0f} posts/s")
        print(f"load + check (library):       {check:7.2f} s  {args.rows / check:9.0f} posts/s")
        if not args.no_cli:
            env = dict(os.environ, CI="true")
            (Path(folder) / ".postguard.yaml").write_text("ner_model: none\nbatch:\n  date_order: day-first\n")
            command = [sys.executable, "-m", "postguard", "check", "--format", "json", "-o", os.devnull, path.name]
            cli = best_of(1, lambda: subprocess.run(command, cwd=folder, env=env, check=False))
            print(f"postguard check (end to end): {cli:7.2f} s  {args.rows / cli:9.0f} posts/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
