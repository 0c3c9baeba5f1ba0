"""People: named officials with the title the text gives them, and the signer."""

from __future__ import annotations

import re

from .. import places
from ..document import Document
from ..engine import Match

# words that may continue a title after its head ("Bí thư" + "Huyện ủy")
_TITLE_TAIL = re.compile(
    r"(?:[ \t]+(?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][\w-]*|ủy|uỷ|ban|nhân|dân|tỉnh|huyện|"
    r"xã|quận|phường|thị|xã|trấn|thành|phố|phòng,?|chống|dịch|bệnh|y|tế|thường|trực|vụ|"
    r"chỉ|đạo|quốc|gia|văn|phòng|công|an|quân|sự|cấp|covid-19|Covid-19|COVID-19)(?![\w-]))*"
)
_MEMBER = r"(?:TUV|UVBTV|HUV|UV|ThUV|Tỉnh ủy viên|Huyện ủy viên)"  # "X - TUV, Bí thư Huyện ủy"
_AFTER_NAME = re.compile(rf"[ \t]*[-–,(][ \t]*(?:{_MEMBER}[ \t]*,[ \t]*)?")
_BEFORE_LIMIT = 90
# units without a gazetteer, whose names are mostly two syllables ("xã Lương Phong")
_LOCAL_UNITS = {
    "xã",
    "phường",
    "trấn",
    "thôn",
    "bản",
    "ấp",
    "tổ",
    "đường",
    "khu",
    "làng",
    "xóm",
    "chợ",
    "trường",
}
_GAP_WORDS = 8  # words between a title's head and the name it qualifies
_UNIT_END = re.compile(
    r"(?:huyện|tỉnh|xã|phường|trấn|phố|quận|ủy|tế|dân|thị|đồng|nhân|đạo|vụ|trực|"
    r"sự|an|ban|phòng|viện)$"
)
_SIGNATURE_LOOKBACK = 6


def items(doc: Document) -> list[dict]:
    """The ``people`` list: each named official once, with the first title the text gives."""
    return people_and_signer(doc)[0]


def signer(doc: Document) -> dict | None:
    return people_and_signer(doc)[1]


def people_and_signer(doc: Document) -> tuple[list[dict], dict | None]:
    if "people" in doc.cache:
        return doc.cache["people"]
    titles = doc.matches("people", kind="title")
    honorifics = doc.matches("people", kind="honorific")
    found: dict[str, dict] = {}
    sign = None
    for match in _names(doc):
        name = " ".join(match.group("name").split())
        title = _title_after(doc, match, titles) or _title_before(doc, match, titles)
        signature = None if title else _signature(doc, match)
        if signature:
            sign = {
                "name": name,
                "title": signature[0],
                "capacity": signature[1],
                **doc.span(match.start, match.end, _signature_rule(doc)),
            }
            title = signature[0]
        elif title is None and not _honorific_before(doc, match, honorifics):
            continue
        if name not in found:
            found[name] = {
                "name": name,
                "title": title,
                **doc.span(match.start, match.end, match.rule.id),
            }
        elif found[name]["title"] is None:
            found[name]["title"] = title
    people = _drop_overlong(list(found.values()))
    doc.cache["people"] = (people, sign)
    return people, sign


def _signature_rule(doc: Document) -> str | None:
    """The rule that marks a signature block's capacity lines: the evidence of a signer."""
    return next(
        (r.id for r in doc.rules.field("people") if r.data.get("role") == "signature"), None
    )


def _names(doc: Document) -> list[Match]:
    """Name matches that are not place names: in "tỉnh Lâm Đồng" or "Bắc Ninh Đào Quang
    Hiếu" the name, if any, starts after the place."""
    gaz = places.doc_gazetteer(doc)
    out = []
    for match in doc.matches("people", kind="name"):
        pos = match.start
        while pos < match.end:
            m = match.rule.regex.match(doc.flow, pos)
            if m and not _starts_with_place(doc, gaz, m.start("name"), m.group("name")):
                out.append(Match(match.rule, m.start("name"), m.end("name"), m))
                break
            nxt = doc.view.find(" ", pos, match.end)
            if nxt < 0:
                break
            pos = nxt + 1
    return out


_UNIT_KINDS = ("province", "district")


def _starts_with_place(doc: Document, gaz, start: int, name: str) -> bool:
    """ "Lâm Đồng" (a place, not a name), "Đồng Nai Tạ Minh" (a place, then a name) and
    "[Bắc] Ninh Đào Quang Hiếu" are not names; "Vũ Quang Tiệp" is one."""
    words = name.split()
    before = doc.view[max(0, start - 30) : start].split()
    unit = before[-1].lower() if before else ""
    if unit in _LOCAL_UNITS and len(words) <= 2:  # "xã Lương Phong", "thôn Lê Lợi"
        return True
    if unit in ("huyện", "tỉnh", "quận", "phố", "xã") and gaz.longest_name(words, "district"):
        return True
    if before and any(gaz.longest_name([before[-1], words[0]], k) for k in _UNIT_KINDS):
        return True  # "[Ninh] Kiều Huỳnh Thanh Phong": the end of a place's name
    for kind in ("province", "district"):
        hit = gaz.longest_name(words, kind)
        if hit and hit[1] >= 2:
            rest = words[hit[1] :]
            if not rest or (len(rest) >= 2 and is_surname(doc, rest[0])):
                return True
    return False


def is_surname(doc: Document, word: str) -> bool:
    """Whether ``word`` is in the surname lexicon (``people.surname``)."""
    return word in doc.rules.derived("people.surnames", _surnames)


def _surnames(rules) -> frozenset[str]:
    return frozenset(
        w for r in rules.field("people") if r.data.get("kind") == "surname" for w in r.words
    )


def _title_after(doc: Document, match: Match, titles: list[Match]) -> str | None:
    """ "Võ Thanh Bình - TUV, Bí thư Huyện ủy": a title right after the name."""
    sep = _AFTER_NAME.match(doc.flow, match.end)
    if not sep or sep.end() == match.end:
        return None
    for t in titles:
        if t.start == sep.end():
            return _title_text(doc, t.start, t.end)
    return None


def _title_before(doc: Document, match: Match, titles: list[Match]) -> str | None:
    """ "Bí thư Tỉnh ủy Lê Trường Lưu", "Giám đốc Trung tâm Y tế huyện Tạ Văn Sơn": a title
    whose words run up to the name, with no punctuation between."""
    for t in reversed(titles):
        if t.start >= match.start or match.start - t.start > _BEFORE_LIMIT:
            continue
        gap = doc.flow[t.end : match.start]  # a hard wrap inside a title does not cut it
        words = gap.split()
        if re.search(r"[,;:.()\n–-]", gap) or len(words) > _GAP_WORDS:
            continue
        if words and not (words[-1][:1].isupper() or _UNIT_END.search(words[-1].lower())):
            continue
        return re.sub(r"\s+", " ", doc.text[t.start : match.start]).strip()
    return None


def _title_text(doc: Document, start: int, head_end: int, limit: int | None = None) -> str:
    """A title from its head to the end of its qualifying words."""
    view = doc.flow[:limit] if limit else doc.flow
    tail = _TITLE_TAIL.match(view, head_end)
    end = tail.end() if tail else head_end
    text = doc.text[start:end]
    return re.sub(r"\s+", " ", text).strip(" ,-–")


def _honorific_before(doc: Document, match: Match, honorifics: list[Match]) -> bool:
    gap = re.compile(r"[ \t]*:?[ \t]*$")
    return any(
        h.end <= match.start and gap.match(doc.view[h.end : match.start]) for h in honorifics
    )


def _signature(doc: Document, match: Match) -> tuple[str | None, str | None] | None:
    """A name alone in its column under a signature block: capacity ("TM. ỦY BAN NHÂN DÂN",
    "T/M BAN THƯỜNG VỤ"), role ("PHÓ CHỦ TỊCH", "GIÁM ĐỐC") or "(đã ký)" above it.
    Returns (title, capacity), or None if the name is not a signer."""
    line_start, line_end = doc.line_at(match.start)
    own = [
        seg
        for start, seg in doc.segments(line_start, line_end)
        if start <= match.start < start + len(seg)
    ]
    if not own or own[0].strip() != doc.view[match.start : match.end].strip():
        return None
    above = [ln for start, ln in doc.filled_lines if start < line_start][-_SIGNATURE_LOOKBACK:]
    capacity, role, signed = None, None, False
    for line in above:
        cap = _CAPACITY.search(line)
        if cap:
            capacity = capacity or re.split(r"\s{3,}", cap.group().strip())[0]
            rest = _CAPACITY_PREFIX.sub("", re.split(r"\s{3,}", cap.group().strip())[0])
            if _ROLE.search(rest):
                role = rest
        tail = _UPPER_TAIL.search(line)
        if tail and _ROLE.search(tail.group()) and not _CAPACITY_PREFIX.match(tail.group().strip()):
            role = tail.group().strip()
        signed = signed or "đã ký" in line.lower() or line.strip() in ("(ký)", "(Ký)", "Đã ký")
    if capacity is None and role is None and not signed:
        return None
    return (_display_title(role) if role else None), capacity


_UPPER = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
_UPPER_WORD = rf"[{_UPPER}]+"
_CAPACITY_PREFIX = re.compile(r"(?:T/M|K/T|T/L|(?:TM|KT|TL|TUQ)\.?|Q\.)\s*")
_CAPACITY = re.compile(rf"(?<![\w/])(?:T/M|K/T|T/L|(?:TM|KT|TL|TUQ)\.?|Q\.)\s*[{_UPPER}][^\n]*")
_UPPER_TAIL = re.compile(rf"(?:{_UPPER_WORD}[ \t]+)*{_UPPER_WORD}[ \t]*$")
_ROLE = re.compile(r"BÍ THƯ|CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG|CHÁNH VĂN PHÒNG|THỦ TƯỚNG|BỘ TRƯỞNG|CHỦ NHIỆM")


def _display_title(upper: str) -> str:
    """ "PHÓ CHỦ TỊCH" -> "Phó Chủ tịch"; "BÍ THƯ" -> "Bí thư"."""
    words = upper.split()
    shown = []
    for i, w in enumerate(words):
        low = w.lower()
        capital = i == 0 or (
            low in ("chủ", "bí", "giám", "trưởng") and words[i - 1].lower() == "phó"
        )
        shown.append(w if low in _ABBREVIATIONS else (low.capitalize() if capital else low))
    return " ".join(shown)


_ABBREVIATIONS = {"ubnd", "hđnd", "bcđ", "mttq", "covid-19"}


def _drop_overlong(people: list[dict]) -> list[dict]:
    """ "Lương Thị Hạnh Kết" where "Lương Thị Hạnh" is also found: keep the shorter."""
    names = {p["name"] for p in people}
    return [p for p in people if not any(p["name"].startswith(n + " ") for n in names)]
