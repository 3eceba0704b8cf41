"""The command line: parse, load, call the library, render, map to an exit code.

Every `UsageError` (bad flag, config or rule pack) is caught here once and becomes a
one-line message and exit 2; nothing else in the package prints or exits.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from postguard import __version__
from postguard.errors import ExitCode, UsageError

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str) -> None:
    click.echo(f"postguard: error: {message}", err=True)
    sys.exit(ExitCode.USAGE)


def handle_errors(func: F) -> F:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UsageError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            click.echo("postguard: interrupted", err=True)
            sys.exit(130)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper  # type: ignore[return-value]


class Group(click.Group):
    """Unknown commands and bad flags stay one line (click's own usage errors exit 2)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help() if exc.ctx else "", err=False)
            sys.exit(ExitCode.USAGE)
        except click.UsageError as exc:
            # command_path is "postguard check" (or "main check" under a test runner).
            words = exc.ctx.command_path.split()[1:] if exc.ctx else []
            _fail(f"{exc.format_message()} (try 'postguard {' '.join(words + ['--help'])}')")
        except click.ClickException as exc:
            _fail(exc.format_message())
        except click.exceptions.Abort:
            click.echo("postguard: aborted", err=True)
            sys.exit(130)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except UsageError as exc:
            _fail(str(exc))
        except BrokenPipeError:
            sys.exit(ExitCode.OK)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="postguard")
def main() -> None:
    """Check healthcare social media posts for patient identifiers and policy problems."""


config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help="Config file (default: .postguard.yaml here or in a parent folder).",
)


jobs_option = click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None,
    help="Images read in parallel (default: one per core).",
)
no_cache_option = click.option(
    "--no-cache", is_flag=True, help="Do not read or write the OCR cache (it is private to your user).",
)


def _load(config_path: str | None) -> tuple[Any, Any]:
    from postguard.config import load_config
    from postguard.engine.ruleset import load_ruleset

    if config_path is not None and not os.path.isfile(config_path):
        raise UsageError(f"--config: no such file: {config_path}")
    config = load_config(config_path)
    return config, load_ruleset(config)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text", show_default=True, help="Report format.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default=None, help="Lowest severity that makes the exit code 1 (default: config fail_on, else error).")
@click.option("--show-matches", is_flag=True, help="Print matched text unmasked (PHI: never in CI logs).")
@config_option
@click.option("-q", "--quiet", is_flag=True, help="Findings only: no source lines, policies or summary when clean.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None, help="Write the report to a file instead of standard output.")
@click.option("--color/--no-color", default=None, help="Force colour on or off (default: on for terminals, off with NO_COLOR).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), default=None,
              help="Report only findings not recorded in this baseline (see `postguard baseline create`).")
@jobs_option
@no_cache_option
@handle_errors
def check(paths: tuple[str, ...], fmt: str, fail_on: str | None, show_matches: bool, config_path: str | None,
          quiet: bool, output: str | None, color: bool | None, baseline_file: str | None,
          jobs: int | None, no_cache: bool) -> None:
    """Check posts (.txt .md), batches and images; PATH may be a folder or - for stdin."""
    from postguard import baseline
    from postguard.check import CheckOptions
    from postguard.model import Severity
    from postguard.report import RenderOptions, renderers

    config, ruleset = _load(config_path)
    entries = baseline.read(baseline_file) if baseline_file is not None else None
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    to_terminal = bool(output) or sys.stdout.isatty()
    options = CheckOptions(stdin=stdin, jobs=jobs, use_cache=not no_cache)
    report = _run(paths, config, ruleset, options, reporting_to_terminal=to_terminal)
    if baseline_file is not None and entries is not None:
        baseline.filter_report(report, entries, baseline_file, paths, config)
    for note in report.notes:
        click.echo(f"postguard: note: {note}", err=True)
    render_options = RenderOptions(show_matches=show_matches, quiet=quiet, color=color)
    render = renderers()[fmt]
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            render(report, ruleset, handle, render_options)
    else:
        render(report, ruleset, sys.stdout, render_options)
        sys.stdout.flush()
    threshold = fail_on or config.fail_on.value
    if threshold == "never":
        sys.exit(ExitCode.OK)
    rank = Severity(threshold).rank
    failed = any(f.severity.rank >= rank for f in report.findings)
    sys.exit(ExitCode.FINDINGS if failed else ExitCode.OK)


def _run(paths: tuple[str, ...], config: Any, ruleset: Any, options: Any, *, reporting_to_terminal: bool) -> Any:
    """`run_check`, with a progress bar on stderr when a person is watching a long run."""
    from postguard.check import run_check
    from postguard.progress import progress_for

    bar = progress_for(sys.stderr, reporting_to_terminal)
    ocr_bar = progress_for(sys.stderr, reporting_to_terminal, minimum=4, label="reading images")
    options.progress = bar
    options.ocr_progress = ocr_bar
    try:
        return run_check(paths, config, ruleset, options)
    finally:
        for shown in (bar, ocr_bar):
            if shown is not None:
                shown.close()


@main.group("baseline")
def baseline_group() -> None:
    """Record today's findings so that `check --baseline` reports only new ones."""


@baseline_group.command("create")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1, type=click.Path())
@config_option
@handle_errors
def baseline_create(file: str, paths: tuple[str, ...], config_path: str | None) -> None:
    """Write FILE with the findings of PATH... (default: the current folder); no PHI is stored."""
    from postguard import baseline
    from postguard.check import CheckOptions

    config, ruleset = _load(config_path)
    paths = paths or (".",)
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    report = _run(paths, config, ruleset, CheckOptions(stdin=stdin), reporting_to_terminal=sys.stdout.isatty())
    for note in report.notes:
        click.echo(f"postguard: note: {note}", err=True)
    written, unreadable = baseline.create(report, file)
    extra = f"; {unreadable} input findings left out (unreadable files are never baselined)" if unreadable else ""
    click.echo(f"postguard: wrote {written} baseline entries to {file}{extra}", err=True)


@main.command()
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False))
@handle_errors
def init(directory: str) -> None:
    """Write a commented starter .postguard.yaml in DIRECTORY (never overwrites one)."""
    from postguard.init_config import write_starter

    path = write_starter(directory)
    click.echo(f"postguard: wrote {path}: set your institution's names, brand terms and handles")


@main.group()
def rules() -> None:
    """List, explain and test rules."""


@rules.command("list")
@config_option
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
@click.option("--all", "show_all", is_flag=True, help="Include rules turned off by the config.")
@handle_errors
def rules_list(config_path: str | None, fmt: str, show_all: bool) -> None:
    """List the active rules (`--format md` writes the rule reference page)."""
    from postguard.rules_doc import list_json, list_markdown, list_text

    _, ruleset = _load(config_path)
    chosen = ruleset.all_rules if show_all else ruleset.rules
    render = {"text": list_text, "md": list_markdown, "json": list_json}[fmt]
    click.echo(render(chosen), nl=False)


@rules.command("explain")
@click.argument("rule_id")
@config_option
@handle_errors
def rules_explain(rule_id: str, config_path: str | None) -> None:
    """What a rule catches, why, the policy it enforces, and its examples."""
    from postguard.rules_doc import explain

    _, ruleset = _load(config_path)
    rule = ruleset.rule(rule_id)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(rule_id, [r.id for r in ruleset.all_rules], n=3)
        hint = f" (did you mean: {', '.join(close)}?)" if close else " (see `postguard rules list`)"
        raise UsageError(f"no rule '{rule_id}'{hint}")
    click.echo(explain(rule), nl=False)


@rules.command("test")
@click.argument("packs", nargs=-1, type=click.Path())
@config_option
@click.option("-v", "--verbose", is_flag=True, help="List every example, not only failures.")
@handle_errors
def rules_test(packs: tuple[str, ...], config_path: str | None, verbose: bool) -> None:
    """Run rule examples: built-in and configured packs, or the PACK files given."""
    from dataclasses import replace

    from postguard.config import load_config
    from postguard.engine.examples import run_examples
    from postguard.engine.ruleset import load_ruleset

    config = load_config(config_path)
    if packs:
        missing = [p for p in packs if not os.path.isfile(p)]
        if missing:
            raise UsageError(f"no rule pack at {missing[0]}")
        config = replace(config, packs=config.packs + tuple(os.path.abspath(p) for p in packs))
    ruleset = load_ruleset(config)
    chosen = [p for p in ruleset.packs if not packs or os.path.abspath(p.path) in {os.path.abspath(x) for x in packs}]
    results = run_examples(ruleset, chosen)
    failures = [r for r in results if not r.ok]
    for result in results:
        if verbose or not result.ok:
            status = "ok  " if result.ok else "FAIL"
            what = "was not flagged" if result.expect_flag and not result.ok else "was flagged" if not result.ok else ""
            text = result.example.text or result.example.file or ""
            click.echo(f"{status} {result.label}: {text[:70]!r} {what}".rstrip())
    click.echo(f"{len(results) - len(failures)} passed, {len(failures)} failed")
    sys.exit(ExitCode.FINDINGS if failures else ExitCode.OK)


@main.command()
@click.argument("images", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(), default=None,
              help="Output file (one image) or folder (several). Default: a copy beside each input with --suffix.")
@click.option("--suffix", default="-redacted", show_default=True, help="Added to the file name of each copy.")
@click.option("--annotate", is_flag=True, help="Draw labelled outlines for a reviewer instead of filled boxes.")
@click.option("--in-place", is_flag=True, help="Replace each input (atomically) instead of writing a copy.")
@config_option
@jobs_option
@no_cache_option
@handle_errors
def redact(images: tuple[str, ...], output: str | None, suffix: str, annotate: bool, in_place: bool,
           config_path: str | None, jobs: int | None, no_cache: bool) -> None:
    """Write copies of IMAGES with flagged words covered and all metadata removed."""
    from postguard.redaction import plan_outputs, redact_paths

    if in_place and output:
        raise UsageError("--in-place and --output cannot be used together")
    targets = plan_outputs(images, output=output, suffix=suffix, in_place=in_place)
    config, ruleset = _load(config_path)
    results = redact_paths(targets, config, ruleset, annotate=annotate, jobs=jobs, use_cache=not no_cache)
    failed = False
    for result in results:
        if result.error:
            failed = True
            click.echo(f"postguard: {result.source}: not redacted: {result.error}", err=True)
            continue
        what = "outlined" if annotate else "covered"
        click.echo(f"{result.source} -> {result.destination}: {result.boxes} area{'s' if result.boxes != 1 else ''} {what}, metadata removed")
        for warning in result.warnings:
            click.echo(f"postguard: {result.source}: warning: {warning}", err=True)
    sys.exit(ExitCode.FINDINGS if failed else ExitCode.OK)
