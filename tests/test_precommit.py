"""The pre-commit hook, through the real pre-commit framework and a real `repo:`/`rev:` install.

pre-commit clones the hook repository at a commit and pip-installs it into its own
virtualenv (dependencies from the package index), then runs it on the staged files of a
temporary content repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from PIL import Image

REPO = Path(__file__).resolve().parents[1]


def _pre_commit() -> str:
    found = shutil.which("pre-commit") or os.path.join(os.path.dirname(sys.executable), "pre-commit")
    if not os.path.exists(found):
        pytest.skip("pre-commit is not installed (pip install -e '.[dev]')")
    return found


def _git(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _snapshot(target: Path, env: dict[str, str]) -> str:
    """A git repository holding the working tree as it is now (committed or not); its sha."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
    )
    if listed.returncode == 0:
        for name in filter(None, listed.stdout.split("\0")):
            source = REPO / name
            if source.is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)
    else:  # not a git checkout (an sdist): copy the tree
        ignore = shutil.ignore_patterns(".git", ".venv", "venv", "__pycache__", "*.egg-info", ".*_cache")
        shutil.copytree(REPO, target, ignore=ignore, dirs_exist_ok=True)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        assert _git(target, *args, env=env).returncode == 0
    return _git(target, "rev-parse", "HEAD", env=env).stdout.strip()


def test_hook_definition_is_valid() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "postguard" and hook["language"] == "python"
    assert set(hook["types_or"]) == {"text", "image"}
    assert "OMP_THREAD_LIMIT=1" in hook["entry"]

    files = re.compile(hook["files"])
    exclude = re.compile(hook["exclude"])
    for name in ("posts/a.md", "b.CSV", "c.jsonl", "d.yml", "e.JPG", "f.webp"):
        assert files.search(name) and not exclude.search(name), name
    for name in (".postguard.yaml", ".pre-commit-config.yaml", ".github/workflows/ci.yml"):
        assert exclude.search(name), name
    assert not files.search("script.py")


@pytest.mark.slow  # installs postguard into a fresh virtualenv: deselect with -m "not slow"
def test_commit_with_a_violation_is_refused_and_a_clean_one_passes(tmp_path: Path) -> None:
    pre_commit = _pre_commit()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "cache"),
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(tmp_path),
        CI="true",
    )
    hook_repo = tmp_path / "postguard"
    hook_repo.mkdir()
    sha = _snapshot(hook_repo, env)

    content = tmp_path / "content"
    content.mkdir()
    assert _git(content, "init", "-q", env=env).returncode == 0
    (content / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {sha}\n    hooks:\n      - id: postguard\n"
    )
    (content / ".postguard.yaml").write_text("batch:\n  date_order: day-first\n")
    install = subprocess.run([pre_commit, "install"], cwd=content, env=env, capture_output=True, text=True)
    assert install.returncode == 0, install.stderr

    (content / "scheduled").mkdir()
    (content / "scheduled" / "flu.md").write_text("---\nplatform: x\n---\nFlu shots today at the main lobby!\n")
    (content / "scheduled" / "week.csv").write_text("Date,Post Message\n30/11/2026,Grand rounds on Friday\n")
    _git(content, "add", "-A", env=env)
    clean = _git(content, "commit", "-m", "clean posts", env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "postguard" in clean.stdout + clean.stderr and "Passed" in clean.stdout + clean.stderr

    Image.new("RGB", (40, 40), "white").save(content / "scheduled" / "banner.png")
    _git(content, "add", "-A", env=env)
    image = _git(content, "commit", "-m", "an image", env=env)
    # Staged images reach the hook (whatever OCR then finds in a blank banner).
    assert "no files to check" not in image.stdout + image.stderr

    (content / "scheduled" / "week.csv").write_text(
        'Date,Post Message\n30/11/2026,Grand rounds on Friday\n01/12/2026,"Great save\nthanks pt MRN 00123487"\n'
    )
    _git(content, "add", "-A", env=env)
    refused = _git(content, "commit", "-m", "a violation", env=env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "Failed" in output and "phi.mrn" in output and "scheduled/week.csv" in output
    assert "[2] 4:" in output  # the row and its real line
    assert "00123487" not in output  # masked, even in the hook's output
    assert _git(content, "log", "--oneline", env=env).stdout.count("a violation") == 0
