"""A document being read: its text, the view that rules match on, and shared look-ups."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .engine import Match, find, find_resolved
from .rules import RuleSet
from .text import fold, lines_with_offsets, mask

_HEADLINE_STAMP = re.compile(r"\(\s*\d{1,2}/\d{1,2}(?:/\d{2,4})?[^)]*\)|\d{1,2}:\d{2}|\d{1,2}/\d{1,2}/\d{4}")
_SENTENCE_END = re.compile(r"[.!?:;…]\s*$")


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

    def _headline_list_end(self, pos: int) -> int:
        """Where a headline list that starts at ``pos`` ends: at the first line of prose."""
        end = pos
        for start, line in lines_with_offsets(self.text[pos:]):
            stripped = line.strip()
            prose = len(stripped) > 250 or (
                len(stripped) > 120 and _SENTENCE_END.search(stripped)
                and not _HEADLINE_STAMP.search(stripped)
            )
            if stripped and prose:
                break
            end = pos + start + len(line)
        return end

    @cached_property
    def view(self) -> str:
        """What rules match on: folded text with chrome blanked, same length as ``text``."""
        return mask(fold(self.text), self.chrome_zones)

    @cached_property
    def lines(self) -> list[tuple[int, str]]:
        """Lines of ``view`` with their offsets."""
        return lines_with_offsets(self.view)

    def line_offset(self, n: int) -> int:
        """Where line ``n`` (0-based) starts; the text's end if it has fewer lines."""
        return self.lines[n][0] if n < len(self.lines) else len(self.view)

    def matches(self, field_name: str, resolved: bool = True, kind: str | None = None) -> list[Match]:
        """Matches of a field's rules on the view (non-overlapping unless ``resolved`` is off);
        with ``kind``, only the rules whose data has that ``kind``."""
        key = f"matches:{field_name}:{resolved}:{kind}"
        if key not in self.cache:
            rules = [r for r in self.rules.field(field_name) if kind is None or r.data.get("kind") == kind]
            found = find_resolved(self.view, rules) if resolved else list(find(self.view, rules))
            self.cache[key] = found
        return self.cache[key]

    def span(self, start: int, end: int, rule: str) -> dict[str, Any]:
        """The evidence of a value: the text as matched, its offsets, the rule."""
        return {"text": self.text[start:end], "start": start, "end": end, "rule": rule}

    def warn(self, code: str, message: str, start: int | None = None, end: int | None = None) -> None:
        self.warnings.append({"code": code, "message": message, "start": start, "end": end})

    def line_at(self, pos: int) -> tuple[int, int]:
        """Start and end offsets of the line holding ``pos``."""
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, len(self.text) if end < 0 else end

    def sentence_at(self, pos: int) -> tuple[int, int]:
        """Rough bounds of the sentence holding ``pos`` (within its line)."""
        line_start, line_end = self.line_at(pos)
        view = self.view
        start = max(view.rfind(". ", line_start, pos), view.rfind("; ", line_start, pos))
        start = line_start if start < 0 else start + 2
        ends = [i for i in (view.find(". ", pos, line_end), view.find("; ", pos, line_end)) if i >= 0]
        return start, (min(ends) + 1 if ends else line_end)
