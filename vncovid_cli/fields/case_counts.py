"""Case counts: how many cases, recoveries, deaths, people in quarantine... and when, where."""

from __future__ import annotations

import datetime as dt
import re

from rapidfuzz import fuzz

from .. import places
from ..document import Document
from ..engine import Match
from ..numbers import parse_number
from ..text import canonical, strip_accents
from . import dates

CLAUSE_STOP = re.compile(r"[.;:()\n]|, trong đó|, riêng")
AFTER_WINDOW = 45  # a cue right after the noun ("05 ca điều trị tại LaGi")
NEAR_BEFORE = 22  # an exclusion cue right before the number ("không quá 20 người")
NEEDS_CUE = {"người", "công dân", "đối tượng"}  # nouns that are not cases by themselves
FUZZY_CUTOFF = 85


def items(doc: Document, anchor: dt.date | None) -> list[dict]:
    """The ``case_counts`` list in text order."""
    cues = doc.matches("case_counts", kind="cue")
    excludes = doc.matches("case_counts", kind="exclude")
    out = []
    for match in doc.matches("case_counts", kind="count"):
        item = _count(doc, match, cues, excludes, anchor)
        if item:
            out.append(item)
    return out


def _count(doc: Document, match: Match, cues: list[Match], excludes: list[Match],
           anchor: dt.date | None) -> dict | None:
    number_text = match.group("number")
    value = parse_number(number_text, doc.rules)
    if value is None or (value == 0 and not number_text[0].isdigit()):
        return None
    n_start, n_end = match.span_of("number")
    noun_end = match.span_of("noun")[1]
    clause_start = _clause_start(doc, min(n_start, match.start))
    clause_end = _clause_end(doc, noun_end)
    if _excluded(excludes, n_start, noun_end, clause_start, clause_end):
        return None
    noun = canonical(match.group("noun")).lower()
    category, cue_rule = _category(doc, cues, clause_start, n_start, noun_end, clause_end)
    if category is None and noun not in NEEDS_CUE:
        category, cue_rule = match.data["defaults"].get(noun), match.rule.id
    if category is None:
        category, cue_rule = _fuzzy_category(doc, clause_start, clause_end)
    if category is None:
        return None
    item = {"value": value, "category": category, "unit": noun,
            **doc.span(match.start, match.end, match.rule.id), "cue_rule": cue_rule}
    item.update(_when(doc, clause_start, n_start, anchor))
    item["place"] = _place(doc, n_start)
    return item


def _clause_start(doc: Document, pos: int) -> int:
    window = doc.view[max(0, pos - 250):pos]
    stops = list(CLAUSE_STOP.finditer(window))
    return pos - len(window) + (stops[-1].end() if stops else 0)


def _clause_end(doc: Document, pos: int) -> int:
    stop = CLAUSE_STOP.search(doc.view, pos, pos + 250)
    return stop.start() if stop else min(len(doc.view), pos + 250)


def _excluded(excludes: list[Match], n_start: int, noun_end: int, c_start: int, c_end: int) -> bool:
    for ex in excludes:
        if ex.data.get("scope") == "clause" and c_start <= ex.start < c_end:
            return True
        if ex.data.get("scope") == "near" and (
            (n_start - NEAR_BEFORE <= ex.end <= n_start and ex.start >= c_start)
            or noun_end <= ex.start <= noun_end + 3
        ):
            return True
    return False


def _category(doc: Document, cues: list[Match], c_start: int, n_start: int, noun_end: int,
              c_end: int) -> tuple[str | None, str | None]:
    """The cue right after the noun, else the nearest cue before the number in its clause."""
    after_end = min(c_end, noun_end + AFTER_WINDOW)
    comma = doc.view.find(",", noun_end, after_end)
    after_end = comma if comma >= 0 else after_end
    after = [c for c in cues if noun_end <= c.start < after_end]
    if after:
        return after[0].data["category"], after[0].rule.id
    before = [c for c in cues if c_start <= c.start and c.end <= n_start]
    if before:
        return before[-1].data["category"], before[-1].rule.id
    return None, None


def _fuzzy_category(doc: Document, c_start: int, c_end: int) -> tuple[str | None, str | None]:
    """A misspelt cue ("các ly" for "cách ly"): the closest cue word, with a warning."""
    words = doc.view[c_start:c_end].split()
    grams = [" ".join(words[i:i + n]) for n in (2, 3) for i in range(len(words) - n + 1)]
    best = (0.0, None, None, None)
    for rule in doc.rules.field("case_counts"):
        if rule.data.get("kind") != "cue":
            continue
        for word in rule.words:
            if len(word.split()) < 2:
                continue
            for gram in grams:
                score = fuzz.ratio(strip_accents(gram), strip_accents(word))
                if score > best[0] and gram.lower() != word.lower():
                    best = (score, rule, word, gram)
    score, rule, word, gram = best
    if rule is None or score < FUZZY_CUTOFF:
        return None, None
    pos = doc.view.find(gram, c_start, c_end)
    doc.warn("fuzzy_cue", f"read '{gram}' as '{word}'", pos, pos + len(gram))
    return rule.data["category"], rule.id


def _when(doc: Document, c_start: int, n_start: int, anchor: dt.date | None) -> dict:
    """``as_of`` or ``period_start``/``period_end`` from dates earlier in the sentence."""
    s_start = doc.sentence_at(n_start)[0]
    found = [m for m in dates.mentions(doc) if s_start <= m.start and m.end <= n_start]
    out = {"as_of": None, "period_start": None, "period_end": None}
    if not found:
        return out
    last = found[-1]
    before = doc.view[max(s_start, last.start - 30):last.start].lower()
    if len(found) >= 2 and re.search(r"từ\s+(?:ngày\s+)?$", doc.view[max(s_start, found[-2].start - 12):found[-2].start].lower()):
        out["period_start"] = found[-2].iso(dates.infer_year(found[-2], anchor))
        out["period_end"] = last.iso(dates.infer_year(last, anchor))
    elif re.search(r"từ\s+(?:ngày\s+)?$", before):
        out["period_start"] = last.iso(dates.infer_year(last, anchor))
    else:
        out["as_of"] = last.iso(dates.infer_year(last, anchor))
    return out


def _place(doc: Document, n_start: int) -> str | None:
    """The unit named nearest before the number in its sentence."""
    s_start = doc.sentence_at(n_start)[0]
    before = [m for m in places.mentions(doc) if s_start <= m.start and m.end <= n_start]
    if not before:
        return None
    place = before[-1].place
    return place.district or place.province
