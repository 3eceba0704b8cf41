"""The text classifier: features, the model file and its pin, and how model rules act.

Most tests use a tiny hand-made model whose scores are known exactly; the shipped model
is covered by its rule examples (test_rule_examples) and the evaluation floors.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from postguard.cli import main
from postguard.config import Config, ModelFile, parse_config
from postguard.engine.pack import load_pack
from postguard.engine.ruleset import build_ruleset, builtin_rules_dir, load_ruleset
from postguard.engine.runner import Engine
from postguard.engine.textcat import FORMAT, Textcat, TextcatError, encode_floats, features, fold
from postguard.errors import ConfigError, RuleError
from postguard.inputs.post_builder import build_post
from postguard.model import ImageLocator, Origin, TextField

CATEGORIES = ["conduct", "location"]


def write_model(path: Path, words: dict[str, list[float]], bias: list[float]) -> str:
    """A model over word unigrams only (no character features); returns its sha256."""
    vocab = sorted(words)
    data = {
        "format": FORMAT,
        "categories": CATEGORIES,
        "bias": bias,
        "words": {"vocab": vocab, "idf": encode_floats([1.0] * len(vocab)),
                  "weights": encode_floats([w for f in vocab for w in words[f]])},
        "chars": {"vocab": [], "idf": encode_floats([]), "weights": encode_floats([])},
    }
    raw = gzip.compress(json.dumps(data).encode("utf-8"), mtime=0)
    path.write_bytes(raw)
    return hashlib.sha256(raw).hexdigest()


PACK = """
pack: team
models:
  tiny: {{file: tiny.json.gz, sha256: {sha}}}
rules:
  - id: team.room
    category: location
    severity: error
    kind: pattern
    pattern: 'room\\ \\d+'
    message: Room number
    policy: {{source: our-policy.pdf, quote: "No rooms."}}
    examples: {{flag: ["room 12"], pass: ["a room"]}}
  - id: team.model-location
    category: location
    severity: warning
    kind: model
    model: tiny
    min_score: 0.9
    confirm: {{packs: [team], min_score: 0.5}}
    message: Reads like a place
    policy: {{source: our-policy.pdf, quote: "No rooms."}}
    examples: {{flag: ["the patient in the corner bay"], pass: ["grand rounds in room 204"]}}
"""

# "patient" makes a location likely, "rounds" unlikely; "bay" alone is decisive.
WORDS = {"patient": [0.0, 2.0], "rounds": [0.0, -4.0], "bay": [0.0, 6.0], "idiot": [5.0, 0.0]}


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, str]:
    sha = write_model(tmp_path / "tiny.json.gz", WORDS, bias=[-2.0, 0.0])
    pack_path = tmp_path / "team.yaml"
    pack_path.write_text(PACK.format(sha=sha), encoding="utf-8")
    return pack_path, sha


def engine_for(pack_path: Path, config: Config | None = None) -> Engine:
    config = config or Config()
    pack = load_pack(str(pack_path), pack_path.read_text(encoding="utf-8"))
    return Engine(build_ruleset([pack], config), config)


def run(engine: Engine, text: str, **meta: object) -> list:
    post = build_post("post.md", None, meta, text, body_position=(1, 1), key_positions={}, base_dir=".")
    return engine.check(post)


def test_features_fold_case_width_and_digits() -> None:
    assert fold("Pt 72 Y/O") == fold("pt 68 y/o") == "pt 00 y/o"
    assert fold("ＲＭ １２") == "rm 00"
    words, chars = features("Rm 12B")
    assert words["rm"] == 1 and words["00b"] == 1 and words["rm 00b"] == 1
    assert chars[" rm "] == 1 and chars["00b"] == 1 and " 00b " in chars


def test_scores_are_the_logistic_of_the_tfidf_dot_product(tiny: tuple[Path, str]) -> None:
    model = Textcat.load(str(tiny[0].parent / "tiny.json.gz"), tiny[1])
    scores = model.scores("patient patient rounds")
    # tf is sublinear (1 + ln 2 for "patient"), then the vector is L2-normalised.
    p, r = 1 + math.log(2), 1.0
    norm = math.hypot(p, r)
    expected = 1 / (1 + math.exp(-(0.0 + 2.0 * p / norm - 4.0 * r / norm)))
    assert scores["location"] == pytest.approx(expected, rel=1e-6)
    assert scores["conduct"] == pytest.approx(1 / (1 + math.exp(2.0)), rel=1e-6)
    assert model.scores("nothing known here")["location"] == pytest.approx(0.5)


def test_an_altered_model_file_is_refused(tiny: tuple[Path, str]) -> None:
    path = tiny[0].parent / "tiny.json.gz"
    with pytest.raises(TextcatError, match="not the pinned"):
        Textcat.load(str(path), "0" * 64)
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(ConfigError, match="not the pinned"):
        engine_for(tiny[0])


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.json.gz"
    raw = gzip.compress(b'{"format": "something-else"}')
    path.write_bytes(raw)
    with pytest.raises(TextcatError, match="not a postguard-textcat"):
        Textcat.load(str(path), hashlib.sha256(raw).hexdigest())


def test_confirm_drops_pattern_matches_the_model_finds_unlikely(tiny: tuple[Path, str]) -> None:
    engine = engine_for(tiny[0])
    assert {f.rule for f in run(engine, "patient moved to room 12")} == {"team.room"}
    assert run(engine, "grand rounds in room 204") == []


def test_matches_in_image_text_are_never_dropped(tiny: tuple[Path, str]) -> None:
    engine = engine_for(tiny[0])
    post = build_post("post.md", None, {}, "grand rounds today", body_position=(1, 1), key_positions={}, base_dir=".")
    post.fields.append(TextField("image-text", "room 12", Origin.IMAGE_TEXT, ImageLocator("board.png")))
    assert [f.origin for f in engine.check(post)] == [Origin.IMAGE_TEXT]


def test_the_model_reports_what_no_pattern_saw_at_its_best_sentence(tiny: tuple[Path, str]) -> None:
    engine = engine_for(tiny[0])
    findings = run(engine, "Long night.\nThe patient in the corner bay kept us busy.")
    assert [f.rule for f in findings] == ["team.model-location"]
    finding = findings[0]
    assert finding.location.line == 2 and finding.location.column == 1
    assert finding.match == "The patient in the corner bay kept us busy."
    assert finding.message == "Reads like a place (text model score 1.00)"
    # Once a pattern has found the category, the model adds nothing of its own.
    assert {f.rule for f in run(engine, "The patient in bay 3, room 12")} == {"team.room"}


def test_text_model_none_skips_model_rules_and_says_so(tiny: tuple[Path, str]) -> None:
    engine = engine_for(tiny[0], replace(Config(), text_model=None))
    assert {f.rule for f in run(engine, "grand rounds in room 204")} == {"team.room"}
    assert run(engine, "the patient in the corner bay") == []
    assert any("text_model: none" in note for note in engine.notes)


def test_a_config_can_name_its_own_pinned_model(tiny: tuple[Path, str], tmp_path: Path) -> None:
    other = tmp_path / "other.json.gz"
    sha = write_model(other, {"rounds": [0.0, 4.0]}, bias=[0.0, 0.0])
    config = parse_config(f"text_model: {{file: other.json.gz, sha256: {sha}}}\n", str(tmp_path / "c.yaml"))
    assert config.text_model == ModelFile(str(other), sha)
    engine = engine_for(tiny[0], config)
    # The stand-in model likes "rounds", so the room match now stands.
    assert {f.rule for f in run(engine, "grand rounds in room 204")} == {"team.room"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("text_model: maybe\n", "text_model"),
        ("text_model: {file: m.json.gz}\n", "sha256"),
        ("text_model: {file: m.json.gz, sha256: abc}\n", "64 hex digits"),
    ],
)
def test_bad_text_model_settings_are_config_errors(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(text, "c.yaml")


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ("    kind: model\n    model: nope\n    min_score: 0.5\n", "names no model"),
        ("    kind: model\n    model: tiny\n", "min_score"),
        ("    kind: model\n    model: tiny\n    min_score: 2\n", "between 0 and 1"),
        ("    kind: terms\n    terms: [x]\n    min_score: 0.5\n", "only applies to kind 'model'"),
        ("    kind: model\n    model: tiny\n    min_score: 0.5\n    confirm: {packs: [team]}\n", "confirm"),
    ],
)
def test_invalid_model_rules_name_file_and_line(rules: str, message: str) -> None:
    text = (
        "pack: team\nmodels:\n  tiny: {file: t.json.gz, sha256: " + "a" * 64 + "}\nrules:\n"
        "  - id: team.m\n    category: conduct\n    severity: warning\n" + rules
        + '    message: m\n    policy: {source: p, quote: q}\n    examples: {flag: ["a"], pass: ["b"]}\n'
    )
    with pytest.raises(RuleError, match=rf"team\.yaml:\d+: .*{message}"):
        load_pack("team.yaml", text)


def test_an_altered_builtin_model_stops_the_cli_with_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import postguard.engine.textmodels as textmodels

    real = textmodels.Textcat.load
    monkeypatch.setattr(textmodels.Textcat, "load", classmethod(lambda cls, path, sha: real(path, "f" * 64)))
    (tmp_path / "p.txt").write_text("hello", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "p.txt")])
    assert result.exit_code == 2
    assert "not the pinned" in result.output and "Traceback" not in result.output


def test_the_builtin_model_matches_its_pin() -> None:
    ruleset = load_ruleset(Config())
    model = ruleset.models["textcat"]
    assert Path(model.path).parent == builtin_rules_dir() / "models"
    assert hashlib.sha256(Path(model.path).read_bytes()).hexdigest() == model.sha256
    loaded = Textcat.load(model.path, model.sha256)
    assert {r.category for r in ruleset.rules if r.kind == "model"} <= set(loaded.categories)


def test_a_model_finding_masks_its_whole_sentence(tiny: tuple[Path, str]) -> None:
    from postguard.report.masking import excerpt

    engine = engine_for(tiny[0])
    [finding] = run(engine, "The patient in the corner bay 4B")
    assert finding.rule == "team.model-location"
    assert excerpt(finding) == "*** ******* ** *** ****** *** **"
    assert excerpt(finding, show_matches=True) == "The patient in the corner bay 4B"


def test_capitalised_short_words_are_also_acronyms() -> None:
    words, _ = features("Selfie in the OR or the ED")
    assert words["or"] == 2 and words["^or"] == 1 and words["^ed"] == 1


@pytest.mark.parametrize(
    ("text", "meta", "category"),
    [
        ("My patient Gloria Mendes was admitted with sepsis", {}, "patient-name"),
        ("Sepsis bundle done for MRN 00451238", {}, "mrn"),
        ("Sepsis case: 45 yo female", {}, "patient-age"),
        ("Sepsis patient came in this morning", {}, "case-timing"),
        ("Sepsis pt in bed 7 is improving", {}, "location"),
        ("Her daughter's number is 555-867-5309, call her", {}, "contact"),
        ("selfie in the OR before the case", {"images": ["or.jpg"]}, "clinical-setting"),
        ("my patient's x-ray, look at this", {"images": ["xray.jpg"]}, "photo-consent"),
        ("Governor Smith is a clown who knows nothing about medicine", {}, "conduct"),
    ],
)
def test_the_builtin_model_never_clears_an_obvious_problem(check, text: str, meta: dict, category: str) -> None:  # noqa: ANN001
    # A retrained model must keep these: each is flagged by a pattern rule and confirmed.
    assert category in {f.category for f in check(text, **meta)}
