"""Writing records: JSON Lines, a JSON array, or a folder of tidy CSV tables.

Files are written to a temporary name beside the target and renamed when complete,
so an interrupted run leaves no half-written output.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

FORMATS = ("jsonl", "json", "csv")

DOCUMENT_COLUMNS = [
    "doc_id",
    "source",
    "format",
    "encoding",
    "pages",
    "ocr_mean_confidence",
    "error",
    "doc_number",
    "doc_type",
    "issuer_name",
    "issuer_level",
    "issuer_province",
    "issuer_district",
    "issuer_system",
    "issuer_parent",
    "issue_date",
    "subject",
    "signer_name",
    "signer_title",
    "signer_capacity",
    "n_dates",
    "n_references",
    "n_case_counts",
    "n_tasks",
    "n_people",
    "warnings",
]
SPAN_COLUMNS = ["text", "start", "end", "rule"]
TABLES: dict[str, list[str]] = {
    "dates": ["doc_id", "value", "weekday", *SPAN_COLUMNS],
    "case_counts": [
        "doc_id",
        "value",
        "category",
        "unit",
        "as_of",
        "period_start",
        "period_end",
        "place",
        *SPAN_COLUMNS,
        "cue_rule",
    ],
    "rates": ["doc_id", "value", "context", *SPAN_COLUMNS],
    "tasks": ["doc_id", "index", "label", "level", "theme", "keywords", *SPAN_COLUMNS],
    "references": ["doc_id", "doc_type", "number", "symbol", *SPAN_COLUMNS],
    "people": ["doc_id", "name", "title", *SPAN_COLUMNS],
}


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


class OutputError(Exception):
    """An output that cannot be written; the message names the path and the reason."""


@contextmanager
def atomic_file(path: Path, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text file that appears at ``path`` only once it is complete."""
    if path.is_dir():
        raise OutputError(f"{path}: is a folder, not a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as f:
            yield f
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write(
    records: Iterable[dict[str, Any]], fmt: str, out: Path | None, excel: bool = False
) -> int:
    """Write ``records`` as they arrive; returns how many were written."""
    if fmt == "csv":
        if out is None:
            raise ValueError("CSV output is a folder of tables: give -o DIR")
        return write_csv(records, out, excel)
    if out is None:
        return _write_stream(records, fmt, sys.stdout)
    with atomic_file(out) as f:
        return _write_stream(records, fmt, f)


def _write_stream(records: Iterable[dict[str, Any]], fmt: str, f: IO[str]) -> int:
    n = 0
    if fmt == "json":
        f.write("[")
    for record in records:
        if fmt == "json":
            f.write(("\n" if n == 0 else ",\n") + dumps(record))
        else:
            f.write(dumps(record) + "\n")
        n += 1
    if fmt == "json":
        f.write("\n]\n" if n else "]\n")
    f.flush()
    return n


def write_csv(records: Iterable[dict[str, Any]], folder: Path, excel: bool = False) -> int:
    """``documents.csv`` and one table per list field, keyed by ``doc_id``."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: exists and is not a folder (CSV output is a folder)")
    encoding = "utf-8-sig" if excel else "utf-8"
    with ExitStack() as stack:
        files = {
            name: stack.enter_context(atomic_file(folder / f"{name}.csv", encoding))
            for name in ["documents", *TABLES]
        }
        writers = {name: csv.writer(f) for name, f in files.items()}
        writers["documents"].writerow(DOCUMENT_COLUMNS)
        for name, columns in TABLES.items():
            writers[name].writerow(columns)
        n = 0
        for record in records:
            writers["documents"].writerow([_cell(v, excel) for v in document_row(record)])
            for name in TABLES:
                for row in table_rows(record, name):
                    writers[name].writerow([_cell(v, excel) for v in row])
            n += 1
    return n


def document_row(record: dict[str, Any]) -> list[Any]:
    issuer = record.get("issuer") or {}
    signer = record.get("signer") or {}
    warnings = " | ".join(w["message"] for w in record.get("warnings") or [])
    values = {
        **record,
        "issuer_name": issuer.get("name"),
        "issuer_level": issuer.get("level"),
        "issuer_province": issuer.get("province"),
        "issuer_district": issuer.get("district"),
        "issuer_system": issuer.get("system"),
        "issuer_parent": issuer.get("parent"),
        "ocr_mean_confidence": (record.get("ocr") or {}).get("mean_confidence"),
        "signer_name": signer.get("name"),
        "signer_title": signer.get("title"),
        "signer_capacity": signer.get("capacity"),
        "n_dates": len(record.get("dates") or []),
        "n_references": len(record.get("references") or []),
        "n_case_counts": len(record.get("case_counts") or []),
        "n_tasks": len(record.get("tasks") or []),
        "n_people": len(record.get("people") or []),
        "warnings": warnings or None,
    }
    return [values.get(c) for c in DOCUMENT_COLUMNS]


def table_rows(record: dict[str, Any], name: str) -> Iterator[list[Any]]:
    columns = TABLES[name]
    for index, item in enumerate(record.get(name) or [], start=1):
        values = {**item, "doc_id": record["doc_id"], "index": index}
        if name == "tasks" and item.get("keywords") is not None:
            values["keywords"] = "; ".join(item["keywords"])
        yield [values.get(c) for c in columns]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet reads as a formula


def _cell(value: Any, excel: bool = False) -> Any:
    """A CSV cell; for a spreadsheet (``excel``), a text that a spreadsheet would run as a
    formula ("=HYPERLINK(...)", "@SUM(...)") gets a leading apostrophe (OWASP's advice on
    CSV injection); numbers stay numbers."""
    if value is None:
        return ""
    if excel and isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
