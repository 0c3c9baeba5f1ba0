"""Task keywords (underthesea segments minus stop words) and task themes."""

from __future__ import annotations

import re
from bisect import bisect_left

from ..document import Document
from ..rules import RuleSet
from ..text import fold

_WORDLIKE = re.compile(r"\w")
_DIGIT = re.compile(r"[0-9]")  # numbers, dates and symbols (16/CT-TTg) are not keywords


def stopwords(rules: RuleSet) -> frozenset[str]:
    return frozenset(
        fold(w).lower()
        for r in rules.field("keywords")
        if r.data.get("kind") == "stopword"
        for w in r.words
    )


def keywords(text: str, rules: RuleSet) -> list[str]:
    """Content words of ``text``, multi-syllable words whole, each once, in order."""
    from ..tokenize import word_tokenize

    stop = stopwords(rules)
    out: list[str] = []
    for word in word_tokenize(text):
        key = fold(word).lower()
        if key in stop or not _WORDLIKE.search(key) or _DIGIT.search(key) or key in out:
            continue
        out.append(key)
    return out


def themes(doc: Document, spans: list[tuple[int, int]]) -> list[str]:
    """The theme of each ``(start, end)`` span of ``doc`` (a task's text): the theme whose
    words occur most often in it, the first listed on a tie; ``other`` if none does. Theme
    words are looked for once in the document, not once per task."""
    rules = [r for r in doc.rules.field("tasks") if r.data.get("kind") == "theme"]
    if not spans or not rules:
        return ["other"] * len(spans)
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    hits = sorted(
        (m.start(), m.end(), n)
        for n, rule in enumerate(rules)
        for m in rule.scan(doc.view, first, last)
    )
    starts = [h[0] for h in hits]
    out = []
    for start, end in spans:
        counts = [0] * len(rules)
        for hit_start, hit_end, n in hits[bisect_left(starts, start) :]:
            if hit_start >= end:
                break
            counts[n] += hit_end <= end
        best = max(range(len(rules)), key=lambda n: (counts[n], -n))
        out.append(rules[best].data["theme"] if counts[best] else "other")
    return out
