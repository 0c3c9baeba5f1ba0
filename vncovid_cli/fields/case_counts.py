"""Case counts: how many cases, recoveries, deaths, people in quarantine... and when, where."""

from __future__ import annotations

import datetime as dt
import re

from rapidfuzz import fuzz, process

from .. import places
from ..document import Document
from ..engine import Match
from ..numbers import parse_count
from ..rules import RuleSet
from ..text import canonical, strip_accents
from . import dates, tables

CLAUSE_STOP = re.compile(r"[.;!?](?=\s|$)|[()\n]|, trong đó|, riêng|, gồm")
AFTER_WINDOW = 60  # a cue right after the noun ("05 ca điều trị tại LaGi")
NEAR_BEFORE = 22  # an exclusion cue right before the number ("không quá 20 người")
NEAR_AFTER = 40  # ... or soon after its noun ("2.300 người từ 50 tuổi chưa tiêm")
_WORD = re.compile(r"\w+")
ASIDE = re.compile(r"\([^()\n0-9]{1,40}\)")
SENTENCE_STOP = re.compile(r"[.!?](?=\s|$)|\n\s*\n")
NEEDS_CUE = {
    "người",
    "công dân",
    "đối tượng",
    "trẻ em",
    "trẻ",
    "học sinh",
    "em",
    "lượt người",
}  # nouns that are not cases by themselves
FUZZY_CUTOFF = 90
MEMO_SIZE = 50_000  # remembered fuzzy look-ups of cue words
STRONG = 3  # a cue of this priority before the number outranks a weaker one after its noun


def items(doc: Document, anchor: dt.date | None) -> list[dict]:
    """The ``case_counts`` list in text order."""
    cues = doc.matches("case_counts", kind="cue")
    excludes = doc.matches("case_counts", resolved=False, kind="exclude")
    out: list[dict] = []
    parent = None
    counts = doc.matches("case_counts", kind="count")
    for i, match in enumerate(counts):
        next_start = counts[i + 1].start if i + 1 < len(counts) else len(doc.view)
        prev_end = counts[i - 1].end if i else -1
        item = _count(doc, match, cues, excludes, anchor, (prev_end, next_start))
        if item is None:
            continue
        uncued = item.pop("uncued")
        if parent and uncued and _breakdown_of(doc, parent, item):
            breakdown = doc.rules.having("case_counts", "kind", "breakdown")
            item["category"] = parent["category"]
            item["cue_rule"] = breakdown.id if breakdown else None
        elif item["category"] is None:  # "trẻ em", "học sinh" without a cue: not cases
            continue
        else:
            parent = item
        out.append(item)
    out.extend(tables.items(doc))
    return sorted(out, key=lambda item: item["start"])


def _breakdown_of(doc: Document, parent: dict, item: dict) -> bool:
    """ "07 ca tại cộng đồng, gồm thị trấn A 05 ca và xã B 02 ca": parts of a count
    without a cue of their own take its category."""
    between = doc.flow[parent["end"] : item["start"]]
    words = [
        w
        for w in doc.matches("case_counts", kind="breakdown")
        if parent["end"] <= w.start
        and w.end <= item["start"]
        and item["start"] - w.end <= w.data.get("max_gap", len(doc.flow))
    ]
    return bool(words) and not SENTENCE_STOP.search(between)


def _count(
    doc: Document,
    match: Match,
    cues: list[Match],
    excludes: list[Match],
    anchor: dt.date | None,
    neighbours: tuple[int, int],
) -> dict | None:
    """One count, or None when it is not an epidemic fact; its clause ends at the next count
    (``neighbours``: where the previous count ends and the next one starts)."""
    prev_end, next_start = neighbours
    number_text = match.group("number")
    value = parse_count(number_text, doc.rules)
    if value is None or (value == 0 and not number_text[0].isdigit()):
        return None
    n_start, n_end = match.span_of("number")
    noun_end = match.span_of("noun")[1]
    clause_start = _clause_start(doc, min(n_start, match.start))
    clause_end = min(_clause_end(doc, noun_end), next_start)
    if _excluded(doc, excludes, n_start, noun_end, clause_start, clause_end):
        return None
    noun = canonical(match.group("noun")).lower()
    category, cue_rule = _category(doc, cues, clause_start, n_start, noun_end, clause_end, prev_end)
    if category is None:  # nouns that need a cue may still be part of a count of cases
        category = None if noun in NEEDS_CUE else match.data["defaults"].get(noun)
        if category is None and noun not in NEEDS_CUE:
            return None
    item = {
        "value": value,
        "category": category,
        "unit": canonical(match.group("noun")),
        **doc.span(match.start, match.end, match.rule.id),
        "cue_rule": cue_rule or match.rule.id,
        "uncued": cue_rule is None,  # the noun's own default, no cue word: read, then dropped
    }
    item.update(_when(doc, clause_start, n_start, anchor))
    item["place"] = _place(doc, n_start)
    return item


def _clause_start(doc: Document, pos: int) -> int:
    window = _without_asides(doc.flow[max(0, pos - 250) : pos])
    stops = list(CLAUSE_STOP.finditer(window))
    return pos - len(window) + (stops[-1].end() if stops else 0)


def _clause_end(doc: Document, pos: int) -> int:
    window = _without_asides(doc.flow[pos : pos + 250])
    stop = CLAUSE_STOP.search(window)
    return pos + stop.start() if stop else min(len(doc.view), pos + 250)


def _without_asides(text: str) -> str:
    """``text`` with short asides in brackets without digits ("mũi 3 (mũi nhắc lại) cho")
    blanked, so that they do not end a clause; same length."""
    return ASIDE.sub(lambda m: " " * len(m.group()), text)


def _excluded(
    doc: Document, excludes: list[Match], n_start: int, noun_end: int, c_start: int, c_end: int
) -> bool:
    comma = doc.flow.find(",", noun_end, c_end)
    tail_end = min(comma if comma >= 0 else c_end, noun_end + NEAR_AFTER)
    s_start = _sentence_start(doc, n_start)
    for ex in excludes:
        if ex.data.get("scope") == "sentence" and s_start <= ex.start < tail_end:
            return True
        if ex.data.get("scope") == "near" and (
            (n_start - NEAR_BEFORE <= ex.end <= n_start and ex.start >= c_start)
            or noun_end <= ex.start <= noun_end + 3
        ):
            return True
        if ex.data.get("scope") == "after" and noun_end <= ex.start < tail_end:
            return True
        if ex.data.get("scope") == "before" and n_start - NEAR_BEFORE <= ex.end <= n_start:
            return ex.start >= c_start
    return False


def _sentence_start(doc: Document, pos: int) -> int:
    stops = list(SENTENCE_STOP.finditer(doc.flow, max(0, pos - 400), pos))
    return stops[-1].end() if stops else max(0, pos - 400)


def _category(
    doc: Document,
    cues: list[Match],
    c_start: int,
    n_start: int,
    noun_end: int,
    c_end: int,
    prev_end: int = -1,
) -> tuple[str | None, str | None]:
    """The category cue of a count: the cues right after its noun, else those before it in
    its clause, unless one before is STRONG and stronger ("đã chuyển 9 bệnh nhân diễn tiến
    nặng") and does not follow another count of the clause ("141 ca đã được cách ly từ trước và 45
    ca phát hiện tại cộng đồng": the 45 are community cases). Within a window the more
    specific cue (higher ``priority``) wins, then the nearest: "ca lây nhiễm trong cộng
    đồng" is community, not confirmed. Cue words misspelt by OCR ("các ly", "tư vong") are
    read as their closest lexicon word, with a warning."""
    after_end = min(c_end, noun_end + AFTER_WINDOW)
    comma = _comma_outside(doc, cues, noun_end, after_end)
    after_end = comma if comma >= 0 else after_end
    best = {}
    for start, end, after in ((noun_end, after_end, True), (c_start, n_start, False)):
        found = [
            (c.data.get("priority", 1), c.start, c.data["category"], c.rule.id)
            for c in cues
            if start <= c.start and c.end <= end
        ]
        found = found or _fuzzy_cues(doc, start, end, cues)
        if found:
            best[after] = max(found, key=lambda f: (f[0], -f[1] if after else f[1]))
    after, before = best.get(True), best.get(False)
    strong = before and before[0] >= STRONG and not c_start <= prev_end <= before[1]
    if strong and (after is None or after[0] < before[0]):
        return before[2], before[3]
    choice = after or before
    return (choice[2], choice[3]) if choice else (None, None)


def _comma_outside(doc: Document, cues: list[Match], start: int, end: int) -> int:
    """The first comma in ``doc.flow[start:end]`` that is not inside a cue ("cách ly, điều
    trị tại nhà"), or -1."""
    comma = doc.flow.find(",", start, end)
    while comma >= 0 and any(c.start <= comma < c.end for c in cues):
        comma = doc.flow.find(",", comma + 1, end)
    return comma


def _fuzzy_cues(doc: Document, start: int, end: int, cues: list[Match]) -> list[tuple]:
    """Near misses of multi-word cue words in ``doc.flow[start:end]``."""
    exact = [(c.start, c.end) for c in cues if c.start < end and c.end > start]
    out = []
    tokens = list(_WORD.finditer(doc.flow, start, end))
    for n in (2, 3):
        for i in range(len(tokens) - n + 1):
            s, e = tokens[i].start(), tokens[i + n - 1].end()
            if not doc.flow[s:e].replace(" ", "").replace("\n", "").isalnum():
                continue  # "ca, Bệnh viện": a cue word has no punctuation inside
            if any(a <= s < b or a < e <= b for a, b in exact):
                continue
            hit = _closest_cue(doc, doc.flow[s:e], n)
            if hit:
                rule, word = hit
                doc.warn("fuzzy_cue", f"read '{doc.text[s:e]}' as '{word}'", s, e, rule.id)
                out.append((rule.data.get("priority", 1), s, rule.data["category"], rule.id))
    return out


def _closest_cue(doc: Document, gram: str, n: int):
    """The cue word of ``n`` syllables closest to ``gram`` (accents ignored), if close enough.
    Answers are remembered with the rules (the same word pairs recur in every document)."""
    memo = doc.rules.derived("case_counts.closest_cue", lambda _: {})
    key = (" ".join(gram.split()), n)
    if key not in memo:
        if len(memo) >= MEMO_SIZE:  # bounded, so memory stays flat on any number of files
            memo.clear()
        memo[key] = _closest_cue_word(doc.rules, *key)
    return memo[key]


def _closest_cue_word(rules: RuleSet, gram: str, n: int):
    words = rules.derived("case_counts.cue_words", _cue_words).get(n)
    if not words:
        return None
    hit = process.extractOne(
        strip_accents(gram),
        words[0],
        scorer=fuzz.ratio,
        score_cutoff=FUZZY_CUTOFF,
    )
    if hit is None or words[2][hit[2]].lower() == gram.lower():
        return None
    return words[1][hit[2]], words[2][hit[2]]


def _cue_words(rules: RuleSet) -> dict[int, tuple[list[str], list, list[str]]]:
    """Cue words by syllable count: accent-stripped forms, their rules, the words."""
    out: dict[int, tuple[list[str], list, list[str]]] = {}
    for rule in rules.field("case_counts"):
        if rule.data.get("kind") != "cue" or not rule.data.get("priority", 1):
            continue  # the generic cue of confirmed cases ("ca bệnh") is the default anyway
        for word in rule.words:
            stripped, rules_, shown = out.setdefault(len(word.split()), ([], [], []))
            stripped.append(strip_accents(word))
            rules_.append(rule)
            shown.append(word)
    return out


def _when(doc: Document, c_start: int, n_start: int, anchor: dt.date | None) -> dict:
    """``as_of`` or ``period_start``/``period_end`` from dates earlier in the sentence."""
    s_start = doc.sentence_at(n_start)[0]
    found = [m for m in dates.mentions(doc) if s_start <= m.start and m.end <= n_start]
    out = {"as_of": None, "period_start": None, "period_end": None}
    if not found:  # "ghi nhận 12 ca mắc mới trong ngày 5/9/2021"
        c_end = _clause_end(doc, n_start)
        after = [
            m
            for m in dates.mentions(doc)
            if n_start < m.start < c_end
            and re.search(r"(?:ngày|đến)\s*$", doc.view[max(0, m.start - 12) : m.start])
        ]
        if after:
            out["as_of"] = after[0].iso(dates.infer_year(after[0], anchor))
        return out
    last = found[-1]
    before = doc.view[max(s_start, last.start - 30) : last.start].lower()
    if len(found) >= 2 and re.search(
        r"từ\s+(?:ngày\s+)?$",
        doc.view[max(s_start, found[-2].start - 12) : found[-2].start].lower(),
    ):
        out["period_start"] = found[-2].iso(dates.infer_year(found[-2], anchor))
        out["period_end"] = last.iso(dates.infer_year(last, anchor))
    elif re.search(r"từ\s+(?:ngày\s+)?$", before):
        out["period_start"] = last.iso(dates.infer_year(last, anchor))
    else:
        out["as_of"] = last.iso(dates.infer_year(last, anchor))
    return out


def _place(doc: Document, n_start: int) -> str | None:
    """The unit named nearest before the number in its sentence: a district or province of
    the gazetteer, else a commune or ward ("tại xã Tân Phú có 8 ca")."""
    s_start = doc.sentence_at(n_start)[0]
    if "case_counts.places" not in doc.cache:
        named = [(m.end, m.place.district or m.place.province) for m in places.mentions(doc)]
        named += [(end, name) for name, _, end in places.communes(doc)]
        doc.cache["case_counts.places"] = named
    before = [
        (end, name) for end, name in doc.cache["case_counts.places"] if s_start < end <= n_start
    ]
    return max(before)[1] if before else None
