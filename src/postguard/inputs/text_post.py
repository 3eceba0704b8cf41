"""Single-post files: `.txt`, `.md` with optional YAML front matter, and stdin."""

from __future__ import annotations

import os
import re

from postguard.errors import InputError
from postguard.inputs.post_builder import build_post
from postguard.inputs.problems import DECODE, FRONT_MATTER, UNREADABLE, input_finding
from postguard.inputs.reading import MAX_POST_BYTES, decode_text, read_bytes
from postguard.model import Post, PostMeta
from postguard.yamlsafe import LineDict, YamlError, load_yaml

_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
MAX_FRONT_MATTER_BYTES = 64 * 1024


def load_text_post(path: str, *, data: bytes | None = None) -> Post:
    """Load one post; unreadable input becomes an `input` finding on an empty post."""
    try:
        raw = data if data is not None else read_bytes(path, MAX_POST_BYTES)
    except InputError as exc:
        return _failed(path, UNREADABLE, str(exc))
    try:
        text = decode_text(raw)
    except InputError as exc:
        return _failed(path, DECODE, str(exc))
    base_dir = os.path.dirname(os.path.abspath(path)) if path != "-" else os.getcwd()
    if path.lower().endswith(".md") or path == "-":
        return _with_front_matter(path, text, base_dir)
    return build_post(path, None, {}, text, body_position=(1, 1), key_positions={}, base_dir=base_dir)


def _failed(path: str, rule: str, message: str) -> Post:
    post = Post(path=path, item=None, meta=PostMeta())
    post.problems.append(input_finding(rule, message, path))
    return post


def _with_front_matter(path: str, text: str, base_dir: str) -> Post:
    first_line, _, rest = text.partition("\n")
    if first_line.rstrip() != "---":
        return build_post(path, None, {}, text, body_position=(1, 1), key_positions={}, base_dir=base_dir)

    closing = _CLOSING.search(rest)
    problem: tuple[str, int | None] | None = None
    raw: object = None
    if closing is None:
        problem = ("front matter opened with '---' on line 1 is never closed", 1)
    else:
        block = rest[: closing.start()]
        if len(block.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
            problem = (f"front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB", 1)
        else:
            try:
                raw = load_yaml(block) if block.strip() else LineDict()
            except YamlError as exc:
                problem = (f"front matter: {exc.message}", exc.line + 1 if exc.line else 1)
            else:
                if not isinstance(raw, dict):
                    problem = ("front matter must be a mapping of keys (platform:, account:, ...)", 2)

    if problem is not None or closing is None or not isinstance(raw, LineDict):
        # Fail closed: report the broken header and still check every line as text.
        post = build_post(path, None, {}, text, body_position=(1, 1), key_positions={}, base_dir=base_dir)
        message, line = problem or ("front matter could not be read", 1)
        post.problems.append(input_finding(FRONT_MATTER, message, path, line=line))
        return post

    body_offset = len(first_line) + 1 + closing.end() + 1
    body = text[body_offset:] if body_offset <= len(text) else ""
    body_line = text[:body_offset].count("\n") + 1
    # Front matter starts on line 2 of the file: shift the YAML's own line numbers.
    positions = {key: (line + 1, raw.value_cols.get(key)) for key, line in raw.key_lines.items()}
    post = build_post(path, None, raw, body, body_position=(body_line, 1), key_positions=positions, base_dir=base_dir)
    post.meta.key_lines = {key: pos[0] for key, pos in positions.items() if pos[0] is not None}
    return post
