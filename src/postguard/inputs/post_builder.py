"""Assemble a `Post` from raw metadata and a body, whatever file format they came from."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from postguard.inputs.metadata import TEXT_KEYS, parse_meta
from postguard.inputs.problems import METADATA, input_finding
from postguard.model import FileLocator, Origin, Post, Severity, TextField

# Where a raw value sits in its file: (line, column) of its first character.
Position = tuple[int | None, int | None]


def is_url(reference: str) -> bool:
    return reference.lower().startswith(("http://", "https://", "ftp://", "//"))


def build_post(
    path: str,
    item: str | None,
    raw: Mapping[str, Any],
    body: str | None,
    *,
    body_position: Position,
    key_positions: Mapping[str, Position],
    base_dir: str,
    meta_origin: Origin = Origin.FRONT_MATTER,
    list_separator: str | None = None,
    post_line: int | None = None,
) -> Post:
    meta, problems = parse_meta(raw, list_separator=list_separator)
    post = Post(path=path, item=item, meta=meta, line=post_line)
    for problem in problems:
        line = key_positions.get(problem.key or "", (post_line, None))[0] if problem.key else post_line
        severity = Severity.WARNING if problem.message.startswith("unknown key") else Severity.ERROR
        post.problems.append(input_finding(METADATA, problem.message, path, item=item, line=line, severity=severity))
    if body is not None:
        line, column = body_position
        post.fields.append(TextField("text", body, Origin.TEXT, FileLocator(body, line, column)))
    for key in TEXT_KEYS:
        value = getattr(meta, key)
        if value:
            line, column = key_positions.get(key, (post_line, None))
            post.fields.append(TextField(key, value, meta_origin, FileLocator(value, line, column)))
    post.image_paths = tuple(
        ref if is_url(ref) or os.path.isabs(ref) else os.path.normpath(os.path.join(base_dir, ref))
        for ref in meta.images
    )
    return post
