"""Places: the gazetteer of provinces and districts, and unit names found in a text."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .document import Document
from .text import canonical

UNIT_NAMES = {
    "huyện": "huyện",
    "quận": "quận",
    "thị xã": "thị xã",
    "thành phố": "thành phố",
    "tp": "thành phố",
    "tp.": "thành phố",
    "huyện ủy": "huyện",
    "quận ủy": "quận",
    "thị ủy": "thị xã",
    "thành ủy": "thành phố",
}
CENTRAL_CITIES = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ"}


@dataclass(frozen=True)
class Place:
    """A named unit: ``district`` is None for a province."""

    province: str
    district: str | None = None
    district_type: str | None = None


@dataclass(frozen=True)
class PlaceMention:
    place: Place
    start: int
    end: int
    rule: str


class Gazetteer:
    """Provinces and districts by every name and alias, keyed case-insensitively."""

    def __init__(self, path: Path) -> None:
        self.provinces: dict[str, Place] = {}
        self.districts: dict[str, list[Place]] = {}
        with path.open(encoding="utf-8") as f:
            rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
            for row in rows:
                self._add(row)
        self.max_words = max(len(k.split()) for k in [*self.provinces, *self.districts])

    def _add(self, row: dict[str, str]) -> None:
        names = [
            row["district"] or row["province"],
            *filter(None, (row.get("aliases") or "").split("|")),
        ]
        if not row["district"]:
            for name in names:
                self.provinces[_key(name)] = Place(row["province"])
            return
        place = Place(row["province"], row["district"], row["district_type"])
        for name in names:
            self.districts.setdefault(_key(name), []).append(place)

    def province(self, name: str) -> Place | None:
        return self.provinces.get(_key(name))

    def district(
        self, name: str, provinces: Counter[str] | None = None, unit: str | None = None
    ) -> Place | None:
        """The district of that name (of that unit type, if given); among several, the one
        in the most-mentioned province."""
        candidates = self.districts.get(_key(name), [])
        if unit and len(candidates) > 1:
            candidates = [p for p in candidates if p.district_type == unit] or candidates
        if len(candidates) > 1 and provinces:
            candidates = sorted(candidates, key=lambda p: -provinces.get(p.province, 0))
            if provinces.get(candidates[0].province, 0) == provinces.get(candidates[1].province, 0):
                return None
        return candidates[0] if len(candidates) == 1 or (candidates and provinces) else None

    def longest_name(self, words: list[str], kind: str) -> tuple[str, int] | None:
        """The longest run of capitalized ``words`` that names a unit of ``kind``."""
        table = self.provinces if kind == "province" else self.districts
        for n in range(min(len(words), self.max_words), 0, -1):
            head = words[:n]
            if not all(w[:1].isupper() or w[:1].isdigit() for w in head):
                continue
            name = " ".join(head)
            if _key(name) in table:
                return name, n
        return None


def _key(name: str) -> str:
    return canonical(name).lower()


@cache
def gazetteer(path: Path) -> Gazetteer:
    return Gazetteer(path)


def doc_gazetteer(doc: Document) -> Gazetteer:
    return gazetteer(doc.rules.table("gazetteer.tsv"))


def mentions(doc: Document) -> list[PlaceMention]:
    """Every unit named with its unit word, resolved against the gazetteer."""
    if "places" in doc.cache:
        return doc.cache["places"]
    gaz = doc_gazetteer(doc)
    found: list[PlaceMention] = []
    pending: list[tuple[str, int, int, str]] = []
    for match in doc.matches("places", resolved=False):
        if match.data["level"] == "commune":
            continue  # no gazetteer of communes: see communes()
        start, _ = match.span_of("name")
        words = match.group("name").split()
        level = match.data["level"]
        if level == "any":  # a headline that opens with a place: a province, else a district
            level = "province" if gaz.longest_name(words, "province") else "district"
        hit = gaz.longest_name(words, level)
        if hit is None:
            continue
        name, n = hit
        end = start + len(" ".join(doc.view[start:].split(maxsplit=n)[:n]))
        if level == "province":
            found.append(PlaceMention(gaz.province(name), match.start, end, match.rule.id))
        else:
            unit = UNIT_NAMES.get(canonical(match.group("unit") or "").lower())
            pending.append((name, unit, match.start, end, match.rule.id))
    provinces = Counter(m.place.province for m in found)
    for name, unit, start, end, rule in pending:
        place = gaz.district(name, provinces, unit)
        if place is not None:
            found.append(PlaceMention(place, start, end, rule))
    found.sort(key=lambda m: m.start)
    doc.cache["places"] = found
    return found


def province_counts(doc: Document) -> Counter[str]:
    """How often each province is named, directly or through one of its districts."""
    return Counter(m.place.province for m in mentions(doc))


def communes(doc: Document, with_rule: bool = False) -> list[tuple]:
    """Communes, wards and townships named with their unit word: (name, start, end), and
    the rule that read each with ``with_rule``."""
    return [
        (m.group("name"), m.start, m.end, *((m.rule.id,) if with_rule else ()))
        for m in doc.matches("places", resolved=False)
        if m.data["level"] == "commune"
    ]
