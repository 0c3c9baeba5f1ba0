"""Running one field on a snippet: what the rule examples are checked against.

``probe(field, text, year)`` returns the field's items for ``text`` as the record would
hold them (a scalar field gives one item with its ``value``), each with the ``rule``
that produced it. ``year`` stands in for the document's year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from . import places
from .document import Document
from .extraction import read_document
from .numbers import parse_words
from .rules import RuleSet, load_rules
from .text import normalize


def probe(
    field: str, text: str, year: int | None = None, rules: RuleSet | None = None
) -> list[dict[str, Any]]:
    """The items ``field`` yields for ``text``."""
    rules = rules or load_rules()
    doc = Document(normalize(text), rules)
    special = _SPECIAL.get(field)
    if special:
        return special(doc)
    anchor = dt.date(year, 7, 1) if year else None
    record = read_document(doc, with_keywords=field == "keywords", anchor_hint=anchor)
    return _from_record(field, record, rules)


def _from_record(field: str, record: dict[str, Any], rules: RuleSet) -> list[dict[str, Any]]:
    spans = record["spans"]
    if field in ("doc_number", "doc_type", "issue_date", "subject"):
        if record[field] is None:
            return []
        return [{"value": record[field], **(spans.get(field) or {})}]
    if field == "issuer":
        if not record["issuer"]["name"]:
            return []
        return [{**record["issuer"], **(spans.get("issuer") or {})}]
    if field == "people":
        items = list(record["people"])
        if record["signer"]:
            items.append(dict(record["signer"]))  # its rule: the signature block's
        return items
    if field == "keywords":
        stopwords = rules.having("keywords", "kind", "stopword")
        rule = stopwords.id if stopwords else None
        return [{"keywords": t["keywords"], "rule": rule} for t in record["tasks"]]
    return list(record[field])


def _chrome(doc: Document) -> list[dict[str, Any]]:
    from .engine import find
    from .text import fold

    return [
        {"text": doc.text[m.start : m.end].strip(), "rule": m.rule.id}
        for m in find(fold(doc.text), doc.rules.field("chrome"))
    ]


def _noise(doc: Document) -> list[dict[str, Any]]:
    doc.view  # noqa: B018 - computing the view applies the fixes
    blanked = [
        {"value": "", "found": doc.text[start:end], "rule": rule}
        for start, end, rule in doc.cache.get("blanked", [])
    ]
    return blanked + [
        {
            "value": w["message"].split("'")[3] if w["code"] == "ocr_fix" else "line break",
            "found": doc.text[w["start"] : w["end"]],
            "rule": w["rule"],
        }
        for w in doc.warnings
        if w["code"] in ("ocr_fix", "line_break")
    ]


def _layout(doc: Document) -> list[dict[str, Any]]:
    return [
        {"value": p.name, "text": doc.text[p.start : p.end], "rule": p.rule}
        for p in doc.layout.marks
    ]


def _places(doc: Document) -> list[dict[str, Any]]:
    communes = [
        {"commune": name, "rule": rule, "start": s, "end": e}
        for name, s, e, rule in places.communes(doc, with_rule=True)
    ]
    return communes + [
        {
            "province": m.place.province,
            "district": m.place.district,
            "rule": m.rule,
            "start": m.start,
            "end": m.end,
        }
        for m in places.mentions(doc)
    ]


def _numbers(doc: Document) -> list[dict[str, Any]]:
    rule = doc.rules.having("numbers", "digits")
    words = list(rule.finditer(doc.view))
    runs: list[list[re.Match[str]]] = []
    for m in words:
        if runs and not doc.view[runs[-1][-1].end() : m.start()].strip():
            runs[-1].append(m)
        else:
            runs.append([m])
    out = []
    for run in runs:
        value = parse_words(doc.view[run[0].start() : run[-1].end()], doc.rules)
        if value is not None:
            out.append(
                {"value": value, "rule": rule.id, "start": run[0].start(), "end": run[-1].end()}
            )
    return out


def _checks(doc: Document) -> list[dict[str, Any]]:
    """The findings of ``vncovid validate``'s text checks (each with its ``rule``)."""
    from .validate import validate

    return validate(read_document(doc, with_keywords=False), doc.text, doc.rules)


_SPECIAL: dict[str, Callable[[Document], list[dict[str, Any]]]] = {
    "chrome": _chrome,
    "places": _places,
    "numbers": _numbers,
    "noise": _noise,
    "layout": _layout,
    "checks": _checks,
}
