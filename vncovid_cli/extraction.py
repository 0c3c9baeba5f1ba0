"""The extraction of one document: a pure function from text to record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import budget
from .document import Document
from .fields import (
    case_counts,
    dates,
    doc_number,
    doc_type,
    issue_date,
    issuer,
    keywords,
    people,
    rates,
    references,
    subject,
    tasks,
)
from .rules import RuleSet, load_rules
from .text import normalize

SCALAR_FIELDS = ("doc_number", "doc_type", "issue_date")
EMPTY_ISSUER = dict.fromkeys(("name", "level", "province", "district", "system", "parent"))


def extract(
    text: str,
    rules: RuleSet | None = None,
    *,
    with_keywords: bool = True,
    include_text: bool = False,
    rule_budget: float = budget.DEFAULT_SECONDS,
) -> dict[str, Any]:
    """Read one document's text into a record (see README: "The record").

    >>> extract("Số: 08/CT-UBND\\nVĩnh Phúc, ngày 21 tháng 5 năm 2021")["issue_date"]
    '2021-05-21'
    """
    doc = Document(normalize(text), rules or load_rules())
    record = read_document(doc, with_keywords=with_keywords, rule_budget=rule_budget)
    if include_text:
        record["text"] = doc.text
    return record


def read_document(
    doc: Document,
    *,
    with_keywords: bool = True,
    anchor_hint: dt.date | None = None,
    rule_budget: float = budget.DEFAULT_SECONDS,
) -> dict[str, Any]:
    """Every field of the record from a prepared :class:`Document`; each user rule may
    spend ``rule_budget`` seconds matching on it (vncovid_cli/budget.py)."""
    with budget.document_budget(rule_budget) as spent:
        record = _read_fields(doc, with_keywords, anchor_hint)
    doc.warnings.extend(spent.warnings())
    return record


def _read_fields(doc: Document, with_keywords: bool, anchor_hint: dt.date | None) -> dict[str, Any]:
    primary = doc_number.primary(doc)
    issue, issue_rule = issue_date.detect(doc, primary)
    anchor = issue_date.anchor(doc, issue) or anchor_hint
    kind = doc_type.detect(doc, primary)
    body, body_span = issuer.record(doc, primary)
    spans: dict[str, Any] = {
        "doc_number": primary["value_span"] if primary else None,
        "doc_type": _evidence(kind),
        "issuer": body_span,
        "issue_date": doc.span(issue.start, issue.end, issue_rule) if issue else None,
    }
    topic = subject.detect(doc)
    spans["subject"] = _evidence(topic)
    task_items = tasks.items(doc)
    item_themes = keywords.themes(doc, [(item["start"], item["end"]) for item in task_items])
    for item, theme in zip(task_items, item_themes, strict=True):
        item["theme"] = theme
        item["keywords"] = keywords.keywords(item["text"], doc.rules) if with_keywords else None
    people_items, signer = people.people_and_signer(doc)
    return {
        "doc_number": primary["value"] if primary else None,
        "doc_type": kind["value"] if kind else None,
        "issuer": body or dict(EMPTY_ISSUER),
        "issue_date": issue_date.iso(issue, anchor),
        "subject": topic["value"] if topic else None,
        "signer": signer,
        "dates": dates.items(doc, anchor),
        "references": references.items(doc, primary),
        "case_counts": case_counts.items(doc, anchor),
        "rates": rates.items(doc),
        "tasks": task_items,
        "people": people_items,
        "spans": spans,
        "parts": [
            {"name": p.name, "start": p.start, "end": p.end, "rule": p.rule}
            for p in doc.layout.parts
            if p.name != "chrome"
        ],
        "warnings": doc.warnings,
    }


def empty_record() -> dict[str, Any]:
    """The fields of a record with no values: what a document that could not be read has,
    so that every record has every key."""
    return {
        "doc_number": None,
        "doc_type": None,
        "issuer": dict(EMPTY_ISSUER),
        "issue_date": None,
        "subject": None,
        "signer": None,
        "dates": [],
        "references": [],
        "case_counts": [],
        "rates": [],
        "tasks": [],
        "people": [],
        "spans": {name: None for name in (*SCALAR_FIELDS, "issuer", "subject")},
        "parts": [],
        "warnings": [],
    }


def _evidence(found: dict | None) -> dict | None:
    if not found:
        return None
    return {k: found[k] for k in ("text", "start", "end", "rule")}
