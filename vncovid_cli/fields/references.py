"""References: the documents a text cites, each once."""

from __future__ import annotations

import re

from ..document import Document
from ..engine import Match
from . import doc_type


def citation(doc: Document, match: Match) -> dict:
    """A cited or primary document from a match with type/number/sep/symbol groups."""
    symbol = match.group("symbol")
    symbol = re.sub(r"\s+", "", symbol) if symbol else symbol  # wrapped at a hyphen
    type_word = match.group("type")
    name = doc_type.name_of(type_word, doc.rules) if type_word else None
    code_type = doc_type.name_of_code(doc_type.code_in_symbol(symbol, doc.rules), doc.rules)
    if name == "công văn" and code_type:  # "văn bản số 16/CT-TTg" is a chỉ thị
        name = code_type
    name = name or code_type or ("công văn" if symbol else None)
    number = match.group("number")
    if number is None:
        value_start, value_end = match.start, match.end
    else:
        value_start = match.span_of("number")[0]
        value_end = match.span_of("symbol")[1] if symbol else match.span_of("number")[1]
    return {
        "doc_type": name,
        "type_word": type_word,
        "number": number,
        "symbol": symbol,
        "value": f"{number}{match.group('sep')}{symbol}" if symbol else number,
        "evidence": doc.span(match.start, match.end, match.rule.id),
        "value_span": doc.span(value_start, value_end, match.rule.id),
    }


def cited(doc: Document) -> list[dict]:
    """Every citation in text order (the primary directive included)."""
    if "citations" not in doc.cache:
        doc.cache["citations"] = [
            c for c in (citation(doc, m) for m in doc.matches("references")) if c["doc_type"]
        ]
    return doc.cache["citations"]


def items(doc: Document, primary: dict | None) -> list[dict]:
    """The ``references`` list: each cited document once, the primary left out."""
    seen = {(primary["doc_type"], primary["number"])} if primary else set()
    out = []
    for c in cited(doc):
        key = (c["doc_type"], c["number"])
        if key in seen or _is_primary(c, primary):
            continue
        seen.add(key)
        out.append(
            {
                "doc_type": c["doc_type"],
                "number": c["number"],
                "symbol": c["symbol"],
                **c["evidence"],
            }
        )
    return out


def _is_primary(c: dict, primary: dict | None) -> bool:
    """The primary directive cited again, perhaps without its type word."""
    return (
        bool(primary)
        and c["number"] == primary["number"]
        and (c["symbol"] == primary["symbol"] or c["doc_type"] == primary["doc_type"])
    )
