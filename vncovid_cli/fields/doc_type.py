"""Document type: from the title line, the symbol's type code, the news verb or the form."""

from __future__ import annotations

from ..document import Document
from ..rules import RuleSet
from ..text import canonical


def name_of(word: str | None, rules: RuleSet) -> str | None:
    """Canonical type name of a type word as written ("Công điện" -> "công điện")."""
    if not word:
        return None
    key = canonical(word).lower()
    if key == "văn bản":
        return "công văn"
    for rule in rules.field("doc_type"):
        if "name" in rule.data and rule.regex.fullmatch(key):
            return rule.data["name"]
    return None


def name_of_code(code: str | None, rules: RuleSet) -> str | None:
    """Type named by a symbol's type code ("CT" -> "chỉ thị"); State codes first."""
    if not code:
        return None
    for system in ("state", "party"):
        for rule in rules.field("doc_type"):
            if (rule.data.get("codes") or {}).get(system) == code:
                return rule.data["name"]
    return None


def code_in_symbol(symbol: str | None, rules: RuleSet) -> str | None:
    """The type code inside a symbol: "CT-UBND" -> "CT", "CV/HU" -> "CV", "UBND-VP" -> None."""
    if not symbol:
        return None
    parts = [p for p in symbol.replace("/", "-").split("-") if p and not p.isdigit()]
    for part in parts[:1]:
        if name_of_code(part, rules):
            return part
    return None


def detect(doc: Document, primary: dict | None) -> dict | None:
    """The primary directive's type, with its evidence."""
    for match in doc.matches("doc_type"):
        if match.rule.id == "doc_type.title_line" and match.start < _header_end(doc):
            return {
                "value": name_of(match.group("type"), doc.rules),
                **doc.span(*match.span_of("type"), match.rule.id),
            }
    if primary:
        if primary.get("doc_type"):
            return {"value": primary["doc_type"], **primary["evidence"]}
        name = name_of_code(code_in_symbol(primary.get("symbol"), doc.rules), doc.rules)
        if name:
            return {"value": name, **primary["evidence"]}
    for match in doc.matches("doc_type"):
        if match.rule.id == "doc_type.news_issue":
            return {
                "value": name_of(match.group("type"), doc.rules),
                **doc.span(*match.span_of("type"), match.rule.id),
            }
    for match in doc.matches("doc_type"):
        if match.rule.id == "doc_type.subject_line" and match.start < _header_end(doc):
            return {"value": match.data["type"], **doc.span(match.start, match.end, match.rule.id)}
    if primary and primary.get("symbol"):
        return {"value": "công văn", **primary["evidence"]}
    return None


def _header_end(doc: Document) -> int:
    """Where the header of an official text ends at the latest: its first 30 lines."""
    return doc.line_offset(30)
