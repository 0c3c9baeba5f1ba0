"""Bounded matching for the patterns of user rules.

A user's pattern (a rule from ``--rules DIR``) is compiled with the ``regex`` module, whose
matching takes a ``timeout``, and wrapped in :class:`BoundedPattern`, which has the methods of
``re.Pattern`` that the engine and the fields call. Each user rule may spend ``seconds`` of
matching per document (:func:`document_budget`); a rule that runs out is skipped for the rest
of that document and named in a ``rule_budget`` warning. The built-in rules run on Python's
``re``: their examples, counter-examples and the fuzz bench keep them fast, and ``re`` is
faster (bench/rule_engines.py measures both).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import regex

DEFAULT_SECONDS = 0.5  # matching time per user rule and document


@dataclass
class Budget:
    """What each bounded rule has spent on the document being read, and which ran out."""

    seconds: float = DEFAULT_SECONDS
    spent: dict[BoundedPattern, float] = field(default_factory=dict)
    ran_out: dict[BoundedPattern, None] = field(default_factory=dict)  # in the order they did

    def left(self, pattern: BoundedPattern) -> float:
        if pattern in self.ran_out:
            return 0.0
        return self.seconds - self.spent.get(pattern, 0.0)

    def warnings(self) -> list[dict[str, Any]]:
        """One ``rule_budget`` warning per rule that ran out, in the order they did."""
        return [
            {
                "code": "rule_budget",
                "message": f"rule {pattern.rule_id} ({pattern.path}) ran out of its "
                f"{self.seconds:g} s matching budget and was skipped for the rest of this document",
                "start": None,
                "end": None,
                "rule": pattern.rule_id,
            }
            for pattern in self.ran_out
        ]


_CURRENT: ContextVar[Budget | None] = ContextVar("vncovid_rule_budget", default=None)


@contextmanager
def document_budget(seconds: float = DEFAULT_SECONDS) -> Iterator[Budget]:
    """A fresh budget for the bounded patterns matched inside the ``with`` block."""
    budget = Budget(seconds)
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)


class BoundedPattern:
    """A pattern compiled with ``regex`` whose every call is bounded by the current budget
    (outside :func:`document_budget`, each call by :data:`DEFAULT_SECONDS`). A call that runs
    out finds nothing."""

    def __init__(self, rule_id: str, path: str, source: str, flags: int) -> None:
        self.rule_id, self.path = rule_id, path
        self._compiled = regex.compile(source, flags | regex.VERSION0)
        self.pattern: str = source
        self.flags: int = flags
        self.groupindex = dict(self._compiled.groupindex)
        self.groups: int = self._compiled.groups

    def __reduce__(self):
        return (BoundedPattern, (self.rule_id, self.path, self.pattern, self.flags))

    def _bounded(self, call: Callable[[float], Any], nothing: Any) -> Any:
        budget = _CURRENT.get() or Budget()
        left = budget.left(self)
        if left <= 0:
            return nothing
        began = time.perf_counter()
        try:
            return call(left)
        except TimeoutError:
            budget.ran_out[self] = None
            return nothing
        finally:
            budget.spent[self] = budget.spent.get(self, 0.0) + time.perf_counter() - began

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None) -> Iterator[Any]:
        found = self._bounded(
            lambda t: list(self._compiled.finditer(string, pos, endpos, timeout=t)), []
        )
        return iter(found)

    def findall(self, string: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
        return self._bounded(lambda t: self._compiled.findall(string, pos, endpos, timeout=t), [])

    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._bounded(lambda t: self._compiled.search(string, pos, endpos, timeout=t), None)

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._bounded(lambda t: self._compiled.match(string, pos, endpos, timeout=t), None)

    def fullmatch(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._bounded(
            lambda t: self._compiled.fullmatch(string, pos, endpos, timeout=t), None
        )

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        return self._bounded(lambda t: self._compiled.sub(repl, string, count, timeout=t), string)


def nested_quantifiers(source: str, flags: int = 0) -> bool:
    """True when ``source`` repeats without bound a part that itself repeats (``(a+)+``,
    ``(?:\\w+\\s?)*``): the shape whose backtracking can grow exponentially with a line."""
    from re import _constants as c
    from re import _parser as parser

    def walk(items: Any, under_repeat: bool) -> bool:
        for op, av in items:
            if op in (c.MAX_REPEAT, c.MIN_REPEAT):
                if under_repeat and av[1] == c.MAXREPEAT:
                    return True
                inner = [(av[2], under_repeat or av[1] == c.MAXREPEAT)]
            elif op == c.SUBPATTERN:
                inner = [(av[3], under_repeat)]
            elif op == c.BRANCH:
                inner = [(branch, under_repeat) for branch in av[1]]
            elif op in (c.ASSERT, c.ASSERT_NOT):
                inner = [(av[1], under_repeat)]
            else:  # atomic groups and possessive repeats do not backtrack
                inner = []
            if any(walk(part, under) for part, under in inner):
                return True
        return False

    return walk(parser.parse(source, flags), False)


def risk_warnings(rules: Iterable[Any]) -> list[str]:
    """One line for each user rule (a bounded pattern) with nested quantifiers."""
    return [
        f"{rule.path}: rule {rule.id}: nested quantifiers (a repeated part that itself "
        "repeats) can backtrack exponentially; it runs bounded by --rule-budget "
        f"(default {DEFAULT_SECONDS:g} s a document)"
        for rule in rules
        if isinstance(rule.regex, BoundedPattern)
        and nested_quantifiers(rule.regex.pattern, rule.regex.flags)
    ]
