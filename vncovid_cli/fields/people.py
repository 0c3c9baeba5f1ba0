"""People: named officials with the title the text gives them, and the signer."""

from __future__ import annotations

import re

from ..document import Document
from ..engine import Match

# words that may continue a title after its head ("Bí thư" + "Huyện ủy")
_TITLE_TAIL = re.compile(
    r"(?:[ \t]+(?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][\w-]*|ủy|uỷ|ban|nhân|dân|tỉnh|huyện|"
    r"xã|quận|phường|thị|xã|trấn|thành|phố|phòng,?|chống|dịch|bệnh|y|tế|thường|trực|vụ|"
    r"chỉ|đạo|quốc|gia|văn|phòng|công|an|quân|sự|cấp|covid-19|Covid-19|COVID-19)(?![\w-]))*"
)
_AFTER_NAME = re.compile(r"[ \t]*(?:[-–,(]|\()[ \t]*(?:(?:TUV|UVBTV|HUV|UV|ThUV|Tỉnh ủy viên|Huyện ủy viên)[ \t]*,[ \t]*)?")
_BEFORE_LIMIT = 90
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
    for match in doc.matches("people", kind="name"):
        name = " ".join(match.group("name").split())
        title = _title_after(doc, match, titles) or _title_before(doc, match, titles)
        signature = None if title else _signature(doc, match)
        if signature:
            sign = {"name": name, "title": signature[0], "capacity": signature[1],
                    **doc.span(match.start, match.end, match.rule.id)}
            title = signature[0]
        if title is None and not _honorific_before(doc, match, honorifics):
            continue
        if name not in found:
            found[name] = {"name": name, "title": title, **doc.span(match.start, match.end, match.rule.id)}
        elif found[name]["title"] is None:
            found[name]["title"] = title
    people = _drop_overlong(list(found.values()))
    doc.cache["people"] = (people, sign)
    return people, sign


def _title_after(doc: Document, match: Match, titles: list[Match]) -> str | None:
    """"Võ Thanh Bình - TUV, Bí thư Huyện ủy": a title right after the name."""
    sep = _AFTER_NAME.match(doc.view, match.end)
    if not sep or sep.end() == match.end:
        return None
    for t in titles:
        if t.start == sep.end():
            return _title_text(doc, t.start, t.end)
    return None


def _title_before(doc: Document, match: Match, titles: list[Match]) -> str | None:
    """"Bí thư Tỉnh ủy Lê Trường Lưu": a title whose words run up to the name."""
    for t in reversed(titles):
        if t.start >= match.start or match.start - t.start > _BEFORE_LIMIT:
            continue
        title = _title_text(doc, t.start, t.end, limit=match.start)
        if t.start + len(title) >= match.start - 1 and "\n" not in doc.view[t.start:match.start]:
            return title.strip()
    return None


def _title_text(doc: Document, start: int, head_end: int, limit: int | None = None) -> str:
    """A title from its head to the end of its qualifying words."""
    view = doc.view[:limit] if limit else doc.view
    tail = _TITLE_TAIL.match(view, head_end)
    end = tail.end() if tail else head_end
    text = doc.text[start:end]
    return re.sub(r"\s+", " ", text).strip(" ,-–")


def _honorific_before(doc: Document, match: Match, honorifics: list[Match]) -> bool:
    gap = re.compile(r"[ \t]*:?[ \t]*$")
    return any(h.end <= match.start and gap.match(doc.view[h.end:match.start]) for h in honorifics)


def _signature(doc: Document, match: Match) -> tuple[str, str | None] | None:
    """A name alone on its line under capacity lines ("TM. ...", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")."""
    line_start, line_end = doc.line_at(match.start)
    if doc.view[line_start:line_end].strip() != doc.view[match.start:match.end].strip():
        return None
    above = [line for _, line in doc.lines if _ < line_start][-_SIGNATURE_LOOKBACK:]
    capacity = next((ln.strip() for ln in above if re.match(r"\s*(?:TM|KT|TL|TUQ|Q|T/M|K/T)\s*[./]", ln)), None)
    upper = [ln.strip() for ln in above if ln.strip() and ln.strip().isupper() and "(" not in ln]
    if capacity is None and not any("đã ký" in ln.lower() or "ký" == ln.strip("() ").lower() for ln in above):
        return None
    role = upper[-1] if upper else None
    if role and re.match(r"(?:TM|KT|TL|TUQ|Q|T/M|K/T)\s*[./]", role):
        role = re.sub(r"^(?:TM|KT|TL|TUQ|Q|T/M|K/T)\s*[./]\s*", "", role)
    return (_display_title(role) if role else None), capacity


def _display_title(upper: str) -> str:
    """"PHÓ CHỦ TỊCH" -> "Phó Chủ tịch"; "BÍ THƯ" -> "Bí thư"."""
    words = upper.lower().split()
    shown = []
    for i, w in enumerate(words):
        capital = i == 0 or (w in ("chủ", "bí", "giám", "trưởng") and words[i - 1] == "phó")
        shown.append(w.capitalize() if capital else w)
    return " ".join(shown)


def _drop_overlong(people: list[dict]) -> list[dict]:
    """"Lương Thị Hạnh Kết" where "Lương Thị Hạnh" is also found: keep the shorter."""
    names = {p["name"] for p in people}
    return [p for p in people if not any(p["name"].startswith(n + " ") for n in names)]
