"""Task keywords (underthesea segments minus stop words) and task themes."""

from __future__ import annotations

import re

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


def theme(text: str, rules: RuleSet) -> str:
    """The theme whose words occur most often in ``text``; ``other`` if none does."""
    folded = fold(text)
    best, best_hits = "other", 0
    for rule in rules.field("tasks"):
        if rule.data.get("kind") != "theme":
            continue
        hits = sum(1 for _ in rule.finditer(folded))
        if hits > best_hits:
            best, best_hits = rule.data["theme"], hits
    return best
