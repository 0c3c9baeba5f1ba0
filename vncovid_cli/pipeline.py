"""From paths to records: finding documents, reading each, extracting in a process pool."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .readers import FORMATS, ReadError, Source, read_bytes, read_path

STDIN = "-"


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


def collect(paths: Iterable[str], pattern: str | None = None) -> list[Task]:
    """Files named and files found under folders (recursive, sorted by path).

    Folders yield the files whose extension is a known format, or that match ``pattern``.
    Raises FileNotFoundError for a path that does not exist.
    """
    tasks: list[Task] = []
    for raw in paths:
        if raw == STDIN:
            tasks.append(Task(STDIN, "stdin"))
            continue
        path = Path(raw)
        if path.is_dir():
            for file in sorted(_walk(path, pattern), key=lambda p: p.as_posix()):
                tasks.append(Task(file.as_posix(), PurePosixPath(file.relative_to(path)).as_posix()))
        elif path.exists():
            tasks.append(Task(path.as_posix(), path.name))
        else:
            raise FileNotFoundError(raw)
    return _unique_ids(tasks)


def _walk(folder: Path, pattern: str | None) -> Iterator[Path]:
    candidates = folder.rglob(pattern) if pattern else folder.rglob("*")
    for path in candidates:
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts):
            if pattern or path.suffix.lower() in FORMATS:
                yield path


def _unique_ids(tasks: list[Task]) -> list[Task]:
    seen: dict[str, int] = {}
    for t in tasks:
        seen[t.doc_id] = seen.get(t.doc_id, 0) + 1
    return [Task(t.source, t.source if seen[t.doc_id] > 1 else t.doc_id) for t in tasks]


def process(task: Task, options: Options, stdin_data: bytes | None = None) -> dict[str, Any]:
    """Read and extract one document; any failure becomes the record's ``error``."""
    from .extract import read_document
    from .document import Document
    from .rules import load_rules

    record: dict[str, Any] = {"source": task.source, "doc_id": task.doc_id, "format": None,
                              "encoding": None, "error": None}
    try:
        source = _read(task, stdin_data)
    except ReadError as exc:
        record["error"] = str(exc)
        return record
    record.update(format=source.format, encoding=source.encoding)
    try:
        doc = Document(source.text, load_rules(tuple(Path(d) for d in options.rules_dirs)))
        record.update(read_document(doc, with_keywords=options.with_keywords))
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the run
        record["error"] = f"internal error while extracting: {type(exc).__name__}: {exc}"
        return record
    if options.include_text:
        record["text"] = source.text
    return record


def _read(task: Task, stdin_data: bytes | None) -> Source:
    if task.source == STDIN:
        return read_bytes(stdin_data or b"", "txt")
    return read_path(Path(task.source))


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run(tasks: list[Task], options: Options, jobs: int = 1,
        on_done: Callable[[dict[str, Any]], None] | None = None) -> Iterator[dict[str, Any]]:
    """Records in the order of ``tasks``, extracted by ``jobs`` processes."""
    stdin_data = sys.stdin.buffer.read() if any(t.source == STDIN for t in tasks) else None
    if jobs <= 1 or len(tasks) < 2 * jobs:
        results: Iterable[dict[str, Any]] = (process(t, options, stdin_data) for t in tasks)
        yield from _notify(results, on_done)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_warm, initargs=(options,)) as pool:
        chunk = max(1, min(64, len(tasks) // (jobs * 8)))
        results = pool.map(_process_worker, tasks, [options] * len(tasks),
                           [stdin_data] * len(tasks), chunksize=chunk)
        yield from _notify(results, on_done)


def _notify(results: Iterable[dict[str, Any]], on_done) -> Iterator[dict[str, Any]]:
    for record in results:
        if on_done:
            on_done(record)
        yield record


def _warm(options: Options) -> None:
    """Compile the rules once per worker process."""
    from .rules import load_rules

    load_rules(tuple(Path(d) for d in options.rules_dirs))


def _process_worker(task: Task, options: Options, stdin_data: bytes | None) -> dict[str, Any]:
    return process(task, options, stdin_data)
