"""The primary directive: its own number and symbol."""

from __future__ import annotations

from ..document import Document
from .references import citation

# a news text names the directive it reports near its top
NEWS_WINDOW = 1500


def primary(doc: Document) -> dict | None:
    """The header's "Số:" line, else the directive a news text reports (the one a verb
    issues, else the one its lead opens on: "Theo Báo cáo số ... của Sở Y tế,"), else None."""
    if "primary" in doc.cache:
        return doc.cache["primary"]
    found = None
    for match in doc.matches("doc_number"):
        if match.rule.id == "doc_number.header" and match.start < _header_limit(doc):
            found = citation(doc, match)
            break
    for rule_id in ("doc_number.news", "doc_number.news_source"):
        if found is not None:
            break
        for match in doc.matches("doc_number"):
            if match.rule.id == rule_id and match.start < NEWS_WINDOW:
                found = citation(doc, match)
                break
    doc.cache["primary"] = found
    return found


def _header_limit(doc: Document) -> int:
    return doc.line_offset(25)
