"""The generic matcher: rules in, spans out. Field modules only interpret matches."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .rules import Rule


@dataclass(frozen=True)
class Match:
    """One rule's match: its span (the ``span`` group if the rule has one) and groups."""

    rule: Rule
    start: int
    end: int
    m: re.Match[str]

    def group(self, name: str) -> str | None:
        """A named group's text, or None when the rule has no such group or it did not match."""
        return self.m.groupdict().get(name)

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
        has_span = "span" in rule.regex.groupindex
        for m in rule.finditer(text, start, end):
            s, e = m.span("span") if has_span and m.group("span") is not None else m.span()
            if e > s:
                yield Match(rule, s, e, m)


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
