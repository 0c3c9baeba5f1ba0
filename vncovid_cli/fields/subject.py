"""Subject: the trích yếu of the primary directive."""

from __future__ import annotations

import re

from ..document import Document


def detect(doc: Document) -> dict | None:
    """The subject with its evidence, or None: the header's subject (the layout's
    ``subject`` part), else what a news text says the directive it reports is about."""
    for match in doc.matches("subject"):
        role = match.data.get("role")
        if role == "subject" and match.start >= doc.layout.head_end:
            continue
        end = match.span_of("more")[1] if match.group("more") else match.span_of("span")[1]
        text = re.sub(r"\s+", " ", doc.text[match.start : end].replace("*", " ")).strip()
        return {"value": text, **doc.span(match.start, end, match.rule.id)}
    return None
