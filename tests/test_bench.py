"""The benchmark scripts run, on a tiny corpus (no timing is asserted anywhere)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from vncovid_cli.pipeline import collect
from vncovid_cli.readers import read_bytes, read_path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

import make_corpus  # noqa: E402

ALL_KINDS = {"txt utf-8", "txt utf-8-sig", "txt utf-16", "txt windows-1258", "html utf-8", "docx"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bench") / "c"
    make_corpus.make_corpus(40, folder, seed=3)
    return folder


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_same_seed_gives_the_same_bytes(corpus, tmp_path):
    make_corpus.make_corpus(40, tmp_path / "again", seed=3)
    assert files(tmp_path / "again") == files(corpus)
    make_corpus.make_corpus(10, tmp_path / "other", seed=4)
    assert files(tmp_path / "other") != {
        k: v for k, v in files(corpus).items() if k in files(tmp_path / "other")
    }


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one(corpus, tmp_path):
    make_corpus.make_corpus(12, tmp_path / "small", seed=3)
    small = {k: v for k, v in files(tmp_path / "small").items() if not k.startswith(".")}
    assert len(small) == 12
    assert all(files(corpus)[k] == v for k, v in small.items())


def test_documents_vary_in_format_and_encoding_and_all_read(corpus):
    info = make_corpus.manifest(corpus)
    assert info["documents"] == 40 and set(info["kinds"]) == ALL_KINDS
    tasks = collect([str(corpus)])
    assert len(tasks) == 40
    seen = {}
    for task in tasks:
        source = read_path(Path(task.source))
        kind = f"{source.format} {source.encoding}" if source.encoding else source.format
        seen[kind] = seen.get(kind, 0) + 1
        assert len(source.text) > 300
    assert seen == info["kinds"]  # each file reads back in the encoding it was written in


def test_documents_vary_in_content_and_length(corpus):
    texts = [read_path(Path(t.source)).text for t in collect([str(corpus)])]
    assert len(set(texts)) == len(texts)
    lengths = sorted(len(t) for t in texts)
    assert lengths[-1] > 2 * lengths[0]


def test_windows_1258_keeps_tone_marks_combining():
    data = make_corpus.to_cp1258("Thừa Thiên Huế, hoà bình")
    assert "ê\u0301".encode("cp1258") in data  # ế: ê precomposed, acute combining
    assert read_bytes(data).text == "Thừa Thiên Huế, hoà bình"
    assert read_bytes(data).encoding == "windows-1258"


def test_make_corpus_command_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(BENCH / "make_corpus.py"), "5", str(tmp_path / "c"), "--seed", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "5 documents" in proc.stdout
    assert len(collect([str(tmp_path / "c")])) == 5


def test_run_py_measures_everything_on_a_tiny_corpus(tmp_path):
    results = tmp_path / "RESULTS.md"
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--docs",
            "20",
            "--rss-docs",
            "10,20",
            "--repeat",
            "1",
            "--profile-docs",
            "20",
            "--corpus-dir",
            str(tmp_path / "corpus"),
            "--results",
            str(results),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    text = results.read_text(encoding="utf-8")
    for needle in (
        "`extract --jobs 1`",
        "`extract --jobs 2`",
        "`extract --no-keywords --jobs 1`",
        "`underthesea.word_tokenize`",
        "byte-identical to `--jobs 1`: yes",
        "| 10 |",
        "| 20 |",
        "RSS at 20 / at 10 documents",
        "`vncovid --help`",
        "Profile of one `extract --jobs 1` run on 20 documents",
        "usable cores",
    ):
        assert needle in text, needle
    profile = text.split("Profile of one")[1]
    assert profile.count("\n| `") == 5
    assert text.startswith("# Benchmark results")
    assert text[text.index("## ") :].strip() in proc.stdout  # what is appended is what is printed


def test_floor_py_shares_of_word_tokenize_time_on_a_tiny_corpus(corpus):
    proc = subprocess.run(
        [sys.executable, str(BENCH / "floor.py"), str(corpus), "--docs", "8"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("8 documents")
    rows = [
        line for line in proc.stdout.splitlines() if line.startswith("| ") and "---" not in line
    ]
    names = [row.split(" | ")[0].lstrip("| ") for row in rows[1:]]
    assert names[:3] == [
        "word_tokenize, whole texts",
        "extract, no keywords",
        "task keywords (word_tokenize of task texts)",
    ]
    assert names[3].startswith("rule scans alone (") and " rules, once each)" in names[3]
    assert int(names[3].split("(")[1].split()[0]) > 50  # the rules extraction really runs
    assert rows[1].endswith("| 100% |")


def test_floor_py_names_an_empty_folder(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(BENCH / "floor.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    assert f"{tmp_path}: no readable documents" in proc.stderr
