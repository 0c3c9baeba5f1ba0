"""The extractor against gold readings: the project's corpus, and the seeds when present."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vncovid_cli.evaluate import HEADER_FIELDS, load_gold, score
from vncovid_cli.pipeline import Options, collect, run

from .conftest import CORPUS

# Floors under which the corpus test fails. The corpus is ours, so its score is an
# upper bound of what unseen documents get: keep these close to the current scores.
CORPUS_FLOOR = {
    "overall": 0.97,
    "case_counts": 0.95,
    "tasks": 0.95,
    "people": 0.9,
    "dates": 0.95,
    "references": 0.95,
}
SEED_FLOOR = {"overall": 0.95, "case_counts": 0.9, "tasks": 0.9, "people": 0.8}


def _metrics(folder: Path, gold_dir: Path) -> dict:
    records = run(collect([str(folder)]), Options(), jobs=1)
    result = score(records, load_gold(gold_dir))
    assert not result.missing
    return {
        k: (v["accuracy"] if k in HEADER_FIELDS or k == "overall" else v["f1"])
        for k, v in result.metrics().items()
    }


def _check(metrics: dict, floors: dict) -> None:
    low = {k: round(metrics[k], 3) for k, floor in floors.items() if metrics[k] < floor}
    assert not low, (
        f"below the floor: {low} (all: { {k: round(v, 3) for k, v in metrics.items()} })"
    )


def test_corpus_has_gold_for_every_document() -> None:
    docs = {p.name for p in CORPUS.iterdir() if p.suffix in (".txt", ".html", ".docx")}
    gold = {
        json.loads(p.read_text(encoding="utf-8"))["doc"] for p in (CORPUS / "gold").glob("*.json")
    }
    assert len(docs) >= 40
    assert docs == gold


def test_corpus_scores_above_the_floor() -> None:
    _check(_metrics(CORPUS, CORPUS / "gold"), CORPUS_FLOOR)


def test_seeds_score_above_the_floor(shared: Path) -> None:
    metrics = _metrics(shared / "seeds", shared / "eval" / "gold")
    _check(metrics, SEED_FLOOR)
    for field in HEADER_FIELDS:
        assert metrics[field] >= 0.8, field
    assert metrics["dates"] >= 0.9 and metrics["references"] >= 0.9


def test_evaluate_command_on_the_corpus(tmp_path: Path) -> None:
    """`vncovid evaluate` as a user runs it, with a floor that fails the command."""
    cmd = [
        sys.executable,
        "-m",
        "vncovid_cli",
        "evaluate",
        str(CORPUS),
        str(CORPUS / "gold"),
        "--json",
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, check=True)
    metrics = json.loads(result.stdout)["metrics"]
    assert metrics["overall"]["accuracy"] >= CORPUS_FLOOR["overall"]
    failing = subprocess.run([*cmd, "--min-overall", "1.01"], capture_output=True, text=True)
    assert failing.returncode == 1
    assert "below" in failing.stderr


def test_shared_scorer_agrees_with_evaluate(shared: Path, tmp_path: Path) -> None:
    """The project's evaluate computes what ../shared/eval/score.py computes."""
    out = tmp_path / "corpus.jsonl"
    subprocess.run(
        [sys.executable, "-m", "vncovid_cli", "extract", str(CORPUS), "-o", str(out), "-q"],
        check=True,
    )
    theirs = subprocess.run(
        [
            sys.executable,
            str(shared / "eval" / "score.py"),
            str(out),
            str(CORPUS / "gold"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    ours = subprocess.run(
        [sys.executable, "-m", "vncovid_cli", "evaluate", str(out), str(CORPUS / "gold"), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    theirs_m, ours_m = json.loads(theirs.stdout)["metrics"], json.loads(ours.stdout)["metrics"]
    for field in HEADER_FIELDS:
        assert ours_m[field]["accuracy"] == pytest.approx(theirs_m[field])
    for field in ("dates", "case_counts", "tasks", "references", "people"):
        assert ours_m[field]["f1"] == pytest.approx(theirs_m[field])
    assert ours_m["overall"]["accuracy"] == pytest.approx(theirs_m["overall"])
