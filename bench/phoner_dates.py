"""Score the ``dates`` field against the DATE spans of PhoNER_COVID19 (train or dev only).

    python bench/phoner_dates.py PATH [--split train|dev] [--misses FILE] [--limit N]

PATH is a clone of VinAIResearch/PhoNER_COVID19; the split is read from
``data/syllable/{split}_syllable.json`` (one JSON object a line: ``words``, BIO ``tags``).
The test split is held out: this script refuses it and never opens it.

Each sentence is its words joined by single spaces, read with
:func:`vncovid_cli.extraction.extract`; every item of its ``dates`` list is a predicted
span (its ``start``/``end``), mapped to the tokens it touches. Gold spans are the
B-DATE/I-DATE runs (bare months such as "tháng 7" included: the field does not take them).

* overlap: a prediction is correct if it shares a token with a gold span; a gold span is
  found if it shares a token with a prediction.
* exact: the prediction covers exactly the tokens of a gold span ("ngày 3 - 4" against
  gold "3 - 4" is an overlap hit, not an exact one).

Precision = correct predictions / predictions; recall = found gold spans / gold spans.
``--misses`` writes the false negatives and false positives (overlap) as tab-separated
``split:line  FN|FP  span  context`` rows; it quotes the data set, so never commit it.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from vncovid_cli.extraction import extract
from vncovid_cli.rules import load_rules
from vncovid_cli.text import normalize

Span = tuple[int, int]  # token range [start, end)


@dataclass
class Score:
    gold: int = 0
    pred: int = 0
    found: dict[str, int] = field(default_factory=lambda: {"overlap": 0, "exact": 0})
    correct: dict[str, int] = field(default_factory=lambda: {"overlap": 0, "exact": 0})
    misses: list[str] = field(default_factory=list)


def gold_spans(tags: list[str]) -> list[Span]:
    """The DATE runs of a BIO tag list (an I-DATE without a B-DATE starts a run too)."""
    spans: list[Span] = []
    for i, tag in enumerate(tags):
        if tag == "B-DATE" or (tag == "I-DATE" and (i == 0 or tags[i - 1] == "O")):
            spans.append((i, i + 1))
        elif tag == "I-DATE" and spans and spans[-1][1] == i:
            spans[-1] = (spans[-1][0], i + 1)
    return spans


def predicted_spans(words: list[str], rules) -> list[Span]:
    """The token ranges of the dates the extractor reads in the joined sentence."""
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    text = " ".join(words)
    out = []
    for item in extract(text, rules, with_keywords=False)["dates"]:
        toks = [
            i for i, s in enumerate(starts) if s < item["end"] and s + len(words[i]) > item["start"]
        ]
        if toks:
            out.append((toks[0], toks[-1] + 1))
    return out


def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(path: Path, split: str, limit: int | None) -> Score:
    rules, result = load_rules(), Score()
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                break
            row = json.loads(line)
            words = [normalize(w) or "_" for w in row["words"]]
            gold, pred = gold_spans(row["tags"]), predicted_spans(words, rules)
            result.gold += len(gold)
            result.pred += len(pred)
            for kind, spans, others, counter in (
                ("FN", gold, pred, result.found),
                ("FP", pred, gold, result.correct),
            ):
                for s in spans:
                    counter["exact"] += s in others
                    if any(overlaps(s, o) for o in others):
                        counter["overlap"] += 1
                        continue
                    context = " ".join(words[max(0, s[0] - 6) : s[1] + 6])
                    result.misses.append(
                        f"{split}:{n}\t{kind}\t{' '.join(words[slice(*s)])}\t{context}"
                    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="a clone of VinAIResearch/PhoNER_COVID19")
    parser.add_argument("--split", default="train", help="train or dev (test is held out)")
    parser.add_argument("--misses", type=Path, help="write false negatives and positives here")
    parser.add_argument("--limit", type=int, help="only the first N sentences")
    args = parser.parse_args(argv)
    if args.split not in ("train", "dev"):
        parser.error(f"split '{args.split}' refused: only train and dev (test is held out)")
    data = args.path / "data" / "syllable" / f"{args.split}_syllable.json"
    result = score(data, args.split, args.limit)
    print(f"{args.split}: {result.gold} gold DATE spans, {result.pred} predicted")
    for kind in ("overlap", "exact"):
        p = result.correct[kind] / result.pred if result.pred else 0.0
        r = result.found[kind] / result.gold if result.gold else 0.0
        print(
            f"  {kind:7} precision {p:.4f} ({result.correct[kind]}/{result.pred})"
            f"  recall {r:.4f} ({result.found[kind]}/{result.gold})"
        )
    if args.misses:
        args.misses.write_text("".join(m + "\n" for m in result.misses), encoding="utf-8")
        print(f"  {len(result.misses)} misses written to {args.misses}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
