"""What bounds the throughput of ``extract`` against ``underthesea.word_tokenize``?

    python bench/floor.py DIR [--docs N]

On the first N documents of DIR (in path order), times, in this process and on the same
normalized text:

- ``word_tokenize`` over each whole text (the yardstick of bench/run.py);
- ``extract(..., with_keywords=False)`` (every field but the task keywords);
- task keywords alone: ``word_tokenize`` over the texts of the tasks that extract finds;
- rule scans alone: every rule that extraction runs on a document, each run once over the
  document's folded text with the engine's own matcher (prefilters and lexicon search
  included), and nothing else: no field logic, no chrome, no resolution.

and prints each as a share of ``word_tokenize``'s time. ``extract --no-keywords`` at 10x
``word_tokenize`` needs the whole extraction in 10% of its time; the rule scans alone are a
floor under that with the present engine. Nothing is written; the figures are printed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vncovid_cli import rules as rules_module  # noqa: E402
from vncovid_cli.extraction import extract  # noqa: E402
from vncovid_cli.pipeline import iter_tasks  # noqa: E402
from vncovid_cli.readers import ReadError, read_path  # noqa: E402
from vncovid_cli.text import fold  # noqa: E402


def texts_of(folder: Path, n: int) -> list[str]:
    """The normalized texts of the first ``n`` readable documents of ``folder``."""
    out = []
    for task in iter_tasks([str(folder)]):
        try:
            out.append(read_path(Path(task.source)).text)
        except ReadError:
            continue
        if len(out) == n:
            break
    return out


def scanned_rules(texts: list[str], ruleset: rules_module.RuleSet) -> list[rules_module.Rule]:
    """The rules that extraction runs on these texts (recorded from real runs)."""
    seen: dict[str, rules_module.Rule] = {}
    originals = {name: getattr(rules_module.Rule, name) for name in ("scan", "finditer")}

    def recording(name):
        def record(rule, text, pos=0, endpos=None):
            seen.setdefault(rule.id, rule)
            return originals[name](rule, text, pos, endpos)

        return record

    for name in originals:
        setattr(rules_module.Rule, name, recording(name))
    try:
        for text in texts:
            extract(text, ruleset, with_keywords=False)
    finally:
        for name, method in originals.items():
            setattr(rules_module.Rule, name, method)
    return list(seen.values())


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def measure(texts: list[str]) -> dict[str, float]:
    """Seconds of each kind of work over ``texts``."""
    from underthesea import word_tokenize

    ruleset = rules_module.load_rules()
    word_tokenize(texts[0])  # loads the model
    extract(texts[0], ruleset, with_keywords=False)
    scanned = scanned_rules(texts, ruleset)
    task_texts = [
        item["text"]
        for text in texts
        for item in extract(text, ruleset, with_keywords=False)["tasks"]
    ]

    def scan_all() -> None:
        for text in texts:
            view = fold(text)
            for rule in scanned:
                for _ in rule.scan(view):
                    pass

    return {
        "word_tokenize, whole texts": timed(lambda: [word_tokenize(t) for t in texts]),
        "extract, no keywords": timed(
            lambda: [extract(t, ruleset, with_keywords=False) for t in texts]
        ),
        "task keywords (word_tokenize of task texts)": timed(
            lambda: [word_tokenize(t) for t in task_texts]
        ),
        f"rule scans alone ({len(scanned)} rules, once each)": timed(scan_all),
    }


def report(texts: list[str], seconds: dict[str, float]) -> list[str]:
    base = seconds["word_tokenize, whole texts"]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    lines = [f"{len(texts):,} documents, {mb:.1f} MB of text", ""]
    lines += [
        "| work | seconds | MB/s | share of word_tokenize's time |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, s in seconds.items():
        lines.append(f"| {name} | {s:.2f} | {mb / s:.3f} | {s / base:.0%} |")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args(argv)
    texts = texts_of(args.folder, args.docs)
    if not texts:
        raise SystemExit(f"floor.py: error: {args.folder}: no readable documents")
    print("\n".join(report(texts, measure(texts))))


if __name__ == "__main__":
    main()
