"""Scoring records against gold annotations (the format of SCHEMA.md in the README).

Header fields are scored by accuracy (any acceptable gold value counts); list fields
by precision, recall and F1 over the items a careful reader lists. ``overall`` is the
mean of the header accuracies and the list F1s.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

HEADER_FIELDS = [
    "doc_number",
    "doc_type",
    "issuer",
    "issuer_level",
    "province",
    "district",
    "issue_date",
]
LIST_FIELDS = ["dates", "case_counts", "tasks", "references", "people"]
TASK_SIMILARITY = 0.9
ISSUER_SIMILARITY = 0.9
_UNIT_WORDS = re.compile(r"^(tỉnh|thành phố|tp\.?|huyện|thị xã|quận|xã|phường|thị trấn)\s+")
_OLD_TONES = (
    ("oà", "òa"),
    ("oá", "óa"),
    ("oả", "ỏa"),
    ("oã", "õa"),
    ("oạ", "ọa"),
    ("uỳ", "ùy"),
    ("uý", "úy"),
    ("uỷ", "ủy"),
    ("uỹ", "ũy"),
    ("uỵ", "ụy"),
    ("oè", "òe"),
    ("oé", "óe"),
    ("oẻ", "ỏe"),
    ("oẽ", "õe"),
    ("oẹ", "ọe"),
)


def norm(value: Any) -> str:
    """Lower case, NFC, new-style tones, single spaces: how values are compared."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).lower()
    for old, new in _OLD_TONES:
        text = text.replace(old, new)
    return re.sub(r"\s+", " ", text).strip()


def similar(a: str, b: str) -> float:
    a, b = norm(a), norm(b)
    return SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else float(a == b)


@dataclass
class Miss:
    doc: str
    field: str
    message: str


@dataclass
class Score:
    """Counts per field, and the misses."""

    documents: int = 0
    missing: list[str] = field(default_factory=list)
    hits: Counter = field(default_factory=Counter)
    header_pred: Counter = field(default_factory=Counter)  # non-null predictions
    header_gold: Counter = field(default_factory=Counter)  # non-null gold values
    header_tp: Counter = field(default_factory=Counter)  # correct non-null predictions
    lists: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0, 0] for f in LIST_FIELDS})
    misses: list[Miss] = field(default_factory=list)

    def metrics(self) -> dict[str, dict[str, float | None]]:
        """Per field: precision, recall, F1 and (header fields) accuracy."""
        out: dict[str, dict[str, float | None]] = {}
        for f in HEADER_FIELDS:
            p, r, f1 = prf(self.header_tp[f], self.header_pred[f], self.header_gold[f])
            acc = self.hits[f] / self.documents if self.documents else 0.0
            out[f] = {"precision": p, "recall": r, "f1": f1, "accuracy": acc}
        for f in LIST_FIELDS:
            p, r, f1 = prf(*self.lists[f])
            out[f] = {"precision": p, "recall": r, "f1": f1, "accuracy": None}
        headline = [out[f]["accuracy"] for f in HEADER_FIELDS] + [out[f]["f1"] for f in LIST_FIELDS]
        out["overall"] = {
            "precision": None,
            "recall": None,
            "f1": None,
            "accuracy": sum(headline) / len(headline),
        }
        return out


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


GOLD_KEYS = ("doc", *HEADER_FIELDS, *LIST_FIELDS)


class GoldError(Exception):
    """A gold file or a predictions file that cannot be read: names the file and the reason."""


def load_gold(folder: Path) -> list[dict[str, Any]]:
    """The gold files of a folder, each checked for the schema's keys."""
    out = []
    for path in sorted(folder.glob("*.json")):
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GoldError(f"{path}: not a JSON gold file: {exc}") from exc
        missing = [k for k in GOLD_KEYS if not isinstance(gold, dict) or k not in gold]
        if missing:
            raise GoldError(f"{path}: gold file lacks {', '.join(missing)}")
        out.append(gold)
    return out


def load_predictions(path: Path) -> list[dict[str, Any]]:
    """Records from a JSON Lines file, as `vncovid extract` writes them."""
    out = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldError(f"{path}: line {n} is not JSON: {exc}") from exc
            if not isinstance(record, dict):
                raise GoldError(f"{path}: line {n} is not a record")
            out.append(record)
    return out


def score(records: Iterable[dict[str, Any]], gold: list[dict[str, Any]]) -> Score:
    """Score records (matched to gold by the file name of ``source``)."""
    by_name = {Path(str(r.get("source", ""))).name: r for r in records}
    result = Score(documents=len(gold))
    for g in gold:
        pred = by_name.get(g["doc"])
        if pred is None:
            result.missing.append(g["doc"])
            pred = {}
        _score_header(result, g, pred)
        _score_lists(result, g, pred)
    return result


def _header_values(pred: dict[str, Any]) -> dict[str, Any]:
    issuer = pred.get("issuer") or {}
    return {
        "doc_number": pred.get("doc_number"),
        "doc_type": pred.get("doc_type"),
        "issuer": issuer.get("name"),
        "issuer_level": issuer.get("level"),
        "province": issuer.get("province"),
        "district": issuer.get("district"),
        "issue_date": pred.get("issue_date"),
    }


def _header_ok(name: str, got: Any, gold: dict[str, Any]) -> bool:
    want = gold[name]
    if name == "doc_number":
        return re.sub(r"\s+", "", norm(got)).removeprefix("số").lstrip(":") == re.sub(
            r"\s+", "", norm(want)
        )
    if name == "doc_type":
        options = want if isinstance(want, list) else [want]
        return norm(got) in {norm(t) for t in options}
    if name == "issuer":
        return (not want and not got) or any(
            similar(got or "", w) >= ISSUER_SIMILARITY for w in want
        )
    if name in ("province", "district"):
        return _UNIT_WORDS.sub("", norm(got)) == _UNIT_WORDS.sub("", norm(want))
    return norm(got) == norm(want)


def _score_header(result: Score, gold: dict[str, Any], pred: dict[str, Any]) -> None:
    for name, got in _header_values(pred).items():
        ok = _header_ok(name, got, gold)
        want = gold[name]
        result.hits[name] += ok
        result.header_pred[name] += got not in (None, "")
        result.header_gold[name] += bool(want) and want != [None]
        result.header_tp[name] += ok and got not in (None, "")
        if not ok:
            result.misses.append(Miss(gold["doc"], name, f"gold {want!r}, got {got!r}"))


def _task_tp(pred: list[dict], gold: list[dict]) -> tuple[int, list[dict]]:
    used, tp, missed = set(), 0, []
    for g in gold:
        for i, p in enumerate(pred):
            if i in used or str(p.get("level")) != str(g["level"]):
                continue
            if norm(p.get("label")).strip(".)") != norm(g["label"]):
                continue
            if similar(p.get("text", ""), g["text"]) >= TASK_SIMILARITY:
                used.add(i)
                tp += 1
                break
        else:
            missed.append(g)
    return tp, missed


KEYS: dict[str, Callable[[dict], Any]] = {
    "dates": lambda d: norm(d["value"] if isinstance(d, dict) else d),
    "case_counts": lambda c: (int(c["value"]), norm(c.get("category"))),
    "references": lambda r: (norm(r.get("doc_type")), norm(r.get("number"))),
    "people": lambda x: norm(x.get("name")),
}
SETS = {"dates", "references", "people"}  # each distinct value is one fact


def _score_lists(result: Score, gold: dict[str, Any], pred: dict[str, Any]) -> None:
    for name in LIST_FIELDS:
        got, want = pred.get(name) or [], gold.get(name) or []
        if name == "tasks":
            tp, missed = _task_tp(got, want)
            n_pred, n_gold = len(got), len(want)
            detail = [f"missed {m['label']} (level {m['level']}): {m['text'][:70]}" for m in missed]
        else:
            p = [KEYS[name](x) for x in got]
            g = [KEYS[name](x) for x in want]
            if name in SETS:
                p, g = list(set(p)), list(set(g))
            tp = sum((Counter(p) & Counter(g)).values())
            n_pred, n_gold = len(p), len(g)
            extra = Counter(p) - Counter(g)
            lost = Counter(g) - Counter(p)
            detail = [f"extra {x!r}" for x in extra.elements()] + [
                f"missed {x!r}" for x in lost.elements()
            ]
        for i, v in enumerate((tp, n_pred, n_gold)):
            result.lists[name][i] += v
        result.misses.extend(Miss(gold["doc"], name, d) for d in detail)
