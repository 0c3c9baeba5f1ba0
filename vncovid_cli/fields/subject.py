"""Subject: the trích yếu of the primary directive."""

from __future__ import annotations

import re

from ..document import Document

HEADER_WINDOW = 40  # lines: a subject line stands in the header of an official text


def detect(doc: Document) -> dict | None:
    """The subject with its evidence, or None."""
    limit = doc.line_offset(HEADER_WINDOW)
    for match in doc.matches("subject"):
        if match.rule.id != "subject.news" and match.start > limit:
            continue
        end = match.span_of("more")[1] if match.group("more") else match.span_of("span")[1]
        text = re.sub(r"\s+", " ", doc.text[match.start : end].replace("*", " ")).strip()
        return {"value": text, **doc.span(match.start, end, match.rule.id)}
    return None
