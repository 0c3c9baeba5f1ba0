"""Layout transforms: one document laid out as exports and copies lay documents out.

Each transform takes a plain text (a corpus document: header lines, then paragraphs) and
returns the same document as another program would write it: hard-wrapped by a PDF or Word
export, a blank line between paragraphs, a web copy's CRLF and no-break spaces, the two
header columns side by side (runs of spaces as ``pdftotext -layout`` writes them, tabs,
" | " cells, Markdown pipe and grid tables), the header pasted on one line, PDF pages with
form feeds and running headers. ``bench/real_archive.py --layout NAME`` applies them too.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable

_MOTTO = re.compile(r"^\s*(?:CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐẢNG CỘNG SẢN VIỆT NAM)\s*$")
_NUMBER = re.compile(r"^\s*Số\b")
_PLACE_DATE = re.compile(r"^\s*[^\W\d][\w. ]{1,30},\s*ngày\s+\d")
_HEAD = 16  # lines: where a corpus document's header stands


_COLUMN_GAP = re.compile(r"\S(?: {3,}|\t)\S")
_LABEL = re.compile(r"\s*(?:[-+•]|[0-9]{1,2}[.)]|[a-zđ]\)|[IVX]{1,4}\.)\s")


def _paragraphs(lines: list[str]) -> list[list[str]]:
    """Lines grouped in paragraphs: in a text wrapped by hand (most lines near one width,
    80 columns or less), a line continues the one before when that one reaches the width,
    or when it starts in lower case, and the one before does not end a sentence; a text
    with one paragraph per line keeps its lines."""
    lengths = sorted(len(line) for line in lines if line.strip())
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    groups: list[list[str]] = []
    for line in lines:
        prev = groups[-1][-1] if groups else ""
        joins = (
            ((width <= 100 and len(prev) >= 0.8 * width) or line.lstrip()[:1].islower())
            and prev.strip()
            and not prev.isupper()  # a title in capitals stands on its own line
            and not re.search(r"[.:;!?]\s*$", prev)
            and line.strip()
            and not _PLACE_DATE.match(line)
            and not _LABEL.match(line)
            and not _COLUMN_GAP.search(line + prev)
        )
        if joins:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def hard_wrap(width: int) -> Callable[[str], str]:
    """Every paragraph re-flowed to ``width`` columns, as a narrower export does; a row of
    columns is left whole, as an export keeps a table row."""

    def wrap(text: str) -> str:
        out = []
        for group in _paragraphs(text.split("\n")):
            joined = " ".join(line.strip() for line in group)
            if len(joined) <= width or _COLUMN_GAP.search(joined):
                out.extend(group)
                continue
            out.extend(textwrap.wrap(joined, width, break_long_words=False, break_on_hyphens=False))
        return "\n".join(out)

    return wrap


def _is_row(line: str) -> bool:
    """A table's row or border: cells apart by a gap or a bar, or a rule of dashes."""
    return bool(_COLUMN_GAP.search(line) or "|" in line or re.fullmatch(r"[-+=: ]{3,}", line))


def blank_lines(text: str) -> str:
    """A blank line between every two paragraphs (and header lines), as Word and web
    exports write paragraphs."""
    groups = [g for g in _paragraphs(text.split("\n")) if "".join(g).strip()]
    out: list[str] = []
    for group in groups:
        if out and not (_is_row(group[0]) and _is_row(out[-1])):
            out.append("")  # a table's rows stay together: they are not paragraphs
        out.extend(group)
    return "\n".join(out) + "\n"


def web_copy(text: str) -> str:
    """CRLF line ends, trailing spaces, no-break spaces, a zero-width space and soft
    hyphens, as a copy from a web page or a Word file brings them."""
    text = re.sub(r"(Số:?) ", "\\1\u00a0", text)
    text = re.sub(r"(ngày|tháng|năm) (\d)", "\\1\u202f\\2", text)
    text = re.sub(r"(?m)^(.{20,}?) ", "\\1 \u200b", text, count=3)
    text = re.sub(r"(phòng),", "phòng\u00ad,", text)
    return "\r\n".join(line + "  " for line in text.split("\n"))


def glued(text: str) -> str:
    """ "tháng11", "ngày05": the space after the date words lost by a converter."""
    return re.sub(r"\b(ngày|tháng) (\d)", r"\1\2", text)


def _header(text: str) -> tuple[list[str], list[str], list[str], list[str]] | None:
    """The header split in two columns: (left rows, right rows, lines before, lines after);
    None when the text has no national motto in its first lines."""
    lines = text.split("\n")
    motto = next((i for i, ln in enumerate(lines[:_HEAD]) if _MOTTO.match(ln)), None)
    if motto is None:
        return None
    left = [ln.strip() for ln in lines[:motto] if ln.strip()]
    right, end = [], motto
    for end in range(motto, min(len(lines), motto + _HEAD)):
        line = lines[end]
        if _NUMBER.match(line) or _PLACE_DATE.match(line):
            break
        if line.strip():
            right.append(line.strip())
    number = place = None
    rest = end
    for rest in range(end, min(len(lines), end + 6)):
        line = lines[rest]
        if _NUMBER.match(line) and number is None:
            number = line.strip()
        elif _PLACE_DATE.match(line) and place is None:
            place = line.strip()
        elif line.strip():
            break
    else:
        rest += 1
    if number is None or place is None:
        return None
    return [*left, number], [*right, place], [], lines[rest:]


def _pair(left: list[str], right: list[str]) -> list[tuple[str, str]]:
    """Rows of the two columns, the number beside the place-and-date line."""
    top_left, top_right = left[:-1], right[:-1]
    n = max(len(top_left), len(top_right))
    rows = [
        (top_left[i] if i < len(top_left) else "", top_right[i] if i < len(top_right) else "")
        for i in range(n)
    ]
    return [*rows, (left[-1], right[-1])]


def columns(joiner: Callable[[str, str], str]) -> Callable[[str], str]:
    """The header's two columns side by side, each row written by ``joiner``."""

    def lay_out(text: str) -> str:
        header = _header(text)
        if header is None:
            return text
        left, right, _, rest = header
        rows = [joiner(a, b) for a, b in _pair(left, right)]
        return "\n".join([*rows, "", *rest])

    return lay_out


def _spaces(a: str, b: str) -> str:
    return f"{a:<44}{b}" if a else " " * 44 + b


def _bars(a: str, b: str) -> str:
    return f"{a} | {b}" if a else f" | {b}"


def markdown_table(text: str) -> str:
    """The header as a Markdown pipe table, as HTML-to-Markdown converters write it."""
    header = _header(text)
    if header is None:
        return text
    left, right, _, rest = header
    rows = [f"| {a} | {b} |" for a, b in _pair(left, right)]
    return "\n".join([rows[0], "|---|---|", *rows[1:], "", *rest])


def grid_table(text: str) -> str:
    """The header as a grid table with borders, as pandoc writes a table with cells."""
    header = _header(text)
    if header is None:
        return text
    left, right, _, rest = header
    border = "+" + "-" * 46 + "+" + "-" * 46 + "+"
    rows = [f"| {a:<44} | {b:<44} |" for a, b in _pair(left, right)]
    return "\n".join([border, *rows, border, "", *rest])


def one_line(text: str) -> str:
    """The header pasted on one long line, as a copy from a PDF viewer gives it."""
    header = _header(text)
    if header is None:
        return text
    left, right, _, rest = header
    pieces = [*left[:-1], *right[:-1], left[-1], right[-1]]
    return "\n".join([" ".join(pieces), "", *rest])


def pdf_pages(text: str) -> str:
    """Pages of 30 lines with a form feed, a running page number and a repeated footer."""
    lines = text.split("\n")
    pages = [lines[i : i + 30] for i in range(0, len(lines), 30)]
    out = []
    for n, page in enumerate(pages, start=1):
        if n > 1:
            out.append(f"\f{n}")
        out.extend(page)
    return "\n".join(out)


def combined(text: str) -> str:
    """Columns with spaces, a blank line between lines, CRLF and no-break spaces."""
    return web_copy(blank_lines(columns(_spaces)(text)))


LAYOUTS: dict[str, Callable[[str], str]] = {
    "hard_wrap_60": hard_wrap(60),
    "hard_wrap_40": hard_wrap(40),
    "blank_lines": blank_lines,
    "web_copy": web_copy,
    "glued": glued,
    "columns_spaces": columns(_spaces),
    "columns_tabs": columns(lambda a, b: f"{a}\t\t{b}"),
    "columns_bars": columns(_bars),
    "markdown_table": markdown_table,
    "grid_table": grid_table,
    "one_line": one_line,
    "pdf_pages": pdf_pages,
    "combined": combined,
}
