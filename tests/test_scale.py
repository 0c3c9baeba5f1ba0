"""Scale: --jobs gives the same bytes, work goes out in a bounded window, start-up stays
light, --no-keywords, and the Dask engine gives the same bytes as the local one."""

from __future__ import annotations

import csv
import itertools
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from click.testing import CliRunner

from vncovid_cli import output, pipeline
from vncovid_cli.cli import main
from vncovid_cli.pipeline import Options, Task, collect, iter_tasks, process, run

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
WITH_TASKS = CORPUS / "c12_tin_chi_thi_quang_nam.txt"
NO_TASKS = "UBND tỉnh Bắc Giang cho biết ngày 16/5/2021 tỉnh ghi nhận thêm 41 ca mắc mới.\n"
HEAVY = ("pandas", "underthesea", "dask", "distributed", "numpy")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def extract(runner: CliRunner, *args: str) -> None:
    result = runner.invoke(main, ["extract", *args, "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(
    ("fmt", "options"), [("jsonl", ()), ("json", ("--no-keywords",)), ("csv", ("--no-keywords",))]
)
def test_jobs_2_writes_the_same_bytes_as_jobs_1(runner, tmp_path, monkeypatch, fmt, options):
    monkeypatch.setattr(pipeline, "BATCH", 3)  # many small batches through a narrow window
    monkeypatch.setattr(pipeline, "WINDOW", 1)
    one, two = tmp_path / f"one.{fmt}", tmp_path / f"two.{fmt}"
    extract(runner, str(CORPUS), "--format", fmt, *options, "--jobs", "1", "-o", str(one))
    extract(runner, str(CORPUS), "--format", fmt, *options, "--jobs", "2", "-o", str(two))
    if fmt == "csv":
        assert folder_bytes(one) == folder_bytes(two)
        rows = list(csv.reader(StringIO(folder_bytes(one)["documents.csv"].decode("utf-8"))))
        assert len(rows) == 1 + len(collect([str(CORPUS)]))
    else:
        assert one.read_bytes() == two.read_bytes()


def counted(tasks: list[Task], pulled: list[int]):
    """The tasks over and over, forever, each with its own id; counts how many were taken."""
    for i, task in enumerate(itertools.cycle(tasks)):
        pulled[0] += 1
        yield Task(task.source, f"{i:05d}/{task.doc_id}")


@pytest.mark.parametrize("jobs", [1, 2])
def test_run_is_ordered_and_reads_only_a_bounded_window_ahead(jobs):
    tasks = collect([str(CORPUS)])[:6]
    pulled = [0]
    batch, window = 2, 2
    records = run(
        counted(tasks, pulled), Options(with_keywords=False), jobs, batch=batch, window=window
    )
    taken = []
    for record in itertools.islice(records, 25):  # an endless input: bounded or it never returns
        taken.append(record["doc_id"])
        assert pulled[0] <= len(taken) + (jobs * window + 1) * batch + 2 * jobs
    records.close()  # stops the pool; in-flight work is cancelled or awaited
    assert taken == [f"{i:05d}/{tasks[i % 6].doc_id}" for i in range(25)]


def test_iter_tasks_streams_collect_in_the_same_order(tmp_path):
    for rel in [
        "b.txt",
        "a/z.txt",
        "a-b/c.html",
        "a.txt",
        "ab/d.docx",
        ".hidden/x.txt",
        "a/.h.txt",
        "notes.md",
        "A/y.htm",
    ]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    expected = ["A/y.htm", "a-b/c.html", "a.txt", "a/z.txt", "ab/d.docx", "b.txt"]
    assert [t.doc_id for t in collect([str(tmp_path)])] == expected
    assert [t.doc_id for t in iter_tasks([str(tmp_path)])] == expected
    assert [t.doc_id for t in iter_tasks([str(tmp_path)], "*.txt")] == ["a.txt", "a/z.txt", "b.txt"]
    with pytest.raises(FileNotFoundError):
        iter_tasks([str(tmp_path), str(tmp_path / "missing.txt")])


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_records_are_written_as_they_arrive(fmt):
    out = StringIO()

    def records():
        for i in range(3):
            if i:
                assert f'"doc_id": "d{i - 1}"' in out.getvalue()  # the one before is out already
            yield {"doc_id": f"d{i}"}

    assert output._write_stream(records(), fmt, out) == 3
    text = out.getvalue()
    written = json.loads(text) if fmt == "json" else [json.loads(x) for x in text.splitlines()]
    assert [r["doc_id"] for r in written] == ["d0", "d1", "d2"]


def test_rules_are_compiled_once_per_process():
    from vncovid_cli.rules import _load

    tasks = collect([str(CORPUS)])[:4]
    process(tasks[0], Options(with_keywords=False))
    before = _load.cache_info()
    for task in tasks:
        process(task, Options(with_keywords=False))
    after = _load.cache_info()
    assert after.misses == before.misses and after.hits > before.hits


def test_no_keywords_leaves_keywords_null(runner, tmp_path):
    full, bare = tmp_path / "full.jsonl", tmp_path / "bare.jsonl"
    extract(runner, str(WITH_TASKS), "-o", str(full))
    extract(runner, str(WITH_TASKS), "--no-keywords", "-o", str(bare))
    full_tasks = json.loads(full.read_text(encoding="utf-8"))["tasks"]
    bare_tasks = json.loads(bare.read_text(encoding="utf-8"))["tasks"]
    assert full_tasks and all(isinstance(t["keywords"], list) for t in full_tasks)
    assert [t["keywords"] for t in bare_tasks] == [None] * len(full_tasks)
    strip = [{k: v for k, v in t.items() if k != "keywords"} for t in full_tasks]
    assert strip == [{k: v for k, v in t.items() if k != "keywords"} for t in bare_tasks]


_PROBE = """
import json, sys
from vncovid_cli.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))
print(json.dumps(heavy), file=sys.stderr)
"""


def loaded_after(*args: str) -> list[str]:
    """The heavy packages imported by ``vncovid ARGS``, run in a fresh interpreter."""
    code = _PROBE.replace("HEAVY", repr(HEAVY))
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    return json.loads(proc.stderr.strip().splitlines()[-1])


def test_help_imports_nothing_heavy():
    assert loaded_after("--help") == []


def test_validate_list_checks_imports_nothing_heavy():
    if "validate" not in main.commands:
        pytest.skip("no validate command yet")
    assert loaded_after("validate", "--list-checks") == []


def test_extract_of_a_small_file_imports_underthesea_only_for_task_keywords(runner, tmp_path):
    small = tmp_path / "tin.txt"
    small.write_text(NO_TASKS, encoding="utf-8")
    record = json.loads(runner.invoke(main, ["extract", str(small)]).output)
    assert record["tasks"] == [], "the premise: this text has no tasks"
    assert loaded_after("extract", str(small)) == []
    assert loaded_after("extract", "--no-keywords", str(WITH_TASKS)) == []
    assert "underthesea" in loaded_after("extract", str(WITH_TASKS))  # tasks need segmentation


def test_scheduler_needs_the_dask_engine(runner):
    result = runner.invoke(main, ["extract", str(WITH_TASKS), "--scheduler", "tcp://x:8786"])
    assert result.exit_code == 2
    assert "--engine dask" in result.output


def test_dask_engine_without_dask_says_how_to_install_it(runner, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails as if missing
    result = runner.invoke(main, ["extract", str(WITH_TASKS), "--engine", "dask"])
    assert result.exit_code == 2
    assert "pip install 'vncovid[dask]'" in result.output


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    import logging

    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    ) as c:
        yield c


def test_dask_engine_on_two_worker_processes_gives_the_local_bytes(
    runner, tmp_path, monkeypatch, cluster
):
    monkeypatch.chdir(ROOT)  # relative paths: the workers read them under this folder
    monkeypatch.setattr(pipeline, "BATCH", 3)
    local, remote = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    extract(runner, "corpus", "--jobs", "1", "-o", str(local))
    extract(
        runner,
        "corpus",
        "--engine",
        "dask",
        "--scheduler",
        cluster.scheduler_address,
        "-o",
        str(remote),
    )
    assert remote.read_bytes() == local.read_bytes()
    assert len(local.read_bytes().splitlines()) == len(collect(["corpus"]))


def test_dask_engine_starts_a_local_cluster_without_a_scheduler(runner, tmp_path):
    pytest.importorskip("distributed")
    local, remote = tmp_path / "local", tmp_path / "dask"
    extract(
        runner, str(CORPUS), "--no-keywords", "--format", "csv", "--jobs", "1", "-o", str(local)
    )
    extract(
        runner,
        str(CORPUS),
        "--no-keywords",
        "--format",
        "csv",
        "--engine",
        "dask",
        "--jobs",
        "2",
        "-o",
        str(remote),
    )
    assert folder_bytes(remote) == folder_bytes(local)
