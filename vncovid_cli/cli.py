"""The ``vncovid`` command line: a thin layer over the library.

Exit codes: 0 every document processed, 1 some could not be, 2 usage error.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path

import click

from . import __version__

EXIT_FAILED = 1
EXIT_USAGE = 2


def _err(message: str) -> None:
    click.echo(f"vncovid: {message}", err=True)


def _load_rules_or_exit(rules_dirs: tuple[str, ...]):
    """The rules, or a one-line error and exit 2; user rules that risk slow matching are
    named on standard error."""
    from .budget import risk_warnings
    from .rules import RuleError, load_rules

    try:
        rules = load_rules(tuple(Path(d) for d in rules_dirs))
    except RuleError as exc:
        _err(f"error: bad rule file: {exc}")
        sys.exit(EXIT_USAGE)
    for line in risk_warnings(rules.by_id.values()) if rules_dirs else ():
        _err(f"warning: {line}")
    return rules


def _collect_or_exit(paths: tuple[str, ...], pattern: str | None):
    from .pipeline import collect

    try:
        return collect(paths, pattern)
    except FileNotFoundError as exc:
        raise click.UsageError(f"no such file or folder: {exc.args[0]}") from exc


rules_option = click.option(
    "--rules",
    "rules_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="A folder of rule files that add to or override the built-in ones (repeatable).",
)
glob_option = click.option(
    "--glob", "pattern", help="Only files matching this pattern, e.g. '*.txt'."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vncovid")
def main() -> None:
    """Turn Vietnamese COVID-19 directives into clean, normalized data.

    Example:

        vncovid extract corpus/ --format csv -o out/
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json", "csv"]),
    default="jsonl",
    show_default=True,
    help="Output format; csv writes a folder of tables.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Output file (a folder for csv); standard output if omitted.",
)
@glob_option
@rules_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: every usable core).",
)
@click.option("--include-text", is_flag=True, help="Put the normalized text in each record.")
@click.option("--no-keywords", is_flag=True, help="Skip task keywords (no word segmentation).")
# the choices and default below are readers.OCR_MODES and readers.MAX_BYTES, written out so
# that `vncovid --help` does not import the readers (tests/test_cli.py keeps them equal)
@click.option(
    "--ocr",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Which pages go through Tesseract: auto (scans: pages without a text layer, images).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=20_000_000,
    show_default=True,
    help="A larger file is a record with an error, not a stalled run.",
)
@click.option(
    "--rule-budget",
    type=click.FloatRange(min=0, min_open=True),
    default=0.5,  # budget.DEFAULT_SECONDS (tests/test_cli.py keeps them equal)
    show_default=True,
    metavar="SECONDS",
    help="Matching time each of your rules (--rules) may spend on a document; one that "
    "runs out is skipped for it, with a warning.",
)
@click.option("--excel", is_flag=True, help="Write UTF-8 with a byte-order mark, for Excel.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: a process pool here; dask: a dask.distributed cluster "
    "(pip install 'vncovid[dask]').",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="With --engine dask: the scheduler to use, e.g. tcp://10.0.0.5:8786 "
    "(default: a local cluster of --jobs workers).",
)
def extract(
    paths,
    fmt,
    output,
    pattern,
    rules_dirs,
    jobs,
    include_text,
    no_keywords,
    ocr,
    max_bytes,
    rule_budget,
    excel,
    quiet,
    engine,
    scheduler,
):
    """Extract one record per document from files, folders or - (standard input).

    Reads .txt, .html/.htm, .docx, .pdf, and scans (.png, .jpg, .tif, PDF pages without a
    text layer) through Tesseract; detects UTF-8, UTF-16 and Windows-1258.
    Every input appears in the output; one that cannot be read has "error" set.
    Records come in path order whatever --jobs is, written as they are done.

    Example:

        vncovid extract corpus/ --format jsonl -o corpus.jsonl
    """
    from . import output as out
    from .pipeline import Options, count_tasks, iter_tasks, run, skipped_suffixes, usable_cores

    if fmt == "csv" and output is None:
        raise click.UsageError("--format csv writes a folder of tables: give -o DIR")
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    _load_rules_or_exit(rules_dirs)
    try:
        tasks = iter_tasks(paths, pattern)
    except FileNotFoundError as exc:
        raise click.UsageError(f"no such file or folder: {exc.args[0]}") from exc
    rules = tuple(str(Path(d).resolve()) for d in rules_dirs)
    options = Options(rules, not no_keywords, include_text, ocr, max_bytes, rule_budget)
    done = failed = 0

    def on_done(record: dict) -> None:
        nonlocal done, failed
        done += 1
        if record.get("error"):
            failed += 1
            _err(f"error: {record['source']}: {record['error']}")
        advance()

    total = count_tasks(paths, pattern) if not quiet and sys.stderr.isatty() else 0
    with ExitStack() as stack:
        if engine == "dask":
            from . import dask_engine

            try:
                client = stack.enter_context(dask_engine.connect(scheduler, jobs))
            except dask_engine.DaskUnavailable as exc:
                _err(f"error: {exc}")
                sys.exit(EXIT_USAGE)
            records = dask_engine.run(tasks, options, client, on_done)
        else:
            records = run(tasks, options, jobs or usable_cores(), on_done)
        advance = stack.enter_context(_progress(total, quiet))
        try:
            out.write(records, fmt, output, excel)
        except out.OutputError as exc:
            _err(f"error: {exc}")
            sys.exit(EXIT_USAGE)
    skipped = skipped_suffixes(paths, pattern)
    if skipped:
        counts = ", ".join(f"{suffix} {n}" for suffix, n in sorted(skipped.items()))
        _err(f"skipped {sum(skipped.values())} files by suffix ({counts}); --glob chooses")
    if not done:
        _err("warning: no documents found (see the README's formats, or what --glob matches)")
    if failed:
        _err(f"{failed} of {done} documents could not be processed")
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

        self.bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            transient=True,
        )
        self.bar.start()
        task = self.bar.add_task("extracting", total=self.total)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc) -> None:
        if self.bar:
            self.bar.stop()


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "jsonl"]),
    default="text",
    show_default=True,
    help="text: words joined by underscores; jsonl: tokens with offsets.",
)
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
            click.echo(
                dumps(
                    {
                        "source": task.source,
                        "doc_id": task.doc_id,
                        "error": None,
                        "tokens": tok.tokens_with_offsets(source.text, pos),
                    }
                )
            )
    if failed:
        sys.exit(EXIT_FAILED)


def _records_for(paths: tuple[str, ...], rules_dirs: tuple[str, ...], pattern: str | None):
    """Records from a JSONL file of predictions, or extracted from documents."""
    from .evaluate import load_predictions
    from .pipeline import Options, run, usable_cores

    if len(paths) == 1 and paths[0].endswith(".jsonl") and Path(paths[0]).is_file():
        return load_predictions(Path(paths[0]))
    _load_rules_or_exit(rules_dirs)
    tasks = _collect_or_exit(paths, pattern)
    options = Options(tuple(str(Path(d).resolve()) for d in rules_dirs), True, False)
    return list(run(tasks, options, usable_cores()))


@main.command()
@click.argument("pred_or_docs", nargs=-1, required=True)
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--errors", is_flag=True, help="List every miss with its document.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option("--min-overall", type=float, help="Exit 1 when the overall score is below this.")
@glob_option
@rules_option
def evaluate(pred_or_docs, gold_dir, errors, as_json, min_overall, pattern, rules_dirs):
    """Score records (a .jsonl file) or documents (extracted first) against gold files.

    Gold files follow the schema in the README, one JSON file per document.

    Example:

        vncovid evaluate corpus/ corpus/gold --errors
    """
    from rich.console import Console
    from rich.table import Table

    from .evaluate import GoldError, load_gold, score
    from .output import dumps

    try:
        gold = load_gold(gold_dir)
        if not gold:
            raise click.UsageError(f"no gold .json files in {gold_dir}")
        result = score(_records_for(pred_or_docs, rules_dirs, pattern), gold)
    except GoldError as exc:
        _err(f"error: {exc}")
        sys.exit(EXIT_USAGE)
    metrics = result.metrics()
    if as_json:
        click.echo(
            dumps({"documents": result.documents, "missing": result.missing, "metrics": metrics})
        )
    else:
        table = Table(title=f"{result.documents} documents, {len(result.missing)} without a record")
        for column in ("field", "precision", "recall", "F1", "accuracy"):
            table.add_column(column, justify="left" if column == "field" else "right")
        for name, m in metrics.items():
            table.add_row(
                name,
                *(
                    f"{m[k]:.3f}" if m[k] is not None else ""
                    for k in ("precision", "recall", "f1", "accuracy")
                ),
            )
        Console().print(table)
    if errors:
        for miss in result.misses:
            click.echo(f"{miss.doc}: {miss.field}: {miss.message}", err=True)
    if min_overall is not None and metrics["overall"]["accuracy"] < min_overall:
        _err(f"overall {metrics['overall']['accuracy']:.3f} is below {min_overall}")
        sys.exit(EXIT_FAILED)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--no-labels", is_flag=True, help="Highlight spans without their [field rule] labels."
)
@rules_option
def show(file, no_labels, rules_dirs):
    """Print a document with each extracted span highlighted and labelled, then its record.

    Example:

        vncovid show corpus/c01_chi_thi_ubnd_vinh_phuc.txt
    """
    from rich.console import Console

    from .pipeline import Options, Task, process
    from .show import highlighted, table

    _load_rules_or_exit(rules_dirs)
    options = Options(tuple(str(Path(d).resolve()) for d in rules_dirs), True, True)
    record = process(Task(file, Path(file).name), options)
    if record.get("error"):
        _err(f"error: {file}: {record['error']}")
        sys.exit(EXIT_FAILED)
    console = Console()
    text = highlighted(record.pop("text"), record, labels=not no_labels)
    console.print(text, soft_wrap=True)
    console.print(table(record))


@main.command("rules")
@rules_option
@click.option(
    "--check",
    "check_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="A folder of your rules to check before a run: loads it over the built-in rules, "
    "runs each rule's examples, warns about nested quantifiers (repeatable).",
)
def rules_cmd(rules_dirs, check_dirs):
    """Check the rule files and list how many rules each field has.

    Exits 1 when an example of a checked rule does not match it.

    Example:

        vncovid rules --check my_rules/
    """
    from .rules import failing_examples

    ruleset = _load_rules_or_exit((*rules_dirs, *check_dirs))
    for field, rules in sorted(ruleset.by_field.items()):
        click.echo(f"{field:14s} {len(rules):3d} rules")
    users = [r for r in ruleset.by_id.values() if Path(r.path).parent != ruleset.dirs[0]]
    failed = failing_examples(users)
    for rule, text in failed:
        _err(f"error: {rule.path}: rule {rule.id}: does not match its example {text!r}")
    if failed:
        sys.exit(EXIT_FAILED)
    click.echo("rules OK")


from .cli_validate import validate  # noqa: E402

main.add_command(validate)


if __name__ == "__main__":  # pragma: no cover
    main()
