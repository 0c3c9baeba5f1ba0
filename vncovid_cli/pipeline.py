"""From paths to records: finding documents, reading each, extracting in a process pool.

Memory stays flat however many documents there are: folders are walked lazily in
path order, at most a fixed number of documents are in flight, and records leave
in the order of their paths as soon as they and every earlier one are done.
"""

from __future__ import annotations

import os
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path, PurePosixPath
from typing import Any

from .budget import DEFAULT_SECONDS
from .extraction import empty_record
from .readers import FORMATS, MAX_BYTES, ReadError, Source, read_bytes, read_path

STDIN = "-"
BATCH = 8  # documents per unit of work sent to a worker
WINDOW = 4  # units of work in flight per worker


@dataclass(frozen=True)
class Task:
    """One document to process: where it is, and its stable id in the output."""

    source: str
    doc_id: str


@dataclass(frozen=True)
class Options:
    rules_dirs: tuple[str, ...] = ()
    with_keywords: bool = True
    include_text: bool = False
    ocr: str = "auto"  # which pages go through OCR: auto (those without text), always, never
    max_bytes: int | None = MAX_BYTES  # a larger file is a record with an error
    rule_budget: float = DEFAULT_SECONDS  # matching seconds per user rule and document


def collect(paths: Iterable[str], pattern: str | None = None) -> list[Task]:
    """Files named and files found under folders (recursive, sorted by path).

    Folders yield the files whose extension is a known format, or that match ``pattern``.
    Raises FileNotFoundError for a path that does not exist.
    """
    tasks: list[Task] = []
    for raw in paths:
        if raw != STDIN and not Path(raw).exists():
            raise FileNotFoundError(raw)
        tasks.extend(_iter_one(raw, pattern))
    tasks.sort(key=lambda t: (t.source != STDIN, t.source))  # standard input first
    return _unique_ids(tasks)


def iter_tasks(paths: Iterable[str], pattern: str | None = None) -> Iterator[Task]:
    """The tasks of :func:`collect`, in the same order, found lazily.

    Every path is checked before the first task is yielded (FileNotFoundError).
    One argument streams, so a folder of millions of files costs no memory; several
    are collected first, since two of them may hold the same relative path.
    """
    paths = list(paths)
    for raw in paths:
        if raw != STDIN and not Path(raw).exists():
            raise FileNotFoundError(raw)
    if len(paths) != 1:
        return iter(collect(paths, pattern))
    return _iter_one(paths[0], pattern)


def _iter_one(raw: str, pattern: str | None) -> Iterator[Task]:
    if raw == STDIN:
        yield Task(STDIN, "stdin")
        return
    path = Path(raw)
    if not path.is_dir():
        yield Task(path.as_posix(), path.name)
        return
    for file in _walk(path, pattern):
        yield Task(file.as_posix(), PurePosixPath(file.relative_to(path)).as_posix())


def count_tasks(paths: Iterable[str], pattern: str | None = None) -> int:
    """How many tasks :func:`iter_tasks` yields, without keeping them."""
    return sum(1 for _ in iter_tasks(paths, pattern))


def skipped_suffixes(paths: Iterable[str], pattern: str | None = None) -> Counter[str]:
    """The files that folder walks leave out, counted by suffix (``(none)`` without one)."""
    counts: Counter[str] = Counter()
    for raw in paths:
        folder = Path(raw)
        if raw == STDIN or not folder.is_dir():
            continue
        wanted = set(_walk(folder, pattern))
        for path in _walk(folder, "**/*"):
            if path not in wanted:
                counts[path.suffix.lower() or "(none)"] += 1
    return counts


def _walk(folder: Path, pattern: str | None) -> Iterator[Path]:
    """Files under ``folder`` in the order of their full paths, one directory at a time.

    Hidden files and folders are skipped, symbolic links to folders are not followed.
    """
    if pattern and "**" in pattern:  # a recursive pattern: let pathlib expand it
        found = (p for p in folder.rglob(pattern) if p.is_file())
        for path in sorted(found, key=lambda p: p.as_posix()):
            if not any(part.startswith(".") for part in path.relative_to(folder).parts):
                yield path
        return
    yield from _walk_dir(folder, folder, pattern)


def _walk_dir(folder: Path, directory: Path, pattern: str | None) -> Iterator[Path]:
    try:
        with os.scandir(directory) as it:
            entries = [e for e in it if not e.name.startswith(".")]
    except OSError:
        return
    # "a/" sorts where the paths under it sort among the other names: the global path order
    keyed = []
    for entry in entries:
        is_dir = _is_real_dir(entry)
        keyed.append((entry.name + "/" if is_dir else entry.name, is_dir, entry))
    keyed.sort(key=lambda k: k[0])
    for _, is_dir, entry in keyed:
        path = directory / entry.name
        if is_dir:
            yield from _walk_dir(folder, path, pattern)
        elif _is_file(entry) and _wanted(path, folder, pattern):
            yield path


def _is_real_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir() and not entry.is_symlink()
    except OSError:
        return False


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _wanted(path: Path, folder: Path, pattern: str | None) -> bool:
    if pattern:
        return PurePosixPath(path.relative_to(folder).as_posix()).match(pattern)
    return path.suffix.lower() in FORMATS


def _unique_ids(tasks: list[Task]) -> list[Task]:
    seen: dict[str, int] = {}
    for t in tasks:
        seen[t.doc_id] = seen.get(t.doc_id, 0) + 1
    return [Task(t.source, t.source if seen[t.doc_id] > 1 else t.doc_id) for t in tasks]


def process(
    task: Task, options: Options, stdin_data: bytes | None = None, base: str | None = None
) -> dict[str, Any]:
    """Read and extract one document; any failure becomes the record's ``error``.

    A relative ``task.source`` is read under ``base`` when given (a worker elsewhere).
    """
    from .document import Document
    from .extraction import read_document
    from .rules import load_rules

    record: dict[str, Any] = {
        "source": task.source,
        "doc_id": task.doc_id,
        "format": None,
        "encoding": None,
        "pages": None,
        "ocr": None,
        "error": None,
    }
    try:
        source = _read(task, stdin_data, base, options)
    except ReadError as exc:
        return {**record, **empty_record(), "error": str(exc)}
    record.update(
        format=source.format, encoding=source.encoding, pages=source.pages, ocr=source.ocr
    )
    try:
        doc = Document(source.text, load_rules(tuple(Path(d) for d in options.rules_dirs)))
        record.update(
            read_document(doc, with_keywords=options.with_keywords, rule_budget=options.rule_budget)
        )
        if source.pages:
            _add_pages(record, source)
        if source.ocr:
            _warn_low_confidence(record, source)
        record["warnings"] = [*source.warnings, *record["warnings"]]
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the run
        error = f"internal error while extracting: {type(exc).__name__}: {exc}"
        return {**record, **empty_record(), "error": error}
    if options.include_text:
        record["text"] = source.text
    return record


def _add_pages(record: dict[str, Any], source: Source) -> None:
    """Each value of a paged document (PDF, scan) gets the page it stands on."""
    for key in ("dates", "references", "case_counts", "rates", "tasks", "people", "parts"):
        for item in record.get(key) or []:
            if item.get("start") is not None:
                item["page"] = source.page_at(item["start"])
    for span in (record.get("spans") or {}).values():
        if span and span.get("start") is not None:
            span["page"] = source.page_at(span["start"])
    if record.get("signer") and record["signer"].get("start") is not None:
        record["signer"]["page"] = source.page_at(record["signer"]["start"])


def _warn_low_confidence(record: dict[str, Any], source: Source) -> None:
    """A ``low_ocr_confidence`` warning for each value (a scalar's span, a list item) whose
    text holds a word that Tesseract read below its confidence threshold, naming the words."""
    unsure = set(source.ocr.get("low_confidence_words") or ())
    spans = [(name, span) for name, span in (record.get("spans") or {}).items() if span]
    for key in ("dates", "references", "case_counts", "rates", "tasks", "people"):
        spans += [(f"{key}[{n}]", item) for n, item in enumerate(record.get(key) or [])]
    for name, span in spans:
        if span.get("start") is None:
            continue
        words = sorted(w for w in unsure if w in source.text[span["start"] : span["end"]].split())
        if words:
            record["warnings"].append(
                {
                    "code": "low_ocr_confidence",
                    "message": f"{name} was read from words OCR is unsure of: {', '.join(words)}",
                    "start": span["start"],
                    "end": span["end"],
                    "rule": span.get("rule"),
                }
            )


def process_batch(
    batch: list[tuple[Task, bytes | None]], options: Options, base: str | None = None
) -> list[dict[str, Any]]:
    """The records of a batch of (task, standard input or None): one unit of a worker's work."""
    return [process(task, options, data, base) for task, data in batch]


def _read(
    task: Task, stdin_data: bytes | None, base: str | None = None, options: Options | None = None
) -> Source:
    options = options or Options()
    if task.source == STDIN:
        data = stdin_data or b""
        if options.max_bytes is not None and len(data) > options.max_bytes:
            raise ReadError(f"input of {len(data):,} bytes, larger than --max-bytes")
        return read_bytes(data, "txt", options.ocr)
    path = Path(task.source)
    if base is not None and not path.is_absolute():
        path = Path(base) / path
    return read_path(path, options.ocr, options.max_bytes)


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def batches(tasks: Iterable[Task], size: int = BATCH) -> Iterator[list[tuple[Task, bytes | None]]]:
    """Tasks in lists of ``size``, each with the standard input if it is ``-``.

    Standard input is read once, when its task comes up.
    """
    stdin: list[bytes] = []
    it = iter(tasks)
    while chunk := list(islice(it, size)):
        items = []
        for task in chunk:
            data = None
            if task.source == STDIN:
                if not stdin:
                    stdin.append(sys.stdin.buffer.read())
                data = stdin[0]
            items.append((task, data))
        yield items


def run(
    tasks: Iterable[Task],
    options: Options,
    jobs: int = 1,
    on_done: Callable[[dict[str, Any]], None] | None = None,
    *,
    batch: int | None = None,
    window: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Records in the order of ``tasks``, extracted by ``jobs`` processes.

    ``tasks`` may be a lazy iterator: at most ``jobs * window`` batches of ``batch``
    documents (default: BATCH, WINDOW) are in flight, so memory does not grow with the
    number of documents.
    A run of fewer than ``2 * jobs`` documents stays in this process.
    """
    batch, window = batch or BATCH, window or WINDOW
    it = iter(tasks)
    head = list(islice(it, 2 * jobs)) if jobs > 1 else []
    if jobs <= 1 or len(head) < 2 * jobs:
        units = batches(chain(head, it), 1)
        records = (process(t, options, data) for unit in units for t, data in unit)
        yield from _notify(records, on_done)
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_warm, initargs=(options,))
    try:
        results = ordered(
            lambda unit: pool.submit(process_batch, unit, options),
            batches(chain(head, it), batch),
            jobs * window,
        )
        yield from _notify((r for records in results for r in records), on_done)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def ordered(submit: Callable[[Any], Any], units: Iterable[Any], limit: int) -> Iterator[Any]:
    """Results of ``submit(unit)`` futures in the order of ``units``, at most ``limit`` pending.

    Works with any future that has ``result()`` (concurrent.futures, dask.distributed).
    """
    pending: deque = deque()
    units = iter(units)
    for unit in islice(units, limit):
        pending.append(submit(unit))
    while pending:
        future = pending.popleft()
        result = future.result()
        del future
        for unit in islice(units, 1):
            pending.append(submit(unit))
        yield result


def _notify(results: Iterable[dict[str, Any]], on_done) -> Iterator[dict[str, Any]]:
    for record in results:
        if on_done:
            on_done(record)
        yield record


def _warm(options: Options) -> None:
    """Compile the rules once per worker process."""
    from .rules import load_rules

    load_rules(tuple(Path(d) for d in options.rules_dirs))
