"""Batch files (contract section 1): `.csv`, `.json`, `.jsonl`/`.ndjson`, `.yaml`/`.yml`.

Each record becomes a `Post` whose `item` is its `id` (else its 1-based row or index)
and whose `line` is where the record starts in the file. A record that cannot be read is
an `input` finding; the other records are still checked.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from postguard.config import BatchSettings
from postguard.errors import InputError
from postguard.inputs.batch_post import Columns
from postguard.inputs.csv_batch import load_csv
from postguard.inputs.json_batch import load_json, load_jsonl
from postguard.inputs.problems import DECODE, UNREADABLE, input_finding
from postguard.inputs.reading import MAX_BATCH_BYTES, decode_text, read_bytes
from postguard.inputs.yaml_batch import load_yaml_batch
from postguard.model import Post, PostMeta

if TYPE_CHECKING:
    from postguard.check import CheckOptions
    from postguard.inputs.discover import Target

FormatLoader = Callable[[str, str, Columns, str], list[Post]]
FORMATS: dict[str, FormatLoader] = {
    ".csv": load_csv,
    ".json": load_json,
    ".jsonl": load_jsonl,
    ".ndjson": load_jsonl,
    ".yaml": load_yaml_batch,
    ".yml": load_yaml_batch,
}


def load_batch_file(path: str, settings: BatchSettings | None = None, *, config_path: str | None = None) -> list[Post]:
    """All posts of one batch file; unreadable files give one post holding the problem."""
    loader = FORMATS.get(os.path.splitext(path)[1].lower())
    if loader is None:
        return [_failed(path, UNREADABLE, f"not a batch file: {os.path.basename(path)}")]
    columns = Columns(settings or BatchSettings(), config_path)
    try:
        data = read_bytes(path, MAX_BATCH_BYTES)
    except InputError as exc:
        return [_failed(path, UNREADABLE, str(exc))]
    try:
        text = decode_text(data)
    except InputError as exc:
        return [_failed(path, DECODE, str(exc))]
    return loader(path, text, columns, os.path.dirname(os.path.abspath(path)))


def load_batch(target: Target, options: CheckOptions) -> list[Post]:
    """The `LOADERS["batch"]` entry of `postguard.check`."""
    return load_batch_file(target.path, options.batch, config_path=options.config_path)


def _failed(path: str, rule: str, message: str) -> Post:
    post = Post(path=path, item=None, meta=PostMeta())
    post.problems.append(input_finding(rule, message, path))
    return post
