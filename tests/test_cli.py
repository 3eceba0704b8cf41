"""The command line, through click's runner and through the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from postguard import __version__
from postguard.cli import main


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def posts(tmp_path: Path) -> Path:
    (tmp_path / "bad.md").write_text("---\nplatform: x\n---\n72 y/o pt, MRN 00123487\n")
    (tmp_path / "warn.txt").write_text("Last night's trauma was rough, pt is stable now\n")
    (tmp_path / "ok.txt").write_text("Flu shots today!\n")
    return tmp_path


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


def test_exit_codes_follow_fail_on(posts: Path) -> None:
    assert run("check", str(posts / "ok.txt"))[0] == 0
    assert run("check", str(posts / "bad.md"))[0] == 1
    assert run("check", str(posts / "warn.txt"))[0] == 0
    assert run("check", "--fail-on", "warning", str(posts / "warn.txt"))[0] == 1
    assert run("check", "--fail-on", "never", str(posts / "bad.md"))[0] == 0


def test_config_fail_on_is_the_default(posts: Path) -> None:
    (posts / ".postguard.yaml").write_text("fail_on: warning\n")
    os.chdir(posts)
    assert run("check", "warn.txt")[0] == 1


def test_unreadable_input_is_exit_1_not_2(posts: Path) -> None:
    code, out, _ = run("check", "--format", "json", str(posts / "nope.txt"), str(posts / "ok.txt"))
    assert code == 1
    data = json.loads(out)
    assert [f["rule"] for f in data["findings"]] == ["input.unreadable"]
    assert data["summary"]["files"] == 2


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--format", "xml", "x.txt"],
        ["check", "--fail-on", "fatal", "x.txt"],
        ["check", "--bogus", "x.txt"],
        ["check"],
        ["frobnicate"],
        ["check", "--config", "missing.yaml", "x.txt"],
        ["rules", "explain", "phi.mnr"],
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: list[str]) -> None:
    code, out, err = run(*args)
    assert code == 2, (out, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("postguard: error:"), err
    assert "Traceback" not in err + out


def test_invalid_config_is_exit_2_with_file_and_line(posts: Path) -> None:
    (posts / ".postguard.yaml").write_text("fail_on: error\ncolour: red\n")
    os.chdir(posts)
    code, _, err = run("check", "ok.txt")
    assert code == 2
    assert err.startswith(f"postguard: error: {posts / '.postguard.yaml'}:2: config: unknown key 'colour' (allowed: ")


def test_invalid_custom_pack_is_exit_2(posts: Path) -> None:
    (posts / "team.yaml").write_text("pack: team\nrules:\n  - id: team.x\n    category: nope\n")
    (posts / ".postguard.yaml").write_text("packs: [team.yaml]\n")
    os.chdir(posts)
    code, _, err = run("check", "ok.txt")
    assert code == 2
    assert "team.yaml:4: rule team.x: 'category' must be one of" in err


def test_stdin(posts: Path) -> None:
    code, out, _ = run("check", "--format", "json", "-", input="pt J.S. in bed 4\n")
    assert code == 1
    assert {f["category"] for f in json.loads(out)["findings"]} == {"patient-name", "location"}


def test_show_matches(posts: Path) -> None:
    _, masked, _ = run("check", str(posts / "bad.md"))
    _, shown, _ = run("check", "--show-matches", str(posts / "bad.md"))
    assert "00123487" not in masked and "00123487" in shown


def test_output_file(posts: Path) -> None:
    out_file = posts / "report.json"
    code, out, _ = run("check", "--format", "json", "-o", str(out_file), str(posts / "bad.md"))
    assert code == 1 and out == ""
    assert json.loads(out_file.read_text())["summary"]["error"] >= 1


def test_rules_list_and_explain() -> None:
    code, out, _ = run("rules", "list")
    assert code == 0 and "phi.mrn" in out and "case.within-a-month" in out
    code, out, _ = run("rules", "list", "--format", "json")
    assert {r["id"] for r in json.loads(out)} >= {"phi.mrn", "account.brand-in-handle"}
    code, out, _ = run("rules", "list", "--format", "md")
    assert out.startswith("# postguard rule reference") and "### `phi.mrn`" in out
    code, out, _ = run("rules", "explain", "phi.patient-age-shorthand")
    assert code == 0
    assert "The age of the patient should not be included." in out
    assert "Flagged:" in out and "72 y/o M" in out


def test_rules_test_runs_builtin_and_custom_examples(posts: Path) -> None:
    (posts / "team.yaml").write_text(
        "pack: team\nrules:\n  - id: team.word\n    category: conduct\n    severity: warning\n    kind: terms\n"
        "    terms: [bad word]\n    message: Bad\n    policy: {source: p, quote: q}\n"
        "    examples: {flag: [a bad word, wrong example], pass: [good]}\n"
    )
    code, out, _ = run("rules", "test", str(posts / "team.yaml"))
    assert code == 1
    assert "FAIL" in out and "team.word flag: 'wrong example' was not flagged" in out
    assert out.strip().endswith("2 passed, 1 failed")
    code, out, _ = run("rules", "test")
    assert code == 0 and out.strip().endswith(" 0 failed")


def _console_script() -> str:
    exe = shutil.which("postguard") or os.path.join(os.path.dirname(sys.executable), "postguard")
    if not os.path.exists(exe):
        pytest.skip("console script not installed")
    return exe


def test_shell_completion_works_the_click_way() -> None:
    exe = _console_script()
    env = dict(os.environ, _POSTGUARD_COMPLETE="bash_source")
    out = subprocess.run([exe], env=env, capture_output=True, text=True)
    assert "_postguard_completion" in out.stdout


def test_installed_console_script_from_another_folder(posts: Path) -> None:
    exe = _console_script()
    out = subprocess.run([exe, "check", "--format", "json", "bad.md"], cwd=posts, capture_output=True, text=True)
    assert out.returncode == 1, out.stderr
    assert json.loads(out.stdout)["findings"][0]["path"] == "bad.md"
    bad = subprocess.run([exe, "check", "--format", "nope", "bad.md"], cwd=posts, capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_rule_reference_page_is_up_to_date() -> None:
    """docs/rules.md is generated from the packs; regenerate it when a rule changes:
    postguard rules list --all --format md > docs/rules.md"""
    from .conftest import REPO

    os.chdir(REPO)  # no config here: the built-in packs only
    code, out, _ = run("rules", "list", "--all", "--format", "md")
    assert code == 0
    assert (REPO / "docs" / "rules.md").read_text(encoding="utf-8") == out
