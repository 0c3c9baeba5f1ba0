"""The parts of a document, found once: what every field and every check reads.

An official text (Nghị định 30/2020/NĐ-CP, Hướng dẫn 36-HD/VPTW) opens with a header: the
issuing body (under its superior body), the number line, the national motto, the
place-and-date line, the title and the subject; then its body; then the recipients
("Nơi nhận", or "Kính gửi" above the body), the signature block and any annex. A news page
has none of the header, and page chrome around its text.

The parts are not found by code that knows the words of the genre: every rule whose data
give a ``role`` naming a part (``number``, ``motto``, ``place_date``, ``title``, ``subject``,
``recipients``, ``signature``, ``annex``) marks where that part stands, whatever field the
rule belongs to. This module only orders what the rules found. Columns laid side by side are
already one after the other here (:func:`vncovid_cli.text.normalize`), and wraps and markup
are already blank in the view, so one analysis serves every layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .document import Document

HEAD_LINES = 40  # non-blank lines: an official text's header stands within them
OPENING_LINES = 3  # non-blank lines: where a letter without its header opens on addressees
TAIL_LINES = 60  # non-blank lines: its signature block and recipients within the last ones
HEADER_PARTS = ("number", "motto", "place_date", "title", "subject")
TAIL_PARTS = ("recipients", "signature", "annex")
# the rule fields whose rules may mark a part
MARKING_FIELDS = ("doc_number", "doc_type", "issue_date", "issuer", "subject", "people", "layout")


@dataclass(frozen=True)
class Part:
    """One part of a document: its name and its span in the text."""

    name: str
    start: int
    end: int
    rule: str | None = None  # the rule that marked it, if one did


class Layout:
    """The parts of one document (see the module's docstring)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    @cached_property
    def head_end(self) -> int:
        """Where the zone an official header may stand in ends."""
        return self.doc.line_offset(HEAD_LINES)

    @cached_property
    def marks(self) -> list[Part]:
        """Every span a rule marks as a part, in text order; header parts only in the
        head zone."""
        found: dict[tuple[str, int], Part] = {}
        for field in MARKING_FIELDS:
            for match in self.doc.matches(field, resolved=False):
                role = match.data.get("role")
                if role in HEADER_PARTS and match.start < self.head_end or role in TAIL_PARTS:
                    end = max(match.end, match.m.end())  # a subject's lines after its first
                    key = (role, match.start)
                    if key not in found or end > found[key].end:  # rules that mark it alike
                        found[key] = Part(role, match.start, end, match.rule.id)
        return sorted(found.values(), key=lambda p: (p.start, p.end))

    def first(self, name: str) -> Part | None:
        """The first span marked as part ``name``."""
        return next((p for p in self.marks if p.name == name), None)

    def all(self, name: str) -> list[Part]:
        return [p for p in self.marks if p.name == name]

    @cached_property
    def is_official(self) -> bool:
        """Whether the text opens with an official header (a number line or a title)."""
        return bool(self.first("number") or self.first("title"))

    @cached_property
    def opens_on_recipients(self) -> bool:
        """Whether the text opens on its addressees ("Kính gửi:" in its first lines): an
        official letter whose header was lost, not a news report."""
        first = self.first("recipients")
        return bool(first) and first.start < self.doc.line_offset(OPENING_LINES)

    @cached_property
    def issuer_end(self) -> int | None:
        """Where the issuing body's block ends: at the line of the number or the title,
        else under the motto and the place-and-date line; None when no part marks it."""
        doc = self.doc
        tops = [p.start for p in (self.first("number"), self.first("title")) if p]
        if tops:
            return doc.line_at(min(tops))[0]
        ends = [doc.line_at(p.start)[1] for p in self.all("place_date")]
        ends += [doc.line_at(doc.line_at(p.start)[1] + 1)[1] for p in self.all("motto")]
        return max(ends) if ends else None

    @cached_property
    def header_end(self) -> int | None:
        """Where the header ends and the body begins: after the last header part (the
        subject may run over several lines); None for a text without a header."""
        header = [p for p in self.marks if p.name in HEADER_PARTS]
        if not header:
            return None
        return self.doc.line_at(max(p.end for p in header))[1]

    @cached_property
    def tail_start(self) -> int:
        """Where the recipients ("Nơi nhận"), the signature or an annex begin after the
        body, in its last lines ("Kính gửi" above the body is not its tail)."""
        header_end = self.header_end or 0
        tail_zone = self.doc.line_offset(max(0, len(self.doc.filled_lines) - TAIL_LINES))
        after = [
            p.start
            for p in self.marks
            if p.name in TAIL_PARTS and p.start > header_end and p.start >= tail_zone
        ]
        return min(after) if after else len(self.doc.text)

    @cached_property
    def parts(self) -> list[Part]:
        """The document's parts, in text order: issuer block, header parts, body, tail
        parts and chrome."""
        out = []
        header = [p.start for p in self.marks if p.name in HEADER_PARTS]
        if self.issuer_end:  # up to the first header part (the motto may stand beside it)
            out.append(Part("issuer_block", 0, min([self.issuer_end, *header])))
        out += [p for p in self.marks if p.name in HEADER_PARTS]
        body_start = self.header_end or 0
        if body_start < self.tail_start:
            out.append(Part("body", body_start, self.tail_start))
        out += [p for p in self.marks if p.name in TAIL_PARTS and p.start >= self.tail_start]
        out += [Part("chrome", s, e) for s, e in self.doc.chrome_zones]
        return sorted(out, key=lambda p: (p.start, p.end))
