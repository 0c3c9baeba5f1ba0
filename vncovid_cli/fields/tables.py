"""Tables of figures written as text: columns split by "|" or by runs of spaces.

A situation report often gives counts per district in a table. Each numeric cell of a
column whose header names a category (by the case_counts cue lexicon) is one count, with
the row's first text cell as its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Document
from ..engine import find
from ..numbers import parse_number

_RULE_LINE = re.compile(r"^[\s+|=_-]*[-=_]{3,}[\s+|=_-]*$")
_NUMBER = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+$|^[0-9]+$")
_SPACED_CELL = re.compile(r"\S+(?: \S+)*")
_RATE = re.compile(r"^[0-9]{1,3}(?:,[0-9]+)?\s*%$")


@dataclass(frozen=True)
class Cell:
    """A cell's text, its offsets in the document, and where it stands in its line: the
    index of its "|"-separated part, or the centre of its characters."""

    text: str
    start: int
    end: int
    column: float


def cells(line: str, offset: int) -> list[Cell]:
    """A line's cells with offsets: split by "|" if it has any, else by tabs, else by two
    or more spaces."""
    bar = "|" if "|" in line else "\t" if "\t" in line.strip() else None
    if bar:
        out, pos = [], 0
        for index, part in enumerate(line.split(bar)):
            stripped = part.strip()
            if stripped:
                lead = len(part) - len(part.lstrip())
                start = offset + pos + lead
                out.append(Cell(stripped, start, start + len(stripped), index))
            pos += len(part) + 1
        return out
    return [
        Cell(m.group(), offset + m.start(), offset + m.end(), (m.start() + m.end()) / 2)
        for m in _SPACED_CELL.finditer(line)
    ]


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text))


def _is_figure(text: str) -> bool:
    """A count or a rate ("61,5%"): the cells that make a line a row of figures."""
    return _is_number(text) or bool(_RATE.match(text))


def blocks(doc: Document, min_rows: int, min_columns: int) -> list[list[tuple[int, str]]]:
    """Runs of lines that look like a table: at least ``min_rows`` rows of at least
    ``min_columns`` cells, two of them numbers (rule lines are skipped)."""
    out, current = [], []
    for start, line in doc.lines:
        if _RULE_LINE.match(line) and line.strip():
            continue
        row = cells(line, start)
        if len(row) >= min_columns and (_data_row(row) or not current):
            current.append((start, line))
            continue
        if len(row) >= 2 and current and not any(_is_number(c.text) for c in row):
            current.append((start, line))  # a header line in the middle of the block
            continue
        if sum(1 for s, ln in current if _data_row(cells(ln, s))) >= min_rows:
            out.append(current)
        current = []
    if sum(1 for s, ln in current if _data_row(cells(ln, s))) >= min_rows:
        out.append(current)
    return out


def _data_row(row: list[Cell]) -> bool:
    """Two figures or more, one of them a count."""
    return sum(_is_figure(c.text) for c in row) >= 2 and any(_is_number(c.text) for c in row)


def _column(cell: Cell, columns: list[Cell]) -> int:
    """The column a cell stands in: the one whose centre is nearest."""
    return min(range(len(columns)), key=lambda i: abs(columns[i].column - cell.column))


def items(doc: Document) -> list[dict]:
    """Counts read from the document's tables."""
    rule = next((r for r in doc.rules.field("case_counts") if r.data.get("kind") == "table"), None)
    if rule is None:
        return []
    out = []
    for block in blocks(doc, rule.data.get("min_rows", 3), rule.data.get("min_columns", 3)):
        out.extend(_read(doc, block, rule.id))
    return out


def _read(doc: Document, block: list[tuple[int, str]], rule_id: str) -> list[dict]:
    rows = [cells(line, start) for start, line in block]
    data = [r for r in rows if _data_row(r)]
    columns = max(data, key=len)
    headers = [""] * len(columns)
    for row in rows:
        if _data_row(row):
            break
        for cell in row:
            i = _column(cell, columns)
            headers[i] = f"{headers[i]} {cell.text}".strip()
    categories = [_category(doc, h) for h in headers]
    out = []
    for row in data:
        place = next((c.text for c in row if not _is_number(c.text)), None)
        for cell in row:
            i = _column(cell, columns)
            if not _is_number(cell.text) or categories[i] in (None, "skip"):
                continue
            value = parse_number(cell.text, doc.rules)
            if value:
                out.append(
                    {
                        "value": value,
                        "category": categories[i],
                        "unit": None,
                        **doc.span(cell.start, cell.end, rule_id),
                        "cue_rule": rule_id,
                        "as_of": None,
                        "period_start": None,
                        "period_end": None,
                        "place": place,
                    }
                )
    return out


def _category(doc: Document, header: str) -> str | None:
    """A column's category from the cue words in its header; ``skip`` for columns that are
    not counts (row numbers, population, rates); None for a header with no cue."""
    text = header.lower()
    rules = doc.rules.field("case_counts")
    if not text or any(
        m for m in find(text, [r for r in rules if r.data.get("kind") == "table_skip"])
    ):
        return "skip"
    cues = [m for m in find(text, [r for r in rules if r.data.get("kind") in ("cue", "table_cue")])]
    if not cues:
        return None
    return max(cues, key=lambda m: (m.data.get("priority", 1), m.start)).data["category"]
