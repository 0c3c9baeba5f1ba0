"""The primary directive: its own number and symbol."""

from __future__ import annotations

from ..document import Document
from .references import citation

# a news text names the directive it reports near its top
NEWS_WINDOW = 1500


def primary(doc: Document) -> dict | None:
    """The header's "Số:" line, else the directive a news text reports, else None."""
    if "primary" in doc.cache:
        return doc.cache["primary"]
    found = None
    for match in doc.matches("doc_number"):
        if match.rule.id == "doc_number.header" and match.start < _header_limit(doc):
            found = citation(doc, match)
            break
    if found is None:
        for match in doc.matches("doc_number"):
            if match.rule.id == "doc_number.news" and match.start < NEWS_WINDOW:
                found = citation(doc, match)
                break
    doc.cache["primary"] = found
    return found


def _header_limit(doc: Document) -> int:
    return doc.line_offset(25)
