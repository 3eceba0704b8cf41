"""Baselines: content fingerprints, no PHI, only new findings reported, stale entries listed."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from postguard import baseline
from postguard.cli import main
from postguard.model import Finding, Location, Origin, Severity

MRN = "00123487"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "postguard", *args], cwd=cwd, capture_output=True, text=True)


def write_posts(folder: Path) -> None:
    (folder / "posts").mkdir(exist_ok=True)
    (folder / "posts" / "a.md").write_text(f"---\nplatform: x\n---\nGreat teamwork, pt MRN {MRN} is home\n")
    (folder / "posts" / "batch.csv").write_text("id,text\nr1,Flu clinic today\nr2,pt MRN 00987652 thanks you\n")


def test_create_then_check_reports_nothing_and_a_new_violation_is_reported(tmp_path: Path) -> None:
    write_posts(tmp_path)
    created = cli(tmp_path, "baseline", "create", ".postguard-baseline.json", "posts")
    assert created.returncode == 0, created.stderr
    assert "wrote 2 baseline entries" in created.stderr

    clean = cli(tmp_path, "check", "--baseline", ".postguard-baseline.json", "--format", "json", "posts")
    assert clean.returncode == 0, clean.stdout
    assert json.loads(clean.stdout)["findings"] == []
    assert "2 known findings hidden by the baseline" in clean.stderr

    with (tmp_path / "posts" / "batch.csv").open("a") as handle:
        handle.write("r3,a 72-year-old pt in room 4\n")
    new = cli(tmp_path, "check", "--baseline", ".postguard-baseline.json", "--format", "json", "posts")
    assert new.returncode == 1
    assert {f["item"] for f in json.loads(new.stdout)["findings"]} == {"r3"}


def test_fingerprints_survive_moved_lines_but_not_edited_posts(tmp_path: Path) -> None:
    write_posts(tmp_path)
    os_cwd = str(tmp_path)
    assert run("baseline", "create", f"{os_cwd}/b.json", f"{os_cwd}/posts")[0] == 0
    batch = tmp_path / "posts" / "batch.csv"
    batch.write_text(batch.read_text().replace("id,text\n", "id,text\nr0,New clean post first\n"))
    code, out, _ = run("check", "--baseline", f"{os_cwd}/b.json", "--format", "json", f"{os_cwd}/posts")
    assert code == 0 and json.loads(out)["findings"] == []
    batch.write_text(batch.read_text().replace("thanks you", "thanks you all"))
    code, out, err = run("check", "--baseline", f"{os_cwd}/b.json", "--format", "json", f"{os_cwd}/posts")
    assert code == 1 and [f["item"] for f in json.loads(out)["findings"]] == ["r2"]
    # The edited post's old entry is stale, and said so on stderr.
    assert "stale baseline entry: phi.mrn in posts/batch.csv" in err


def test_stale_entries_only_for_files_that_were_checked(tmp_path: Path) -> None:
    write_posts(tmp_path)
    base = str(tmp_path / "b.json")
    run("baseline", "create", base, str(tmp_path / "posts"))
    (tmp_path / "posts" / "a.md").write_text("Flu clinic today\n")
    _, _, err = run("check", "--baseline", base, str(tmp_path / "posts" / "batch.csv"))
    assert "stale baseline entry" not in err  # a.md was not checked: its entry is not stale
    _, _, err = run("check", "--baseline", base, str(tmp_path / "posts"))
    assert "stale baseline entry: phi.mrn in posts/a.md" in err


def test_file_has_no_phi_and_no_reversible_hash(tmp_path: Path) -> None:
    write_posts(tmp_path)
    base = tmp_path / "b.json"
    run("baseline", "create", str(base), str(tmp_path / "posts"))
    text = base.read_text()
    assert MRN not in text and "00987652" not in text and "teamwork" not in text
    for value in (MRN, f"MRN {MRN}", "00987652", "MRN 00987652"):
        for digest in (hashlib.sha256(value.encode()).hexdigest(), hashlib.md5(value.encode()).hexdigest()):
            assert digest not in text


def test_file_format_is_sorted_versioned_and_one_entry_a_line(tmp_path: Path) -> None:
    write_posts(tmp_path)
    base = tmp_path / "b.json"
    run("baseline", "create", str(base), str(tmp_path / "posts"))
    first = base.read_text()
    run("baseline", "create", str(base), str(tmp_path / "posts"))
    assert base.read_text() == first  # stable
    data = json.loads(first)
    assert data["version"] == 1 and data["tool"] == "postguard"
    entry_lines = [line for line in first.splitlines() if '"fingerprint": "' in line and '"path"' in line]
    assert len(entry_lines) == len(data["entries"]) == 2
    assert data["entries"] == sorted(data["entries"], key=lambda e: (e["path"], e["rule"], e["fingerprint"]))


def test_identical_findings_in_two_posts_are_two_entries() -> None:
    def finding(path: str) -> Finding:
        return Finding(
            "phi.mrn",
            "mrn",
            Severity.ERROR,
            "m",
            path,
            None,
            Origin.TEXT,
            Location(1, 1, 1, 1),
            match=MRN,
            context_key=f"pt mrn {MRN}",
        )

    prints = baseline.fingerprints([finding("a.md"), finding("b.md")])
    assert len(set(prints)) == 2
    # Keyed by content: the same post text in another file (renamed) keeps its first fingerprint.
    assert baseline.fingerprints([finding("renamed.md")]) == prints[:1]


def test_input_findings_are_never_baselined(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_bytes(b"text\n\xff\n")
    base = str(tmp_path / "b.json")
    code, _, err = run("baseline", "create", base, str(tmp_path / "bad.csv"))
    assert code == 0 and "1 input findings left out" in err
    code, out, _ = run("check", "--baseline", base, "--format", "json", str(tmp_path / "bad.csv"))
    assert code == 1 and json.loads(out)["findings"][0]["rule"] == "input.decode"


def test_bad_baseline_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Flu shots\n")
    (tmp_path / "b.json").write_text('{"version": 99, "entries": []}')
    code, _, err = run("check", "--baseline", str(tmp_path / "b.json"), str(tmp_path / "ok.txt"))
    assert code == 2 and "not a version 1 postguard baseline" in err and len(err.strip().splitlines()) == 1
    code, _, err = run("check", "--baseline", str(tmp_path / "missing.json"), str(tmp_path / "ok.txt"))
    assert code == 2 and "no such file" in err


def test_sarif_notes_carry_the_baseline_summary(tmp_path: Path) -> None:
    write_posts(tmp_path)
    base = str(tmp_path / "b.json")
    run("baseline", "create", base, str(tmp_path / "posts"))
    (tmp_path / "posts" / "a.md").write_text("Flu clinic today\n")
    code, out, _ = run("check", "--baseline", base, "--format", "sarif", str(tmp_path / "posts"))
    notes = [n["message"]["text"] for n in json.loads(out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]]
    assert code == 0 and any(n.startswith("stale baseline entry") for n in notes)
