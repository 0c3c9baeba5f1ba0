"""The primary directive: its own number and symbol."""

from __future__ import annotations

from ..document import Document
from .references import citation

# a news text names the directive it reports near its top
NEWS_WINDOW = 1500


def primary(doc: Document) -> dict | None:
    """The header's number line (the layout's ``number`` part), else the directive a news
    text reports (a ``news`` rule's match near the top, the rules in their file's order;
    not in a letter that opens on its addressees), else None."""
    if "primary" in doc.cache:
        return doc.cache["primary"]
    found = None
    number = doc.layout.first("number")
    matches = doc.matches("doc_number")
    if number:
        found = next((citation(doc, m) for m in matches if m.start == number.start), None)
    if found is None and not doc.layout.opens_on_recipients:  # a letter is not a report
        order = {rule.id: n for n, rule in enumerate(doc.rules.field("doc_number"))}
        news = [m for m in matches if m.data.get("role") == "news" and m.start < NEWS_WINDOW]
        news.sort(key=lambda m: (order[m.rule.id], m.start))
        found = citation(doc, news[0]) if news else None
    doc.cache["primary"] = found
    return found
