"""Rates: percentages ("đạt 98,9%") with the clause they qualify."""

from __future__ import annotations

from ..document import Document
from ..numbers import parse_decimal


def items(doc: Document) -> list[dict]:
    """The ``rates`` list in text order."""
    out = []
    for match in doc.matches("rates"):
        start, _ = doc.sentence_at(match.start)
        context = doc.text[max(start, match.start - 80) : match.start].strip()
        out.append(
            {
                "value": parse_decimal(match.group("number")),
                "context": context,
                **doc.span(match.start, match.end, match.rule.id),
            }
        )
    return out
