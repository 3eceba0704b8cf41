"""Turn command-line paths into the list of files to check.

Directories are walked recursively, skipping hidden folders and the config's
gitignore-style excludes. Directory symlinks are not followed (no loops); FIFOs and
devices found while walking are skipped, and given by name they are reported.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pathspec

TEXT_EXTENSIONS = (".txt", ".md", ".markdown")
BATCH_EXTENSIONS = (".csv", ".json", ".jsonl", ".ndjson", ".yaml", ".yml")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".gif", ".bmp")


def kind_of(path: str) -> str | None:
    """'text', 'batch' or 'image' by extension; None when unsupported."""
    lower = path.lower()
    if path == "-":
        return "text"
    for kind, extensions in (("text", TEXT_EXTENSIONS), ("batch", BATCH_EXTENSIONS), ("image", IMAGE_EXTENSIONS)):
        if lower.endswith(extensions):
            return kind
    return None


@dataclass(frozen=True)
class Target:
    path: str  # as it will appear in reports
    kind: str | None  # None: given explicitly but of an unsupported type
    missing: bool = False


class Excludes:
    def __init__(self, patterns: Iterable[str], root: str) -> None:
        self.root = os.path.abspath(root)
        self.spec = pathspec.GitIgnoreSpec.from_lines(list(patterns))

    def excluded(self, path: str, is_dir: bool = False) -> bool:
        relative = os.path.relpath(os.path.abspath(path), self.root)
        if relative.startswith(".."):
            return False
        relative = relative.replace(os.sep, "/")
        return self.spec.match_file(relative + "/" if is_dir else relative)


def discover(paths: Iterable[str], excludes: Excludes) -> Iterator[Target]:
    seen: set[str] = set()
    for given in paths:
        if given == "-":
            yield Target("-", "text")
            continue
        if os.path.isdir(given):
            for found in _walk(given, excludes):
                key = os.path.realpath(found)
                if key not in seen:
                    seen.add(key)
                    yield Target(found, kind_of(found))
            continue
        if not os.path.lexists(given):
            yield Target(given, kind_of(given), missing=True)
            continue
        key = os.path.realpath(given)
        if key not in seen:
            seen.add(key)
            yield Target(given, kind_of(given))


def _walk(top: str, excludes: Excludes) -> Iterator[str]:
    for folder, dirs, files in os.walk(top, followlinks=False):
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".") and not excludes.excluded(os.path.join(folder, d), is_dir=True)
        )
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            if kind_of(path) is None or excludes.excluded(path):
                continue
            if not os.path.isfile(path):  # FIFOs, sockets, dangling links: not posts
                continue
            yield path
