"""The ``vncovid`` command line: a thin layer over the library.

Exit codes: 0 every document processed, 1 some could not be, 2 usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__

EXIT_FAILED = 1
EXIT_USAGE = 2


def _err(message: str) -> None:
    click.echo(f"vncovid: {message}", err=True)


def _load_rules_or_exit(rules_dirs: tuple[str, ...]):
    from .rules import RuleError, load_rules

    try:
        return load_rules(tuple(Path(d) for d in rules_dirs))
    except RuleError as exc:
        _err(f"error: bad rule file: {exc}")
        sys.exit(EXIT_USAGE)


def _collect_or_exit(paths: tuple[str, ...], pattern: str | None):
    from .pipeline import collect

    try:
        return collect(paths, pattern)
    except FileNotFoundError as exc:
        raise click.UsageError(f"no such file or folder: {exc.args[0]}") from exc


rules_option = click.option(
    "--rules", "rules_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
    help="A folder of rule files that add to or override the built-in ones (repeatable).",
)
glob_option = click.option("--glob", "pattern", help="Only files matching this pattern, e.g. '*.txt'.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vncovid")
def main() -> None:
    """Turn Vietnamese COVID-19 directives into clean, normalized data.

    Example:

        vncovid extract corpus/ --format csv -o out/
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "csv"]), default="jsonl",
              show_default=True, help="Output format; csv writes a folder of tables.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output file (a folder for csv); standard output if omitted.")
@glob_option
@rules_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: every usable core).")
@click.option("--include-text", is_flag=True, help="Put the normalized text in each record.")
@click.option("--no-keywords", is_flag=True, help="Skip task keywords (no word segmentation).")
@click.option("--excel", is_flag=True, help="Write UTF-8 with a byte-order mark, for Excel.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def extract(paths, fmt, output, pattern, rules_dirs, jobs, include_text, no_keywords, excel, quiet):
    """Extract one record per document from files, folders or - (standard input).

    Reads .txt, .html/.htm and .docx; detects UTF-8, UTF-16 and Windows-1258.
    Every input appears in the output; one that cannot be read has "error" set.

    Example:

        vncovid extract corpus/ --format jsonl -o corpus.jsonl
    """
    from . import output as out
    from .pipeline import Options, run, usable_cores

    if fmt == "csv" and output is None:
        raise click.UsageError("--format csv writes a folder of tables: give -o DIR")
    _load_rules_or_exit(rules_dirs)
    tasks = _collect_or_exit(paths, pattern)
    options = Options(tuple(str(Path(d).resolve()) for d in rules_dirs), not no_keywords, include_text)
    failed = 0

    def report(record: dict) -> None:
        nonlocal failed
        if record.get("error"):
            failed += 1
            _err(f"error: {record['source']}: {record['error']}")

    with _progress(len(tasks), quiet) as advance:
        def on_done(record: dict) -> None:
            report(record)
            advance()

        records = run(tasks, options, jobs or usable_cores(), on_done)
        out.write(records, fmt, output, excel)
    if failed:
        _err(f"{failed} of {len(tasks)} documents could not be processed")
        sys.exit(EXIT_FAILED)


class _progress:
    """A rich progress bar on standard error, for more than a handful of files on a terminal."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.total, self.bar = total, None
        self.enabled = not quiet and total > 5 and sys.stderr.isatty()

    def __enter__(self):
        if not self.enabled:
            return lambda: None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self.bar = Progress("[progress.description]{task.description}", BarColumn(),
                            MofNCompleteColumn(), TimeRemainingColumn(), transient=True)
        self.bar.start()
        task = self.bar.add_task("extracting", total=self.total)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc) -> None:
        if self.bar:
            self.bar.stop()


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text",
              show_default=True, help="text: words joined by underscores; jsonl: tokens with offsets.")
@click.option("--pos", is_flag=True, help="Add part-of-speech tags (jsonl).")
@glob_option
def tokenize(paths, fmt, pos, pattern):
    """Word-segment documents with underthesea.

    Example:

        vncovid tokenize corpus/c01_chi_thi_ubnd_vinh_phuc.txt --format jsonl --pos
    """
    from . import tokenize as tok
    from .output import dumps
    from .pipeline import STDIN
    from .readers import ReadError, read_bytes, read_path

    failed = 0
    for task in _collect_or_exit(paths, pattern):
        try:
            if task.source == STDIN:
                source = read_bytes(sys.stdin.buffer.read())
            else:
                source = read_path(Path(task.source))
        except ReadError as exc:
            failed += 1
            _err(f"error: {task.source}: {exc}")
            if fmt == "jsonl":
                click.echo(dumps({"source": task.source, "doc_id": task.doc_id, "error": str(exc)}))
            continue
        if fmt == "text":
            for line in source.text.splitlines():
                click.echo(tok.as_text(line) if line.strip() else "")
        else:
            click.echo(dumps({"source": task.source, "doc_id": task.doc_id, "error": None,
                              "tokens": tok.tokens_with_offsets(source.text, pos)}))
    if failed:
        sys.exit(EXIT_FAILED)


@main.command("rules")
@rules_option
def rules_cmd(rules_dirs):
    """Check the rule files and list how many rules each field has.

    Example:

        vncovid rules --rules my_rules/
    """
    ruleset = _load_rules_or_exit(rules_dirs)
    for field, rules in sorted(ruleset.by_field.items()):
        click.echo(f"{field:14s} {len(rules):3d} rules")
    click.echo("rules OK")


if __name__ == "__main__":  # pragma: no cover
    main()
