"""Issue date: which of the document's dates is the primary directive's own."""

from __future__ import annotations

import datetime as dt

from ..document import Document
from . import dates
from .dates import DateMention


def detect(doc: Document, primary: dict | None) -> tuple[DateMention | None, str | None]:
    """The issue date's mention and the rule that chose it."""
    mentions = dates.mentions(doc)
    content_start = len(doc.view) - len(doc.view.lstrip())
    best = None
    for match in doc.matches("issue_date", resolved=False):
        if not _within(doc, match.start, match.data, content_start):
            continue
        if not _about_primary(match, primary):
            continue
        start, end = match.span_of("date")
        mention = next(
            (m for m in mentions if start <= m.start < end or m.start <= start < m.end), None
        )
        if mention is None:
            continue
        rank = (match.data["priority"], match.start)
        if best is None or rank < best[0]:
            best = (rank, mention, match.rule.id)
    return (best[1], best[2]) if best else (None, None)


def _within(doc: Document, pos: int, data: dict, content_start: int) -> bool:
    """A rule's position limit: ``within_chars`` of the content's start, ``within_lines``."""
    if "within_chars" in data and pos - content_start > data["within_chars"]:
        return False
    return "within_lines" not in data or pos < doc.line_offset(data["within_lines"])


def _about_primary(match, primary: dict | None) -> bool:
    """A rule with ``primary: required`` counts only at the primary directive's number;
    with ``primary: if_any``, there too when the text gives a number, anywhere otherwise."""
    need = match.data.get("primary")
    if not need or (need == "if_any" and primary is None):
        return True
    return _is_primary(match.start, match.end, primary)


def _is_primary(start: int, end: int, primary: dict | None) -> bool:
    if not primary:
        return False
    ev = primary["evidence"]
    return start <= ev["end"] and ev["start"] <= end


def anchor(doc: Document, issue: DateMention | None) -> dt.date | None:
    """The date that lends its year to yearless dates: the issue date, else the page's
    publication date, else the latest full date of the text."""
    if issue and issue.year:
        return issue.date()
    full = [m for m in dates.mentions(doc) if m.year]
    published = [m for m in full if _published(doc, m)]
    pool = published or full
    if not pool:
        return None
    best = max(pool, key=lambda m: m.date())
    if issue:  # the issue date's own day and month, in that year
        year = dates.infer_year(issue, best.date())
        return issue.date(year) or best.date()
    return best.date()


def _published(doc: Document, mention: DateMention) -> bool:
    for match in doc.matches("issue_date", resolved=False):
        if match.data.get("role") == "published" and match.start <= mention.start < match.end:
            return True
    return False


def iso(issue: DateMention | None, anchor: dt.date | None) -> str | None:
    """The issue date in ISO form; ``--MM-DD`` when the anchor's year does not fit it."""
    if issue is None:
        return None
    year = anchor.year if anchor else None
    return issue.iso(year if year is None or issue.date(year) else None)
