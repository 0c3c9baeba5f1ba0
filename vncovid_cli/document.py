"""A document being read: its text, the view that rules match on, and shared look-ups."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .engine import Match, find, resolve
from .layout import Layout
from .rules import RuleSet
from .text import fold, lines_with_offsets, mask

_HEADLINE_STAMP = re.compile(
    r"\(\s*\d{1,2}/\d{1,2}(?:/\d{2,4})?[^)]*\)|\d{1,2}:\d{2}|\d{1,2}/\d{1,2}/\d{4}"
)
_SENTENCE_END = re.compile(r"[.!?;…]\s*$")  # a colon may wrap before its value
_PROSE_END = re.compile(r"[.!?:;…]\s*$")


# fields whose rules match across a hard line wrap ("4 ca tử\nvong", "Nguyễn Văn\nAn"); the
# others read lines (labels, headers, place-and-date lines) and match on the plain view,
# except a rule whose data say ``flow: true``
FLOW_FIELDS = {"case_counts", "dates", "people", "places", "references"}
_SEGMENT = re.compile(r"[^\s](?:[^\n\t]*?[^\s])?(?=\s{3}|\t|\n|$)", re.MULTILINE)
# a line that opens on a dash after a line ending in a word: the wrap of a spaced dash
# ("Văn hóa - Thể thao" broken before its dash), not a bullet
_SPACED_DASH = re.compile(r"[ \t]*[-–][ \t]+\w")
WRAP_FLOOR = 10  # characters: a shorter line is never a wrapped one
MIN_WIDTH = 40  # characters: no export wraps narrower (a short text tells nothing)
_LABEL_START = re.compile(r"\s*(?:[-+•–]|[0-9]{1,2}[.)]|[a-zđ]\)|[IVX]{1,4}\.)\s")


def wrap_width(lines: list[tuple[int, str]]) -> int:
    """The width a text was wrapped at: the length most of its longest lines reach."""
    lengths = sorted(len(line.rstrip()) for _, line in lines if line.strip())
    return max(MIN_WIDTH, lengths[int(len(lengths) * 0.9)] if lengths else 0)


def _is_wrap(line: str, following: str, width: int) -> bool:
    """A line broken inside a sentence: the next word would not have fitted on it (the
    text's wrap width, with a ragged margin), no closing punctuation, prose follows."""
    stripped = line.rstrip()
    words = following.split()
    return (
        len(stripped) >= min(40, WRAP_FLOOR + width // 2)
        and bool(words)
        and len(stripped) + 1 + len(words[0]) > 0.8 * width
        and not _SENTENCE_END.search(stripped)
        and (not _LABEL_START.match(following) or _SPACED_DASH.match(following, 0) is not None)
        and not (_SPACED_DASH.match(following) and not stripped[-1:].isalnum())
    )


@dataclass
class Document:
    """The normalized ``text`` and a same-length ``view``: folded, chrome blanked.

    Field modules match on ``view`` and report spans into ``text``; they share
    intermediate results through ``cache`` so each is computed once.
    """

    text: str
    rules: RuleSet
    year_hint: int | None = None
    cache: dict[str, Any] = field(default_factory=dict)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @cached_property
    def layout(self) -> Layout:
        """The document's parts (header, body, signature block ...), found once."""
        return Layout(self)

    @cached_property
    def chrome_zones(self) -> list[tuple[int, int]]:
        """Spans of page chrome: counters, share bars and headline lists."""
        folded = fold(self.text)
        zones = []
        for match in find(folded, self.rules.field("chrome")):
            if match.data.get("kind") == "list":
                zones.append((match.start, self._headline_list_end(match.end)))
            else:
                zones.append((match.start, match.end))
        return zones

    @cached_property
    def _text_wrap_width(self) -> int:
        """The wrap width of ``text`` (chrome is found before the view exists)."""
        return wrap_width(lines_with_offsets(self.text))

    def _headline_list_end(self, pos: int) -> int:
        """Where a headline list that starts at ``pos`` ends: at the first paragraph of
        prose (its lines joined where the text wraps them)."""
        end = pos
        lines = lines_with_offsets(self.text[pos:])
        width = self._text_wrap_width
        n = 0
        while n < len(lines):
            first = n
            while n + 1 < len(lines) and _is_wrap(lines[n][1], lines[n + 1][1], width):
                n += 1
            stripped = " ".join(line.strip() for _, line in lines[first : n + 1]).strip()
            stamps = len(_HEADLINE_STAMP.findall(stripped))  # headlines joined by a wrap
            prose = (len(stripped) > 250 and stamps < 2) or (
                len(stripped) > 120
                and _PROSE_END.search(stripped)
                and not _HEADLINE_STAMP.search(stripped)
            )
            if stripped and prose:
                break
            end = pos + lines[n][0] + len(lines[n][1])
            n += 1
        return end

    @cached_property
    def view(self) -> str:
        """What rules match on: folded text with chrome blanked and OCR slips fixed,
        the same length as ``text``."""
        return self._fix_noise(mask(fold(self.text), self.chrome_zones))

    def _fix_noise(self, view: str) -> str:
        for rule in self.rules.field("noise"):
            if rule.data.get("kind") == "line_break":
                view = self._break_lines(view, rule)
                continue
            if rule.data.get("kind") == "blank":
                view = self._blank(view, rule)
                continue
            replace = rule.data.get("replace", "")

            def fix(m: re.Match[str], rule=rule, replace=replace) -> str:
                if len(replace) != len(m.group()):
                    return m.group()
                self.warn(
                    "ocr_fix", f"read '{m.group()}' as '{replace}'", m.start(), m.end(), rule.id
                )
                return replace

            view = rule.regex.sub(fix, view)
        return view

    def _blank(self, view: str, rule) -> str:
        """Markup that is not text (emphasis stars, a table's lone cell bars) made spaces;
        the spans are kept in ``cache["blanked"]``."""
        blanked = self.cache.setdefault("blanked", [])

        def blank(m: re.Match[str]) -> str:
            blanked.append((m.start(), m.end(), rule.id))
            return re.sub(r"[^\n]", " ", m.group())

        return rule.regex.sub(blank, view)

    def _break_lines(self, view: str, rule) -> str:
        """A header pasted onto one long line ("UBND TỈNH X CỘNG HÒA ... Số: 41/BCĐ X, ngày
        ..."): the spaces a ``line_break`` rule finds in its first lines become line ends."""
        chars = list(view)
        for n, (start, line) in enumerate(lines_with_offsets(view)):
            if n >= rule.data.get("within_lines", 3):
                break
            if len(line) < rule.data.get("min_length", 150):
                continue
            for m in rule.regex.finditer(view, start, start + len(line)):
                chars[m.start()] = "\n"
                self.warn(
                    "line_break", "read a header pasted on one line", m.start(), m.end(), rule.id
                )
        return "".join(chars)

    @cached_property
    def flow(self) -> str:
        """``view`` with hard line wraps inside a paragraph made spaces (same length)."""
        chars = list(self.view)
        lines = self.lines
        width = self.wrap_width
        for (start, line), (_, following) in zip(lines, lines[1:], strict=False):
            end = start + len(line)
            if _is_wrap(line, following, width):
                chars[end] = " "
        return "".join(chars)

    @cached_property
    def wrap_width(self) -> int:
        """The width the text is wrapped at (see :func:`wrap_width`)."""
        return wrap_width(self.lines)

    @cached_property
    def lines(self) -> list[tuple[int, str]]:
        """Lines of ``view`` with their offsets."""
        return lines_with_offsets(self.view)

    def segments(self, start: int, end: int) -> list[tuple[int, str]]:
        """Column segments of the lines in ``[start, end)``: a two-column header or signature
        block is split where three or more spaces (or a tab) separate its columns."""
        out = []
        for m in _SEGMENT.finditer(self.view, start, end):
            out.append((m.start(), m.group()))
        return out

    def line_offset(self, n: int) -> int:
        """Where the ``n``-th non-blank line (0-based) starts; the text's end if it has fewer.
        Blank lines are not counted, so that a blank line between paragraphs or a blanked
        table cell does not move a limit."""
        filled = self.filled_lines
        return filled[n][0] if n < len(filled) else len(self.view)

    @cached_property
    def filled_lines(self) -> list[tuple[int, str]]:
        """The non-blank lines of ``view`` with their offsets."""
        return [(start, line) for start, line in self.lines if line.strip()]

    def matches(
        self, field_name: str, resolved: bool = True, kind: str | None = None
    ) -> list[Match]:
        """Matches of a field's rules on the view (non-overlapping unless ``resolved`` is off);
        with ``kind``, only the rules whose data has that ``kind``. A rule with ``within_lines``
        in its data is looked for in that many first lines only."""
        key = f"matches:{field_name}:{resolved}:{kind}"
        if key not in self.cache:
            if resolved:
                self.cache[key] = resolve(self.matches(field_name, False, kind))
            else:
                found: list[Match] = []
                for rule in self.rules.field(field_name):
                    if kind is None or rule.data.get("kind") == kind:
                        limit = rule.data.get("within_lines")
                        end = self.line_offset(limit) if limit else None
                        flows = field_name in FLOW_FIELDS or rule.data.get("flow")
                        text = self.flow if flows else self.view
                        found.extend(find(text, [rule], 0, end))
                self.cache[key] = found
        return self.cache[key]

    def span(self, start: int, end: int, rule: str) -> dict[str, Any]:
        """The evidence of a value: the text as matched, its offsets, the rule."""
        return {"text": self.text[start:end], "start": start, "end": end, "rule": rule}

    def warn(
        self,
        code: str,
        message: str,
        start: int | None = None,
        end: int | None = None,
        rule: str | None = None,
    ) -> None:
        self.warnings.append(
            {"code": code, "message": message, "start": start, "end": end, "rule": rule}
        )

    def line_at(self, pos: int) -> tuple[int, int]:
        """Start and end offsets of the line holding ``pos`` (lines of the view)."""
        start = self.view.rfind("\n", 0, pos) + 1
        end = self.view.find("\n", pos)
        return start, len(self.view) if end < 0 else end

    def sentence_at(self, pos: int) -> tuple[int, int]:
        """Rough bounds of the sentence holding ``pos`` (within its paragraph line: a hard
        wrap inside the sentence does not end it)."""
        view = self.flow
        line_start = view.rfind("\n", 0, pos) + 1
        line_end = view.find("\n", pos)
        line_end = len(view) if line_end < 0 else line_end
        start = max(view.rfind(". ", line_start, pos), view.rfind("; ", line_start, pos))
        start = line_start if start < 0 else start + 2
        ends = [
            i for i in (view.find(". ", pos, line_end), view.find("; ", pos, line_end)) if i >= 0
        ]
        return start, (min(ends) + 1 if ends else line_end)
