"""Tasks: the directive's enumerated items, in order, with label and nesting level."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import MIN_WIDTH, Document
from ..engine import Match
from . import doc_number

_SENTENCE_END = re.compile(r"[.!?;:…]\s*$")
_RECIPIENT = re.compile(r"\s*[-–+•]")
_FIRST_LABELS = {"1", "a", "A", "I"}
_BULLETS = {"dash", "plus"}
HEADING = 50  # a short line without closing punctuation is a heading, unless the text wraps
# that narrow (Document.flow tells)


@dataclass(frozen=True)
class Item:
    label: str
    style: str
    start: int  # where the label is
    text_start: int
    text_end: int
    rule: str


def items(doc: Document) -> list[dict]:
    """The ``tasks`` list: label, level and the item's first paragraph."""
    found = _items(doc)
    levels = _levels(doc, found)
    return [
        {
            "label": it.label,
            "level": level,
            **doc.span(it.text_start, it.text_end, it.rule),
            "text": _join(doc.text[it.text_start : it.text_end]),
            "label_start": it.start,
        }
        for it, level in zip(found, levels, strict=True)
    ]


def _items(doc: Document) -> list[Item]:
    labels = [m for m in doc.matches("tasks", kind="label") if not _wrapped_into(doc, m.start)]
    skipped = _skipped_zones(doc)
    found = []
    for match in labels:
        if any(s <= match.start < e for s, e in skipped):
            continue
        end = _paragraph_end(doc, match.end, {m.start for m in labels})
        text_start = match.end
        if end <= text_start or not doc.view[text_start:end].strip():
            continue
        found.append(
            Item(
                match.group("label"),
                _style(match),
                match.start,
                text_start,
                _rstrip(doc, text_start, end),
                match.rule.id,
            )
        )
    return found


def _wrapped_into(doc: Document, pos: int) -> bool:
    """Whether the line holding ``pos`` continues the line above it (Document.flow joined
    them: a spaced dash that a wrap put at a line's start is not a bullet)."""
    line_start = doc.line_at(pos)[0]
    return line_start > 0 and doc.flow[line_start - 1] == " "


def _style(match: Match) -> str:
    style = match.data["style"]
    if style == "number":  # 1 is depth 1, 1.2 depth 2
        return f"number{match.group('label').count('.') + 1}"
    return style


def _skipped_zones(doc: Document) -> list[tuple[int, int]]:
    zones = []
    for match in doc.matches("tasks", kind="skip"):
        start, line_end = doc.line_at(match.start)
        until = match.data.get("until")
        if until == "end":
            zones.append((start, len(doc.view)))
        elif until == "list_end":
            if not _cites_primary(doc, match):
                zones.append((start, _list_end(doc, line_end)))
        else:
            zones.append((start, _recipients_end(doc, line_end)))
    return zones


def _cites_primary(doc: Document, match: Match) -> bool:
    """Whether ``match`` names the document's own directive ("Theo Công văn số 12/UBND,")."""
    primary = doc_number.primary(doc)
    number = primary["value"].split("/")[0].split("-")[0] if primary else None
    return bool(number) and re.search(rf"(?<![0-9]){number}(?![0-9])", match.m.group()) is not None


def _list_end(doc: Document, pos: int) -> int:
    """The end of the bullet list that follows ``pos`` (blank lines between its items)."""
    end = pos
    for start, line in doc.lines:
        if start <= pos or not line.strip():
            continue
        if not _RECIPIENT.match(line):
            break
        end = start + len(line)
    return end


def _recipients_end(doc: Document, pos: int) -> int:
    """The end of a recipient list that follows ``pos``: its bullet lines (blank lines
    between them, as an export writes each as a paragraph) and their wrapped
    continuations, up to a line of prose."""
    end, seen_item, previous, gap = pos, False, "", False
    for start, line in doc.lines:
        if start <= pos:
            continue
        stripped = line.strip()
        if not stripped:
            gap = True
            continue
        continuation = seen_item and not gap and not re.search(r"[;.:]\s*$", previous)
        if not (_RECIPIENT.match(line) or continuation):
            break
        seen_item, previous, end, gap = True, stripped, start + len(line), False
    return end


def _paragraph_end(doc: Document, pos: int, label_starts: set[int]) -> int:
    """End of the paragraph from ``pos``: a blank line, the next label, or a line that
    starts a new sentence after one that ended."""
    view = doc.view
    end = view.find("\n", pos)
    while end >= 0:
        next_start = end + 1
        next_end = view.find("\n", next_start)
        next_line = view[next_start : next_end if next_end >= 0 else len(view)]
        current = view[view.rfind("\n", 0, end) + 1 : end]
        if (
            not next_line.strip()
            or next_start in label_starts
            or _starts_label(next_line, next_start, label_starts)
            or (
                next_line.lstrip()[:1].isupper()
                and (
                    (_SENTENCE_END.search(current) and not _full(doc, current, next_line))
                    or (len(current.strip()) < HEADING and doc.flow[end] == "\n")
                )
            )
        ):
            return end
        end = next_end
    return len(view)


def _full(doc: Document, line: str, following: str) -> bool:
    """Whether ``line`` fills the text's wrap width (its next word would not have fitted):
    then a line end after a full stop is a wrap, not the end of a paragraph."""
    width = doc.wrap_width
    words = following.split()
    return bool(words) and len(line.rstrip()) + 1 + len(words[0]) > width >= MIN_WIDTH


def _starts_label(line: str, line_start: int, label_starts: set[int]) -> bool:
    stripped = len(line) - len(line.lstrip())
    return line_start + stripped in label_starts or line_start in label_starts


def _rstrip(doc: Document, start: int, end: int) -> int:
    while end > start and doc.text[end - 1].isspace():
        end -= 1
    return end


def _join(text: str) -> str:
    """An item's text with hard line breaks made single spaces."""
    return re.sub(r"\s+", " ", text).strip()


def _levels(doc: Document, found: list[Item]) -> list[int]:
    """Nesting by style: a style not yet open nests under the current one. An ordered list
    that starts ("1.", "a)") after prose that follows a bullet list is a new list, not
    nested in the bullets (which quoted something else)."""
    stack: list[str] = []
    levels = []
    previous = None
    for item in found:
        after_prose = previous and doc.view[previous.text_end : item.start].strip()
        if (
            after_prose
            and item.label in _FIRST_LABELS
            and stack
            and stack[-1] in _BULLETS
            and item.style not in _BULLETS
            and item.style not in stack
        ):
            stack = []
        previous = item
        if item.style in stack:
            del stack[stack.index(item.style) + 1 :]
        else:
            stack.append(item.style)
        levels.append(len(stack))
    return levels
