"""`--format github`: one well-formed, escaped workflow command per finding, masked."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from postguard.model import Finding, Location, Origin, Severity
from postguard.report.github_report import annotation, escape_data, escape_property

# A property value may not contain a raw ',' ':' '%' or newline; data no raw '%' or newline.
PROPERTY = r"[^,:%\r\n]*(?:%(?:25|2C|3A|0D|0A)[^,:%\r\n]*)*"
COMMAND = re.compile(
    rf"^::(error|warning|notice) file={PROPERTY}(?:,line=\d+)?(?:,col=\d+)?(?:,endLine=\d+)?(?:,endColumn=\d+)?"
    rf",title={PROPERTY}::[^\r\n%]*(?:%(?:25|0D|0A)[^\r\n%]*)*$"
)


def test_escaping_follows_the_runner_rules() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_cli_lines_are_well_formed_and_masked(tmp_path: Path) -> None:
    (tmp_path / "odd, name: 100%.md").write_text("---\nplatform: x\n---\npt MRN 00123487\n72-year-old pt\n")
    (tmp_path / "b.csv").write_text('id,text\nr1,"line one\nMRN 00987652"\n')
    out = subprocess.run(
        [sys.executable, "-m", "postguard", "check", "--format", "github", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert commands and all(COMMAND.match(line) for line in commands), commands
    assert lines[-1].startswith("postguard: ")  # a plain summary line, not a command
    assert "file=odd%2C name%3A 100%25.md,line=4,col=4," in out.stdout
    assert any("file=b.csv,line=3,col=1" in line and "[item r1]" in line for line in commands)
    assert "00123487" not in out.stdout and "00987652" not in out.stdout


def test_levels_and_image_findings() -> None:
    base = dict(
        category="mrn",
        message="Medical record number",
        path="post.md",
        item=None,
        match="MRN 00123487",
        value_range=(4, 12),
    )
    text = Finding("phi.mrn", severity=Severity.INFO, origin=Origin.TEXT, location=Location(2, 3, 2, 14), **base)
    assert annotation(text).startswith(
        "::notice file=post.md,line=2,col=3,endLine=2,endColumn=14,title=postguard phi.mrn (mrn)::"
    )
    image = Finding(
        "phi.mrn",
        severity=Severity.WARNING,
        origin=Origin.IMAGE_TEXT,
        location=Location(image="shots/board.png", box=(1, 2, 3, 4)),
        **base,
    )
    line = annotation(image)
    assert COMMAND.match(line) and line.startswith("::warning file=shots/board.png,title=")
    assert "attached to post.md" in line and "00****87" in line
    assert "00123487" in annotation(image, show_matches=True)


@pytest.mark.parametrize("message", ["two\nlines", "colons: and, commas", "%0A literal"])
def test_messages_cannot_break_out(message: str) -> None:
    finding = Finding("r.x", "conduct", Severity.ERROR, message, "p.md", None, Origin.TEXT, Location(1, 1, 1, 1))
    line = annotation(finding)
    assert "\n" not in line and COMMAND.match(line)
