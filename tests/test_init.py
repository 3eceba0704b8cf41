"""`postguard init`: a starter config that postguard's own loader accepts, never overwriting one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from postguard.cli import main
from postguard.config import load_config
from postguard.engine.ruleset import load_ruleset
from postguard.init_config import TEMPLATE


def test_init_writes_a_config_that_loads(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    written = tmp_path / ".postguard.yaml"
    assert written.read_text() == TEMPLATE
    config = load_config(str(written))
    assert config.institution_names and config.brand_terms and config.official_handles and config.public_contacts
    assert config.account == "personal" and config.fail_on.value == "error" and config.exclude
    assert config.batch.columns == {"tweet copy": "text", "go-live": "scheduled"}
    load_ruleset(config)  # the rules it names (if any) exist


def test_template_explains_each_section() -> None:
    for key in (
        "institution:",
        "brand_terms:",
        "official_handles:",
        "public_contacts:",
        "account:",
        "fail_on:",
        "exclude:",
        "batch:",
        "date_order:",
        "columns:",
    ):
        assert key in TEMPLATE
    assert TEMPLATE.count("#") > 15


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / ".postguard.yaml").write_text("account: official\n")
    out = subprocess.run([sys.executable, "-m", "postguard", "init"], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "already exists" in out.stderr
    assert (tmp_path / ".postguard.yaml").read_text() == "account: official\n"


def test_init_refuses_when_a_yml_config_exists(tmp_path: Path) -> None:
    (tmp_path / ".postguard.yml").write_text("account: official\n")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 2 and not (tmp_path / ".postguard.yaml").exists()


def test_check_uses_the_written_config(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["init", str(tmp_path)]).exit_code == 0
    (tmp_path / "post.csv").write_text("Tweet copy,Go-live\nFlu shots today,2026-11-30\n")
    out = subprocess.run(
        [sys.executable, "-m", "postguard", "check", "post.csv"], cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr
