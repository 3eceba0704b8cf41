"""`postguard init`: a commented starter `.postguard.yaml`.

The template is loaded by the real config loader in the tests, so it cannot drift from
what the loader accepts.
"""

from __future__ import annotations

import os

from postguard.config import CONFIG_NAMES
from postguard.errors import UsageError

TEMPLATE = """\
# postguard configuration: see the README ("Configuration") and `postguard rules list`.
# Every key is optional; unknown keys are an error. Lists take ["a", "b"] or one item a line.

institution:
  # The organisation's names, exactly as written in posts.
  names: ["Example Health", "Example Medical Center"]
  # Short forms and derivatives: found in a personal account's handle or display name,
  # regardless of case and separators ("Example" in @DrAmy_Example). Terms of three letters
  # or fewer match only as a whole part of the handle.
  brand_terms: ["Example", "EXH"]
  # The organisation's own accounts: posts from these are `official`.
  official_handles: ["@ExampleHealth"]
  # Public phone numbers, emails and addresses that are fine to post.
  public_contacts: ["(555) 010-4000", "appointments@example.org", "100 Main Street"]
  domains: ["example.org"]

# Account type of posts that do not say (`account:` in front matter or a batch column).
account: personal          # personal | official

# Lowest severity that fails the run (exit code 1); `--fail-on` overrides it.
fail_on: error             # error | warning | info

# Paths skipped when a folder is checked (gitignore-style patterns, relative to this file).
exclude:
  - "drafts/archive/**"

# Per-rule changes; see `postguard rules list` for the ids.
# rules:
#   phi.patient-age: {severity: warning}
#   conduct.*: off

# Your own rule packs, added to the built-in ones.
# packs: [./rules/our-extra-rules.yaml]

# Scheduled-post batches (CSV, JSON, JSONL, YAML).
batch:
  # How to read 03/04/2026: auto reports such a date as ambiguous instead of guessing.
  date_order: auto         # auto | day-first | month-first
  # Scheduler columns with other names: source column -> postguard key (text, scheduled,
  # time, link, images, platform, account, handle, display_name, bio, case_date, consent,
  # alt_text, id, ignore). text/message/Post Message/date/time_24hr/imageUrls work already.
  columns:
    "Tweet copy": text
    "Go-live": scheduled
"""


def write_starter(folder: str = ".") -> str:
    """Write `.postguard.yaml` in `folder`; an existing config is never overwritten."""
    for name in CONFIG_NAMES:
        existing = os.path.join(folder, name)
        if os.path.exists(existing):
            raise UsageError(f"{existing} already exists: not overwritten")
    if not os.path.isdir(folder):
        raise UsageError(f"no such folder: {folder}")
    path = os.path.join(folder, CONFIG_NAMES[0])
    try:
        # "x": fail rather than overwrite, even if the file appeared since the check.
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(TEMPLATE)
    except FileExistsError:
        raise UsageError(f"{path} already exists: not overwritten") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
