"""Baselines: accept today's findings, report only new ones.

An entry is a fingerprint keyed by content, not by line numbers, so inserting a row
above a known finding does not make it "new". The file must hold no PHI and no hash
that can be reversed: an unsalted sha256 of a 9-digit MRN falls to brute force in
seconds. So the match is hashed together with the whole normalised post text
(`Finding.context_key`, high-entropy) and the rule id; a finding with no such context
(image metadata, say) is keyed by where it is, never by its matched value.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from postguard.check import Report
from postguard.config import Config
from postguard.errors import UsageError
from postguard.inputs.discover import Excludes, discover
from postguard.model import Finding

VERSION = 1
_DOMAIN = "postguard-fingerprint-v1"


@dataclass(frozen=True, order=True)
class Entry:
    path: str  # relative to the baseline file's folder, '/'-separated: where the finding was
    rule: str
    fingerprint: str


def _digest(*parts: str) -> str:
    # NUL-separated so that ("ab", "c") and ("a", "bc") differ.
    return hashlib.sha256("\x00".join((_DOMAIN, *parts)).encode("utf-8", "surrogatepass")).hexdigest()


def _content(finding: Finding) -> tuple[str, ...]:
    if finding.context_key:
        return ("post", finding.rule, finding.context_key, finding.match, finding.source_field)
    loc = finding.location
    return (
        "place", finding.rule, finding.item or "", finding.message, finding.source_field,
        os.path.basename(loc.image or ""), ",".join(map(str, loc.box or ())),
    )


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """One stable fingerprint per finding; identical findings are told apart by occurrence."""
    seen: Counter[tuple[str, ...]] = Counter()
    result = []
    for finding in findings:
        content = _content(finding)
        result.append(_digest(*content, str(seen[content])))
        seen[content] += 1
    return result


def baselinable(finding: Finding) -> bool:
    # Fail closed: an unreadable file must never be hidden by a baseline.
    return finding.category != "input"


def relative_path(path: str, baseline_file: str) -> str:
    folder = os.path.dirname(os.path.abspath(baseline_file))
    relative = os.path.relpath(os.path.abspath(path), folder)
    return relative.replace(os.sep, "/")


def entries_for(findings: Sequence[Finding], baseline_file: str) -> list[Entry]:
    return sorted(
        Entry(relative_path(f.path, baseline_file), f.rule, fp)
        for f, fp in zip(findings, fingerprints(findings), strict=True)
        if baselinable(f)
    )


def dumps(entries: Iterable[Entry]) -> str:
    """Sorted, one entry a line: two branches that each add entries merge cleanly."""
    lines = [
        json.dumps({"path": e.path, "rule": e.rule, "fingerprint": e.fingerprint}, ensure_ascii=False)
        for e in sorted(set(entries))
    ]
    body = ",\n    ".join(lines)
    entries_text = f"[\n    {body}\n  ]" if lines else "[]"
    return (
        "{\n"
        f'  "version": {VERSION},\n'
        '  "tool": "postguard",\n'
        f'  "fingerprint": "sha256({_DOMAIN}, rule, post text, match, occurrence)",\n'
        f'  "entries": {entries_text}\n'
        "}\n"
    )


def write(baseline_file: str, entries: Iterable[Entry]) -> None:
    temporary = baseline_file + ".tmp"
    with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(dumps(entries))
    os.replace(temporary, baseline_file)


def read(baseline_file: str) -> list[Entry]:
    """The entries of a baseline file; a missing or malformed file is a usage error."""
    try:
        with open(baseline_file, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise UsageError(
            f"--baseline: no such file: {baseline_file} (create it with `postguard baseline create`)"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"--baseline: {baseline_file}: not a postguard baseline ({exc})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("entries"), list):
        raise UsageError(f"--baseline: {baseline_file}: not a version {VERSION} postguard baseline")
    entries = []
    for number, raw in enumerate(data["entries"], start=1):
        if not (isinstance(raw, dict) and all(isinstance(raw.get(k), str) for k in ("path", "rule", "fingerprint"))):
            raise UsageError(f"--baseline: {baseline_file}: entry {number} needs path, rule and fingerprint strings")
        entries.append(Entry(raw["path"], raw["rule"], raw["fingerprint"]))
    return entries


@dataclass
class BaselineResult:
    new: list[Finding]
    known: int  # findings hidden because the baseline has them
    stale: list[Entry]  # entries for checked files whose finding is gone


def apply(
    findings: Sequence[Finding], entries: Sequence[Entry], baseline_file: str, checked: Iterable[str],
) -> BaselineResult:
    """Drop baselined findings; entries of files that were checked but matched nothing are stale."""
    remaining = Counter(e.fingerprint for e in entries)
    new: list[Finding] = []
    known = 0
    for finding, fingerprint in zip(findings, fingerprints(findings), strict=True):
        if baselinable(finding) and remaining[fingerprint] > 0:
            remaining[fingerprint] -= 1
            known += 1
        else:
            new.append(finding)
    checked_paths = {relative_path(p, baseline_file) for p in checked}
    stale = []
    for entry in sorted(entries):
        if remaining[entry.fingerprint] > 0 and entry.path in checked_paths:
            remaining[entry.fingerprint] -= 1
            stale.append(entry)
    return BaselineResult(new, known, stale)


def stale_note(entry: Entry) -> str:
    return (
        f"stale baseline entry: {entry.rule} in {entry.path} ({entry.fingerprint[:12]}) is no longer found; "
        "refresh the baseline with `postguard baseline create`"
    )


def create(report: Report, baseline_file: str) -> tuple[int, int]:
    """Write the baseline of a report; returns (entries written, input findings left out)."""
    entries = entries_for(report.findings, baseline_file)
    write(baseline_file, entries)
    return len(entries), sum(1 for f in report.findings if not baselinable(f))


def filter_report(
    report: Report, entries: Sequence[Entry], baseline_file: str, paths: Iterable[str], config: Config,
) -> None:
    """Keep only new findings in `report`; say what the baseline hid and which entries are stale."""
    checked = [t.path for t in discover(paths, Excludes(config.exclude, config.root)) if not t.missing]
    result = apply(report.findings, entries, baseline_file, checked)
    report.findings = result.new
    if result.known:
        plural = "s" if result.known != 1 else ""
        report.notes.append(f"{result.known} known finding{plural} hidden by the baseline {baseline_file}")
    report.notes.extend(stale_note(entry) for entry in result.stale)
