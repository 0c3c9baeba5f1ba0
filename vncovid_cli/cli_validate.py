"""``vncovid validate``: check documents against the format rules, and a catalogue against
the documents. Only click is imported here; the work is imported when the command runs.

Exit codes: 0 no error findings, 1 error findings (or warnings with --strict) or a document
that could not be read, 2 usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

FORMATS = ("table", "json", "csv")
CSV_COLUMNS = (
    "path",
    "check",
    "severity",
    "field",
    "found",
    "expected",
    "start",
    "end",
    "line",
    "row",
    "other",
    "similarity",
    "rule",
    "message",
)
STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


@click.command("validate")
@click.argument("paths", nargs=-1)
@click.option(
    "--catalogue",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An archivist's CSV (file, doc_number, doc_type, issuer, issue_date, subject) "
    "to compare with the documents.",
)
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="COLUMN=FIELD",
    help="Read catalogue column COLUMN as FIELD, e.g. --map 'Số ký hiệu=doc_number' (repeatable).",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="A date after this is in the future (YYYY-MM-DD; default: today).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table: grouped by document; json or csv: one finding per item or row.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option(
    "--list-checks",
    is_flag=True,
    help="List every check with its severity, rule source and an example, and exit.",
)
@click.option("--glob", "pattern", help="Only files matching this pattern, e.g. '*.txt'.")
@click.option(
    "--rules",
    "rules_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="A folder of rule files that add to or override the built-in ones "
    "(severities in checks.yaml, codes in issuer_codes.yaml; repeatable).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for reading the documents (default: every usable core).",
)
def validate(
    paths, catalogue, mappings, as_of, fmt, output, strict, list_checks, pattern, rules_dirs, jobs
):
    """Check documents' number and symbol, type and issuer codes, dates and required parts
    against Decree 30/2020/NĐ-CP and Guide 36-HD/VPTW; with --catalogue, compare an
    archivist's CSV with the texts.

    Exit code 0 when there is no error finding, 1 when there is one (or a warning, with
    --strict), 2 for a usage error.

    Example:

        vncovid validate corpus/ --catalogue catalogue.csv --map "Số ký hiệu=doc_number"
    """
    from .rules import RuleError, load_rules
    from .validate import config

    try:
        rules = load_rules(tuple(Path(d) for d in rules_dirs))
        config(rules)
    except RuleError as exc:
        click.echo(f"vncovid: error: bad rule file: {exc}", err=True)
        sys.exit(2)
    if list_checks:
        _list_checks(rules, fmt, output)
        return
    if not paths:
        raise click.UsageError(
            "give the documents to check (files, folders or -), or --list-checks"
        )
    findings, documents, failed, rows = _run(
        paths,
        pattern,
        rules_dirs,
        rules,
        catalogue,
        mappings,
        as_of.date() if as_of else None,
        jobs,
    )
    _report(findings, documents, failed, rows, fmt, output)
    severities = {f["severity"] for f in findings}
    if failed or "error" in severities or (strict and "warning" in severities):
        sys.exit(1)


def _run(paths, pattern, rules_dirs, rules, catalogue, mappings, as_of, jobs):
    """Findings, the paths of the documents read, the number of unreadable ones, and the
    number of catalogue rows (None without a catalogue)."""
    from .catalogue import CatalogueError, Doc, compare, duplicate_texts, parse_map, read_catalogue
    from .pipeline import Options, collect, run, usable_cores
    from .validate import validate as check

    rows = None
    if catalogue is not None:
        try:
            rows = read_catalogue(catalogue, parse_map(mappings))
        except CatalogueError as exc:
            raise click.UsageError(str(exc)) from exc
    elif mappings:
        raise click.UsageError("--map needs --catalogue")
    try:
        tasks = collect(paths, pattern)
    except FileNotFoundError as exc:
        raise click.UsageError(f"no such file or folder: {exc.args[0]}") from exc
    options = Options(tuple(str(Path(d).resolve()) for d in rules_dirs), False, True)
    findings: list[dict[str, Any]] = []
    docs: list[Doc] = []
    failed = 0
    for record in run(tasks, options, jobs or usable_cores()):
        if record.get("error"):
            failed += 1
            click.echo(f"vncovid: error: {record['source']}: {record['error']}", err=True)
            continue
        text = record.pop("text")
        docs.append(Doc(record["source"], record["doc_id"], record, text))
        findings += check(record, text, rules, as_of=as_of, path=record["source"])
    if len(docs) > 1:
        findings += duplicate_texts(docs, rules)
    if rows is not None:
        findings += compare(rows, docs, rules, str(catalogue))
    return findings, [d.path for d in docs], failed, None if rows is None else len(rows)


def _sorted(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        findings,
        key=lambda f: (str(f["path"]), f["start"] is None, f["start"] or 0, f.get("row") or 0),
    )


def _summary(findings, documents: list[str], failed: int, rows: int | None) -> dict[str, Any]:
    from .validate import counts

    paths = set(documents)
    summary = {
        "documents": len(documents) + failed,
        "documents_with_findings": len({f["path"] for f in findings} & paths),
        "unreadable": failed,
        **counts(findings),
    }
    if rows is not None:
        summary["catalogue_rows"] = rows
    return summary


def _report(
    findings, documents: list[str], failed: int, rows: int | None, fmt: str, output: Path | None
) -> None:
    findings = _sorted(findings)
    summary = _summary(findings, documents, failed, rows)
    with _opened(output) as out:
        if fmt == "json":
            from .output import dumps

            out.write(dumps({"summary": summary, "findings": findings}) + "\n")
        elif fmt == "csv":
            _write_csv(out, findings)
        else:
            _table(out, findings, summary, output is None)


def _write_csv(out, findings) -> None:
    import csv

    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for f in findings:
        writer.writerow({k: "" if f.get(k) is None else f.get(k) for k in CSV_COLUMNS})


def _table(out, findings, summary, terminal: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(
        file=out, width=None if terminal else 120, no_color=not terminal, highlight=False
    )
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        groups.setdefault(str(f["path"]), []).append(f)
    for path, items in groups.items():
        table = Table(title=path, title_justify="left", title_style="bold", expand=True)
        table.add_column("severity")
        table.add_column("check")
        table.add_column("line", justify="right")
        table.add_column("message", overflow="fold")
        for f in items:
            where = str(f["line"]) if f.get("line") else str(f.get("row") or "")
            table.add_row(
                f"[{STYLES.get(f['severity'], '')}]{f['severity']}[/]",
                f["check"],
                where,
                f["message"],
            )
        console.print(table)
    line = (
        f"{_n(summary['documents'], 'document')}, {summary['documents_with_findings']} with "
        f"findings: {_n(summary['error'], 'error')}, {_n(summary['warning'], 'warning')}, "
        f"{summary['info']} info"
    )
    if summary["unreadable"]:
        line += f"; {summary['unreadable']} could not be read"
    if "catalogue_rows" in summary:
        line += f"; catalogue of {_n(summary['catalogue_rows'], 'row')}"
    console.print(line, soft_wrap=True)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _list_checks(rules, fmt: str, output: Path | None) -> None:
    from .validate import check_list

    checks = check_list(rules)
    with _opened(output) as out:
        if fmt == "json":
            from .output import dumps

            out.write(dumps(checks) + "\n")
            return
        if fmt == "csv":
            import csv

            columns = [
                "check",
                "mode",
                "severity",
                "news_severity",
                "source",
                "rule",
                "file",
                "example",
            ]
            writer = csv.DictWriter(
                out, fieldnames=columns, extrasaction="ignore", lineterminator="\n"
            )
            writer.writeheader()
            writer.writerows(checks)
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title="vncovid validate: checks", title_justify="left")
        for column in ("check", "severity", "source", "example"):
            table.add_column(column, overflow="fold")
        for c in checks:
            severity = c["severity"] + (
                f" ({c['news_severity']} in news)" if c["news_severity"] else ""
            )
            example = " ⏎ ".join(line for line in c["example"].splitlines() if line.strip())
            expect = {
                k: v
                for k, v in (c["example_finding"] or {}).items()
                if k not in ("check", "severity")
            }
            if expect:
                example += " → " + ", ".join(f"{k} {v!r}" for k, v in expect.items())
            table.add_row(c["check"], severity, c["source"], example)
        Console(
            file=out,
            width=None if output is None else 160,
            no_color=output is not None,
            highlight=False,
        ).print(table)


class _opened:
    """Standard output, or a file written whole when the report is complete."""

    def __init__(self, output: Path | None) -> None:
        self.output, self.ctx = output, None

    def __enter__(self):
        if self.output is None:
            return sys.stdout
        from .output import atomic_file

        self.ctx = atomic_file(self.output)
        return self.ctx.__enter__()

    def __exit__(self, *exc) -> None:
        if self.ctx is not None:
            self.ctx.__exit__(*exc)
