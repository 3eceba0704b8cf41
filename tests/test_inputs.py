"""Loaders: every kind of file becomes posts, and unreadable input fails closed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from postguard.check import CheckOptions, load_targets, run_check
from postguard.config import Config, parse_config
from postguard.engine.ruleset import load_ruleset
from postguard.inputs.text_post import load_text_post
from postguard.model import Origin


def _rules(findings: list[object]) -> list[str]:
    return [f.rule for f in findings]


def test_markdown_front_matter_is_read_with_lines(tmp_path: Path) -> None:
    post_file = tmp_path / "p.md"
    post_file.write_text("---\nplatform: X\nhandle: '@dr_amy'\ncase_date: 2026-11-01\nconsent: [REL-1, REL-2]\n---\nHello\nworld\n")
    post = load_text_post(str(post_file))
    assert post.problems == []
    assert post.meta.platform == "x"
    assert post.meta.consent == ("REL-1", "REL-2")
    assert post.meta.key_lines["handle"] == 3
    body = post.field_named("text")
    assert body is not None and body.value == "Hello\nworld\n"
    assert body.locator.locate(6, 11).line == 8  # "world" is on line 8 of the file
    handle = post.field_named("handle")
    assert handle is not None and handle.origin == Origin.FRONT_MATTER


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    post_file = tmp_path / "p.txt"
    post_file.write_bytes(b"\xef\xbb\xbfline one\r\nMRN 00123487\r\n")
    report = run_check([str(post_file)], Config(), load_ruleset(Config()))
    mrn = [f for f in report.findings if f.category == "mrn"]
    assert mrn and (mrn[0].location.line, mrn[0].location.column) == (2, 1)


@pytest.mark.parametrize(
    ("content", "rule", "message"),
    [
        (b"MRN \xff\xfe 12", "input.decode", "not valid UTF-8"),
        (b"abc\x00def", "input.decode", "NUL bytes"),
        (b"\xff\xfeh\x00i\x00", "input.decode", "UTF-16"),
    ],
)
def test_undecodable_files_are_errors(tmp_path: Path, content: bytes, rule: str, message: str) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes(content)
    post = load_text_post(str(path))
    assert _rules(post.problems) == [rule]
    assert message in post.problems[0].message
    assert post.problems[0].severity.value == "error"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("---\nplatform: [x\n---\nMRN 00123487\n", "front matter: invalid YAML", 3),
        ("---\nplatform: x\nMRN 00123487\n", "never closed", 1),
        ("---\n- a\n- b\n---\nMRN 00123487\n", "must be a mapping", 2),
        ("---\na: &x 1\nb: *x\n---\nMRN 00123487\n", "aliases", 3),
    ],
)
def test_broken_front_matter_is_reported_and_the_text_still_checked(tmp_path: Path, text: str, message: str, line: int) -> None:
    path = tmp_path / "p.md"
    path.write_text(text)
    report = run_check([str(path)], Config(), load_ruleset(Config()))
    problems = [f for f in report.findings if f.rule == "input.front-matter"]
    assert len(problems) == 1 and message in problems[0].message
    assert problems[0].location.line == line
    assert any(f.category == "mrn" for f in report.findings), "the body must still be checked"


def test_wrong_metadata_types_are_errors_with_the_key_line(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_text("---\nplatform: x\naccount: corporate\nimages: {a: 1}\nscheduled: next week\ncase_dat: 2026-01-01\n---\nhi\n")
    post = load_text_post(str(path))
    by_line = {f.location.line: f for f in post.problems}
    assert "'account' must be" in by_line[3].message
    assert "'images' must be" in by_line[4].message
    assert "'scheduled' must be" in by_line[5].message
    assert "did you mean 'case_date'" in by_line[6].message and by_line[6].severity.value == "warning"


def test_directory_walk_skips_hidden_folders_and_excludes(tmp_path: Path) -> None:
    for name in ("a.txt", "sub/b.md", ".git/c.txt", "drafts/archive/d.txt", "notes.rtf", "sub/.hidden.txt"):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("hello")
    config = parse_config("exclude: ['drafts/archive/**']\n", str(tmp_path / ".postguard.yaml"))
    posts, files = load_targets([str(tmp_path)], config, CheckOptions())
    found = sorted(os.path.relpath(p.path, tmp_path) for p in posts)
    assert found == ["a.txt", os.path.join("sub", "b.md")]
    assert files == 2


def test_missing_and_unsupported_paths_are_input_errors(tmp_path: Path) -> None:
    (tmp_path / "notes.rtf").write_text("x")
    report = run_check([str(tmp_path / "nope.txt"), str(tmp_path / "notes.rtf")], Config(), load_ruleset(Config()))
    messages = sorted(f.message for f in report.findings)
    assert messages == ["no such file or directory", "unsupported file type '.rtf': not checked"]
    assert all(f.rule == "input.unreadable" and f.severity.value == "error" for f in report.findings)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_given_by_name_is_reported_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "p.txt"
    os.mkfifo(fifo)
    post = load_text_post(str(fifo))  # must not block
    assert "not a regular file" in post.problems[0].message
    posts, _ = load_targets([str(tmp_path)], Config(), CheckOptions())
    assert posts == []  # skipped while walking


def test_symlink_loops_do_not_hang(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "p.txt").write_text("hi")
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    posts, _ = load_targets([str(tmp_path)], Config(), CheckOptions())
    assert [os.path.basename(p.path) for p in posts] == ["p.txt"]


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with open(path, "wb") as handle:
        handle.seek(50 * 1024 * 1024)
        handle.write(b"x")
    post = load_text_post(str(path))
    assert "over the 1.0 MiB limit" in post.problems[0].message


def test_name_starting_with_dash(tmp_path: Path) -> None:
    (tmp_path / "-p.txt").write_text("MRN 00123487")
    report = run_check(["./-p.txt"], Config(), load_ruleset(Config()))
    assert [f.category for f in report.findings] == ["mrn"]


def test_stdin_post_with_front_matter() -> None:
    options = CheckOptions(stdin=b"---\naccount: personal\nbio: Surgeon\n---\n72 y/o pt\n")
    report = run_check(["-"], Config(), load_ruleset(Config()), options)
    assert {f.category for f in report.findings} >= {"missing-disclaimer", "patient-age"}
    assert all(f.path == "-" for f in report.findings)


def test_check_never_modifies_inputs(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_text("---\nbio: x\n---\nMRN 00123487\n")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    run_check([str(tmp_path)], Config(), load_ruleset(Config()))
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
