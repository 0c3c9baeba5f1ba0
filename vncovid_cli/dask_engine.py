"""Extraction on a dask.distributed cluster: ``vncovid extract --engine dask``.

The same work as the local engine, sent to Dask workers in batches of paths: each
worker reads the files itself (so they must be on a file system it sees, at the same
path or under the same working folder) and compiles the rules once. Records come back
in path order, a bounded number of batches in flight, so the output is byte-identical
to ``--engine local`` and memory stays flat.

Dask is an optional extra (``pip install 'vncovid[dask]'``) and is imported only here.
Every worker needs vncovid installed, in the same version.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from .pipeline import BATCH, WINDOW, Options, Task, batches, ordered, process_batch, usable_cores


class DaskUnavailable(RuntimeError):
    """Dask is not installed, or its scheduler cannot be reached."""


@contextmanager
def connect(
    scheduler: str | None = None, workers: int | None = None, timeout: float = 30
) -> Iterator[Any]:
    """A ``dask.distributed.Client``: of the cluster at ``scheduler``, or of a new
    LocalCluster of ``workers`` single-threaded processes (default: every usable core).
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise DaskUnavailable("--engine dask needs Dask: pip install 'vncovid[dask]'") from exc
    if scheduler:
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as exc:
            raise DaskUnavailable(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        with client:
            yield client
        return
    cluster = LocalCluster(
        n_workers=workers or usable_cores(),
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    )
    with cluster, Client(cluster) as client:
        yield client


def run(
    tasks: Iterable[Task],
    options: Options,
    client: Any,
    on_done: Callable[[dict[str, Any]], None] | None = None,
    *,
    batch: int | None = None,
    window: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Records in the order of ``tasks``, extracted by the workers of ``client``.

    At most ``window`` batches per worker thread are in flight; relative paths are
    read under this process's working folder.
    """
    batch, window = batch or BATCH, window or WINDOW
    base = os.getcwd()
    threads = max(1, sum(client.nthreads().values()))

    def submit(unit: list[tuple[Task, bytes | None]]) -> Any:
        return client.submit(process_batch, unit, options, base, pure=False)

    for records in ordered(submit, batches(tasks, batch), threads * window):
        for record in records:
            if on_done:
                on_done(record)
            yield record
