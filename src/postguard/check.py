"""The check, as explicit stages: discover -> load -> (OCR) -> engine -> suppressions.

This is the library entry point the CLI calls; it never prints and never exits.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from postguard.config import BatchSettings, Config
from postguard.engine.ruleset import RuleSet
from postguard.engine.runner import Engine
from postguard.inputs.batch import load_batch
from postguard.inputs.discover import Excludes, Target, discover
from postguard.inputs.image_post import attach_readings, image_post, local_images
from postguard.inputs.problems import UNREADABLE, input_finding
from postguard.inputs.text_post import load_text_post
from postguard.model import Finding, Post, PostMeta, Severity
from postguard.suppress import apply_suppressions

# Loaders by input kind; batch and image loaders register themselves here.
PostLoader = Callable[[Target, "CheckOptions"], list[Post]]
LOADERS: dict[str, PostLoader] = {}


@dataclass
class CheckOptions:
    now: dt.datetime | None = None
    stdin: bytes | None = None  # the bytes of `-`
    jobs: int | None = None
    use_cache: bool = True
    progress: Callable[[int, int], None] | None = None
    ocr_progress: Callable[[int, int], None] | None = None
    ocr_settings: object | None = None  # postguard.images.OcrSettings; None: the defaults
    # Set from the config by `load_targets`: batch loaders get no config of their own.
    batch: BatchSettings | None = None
    config_path: str | None = None


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    posts: int = 0
    images: int = 0
    notes: list[str] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def _load_text(target: Target, options: CheckOptions) -> list[Post]:
    data = options.stdin if target.path == "-" else None
    if target.path == "-" and data is None:
        data = b""
    return [load_text_post(target.path, data=data)]


LOADERS["text"] = _load_text
LOADERS["batch"] = load_batch
LOADERS["image"] = lambda target, options: [image_post(target)]


def load_targets(paths: Iterable[str], config: Config, options: CheckOptions) -> tuple[list[Post], int]:
    """Every post under the given paths, with unreadable inputs as posts holding a problem."""
    posts: list[Post] = []
    files = 0
    options = replace(options, batch=options.batch or config.batch, config_path=options.config_path or config.path)
    for target in discover(paths, Excludes(config.exclude, config.root)):
        files += 1
        if target.missing:
            posts.append(_problem_post(target.path, "no such file or directory"))
        elif target.kind is None:
            ext = os.path.splitext(target.path)[1] or "(none)"
            posts.append(_problem_post(target.path, f"unsupported file type '{ext}': not checked"))
        elif target.kind not in LOADERS:
            posts.append(_problem_post(target.path, f"{target.kind} files cannot be checked by this installation"))
        else:
            posts.extend(LOADERS[target.kind](target, options))
    return posts, files


def _problem_post(path: str, message: str) -> Post:
    post = Post(path=path, item=None, meta=PostMeta())
    post.problems.append(input_finding(UNREADABLE, message, path))
    return post


def check_posts(posts: list[Post], engine: Engine, progress: Callable[[int, int], None] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for done, post in enumerate(posts, start=1):
        found = list(post.problems) + engine.check(post)
        findings.extend(apply_suppressions(post, found))
        if progress is not None:
            progress(done, len(posts))
    return findings


def check_paths(paths: Iterable[str], config: Config, engine: Engine, options: CheckOptions) -> Report:
    posts, files = load_targets(paths, config, options)
    image_notes = attach_images(posts, options)
    report = Report(files=files, posts=sum(1 for p in posts if not p.is_image), images=_count_images(posts))
    report.findings = sorted(check_posts(posts, engine, options.progress), key=lambda f: f.sort_key)
    report.notes = sorted(engine.notes | image_notes)
    return report


def run_check(paths: Iterable[str], config: Config, ruleset: RuleSet, options: CheckOptions | None = None) -> Report:
    options = options or CheckOptions()
    return check_paths(paths, config, Engine(ruleset, config, now=options.now), options)


def _count_images(posts: list[Post]) -> int:
    return sum(len(p.image_paths) for p in posts if not p.is_image) + sum(1 for p in posts if p.is_image)


def attach_images(posts: list[Post], options: CheckOptions) -> set[str]:
    """OCR every local image once (in parallel, cached) and add the readings to their posts."""
    wanted = sorted({ref for post in posts for ref in local_images(post) if os.path.isfile(ref)})
    readings: dict[str, object] = {}
    notes: set[str] = set()
    if wanted:
        # Imported here: a check without images never loads Pillow or the OCR layer.
        from postguard.images import INSTALL_HINT, OcrCache, OcrSettings, read_images

        cache = OcrCache() if options.use_cache else None
        settings = options.ocr_settings if isinstance(options.ocr_settings, OcrSettings) else OcrSettings()
        for reading in read_images(wanted, settings, cache=cache, jobs=options.jobs, progress=options.ocr_progress):
            readings[reading.path] = reading
            if any(p.message == INSTALL_HINT for p in reading.problems):
                notes.add(INSTALL_HINT)
    for post in posts:
        if post.image_paths:
            attach_readings(post, readings)
    return notes


def check_text(text: str, config: Config | None = None, ruleset: RuleSet | None = None, **meta: object) -> list[Finding]:
    """Check one post given as a string (library use): `check_text("72 y/o pt in rm 4")`."""
    from postguard.engine.ruleset import load_ruleset
    from postguard.inputs.post_builder import build_post

    config = config or Config()
    ruleset = ruleset or load_ruleset(config)
    post = build_post("<text>", None, meta, text, body_position=(1, 1), key_positions={}, base_dir=os.getcwd())
    return check_posts([post], Engine(ruleset, config))
