"""CSV batches: scheduler headers, real file positions, malformed rows failing closed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from postguard.check import CheckOptions, load_targets, run_check
from postguard.config import BatchSettings, Config, parse_config
from postguard.engine.ruleset import RuleSet, load_ruleset
from postguard.errors import ConfigError
from postguard.inputs.batch import load_batch_file
from postguard.inputs.csv_batch import sniff_delimiter, tokenize
from postguard.model import Finding


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_ruleset(Config())


def check(paths: list[str], rules: RuleSet, config: Config | None = None) -> list[Finding]:
    return run_check(paths, config or Config(), rules).findings


def by_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def test_tokenizer_keeps_offsets_through_quotes_escapes_and_newlines() -> None:
    text = 'a,b\n"x ""y""\nz",plain\n\n"",last\n'
    rows = list(tokenize(text, ","))
    assert [[c.value for c in r.cells] for r in rows] == [["a", "b"], ['x "y"\nz', "plain"], ["", "last"]]
    cell = rows[1].cells[0]
    assert cell.start == text.index('"x')
    # The run after the escaped quote starts just past the '""' pair in the file.
    assert cell.segments[1] == (3, text.index('y""'))
    assert rows[2].start == text.index('"",last')


def test_unterminated_quote_is_flagged_and_swallows_nothing_silently() -> None:
    rows = list(tokenize('h\n"open cell\nmore\n', ","))
    assert rows[-1].unterminated and rows[-1].cells[0].value == "open cell\nmore\n"


@pytest.mark.parametrize(("header", "expected"), [("a,b", ","), ("a;b;c", ";"), ("a\tb", "\t"), ("text", ",")])
def test_delimiter_is_sniffed_from_the_header(header: str, expected: str) -> None:
    assert sniff_delimiter(header + "\n1,2\n") == expected


def test_each_finding_names_row_and_real_line_with_multiline_cells(tmp_path: Path, rules: RuleSet) -> None:
    (tmp_path / "batch.csv").write_text(
        "text,scheduled\n"
        '"Clinic open\nall week, ""walk-ins"" welcome",2026-11-30\n'
        '"Thanks team!\nShe said ""thanks"" pt MRN 00123487",2026-12-01\n'
    )
    findings = check([str(tmp_path / "batch.csv")], rules)
    mrn = by_rule(findings, "phi.mrn")
    assert len(mrn) == 1
    # Row 2 starts on line 4; the MRN is on line 5, after two escaped quotes on that line.
    assert (mrn[0].item, mrn[0].location.line) == ("2", 5)
    line5 = 'She said ""thanks"" pt MRN 00123487",2026-12-01'
    assert mrn[0].location.column == line5.index("MRN") + 1
    assert mrn[0].location.end_column == line5.index('87"') + 2


def test_scheduler_headers_dates_times_and_images(tmp_path: Path, rules: RuleSet) -> None:
    Image.new("RGB", (20, 20), "white").save(tmp_path / "flyer.png")
    (tmp_path / "bulk.csv").write_text(
        "Date,time_24hr,Post Message,imageUrls,link,Platform\n"
        "30/11/2026,14:30,Flu clinic today,flyer.png;https://cdn.example.org/a.jpg,https://example.org,X\n"
    )
    posts, _ = load_targets([str(tmp_path / "bulk.csv")], Config(), CheckOptions())
    (post,) = posts
    assert post.item == "1" and post.line == 2
    assert post.meta.scheduled is not None and post.meta.scheduled.isoformat() == "2026-11-30T14:30:00"
    assert post.meta.platform == "x"
    assert post.image_paths[0] == str(tmp_path / "flyer.png")
    assert post.image_paths[1].startswith("https://")
    assert {f.name for f in post.fields} >= {"text", "link"}
    findings = check([str(tmp_path / "bulk.csv")], rules)
    assert [f.severity.value for f in by_rule(findings, "input.image")] == ["warning"]  # the URL is not fetched


@pytest.mark.parametrize("header", ["message", "MESSAGE_TEXT", "Post Message", "post_message", "Content"])
def test_text_column_aliases(tmp_path: Path, header: str) -> None:
    (tmp_path / "b.csv").write_text(f"{header}\nhello\n")
    (post,) = load_batch_file(str(tmp_path / "b.csv"))
    assert post.field_named("text") is not None and post.field_named("text").value == "hello"  # type: ignore[union-attr]
    assert post.problems == []


def test_config_column_mapping_wins(tmp_path: Path, rules: RuleSet) -> None:
    (tmp_path / ".postguard.yaml").write_text(
        'batch:\n  columns:\n    "Tweet copy": text\n    "Go-live": scheduled\n    message: link\n'
        "  date_order: month-first\n"
    )
    config = parse_config((tmp_path / ".postguard.yaml").read_text(), str(tmp_path / ".postguard.yaml"))
    (tmp_path / "b.csv").write_text("Tweet copy,Go-live,message\n72-year-old pt,03/04/2026,https://x.org\n")
    posts, _ = load_targets([str(tmp_path / "b.csv")], config, CheckOptions())
    (post,) = posts
    assert post.field_named("text").value == "72-year-old pt"  # type: ignore[union-attr]
    assert post.field_named("link").value == "https://x.org"  # type: ignore[union-attr]
    assert post.meta.scheduled is not None and (post.meta.scheduled.month, post.meta.scheduled.day) == (3, 4)


def test_mapping_to_an_unknown_key_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text("x\n1\n")
    with pytest.raises(ConfigError, match="batch.columns"):
        load_batch_file(str(tmp_path / "b.csv"), BatchSettings(columns={"x": "txet"}))


def test_ambiguous_date_is_reported_on_its_row_not_guessed(tmp_path: Path, rules: RuleSet) -> None:
    (tmp_path / "b.csv").write_text("date,message\n13/04/2026,fine\n03/04/2026,also fine\n")
    findings = check([str(tmp_path / "b.csv")], rules)
    (problem,) = by_rule(findings, "input.metadata")
    assert (problem.item, problem.location.line, problem.severity.value) == ("2", 3, "error")
    assert "'date'" in problem.message and "03/04/2026" in problem.message and "batch.date_order" in problem.message
    config = Config(batch=BatchSettings(date_order="day-first"))
    assert by_rule(check([str(tmp_path / "b.csv")], rules, config), "input.metadata") == []


def test_header_format_hint_settles_the_order(tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text("Date (DD/MM/YYYY),text\n03/04/2026,hi\n")
    (post,) = load_batch_file(str(tmp_path / "b.csv"))
    assert post.problems == [] and post.meta.scheduled is not None and post.meta.scheduled.month == 4


def test_unreadable_date_keeps_the_text_checked(tmp_path: Path, rules: RuleSet) -> None:
    (tmp_path / "b.csv").write_text("scheduled,text\nnext tuesday,pt MRN 00123487\n")
    findings = check([str(tmp_path / "b.csv")], rules)
    assert by_rule(findings, "input.metadata") and by_rule(findings, "phi.mrn")


def test_malformed_rows_fail_closed_and_the_rest_is_checked(tmp_path: Path, rules: RuleSet) -> None:
    (tmp_path / "b.csv").write_text(
        'id,text\na1,fine\na2,too,many,cells MRN 00123487\na3,72-year-old pt\na4,"never closed\nMRN 00987652\n'
    )
    findings = check([str(tmp_path / "b.csv")], rules)
    rows = by_rule(findings, "input.batch-row")
    assert [(f.item, f.location.line) for f in rows] == [("2", 3), ("4", 5)]
    assert "4 cells but the header has 2" in rows[0].message
    # The raw text of broken rows is still checked: nothing passes unchecked.
    assert {(f.item, f.location.line) for f in by_rule(findings, "phi.mrn")} == {("2", 3), ("4", 6)}
    assert [f.item for f in findings if f.category == "patient-age"] == ["a3"]


def test_missing_text_column_checks_rows_as_raw_text(tmp_path: Path, rules: RuleSet) -> None:
    (tmp_path / "b.csv").write_text("when,words\n2026-11-30,pt MRN 00123487\n")
    findings = check([str(tmp_path / "b.csv")], rules)
    (header,) = by_rule(findings, "input.batch-row")
    assert header.item is None and header.location.line == 1 and "no text column" in header.message
    assert by_rule(findings, "phi.mrn")[0].location.line == 2


def test_near_miss_column_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text("text,schedulled\nhi,2026-11-30\n")
    posts = load_batch_file(str(tmp_path / "b.csv"))
    (warning,) = [f for p in posts for f in p.problems]
    assert warning.severity.value == "warning" and "did you mean 'scheduled'" in warning.message


def test_ids_metadata_and_inline_suppressions(tmp_path: Path, rules: RuleSet) -> None:
    (tmp_path / "b.csv").write_text(
        "id,text,account,ignore\n"
        "P-7,72-year-old pt,official,phi.patient-age-*: fictional teaching case\n"
        "P-8,72-year-old pt,personal,\n"
    )
    findings = check([str(tmp_path / "b.csv")], rules)
    assert [f.item for f in findings if f.category == "patient-age"] == ["P-8"]
    assert by_rule(findings, "input.suppression") == []


def test_crlf_bom_and_semicolon_files(tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_bytes('\ufeffid;text\r\n1;a\r\n2;"b\r\nc"\r\n'.encode())
    posts = load_batch_file(str(tmp_path / "b.csv"))
    assert [(p.item, p.line, p.field_named("text").value) for p in posts] == [("1", 2, "a"), ("2", 3, "b\nc")]  # type: ignore[union-attr]


def test_blank_and_empty_rows_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text("text,date\n\nhello,\n,\n")
    assert [p.item for p in load_batch_file(str(tmp_path / "b.csv"))] == ["1"]


def test_undecodable_batch_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_bytes(b"text\n\xff\xfe bad\n")
    (post,) = load_batch_file(str(tmp_path / "b.csv"))
    assert [f.rule for f in post.problems] == ["input.decode"]


def _scheduler_csv(folder: Path, rows: int) -> Path:
    """A bulk-schedule export: a few hundred rows, some multi-line, some with images."""
    for name in ("a.png", "b.png"):
        Image.new("RGB", (32, 32), "white").save(folder / name)
    lines = ["Date,time_24hr,Post Message,imageUrls"]
    for n in range(1, rows + 1):
        image = "a.png" if n % 25 == 0 else "b.png;a.png" if n % 40 == 0 else ""
        text = f"Post {n}: flu clinic open this week"
        if n % 50 == 7:
            text = f'"Post {n}: great save\n""thanks"" from pt MRN 00123487"'
        lines.append(f"{(n % 28) + 1:02d}/12/2026,09:{n % 60:02d},{text},{image}")
    path = folder / "scheduled.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_few_hundred_scheduled_posts_in_one_command(tmp_path: Path) -> None:
    path = _scheduler_csv(tmp_path, 300)
    (tmp_path / ".postguard.yaml").write_text("batch:\n  date_order: day-first\n")
    out = subprocess.run(
        [sys.executable, "-m", "postguard", "check", "--format", "json", path.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    assert data["summary"]["posts"] == 300 and data["summary"]["images"] >= 12
    mrns = [f for f in data["findings"] if f["category"] == "mrn"]
    assert len(mrns) == 6
    source = path.read_text().split("\n")
    for finding in mrns:
        assert finding["item"] is not None and finding["line"] is not None
        # The line named is the real one: the row's second physical line holds the MRN.
        assert source[finding["line"] - 1][finding["column"] - 1 :].startswith("MRN")
        assert source[finding["line"] - 2].split(",")[2].startswith(f'"Post {finding["item"]}:')
    assert not [f for f in data["findings"] if f["rule"] in ("input.batch-row", "input.metadata")]
