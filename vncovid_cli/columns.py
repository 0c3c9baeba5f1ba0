"""Reading order of a header or signature laid out in two columns.

An official text puts its issuing body on the left and the national motto and the place
and date on the right. Exports write the two columns side by side in several ways: runs
of spaces (``pdftotext -layout``), tabs, cells joined by " | ", Markdown pipe tables and
grid tables. :func:`reading_order` rewrites such a block as its left column, then its right
column, so that every later pass reads one column at a time, however the page was laid out.
Only geometry is read here (gaps, bars, borders); no word of the genre.
"""

from __future__ import annotations

import re

HEAD_LINES = 12  # a header block starts within the first non-blank lines
TAIL_LINES = 40  # a signature block within the last lines
RIGHT_INDENT = 16  # a lone cell indented this far stands in the right column
_GAP = re.compile(r"(?<=\S)(?:[ ]{3,}|[ ]*\t[ \t]*|[ ]+\|[ ]+)(?=\S)")
_BORDER = re.compile(
    r"[ \t]*\+(?:[-=:]+\+)+[ \t]*|[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*(?::?-{3,}:?[ \t]*)?"
)
_PIPE_ROW = re.compile(r"[ \t]*\|.*\|[ \t]*")
_EMPTY_LEFT = re.compile(r"[ \t]*\|[ \t]+(?=[^\s|])(?!.*\|)")  # " | right cell": no left cell


def reading_order(text: str) -> str:
    """``text`` with a two-column header and signature block written one column after the
    other; any other text is returned unchanged."""
    lines = text.split("\n")
    if len(lines) < 2:
        return text
    head = _block(lines, _first_content(lines, HEAD_LINES))
    tail_start = max(head[1] if head else 0, len(lines) - TAIL_LINES)
    tail = _block(lines, range(tail_start, len(lines)))
    for block in (b for b in (tail, head) if b):  # the later block first: offsets stay valid
        start, end = block
        lines[start:end] = _unzip(lines[start:end])
    return "\n".join(lines)


def _first_content(lines: list[str], n: int) -> range:
    """The indexes of the lines up to the ``n``-th non-blank one."""
    seen = 0
    for i, line in enumerate(lines):
        seen += bool(line.strip())
        if seen >= n:
            return range(0, i + 1)
    return range(0, len(lines))


def _cells(line: str) -> list[tuple[int, str]] | None:
    """The cells of a row with their column (0 left, 1 right); None for a border row. A row
    of three or more cells is a table's or a menu's, not a header's: one cell, column 0."""
    if _BORDER.fullmatch(line):
        return None
    if _PIPE_ROW.fullmatch(line) and line.count("|") >= 3:
        inner = line.strip()[1:-1].split("|")
        if len(inner) > 2:
            return [(0, line.strip())]
        return [(i, c.strip()) for i, c in enumerate(inner) if c.strip()]
    empty_left = _EMPTY_LEFT.match(line)
    if empty_left:
        return [(1, line[empty_left.end() :].strip())]
    parts = _GAP.split(line.rstrip())
    if len(parts) > 2:
        return [(0, line.strip())]
    if len(parts) == 2 and parts[0].strip():
        return [(0, parts[0].strip()), (1, parts[1].strip())]
    stripped = line.strip()
    if not stripped:
        return []
    indent = len(line) - len(line.lstrip(" \t"))
    return [(1 if indent >= RIGHT_INDENT else 0, stripped)]


def _is_row(line: str) -> bool:
    """A row of a two-column block: two cells, a two-cell table row or its border."""
    if _BORDER.fullmatch(line):
        return line.count("+") + line.count("|") <= 3
    if _PIPE_ROW.fullmatch(line) and line.count("|") >= 3:
        return line.count("|") == 3
    cells = _cells(line)
    return cells is not None and (len(cells) == 2 or bool(_EMPTY_LEFT.match(line)))


def _block(lines: list[str], where: range) -> tuple[int, int] | None:
    """The first run of rows in ``where`` that opens with two consecutive rows of two cells
    (or a table's borders; blank lines between them do not count), from its first row to its
    last; single-cell lines inside the run (a wrapped cell) belong to it."""
    first = last = previous = None
    for i in where:
        if not lines[i].strip():
            continue
        if _is_row(lines[i]):
            if first is None and previous is not None and _is_row(lines[previous]):
                first = previous
            last = i
        elif first is not None and _filled(lines, last, i) > 3:
            break
        previous = i
    return (first, last + 1) if first is not None else None


def _filled(lines: list[str], start: int, end: int) -> int:
    """Non-blank lines in ``(start, end]``."""
    return sum(1 for line in lines[start + 1 : end + 1] if line.strip())


def _unzip(rows: list[str]) -> list[str]:
    """The left cells of ``rows`` in order, then the right cells."""
    columns: list[list[str]] = [[], []]
    for row in rows:
        cells = _cells(row)
        if cells is None:
            continue
        if not cells:
            columns[0].append("")
        for column, cell in cells:
            columns[column].append(cell)
    return columns[0] + [""] + columns[1]
