"""How fast is ``vncovid extract``, and how much memory does it take?

    python bench/run.py [--docs N]

Generates (or reuses) a corpus of N documents with ``bench/make_corpus.py`` and
measures, on the same text: documents/s and MB/s of ``extract --jobs 1``,
``extract --jobs 2``, ``extract --no-keywords --jobs 1`` and of
``underthesea.word_tokenize``, and the ratios between them; the peak RSS of
``extract`` (default --jobs) at each size of ``--rss-docs``; the median wall time
of ``vncovid --help`` and of ``vncovid extract`` on one small file; and a cProfile
of one ``--jobs 1`` run, naming the five functions where the time goes.

The figures are printed and appended to ``bench/RESULTS.md`` with the machine, the
date and the commit. MB are megabytes (10^6 bytes) of the documents' normalized text
in UTF-8, the text that both extract and word_tokenize work on. Extract runs are
whole command runs, start-up included; word_tokenize runs in this process after a
first call that loads its model.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import make_corpus  # noqa: E402

from vncovid_cli.pipeline import collect, usable_cores  # noqa: E402
from vncovid_cli.readers import ReadError, read_path  # noqa: E402


@dataclass
class Run:
    """One command run: wall time, CPU time, the CPU that other processes took meanwhile,
    exit code, peak RSS of its largest process and of all its processes together."""

    seconds: float
    cpu: float  # seconds of CPU of the command and its worker processes
    others: float  # seconds of CPU that the rest of the machine used during the run
    returncode: int
    max_rss: int  # bytes, largest single process (wait4's ru_maxrss)
    tree_rss: int  # bytes, largest sampled sum over the process and its descendants
    stderr: str
    failed: int = 0  # documents that came out with an error record

    @property
    def other_load(self) -> float:
        """Cores busy with other work on average while this ran (0 on a quiet machine)."""
        return self.others / self.seconds


def vncovid_command() -> list[str]:
    """The installed ``vncovid`` script beside this Python, or ``python -m vncovid_cli``."""
    script = Path(sys.executable).parent / "vncovid"
    return [str(script)] if script.exists() else [sys.executable, "-m", "vncovid_cli"]


def measure(cmd: list[str], sample: float = 0.05) -> Run:
    """Run ``cmd``; wall time, and peak memory from wait4 and from sampling /proc."""
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as usage_file:
        busy = machine_cpu()
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-S", "-c", _LAUNCHER, usage_file.name, *cmd],
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=ROOT,
        )
        tree = 0
        while True:
            pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            tree = max(tree, sum(_tree_rss(c) for c in _children(proc.pid)))
            time.sleep(sample)
        seconds = time.perf_counter() - start
        busy = machine_cpu() - busy
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        max_rss, cpu = (float(x) for x in (usage_file.read().split() or ["0", "0"]))
    return Run(
        seconds, cpu, max(0.0, busy - cpu), proc.returncode, int(max_rss) * 1024, tree, stderr
    )


# Runs the command from a small process and writes its wait4 figures to argv[1]. A child's
# ru_maxrss counts the memory of the process it was forked from, so forking the command from
# this script (which by then holds the texts and underthesea's model) would overstate it.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, ru = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(f"{ru.ru_maxrss} {ru.ru_utime + ru.ru_stime}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def machine_cpu() -> float:
    """Seconds of CPU the whole machine has used since boot (user, system, interrupts)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq = fields[:7]
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except (OSError, ValueError):
        return []


def _tree_rss(pid: int) -> int:
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{p}/task/{p}/children") as f:
                stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def checked(run: Run, what: str, documents: bool = False) -> Run:
    """``run`` if it succeeded; with ``documents``, exit code 1 (some documents could not be
    processed, each with an error record) is a result too, counted in ``run.failed``."""
    if documents and run.returncode == 1:
        found = re.search(r"(\d+) of \d+ documents could not be processed", run.stderr)
        if found:
            run.failed = int(found.group(1))
            return run
    if run.returncode != 0:
        raise SystemExit(f"{what} failed with exit code {run.returncode}:\n{run.stderr[-3000:]}")
    return run


def ensure_corpus(n: int, seed: int, base: Path) -> Path:
    """bench/corpus/n<N>-s<seed>, made unless a matching one is there."""
    folder = base / f"n{n}-s{seed}"
    info = make_corpus.manifest(folder)
    if not (
        info
        and info.get("documents") == n
        and info.get("seed") == seed
        and info.get("fingerprint") == make_corpus.fingerprint()
    ):
        print(f"making a corpus of {n:,} documents in {folder} ...", flush=True)
        start = time.perf_counter()
        make_corpus.make_corpus(n, folder, seed)
        print(f"  done in {time.perf_counter() - start:.0f} s", flush=True)
    return folder


def texts_of(folder: Path) -> list[str]:
    out = []
    for task in collect([str(folder)]):
        try:
            out.append(read_path(Path(task.source)).text)
        except ReadError:
            continue
    return out


def time_word_tokenize(texts: list[str]) -> Run:
    from underthesea import word_tokenize

    word_tokenize("Ủy ban nhân dân tỉnh")  # loads the model
    busy, cpu = machine_cpu(), time.process_time()
    start = time.perf_counter()
    for text in texts:
        word_tokenize(text)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    return Run(seconds, cpu, max(0.0, machine_cpu() - busy - cpu), 0, 0, 0, "")


def median_seconds(cmd: list[str], repeat: int) -> float:
    return statistics.median(
        checked(measure(cmd, sample=0.01), " ".join(cmd)).seconds for _ in range(repeat)
    )


def profile(cmd: list[str], paths: list[str], out_dir: Path, top: int = 5):
    """Own time of the ``top`` functions in one ``extract --jobs 1`` run under cProfile."""
    stats_file = out_dir / "extract.prof"
    run = [
        sys.executable,
        "-m",
        "cProfile",
        "-o",
        str(stats_file),
        "-m",
        "vncovid_cli",
        "extract",
        *paths,
        "--jobs",
        "1",
        "-q",
        "-o",
        str(out_dir / "profiled.jsonl"),
    ]
    checked(measure(run), "profiled extract", documents=True)
    stats = pstats.Stats(str(stats_file))
    total = stats.total_tt
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    return total, [(_name(func), tt, tt / total, ct) for func, (_, _, tt, ct, _) in rows]


def _name(func: tuple[str, int, str]) -> str:
    filename, line, name = func
    if filename == "~":
        return name
    path = Path(filename)
    anchors = [
        ROOT,
        *(Path(p) for p in sys.path if p.endswith("site-packages")),
        Path(sysconfig.get_paths()["stdlib"]),
    ]
    for anchor in anchors:
        try:
            filename = path.relative_to(anchor).as_posix()
            break
        except ValueError:
            continue
    return f"{filename}:{line}({name})"


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        memory = f", {kb / 2**20:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{usable_cores()} usable cores ({os.cpu_count()} CPUs), {model}{memory}, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"underthesea {_version('underthesea')}"
    )


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def commit() -> str:
    try:
        sha = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{sha} + uncommitted changes" if dirty else sha


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="documents in the timed corpus")
    parser.add_argument(
        "--rss-docs",
        default="10000,100000",
        help="corpus sizes for the peak-RSS runs, comma-separated",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--corpus-dir",
        type=Path,
        default=BENCH / "corpus",
        help="where corpora are made and reused",
    )
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--repeat", type=int, default=11, help="runs for each start-up median")
    parser.add_argument(
        "--profile-docs",
        type=int,
        default=2000,
        help="documents in the profiled --jobs 1 run (whole folders of 1,000)",
    )
    args = parser.parse_args(argv)
    vncovid = vncovid_command()
    work = args.corpus_dir / "out"
    work.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)

    folder = ensure_corpus(args.docs, args.seed, args.corpus_dir)
    info = make_corpus.manifest(folder) or {}
    texts = texts_of(folder)
    n = len(texts)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{n:,} documents, {mb:.1f} MB of text", flush=True)

    runs: dict[tuple, Run] = {}

    def extract(corpus: Path, *options: str) -> Run:
        key = (str(corpus), options)
        if key not in runs:
            out = work / f"{corpus.name}{''.join(options).replace('-', '_')}.jsonl"
            print(f"extract {corpus.name} {' '.join(options)} ...", flush=True)
            cmd = [*vncovid, "extract", str(corpus), *options, "-q", "-o", str(out)]
            runs[key] = checked(measure(cmd), f"extract {' '.join(options)}", documents=True)
            print(f"  {runs[key].seconds:.1f} s", flush=True)
        return runs[key]

    timed = {
        "extract --jobs 1": extract(folder, "--jobs", "1"),
        "extract --jobs 2": extract(folder, "--jobs", "2"),
        "extract --no-keywords --jobs 1": extract(folder, "--no-keywords", "--jobs", "1"),
    }
    j1 = (work / f"{folder.name}__jobs1.jsonl").read_bytes()
    j2 = (work / f"{folder.name}__jobs2.jsonl").read_bytes()
    identical = j1 == j2
    del j1, j2
    print("underthesea.word_tokenize ...", flush=True)
    wt = time_word_tokenize(texts)
    wt_seconds = wt.seconds
    del texts

    rss_rows = []
    for size in (int(s) for s in args.rss_docs.split(",") if s.strip()):
        corpus = ensure_corpus(size, args.seed, args.corpus_dir)
        run = extract(corpus, "--jobs", str(usable_cores()))
        rss_rows.append((size, run))

    small = min((p for p in (ROOT / "corpus").glob("*.txt")), key=lambda p: p.stat().st_size)
    small_rel = small.relative_to(ROOT).as_posix()
    print("start-up times ...", flush=True)
    startup = [
        ("vncovid --help", median_seconds([*vncovid, "--help"], args.repeat)),
        (
            f"vncovid extract {small_rel} ({small.stat().st_size:,} bytes)",
            median_seconds([*vncovid, "extract", small_rel], args.repeat),
        ),
        (
            f"vncovid extract --no-keywords {small_rel}",
            median_seconds([*vncovid, "extract", "--no-keywords", small_rel], args.repeat),
        ),
    ]

    folders = sorted(p for p in folder.iterdir() if p.is_dir())
    k = max(1, -(-args.profile_docs // make_corpus.PER_FOLDER))
    profiled = [str(folder)] if k >= len(folders) else [str(p) for p in folders[:k]]
    profiled_docs = sum(1 for p in profiled for _ in collect([p]))
    print(f"profile of extract --jobs 1 on {profiled_docs:,} documents ...", flush=True)
    prof_total, prof_rows = profile(vncovid, profiled, work)

    def speed(r: Run) -> str:
        return (
            f"| {r.seconds:,.1f} | {r.cpu:,.1f} | {r.other_load:.2f} | {n / r.seconds:,.1f} "
            f"| {mb / r.seconds:,.3f} |"
        )

    lines = [
        f"## {started:%Y-%m-%d %H:%M} UTC · commit {commit()} · {n:,} documents",
        "",
        f"Machine: {machine()}.",
        f"Corpus: `{folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder}` "
        f"(make_corpus.py, seed {args.seed}): {n:,} documents, "
        f"{info.get('bytes', 0) / 1e6:,.1f} MB of files, {mb:,.1f} MB of text; "
        + ", ".join(f"{k} {v:,}" for k, v in (info.get("kinds") or {}).items())
        + ".",
        "",
        "| run (same text) | seconds | CPU s | other load | documents/s | MB/s "
        "| peak RSS, largest process |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(f"| `{name}` {speed(r)} {mib(r.max_rss)} |" for name, r in timed.items()),
        f"| `underthesea.word_tokenize`, in process {speed(wt)} |",
        "",
        "Ratios of throughput:",
        "",
    ]
    t1, t2 = timed["extract --jobs 1"].seconds, timed["extract --jobs 2"].seconds
    tn = timed["extract --no-keywords --jobs 1"].seconds
    lines += [
        f"- `extract --no-keywords --jobs 1` / `word_tokenize`: {wt_seconds / tn:.2f}x "
        "(issue 5 asks >= 10x)",
        f"- `extract --jobs 1` / `word_tokenize`: {wt_seconds / t1:.2f}x (asks >= 1.5x)",
        f"- `extract --jobs 2` / `extract --jobs 1`: {t1 / t2:.2f}x (asks >= 1.8x)",
        f"- `extract --no-keywords --jobs 1` / `extract --jobs 1`: {t1 / tn:.2f}x",
        f"- output of `--jobs 2` byte-identical to `--jobs 1`: {'yes' if identical else 'NO'}",
        "",
        f"Peak RSS of `extract DIR -o out.jsonl` (default --jobs {usable_cores()}):",
        "",
        "| documents | seconds | other load | documents/s | largest process "
        "| all processes (sampled) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {size:,} | {r.seconds:,.1f} | {r.other_load:.2f} | {size / r.seconds:,.1f} "
            f"| {mib(r.max_rss)} | {mib(r.tree_rss)} |"
            for size, r in rss_rows
        ),
    ]
    if len(rss_rows) >= 2:
        (a, ra), (b, rb) = rss_rows[0], rss_rows[-1]
        lines += [
            "",
            f"RSS at {b:,} / at {a:,} documents: largest process "
            f"{rb.max_rss / ra.max_rss:.2f}x, all processes {rb.tree_rss / ra.tree_rss:.2f}x "
            "(asks <= 1.2x)",
        ]
    failures = [
        (name, r)
        for name, r in [*timed.items(), *((f"{size:,} documents", r) for size, r in rss_rows)]
        if r.failed
    ]
    if failures:
        lines += [
            "",
            "Documents that came out with an error record (exit code 1): "
            + "; ".join(f"{name}: {r.failed:,}" for name, r in failures)
            + ".",
        ]
        first = next(
            (line for _, r in failures for line in r.stderr.splitlines() if "error:" in line), None
        )
        if first:
            lines += [f"First of them: `{first.strip()[:300]}`"]
    lines += ["", f"Start-up, median wall time of {args.repeat} runs:", ""]
    lines += [f"- `{name}`: {seconds:.3f} s" for name, seconds in startup]
    lines += [
        "",
        "CPU s: CPU time of the command and its workers. Other load: cores that other processes "
        "kept busy on average during the run (0.00 on a quiet machine; more means the timing "
        "was disturbed).",
        "",
        f"Profile of one `extract --jobs 1` run on {profiled_docs:,} documents (cProfile, "
        f"{prof_total:,.1f} s in all), the five functions with the most own time:",
        "",
        "| function | own s | share | cumulative s |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| `{name}` | {tt:,.2f} | {share:.0%} | {ct:,.2f} |"
            for name, tt, share, ct in prof_rows
        ),
        "",
    ]
    block = "\n".join(lines) + "\n"
    print()
    print(block)
    if not args.results.exists():
        args.results.write_text(
            "# Benchmark results\n\nAppended by `python bench/run.py`, newest last.\n\n",
            encoding="utf-8",
        )
    with args.results.open("a", encoding="utf-8") as f:
        f.write(block)
    shutil.rmtree(work, ignore_errors=True)
    return block


if __name__ == "__main__":
    main()
