"""Issuer: the body that issued the primary directive, its level and its place."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from .. import places
from ..document import Document
from ..engine import find_resolved
from ..places import Place
from ..text import canonical, lines_with_offsets
from . import people

HEADLINE_LINES = 30  # a news text's headline stands within its first lines
PROSE = 250  # characters: a line this long is a paragraph, not a headline
LEAD_WINDOW = 600  # a news text names its subject in the title and lead
NEAR = 250  # a body names the subject of an issuing verb within this many characters
RIGHT_COLUMN = 20  # a lone segment indented this far is the right column of a header
_PERSON = re.compile(r"^(?:Phó\s+)?Chủ\s+tịch\s+", re.IGNORECASE)


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
    parent: str | None = None  # the superior body: above it in the header, else the lexicon's


def bodies(doc: Document) -> list[Body]:
    """Every body named in the text, in order."""
    if "bodies" not in doc.cache:
        doc.cache["bodies"] = _bodies_in(doc, doc.flow, lambda i: i)  # wraps joined
    return doc.cache["bodies"]


def _bodies_in(doc: Document, text: str, to_doc: Callable[[int], int]) -> list[Body]:
    """Bodies named in ``text`` (the view, or the left column of a header), with
    ``to_doc`` mapping offsets of ``text`` to offsets of the document."""
    gaz = places.doc_gazetteer(doc)
    rules = [
        r for r in doc.rules.field("issuer") if not r.data.get("cue") and not r.data.get("kind")
    ]
    found = []
    for match in find_resolved(text, rules):
        unit = match.group("unit")
        level = (match.data.get("units") or {}).get(canonical(unit).lower()) if unit else None
        level = level or match.data.get("level")
        unit_word = re.search(
            r"(huyện|quận|thị\s+xã|thành\s+phố|huyện ủy|quận ủy|thị ủy|thành ủy)$",
            canonical(text[match.start : match.end]).lower(),
        )
        unit_type = (
            places.UNIT_NAMES.get(" ".join(unit_word.group(1).split())) if unit_word else None
        )
        place, end, written = _place_after(doc, gaz, text, match.end, level, unit_type)
        if written and (_PERSON.match(text[match.start : match.end]) or _is_person(doc, written)):
            written, end = None, match.end  # "Chủ tịch UBND huyện Lê Thị Mỹ Hạnh": a person
        if level == "city":
            level = "province" if place and place.district is None else "district"
        shown = _display(text[match.start : match.end], match.rule)
        name = _PERSON.sub("", shown) if len(_PERSON.sub("", shown).split()) > 1 else shown
        parent = ((match.data.get("bodies") or {}).get(name) or {}).get("parent")
        if place or written:
            name = f"{name} {place.district or place.province if place else written}"
        system = match.data.get("system", "state")
        start, stop = to_doc(match.start), to_doc(end - 1) + 1
        parent = None if parent == "*" else parent  # "*": the body above it in the header
        found.append(Body(name, level, place, system, start, stop, match.rule.id, parent))
    return found


def _is_person(doc: Document, written: str) -> bool:
    """Three or more capitalized words after a surname are a person's name, not a place."""
    words = written.split()
    return len(words) >= 3 and people.is_surname(doc, words[0])


def _place_after(
    doc: Document,
    gaz: places.Gazetteer,
    text: str,
    pos: int,
    level: str | None,
    unit: str | None = None,
):
    """The unit named right after a body ("Tỉnh ủy Điện Biên"), where it ends, and the
    name as written when the gazetteer cannot tell which unit it is ("xã Hòa Phú").

    The place may stand on the next line of a header ("HUYỆN ỦY" / "CẦU NGANG")."""
    gap = re.match(r"[ \t]*\n?[ \t]*", text[pos : pos + 40])
    start = pos + gap.end()
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    next_end = text.find("\n", line_end + 1)
    # a header cell may wrap inside the place ("UBND THÀNH PHỐ HÀ⏎NỘI"): the gazetteer looks
    # at the next line too; a name it does not know is taken from this line only
    segment = text[start : next_end if next_end >= 0 else len(text)][:80]
    tokens = []
    for m in re.finditer(r"\w[\w-]*", segment):
        if (tokens and segment[tokens[-1].end() : m.start()].strip()) or (
            not tokens and m.start() > 0
        ):
            break
        tokens.append(m)
    words = [t.group() for t in tokens]
    kinds = {"province": ["province"], "district": ["district"], "city": ["province", "district"]}
    for kind in kinds.get(level or "", []):
        hit = gaz.longest_name(words, kind)
        if hit is None:
            continue
        name, n = hit
        place = (
            gaz.province(name)
            if kind == "province"
            else gaz.district(name, places.province_counts(doc), unit)
        )
        if level == "city" and kind == "province" and place.province not in places.CENTRAL_CITIES:
            continue  # "Thành ủy Cà Mau" is the city's, a district of the province
        if place:
            return place, start + tokens[n - 1].end(), None
    written = []
    one_line = [t for t in tokens if start + t.start() < line_end]
    for t in one_line[:4]:  # a place the gazetteer cannot resolve: a commune, an ambiguous name
        if not t.group()[:1].isupper() or t.group().lower() in places.UNIT_NAMES:
            break
        written.append(t)
    if written and level in ("province", "district", "commune", "city"):
        shown = " ".join(
            w.group() if not w.group().isupper() else w.group().capitalize() for w in written
        )
        return None, start + written[-1].end(), shown
    return None, pos, None


def _display(written: str, rule) -> str:
    """A lexicon body in its lexicon form, the closest by rapidfuzz ("BAN THƯỜNG VỤ TỈNH ỦY",
    "Ban Thường Vụ Tỉnh Ủy" -> "Ban Thường vụ Tỉnh ủy"); other bodies as written."""
    text = canonical(written)
    if rule.words:
        best = process.extractOne(text.lower(), [w.lower() for w in rule.words], scorer=fuzz.ratio)
        word = rule.words[best[2]]
        return (rule.data.get("canonical") or {}).get(word, word)
    if not text.isupper():
        return text
    out = text.lower()
    for low, shown in (rule.data.get("display") or {}).items():
        out = out.replace(low, shown)
    return out[:1].upper() + out[1:]


def header_end(doc: Document) -> int | None:
    """Where the issuing body's block of an official text's header ends (the layout's
    ``issuer_block``), or after its letterhead; None for a text without a header."""
    end = doc.layout.issuer_end
    if end is None:
        marks = _letterhead(doc)
        end = max(marks) if marks else None
    return end


def _letterhead(doc: Document) -> list[int]:
    """A text that opens with its body's name in capitals ("BAN CHỈ ĐẠO ... HUYỆN X") has
    that line as its header, even without a number or a national motto."""
    for start, line in doc.lines[:5]:
        if not line.strip():
            continue
        if line.strip().isupper() and any(b.start < start + len(line) for b in bodies(doc)):
            return [start + len(line)]
        return []
    return []


def _header_bodies(doc: Document) -> list[Body]:
    """Bodies in the left column of the header block, top to bottom. The motto and its
    rules are left out, as a PDF pasted as text may interleave them with the body's lines."""
    end = header_end(doc)
    if end is None:
        return []
    mottos = [(m.start, m.end) for m in doc.matches("issuer", kind="motto")]
    pieces, seen_lines = [], set()
    for start, text in doc.segments(0, end):
        line_start = doc.line_at(start)[0]
        if line_start in seen_lines or start - line_start >= RIGHT_COLUMN:
            continue
        if any(s <= start < e for s, e in mottos) or _DECORATION.fullmatch(text):
            continue
        text = _left_of_motto(text, start, mottos)
        seen_lines.add(line_start)
        pieces.append((start, text))
    joined, offsets = "", []
    for start, text in pieces:
        offsets.extend(range(start, start + len(text)))
        offsets.append(start + len(text))  # the joining newline stands for the line end
        joined += text + "\n"
    return _bodies_in(doc, joined, lambda i: offsets[min(i, len(offsets) - 1)])


def detect(doc: Document, primary: dict | None) -> tuple[Body | None, str]:
    """The primary directive's issuer and the reason it was chosen: the header of an
    official text; the subject of the verb that issues the directive a news text reports;
    the body in its headline; the subject of "... yêu cầu:"; the first body of the lead."""
    header = _header_bodies(doc)
    if header:
        return _with_parent(header), "header"
    found = [b for b in bodies(doc) if b.level]
    if not found:
        return None, ""
    issuing = [primary["evidence"]["start"]] if primary else []
    issuing += [m.start for m in doc.matches("doc_type") if m.data.get("role") == "news"]
    cues = [m.start for m in doc.matches("issuer") if m.data.get("cue")]
    for anchor in sorted(issuing):
        body = _subject_of(doc, found, anchor)
        if body:
            return body, "subject"
    headline = _headline(doc)
    if headline:
        in_headline = [b for b in found if headline[0] <= b.start < headline[1]]
        if in_headline:
            return in_headline[0], "headline"
    for anchor in sorted(cues):
        body = _subject_of(doc, found, anchor)
        if body:
            return body, "subject"
    lead = [b for b in found if b.start < LEAD_WINDOW]
    return (lead[0], "lead") if lead else (found[0], "first")


def _with_parent(header: list[Body]) -> Body:
    """The last body of a header, completed by the one above it: "UBND HUYỆN X" over "BAN
    CHỈ ĐẠO PHÒNG, CHỐNG DỊCH COVID-19" is the steering committee of district X."""
    body = header[-1]
    if len(header) < 2:
        return body
    parent = header[-2]
    body = replace(body, parent=parent.name)
    if body.level is None and parent.level:
        unit = _UNIT_WORDS.get(parent.level, "")
        where = parent.place.district or parent.place.province if parent.place else None
        name = " ".join(x for x in (body.name, unit if where else "", where or "") if x)
        return replace(body, name=name, level=parent.level, place=parent.place)
    if body.place is None and parent.place:
        return replace(body, place=Place(parent.place.province))
    return body


def _left_of_motto(text: str, start: int, mottos: list[tuple[int, int]]) -> str:
    """A header line whose columns are joined by one space ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ
    HỘI CHỦ NGHĨA VIỆT NAM", "TỈNH THÁI BÌNH Độc lập - Tự do - Hạnh phúc"): the left one."""
    cuts = [s - start for s, _ in mottos if start < s < start + len(text)]
    motto_line = _MOTTO_LINE.search(text)
    cuts += [motto_line.start()] if motto_line and motto_line.start() > 0 else []
    return text[: min(cuts)].rstrip() if cuts else text


_MOTTO_LINE = re.compile(r"\s+Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc")
_DECORATION = re.compile(r"[-–—_=*.~ ]+|Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc")
_UNIT_WORDS = {"province": "tỉnh", "district": "huyện", "commune": "xã"}


def _subject_of(doc: Document, found: list[Body], anchor: int) -> Body | None:
    """The body that is the subject of the verb at ``anchor``: one named after "thay mặt"
    first, then the nearest that is not part of a person's title ("Bí thư Tỉnh ủy")."""
    before = [
        b
        for b in found
        if b.end <= anchor + 1 and anchor - b.end < NEAR and "\n" not in doc.flow[b.end : anchor]
    ]
    if not before:
        return None
    on_behalf = [b for b in before if _ON_BEHALF.search(doc.flow[max(0, b.start - 15) : b.start])]
    if on_behalf:
        return on_behalf[-1]
    bodies_proper = [
        b for b in before if not _PERSON_TITLE.search(doc.flow[max(0, b.start - 20) : b.start])
    ]
    return (bodies_proper or before)[-1]


_ON_BEHALF = re.compile(r"(?:thay\s+mặt|T/M|TM\.)\s*$", re.IGNORECASE)
_PERSON_TITLE = re.compile(
    r"(?:Bí\s+thư|Chủ\s+tịch|Giám\s+đốc|Trưởng\s+ban|Trưởng|Chánh\s+Văn\s+phòng|Ủy\s+viên|"
    r"Thường\s+trực|Phó)\s*$"
)


def _headline(doc: Document) -> tuple[int, int] | None:
    """The span of a news text's headline: the last line of prose-like case before its first
    paragraph of prose, skipping the site's name (capitals), menus and breadcrumbs, dates,
    short labels and the page's title repeated at the top."""
    candidate = None
    for start, line in lines_with_offsets(doc.flow)[:HEADLINE_LINES]:  # wrapped lines joined
        text = line.strip()
        words = text.split()
        if not text:
            continue
        if len(text) > PROSE or (len(text) > 120 and text.endswith(".")):
            break
        if not (
            text.isupper()
            or len(words) < 4
            or re.search(r"[|>·»]", text)
            or re.match(r"[\d(]", text)
        ):
            candidate = (start, start + len(line))
    return candidate


def resolve_place(doc: Document, body: Body) -> tuple[str | None, str | None]:
    """Province and district the directive governs, from the body or the text's places."""
    if body.level == "national":
        return None, None
    if body.place and (body.place.district or body.level == "province"):
        return body.place.province, body.place.district
    counts = places.province_counts(doc)
    province = (
        body.place.province if body.place else (counts.most_common(1)[0][0] if counts else None)
    )
    district = None
    if body.level in ("district", "commune"):
        districts = [
            m.place
            for m in places.mentions(doc)
            if m.place.district and (province is None or m.place.province == province)
        ]
        if districts:
            district, province = districts[0].district, districts[0].province
    return province, district


def _with_namesake_place(doc: Document, body: Body) -> Body:
    """A body named without its place ("thay mặt Ban Thường vụ Thành ủy") takes the place
    and level of the same body named in full elsewhere ("Ban Thường vụ Thành ủy Đà Nẵng");
    a body of a rule with ``short_forms`` ("Ban Chỉ đạo tỉnh" in a headline) its full name."""
    short_forms = doc.rules.get(body.rule).data.get("short_forms")
    for other in bodies(doc):
        if other.rule != body.rule or not other.place or len(other.name) <= len(body.name):
            continue
        same_name = body.place is None and other.name.startswith(body.name + " ")
        fuller = short_forms and other.level == body.level and body.place in (None, other.place)
        if same_name or fuller:
            return replace(body, name=other.name, level=other.level, place=other.place)
    return body


def record(doc: Document, primary: dict | None) -> tuple[dict | None, dict | None]:
    """The ``issuer`` object of the record and its evidence."""
    body, _ = detect(doc, primary)
    if body is None:
        return None, None
    body = _with_namesake_place(doc, body)
    province, district = resolve_place(doc, body)
    name = body.name
    if body.place is None or (body.level == "district" and not body.place.district):
        extra = (
            district if body.level == "district" else province if body.level == "province" else None
        )
        if extra and extra not in name:
            name = f"{name} {extra}"
    return (
        {
            "name": name,
            "level": body.level,
            "province": province,
            "district": district,
            "system": body.system,
            "parent": body.parent,
        },
        doc.span(body.start, body.end, body.rule),
    )
