"""Issuer: the body that issued the primary directive, its level and its place."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .. import places
from ..document import Document
from ..places import CENTRAL_CITIES, Place
from ..text import canonical

LEAD_WINDOW = 600  # a news text names its subject in the title and lead
NEAR = 250  # a body names the subject of an issuing verb within this many characters


@dataclass(frozen=True)
class Body:
    """A body named in the text, with the place written after it if any."""

    name: str
    level: str | None
    place: Place | None
    system: str
    start: int
    end: int
    rule: str


def bodies(doc: Document) -> list[Body]:
    """Every body named in the text, in order."""
    if "bodies" in doc.cache:
        return doc.cache["bodies"]
    gaz = places.doc_gazetteer(doc)
    found = []
    for match in doc.matches("issuer"):
        if match.data.get("cue"):
            continue
        unit = match.group("unit")
        level = (match.data.get("units") or {}).get(canonical(unit).lower()) if unit else None
        level = level or match.data.get("level")
        place, end = _place_after(doc, gaz, match.end, level)
        if level == "city":
            level = "province" if place and place.district is None else "district"
        name = _display(doc.text[match.start:match.end], match.rule)
        if place:
            name = f"{name} {place.district or place.province}"
        system = match.data.get("system", "state")
        found.append(Body(name, level, place, system, match.start, end, match.rule.id))
    doc.cache["bodies"] = found
    return found


def _place_after(doc: Document, gaz: places.Gazetteer, pos: int, level: str | None):
    """The unit named right after a body ("Tỉnh ủy Điện Biên"), and where it ends.

    In a header the place may stand on the next line ("ỦY BAN NHÂN DÂN" / "TỈNH X" is
    matched as one body, but "TỈNH ỦY" / "ĐIỆN BIÊN" is not)."""
    gap = re.match(r"[ \t]*\n?[ \t]*", doc.view[pos:pos + 40])
    start = pos + gap.end()
    line_end = doc.view.find("\n", start)
    segment = doc.view[start:line_end if line_end >= 0 else len(doc.view)][:80]
    tokens = []
    for m in re.finditer(r"\w[\w-]*", segment):
        if tokens and segment[tokens[-1].end():m.start()].strip():
            break
        if not tokens and m.start() > 0:
            break
        tokens.append(m)
    words = [t.group() for t in tokens]
    kinds = {"province": ["province"], "district": ["district"], "city": ["province", "district"]}
    for kind in kinds.get(level or "", []):
        hit = gaz.longest_name(words, kind)
        if hit is None:
            continue
        name, n = hit
        place = gaz.province(name) if kind == "province" else gaz.district(
            name, places.province_counts(doc))
        if place:
            return place, start + tokens[n - 1].end()
    return None, pos


def _display(written: str, rule) -> str:
    """A body as written; one in capitals in the closest lexicon form."""
    text = canonical(written)
    if not text.isupper():
        return text
    if rule.words:
        best = process.extractOne(text.lower(), [w.lower() for w in rule.words], scorer=fuzz.ratio)
        return rule.words[best[2]]
    display = rule.data.get("display") or {}
    out = text.lower()
    for low, shown in display.items():
        out = out.replace(low, shown)
    return out[:1].upper() + out[1:]


def detect(doc: Document, primary: dict | None) -> tuple[Body | None, str]:
    """The primary directive's issuer and the reason it was chosen."""
    found = bodies(doc)
    if not found:
        return None, ""
    header = _header_body(doc, found)
    if header:
        return header, "header"
    anchors = []
    if primary:
        anchors.append(primary["evidence"]["start"])
    anchors += [m.start for m in doc.matches("doc_type") if m.rule.id == "doc_type.news_issue"]
    anchors += [m.start for m in doc.matches("issuer") if m.data.get("cue")]
    for anchor in sorted(anchors):
        before = [b for b in found if b.end <= anchor + 1 and anchor - b.end < NEAR
                  and "\n" not in doc.view[b.end:anchor]]
        if before:
            return before[-1], "subject"
    lead = [b for b in found if b.start < LEAD_WINDOW]
    return (lead[0], "lead") if lead else (found[0], "first")


def _header_body(doc: Document, found: list[Body]) -> Body | None:
    """In an official text, the last body of the header block above the number line."""
    limit = None
    for match in doc.matches("doc_number"):
        if match.rule.id == "doc_number.header":
            limit = doc.line_at(match.start)[1]
            break
    if limit is None:
        return None
    in_header = [b for b in found if b.start < limit]
    return in_header[-1] if in_header else None


def resolve_place(doc: Document, body: Body) -> tuple[str | None, str | None]:
    """Province and district the directive governs, from the body or the text's places."""
    if body.level == "national":
        return None, None
    if body.place:
        return body.place.province, body.place.district
    mentioned = places.mentions(doc)
    counts = places.province_counts(doc)
    province = counts.most_common(1)[0][0] if counts else None
    district = None
    if body.level in ("district", "commune"):
        districts = [m.place for m in mentioned if m.place.district
                     and (province is None or m.place.province == province)]
        if districts:
            first = districts[0]
            district = first.district
            province = first.province
    return province, district


def record(doc: Document, primary: dict | None) -> tuple[dict | None, dict | None]:
    """The ``issuer`` object of the record and its evidence."""
    body, _ = detect(doc, primary)
    if body is None:
        return None, None
    province, district = resolve_place(doc, body)
    name = body.name
    if body.place is None:
        extra = district if body.level == "district" else province if body.level == "province" else None
        if extra and extra not in name:
            name = f"{name} {extra}"
    return (
        {"name": name, "level": body.level, "province": province, "district": district,
         "system": body.system},
        doc.span(body.start, body.end, body.rule),
    )
