"""The generic matcher: rules in, spans out. Field modules only interpret matches."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .rules import Rule


@dataclass(frozen=True)
class Match:
    """One rule's match in ``text``: its span (the ``span`` group if the rule has one) and
    groups. Group texts are read from ``text`` (``m`` may have run on a lower-cased copy)."""

    rule: Rule
    start: int
    end: int
    m: re.Match[str]
    text: str = ""

    def group(self, name: str) -> str | None:
        """A named group's text, or None when the rule has no such group or it did not match."""
        index = self.m.re.groupindex.get(name)
        if index is None:
            return None
        s, e = self.m.span(index)
        return None if s < 0 else (self.text or self.m.string)[s:e]

    def span_of(self, name: str) -> tuple[int, int]:
        return self.m.span(name)

    @property
    def data(self) -> dict:
        return self.rule.data


def find(
    text: str, rules: Iterable[Rule], start: int = 0, end: int | None = None
) -> Iterator[Match]:
    """Every match of every rule in ``text`` (overlaps included)."""
    for rule in rules:
        span_group = rule.regex.groupindex.get("span")
        for m in rule.scan(text, start, end):
            s, e = m.span(span_group) if span_group and m.start(span_group) >= 0 else m.span()
            if e > s:
                yield Match(rule, s, e, m, text)


def resolve(matches: Iterable[Match]) -> list[Match]:
    """Non-overlapping matches in text order: the longest wins, then the earliest."""
    chosen: list[Match] = []
    taken: list[tuple[int, int]] = []
    for match in sorted(matches, key=lambda x: (-(x.end - x.start), x.start)):
        if all(match.end <= s or match.start >= e for s, e in taken):
            chosen.append(match)
            taken.append((match.start, match.end))
    return sorted(chosen, key=lambda x: x.start)


def find_resolved(
    text: str, rules: Iterable[Rule], start: int = 0, end: int | None = None
) -> list[Match]:
    """:func:`find` then :func:`resolve`."""
    return resolve(find(text, rules, start, end))
