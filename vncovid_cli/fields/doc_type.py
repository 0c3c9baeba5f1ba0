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
    """The primary directive's type, with its evidence: the header's title line; a type
    the directive's citation names ("Công văn số ..."); a "V/v" subject line (a công văn,
    whatever its symbol's first code: in "5348/CT-CS" CT is Cục Thuế's code); the type
    code where the symbol's grammar puts one; a text that opens on its addressees (a công
    văn's "Kính gửi:"); the type a news text's verb issues; else a công văn when there is
    a symbol."""
    coded = _coded_over_title(doc, primary)
    if coded:
        return coded
    title = doc.layout.first("title")
    if title:
        match = next(m for m in doc.matches("doc_type", resolved=False) if m.start == title.start)
        return {"value": name_of(match.group("type"), doc.rules), **_evidence(doc, match, "type")}
    if primary and primary.get("type_word"):
        return {"value": primary["doc_type"], **primary["evidence"]}
    subject = doc.layout.first("subject")
    form = [m for m in doc.matches("doc_type", resolved=False) if m.data.get("type")]
    if subject and any(m.start == subject.start for m in form):
        match = next(m for m in form if m.start == subject.start)
        return {"value": match.data["type"], **doc.span(match.start, match.end, match.rule.id)}
    if primary:
        name = name_of_code(code_in_symbol(primary.get("symbol"), doc.rules), doc.rules)
        if name:
            return {"value": name, **primary["evidence"]}
    addressed = doc.layout.first("recipients")
    in_head = addressed and addressed.start < doc.layout.head_end
    match = next((m for m in form if in_head and m.start == addressed.start), None)
    if match:
        return {"value": match.data["type"], **doc.span(match.start, match.end, match.rule.id)}
    for match in doc.matches("doc_type"):
        if match.data.get("role") == "news":
            return {
                "value": name_of(match.group("type"), doc.rules),
                **_evidence(doc, match, "type"),
            }
    if primary and primary.get("symbol"):
        return {"value": "công văn", **primary["evidence"]}
    return None


def _coded_over_title(doc: Document, primary: dict | None) -> dict | None:
    """A symbol code whose type's rule says it wins over the title (``over_title``)."""
    code = code_in_symbol(primary.get("symbol"), doc.rules) if primary else None
    for rule in doc.rules.field("doc_type") if code else ():
        if rule.data.get("over_title") and code in (rule.data.get("codes") or {}).values():
            return {"value": rule.data["name"], **primary["evidence"]}
    return None


def _evidence(doc: Document, match, group: str) -> dict:
    return doc.span(*match.span_of(group), match.rule.id)
