"""Dates: every calendar date the document's own content mentions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..document import Document
from ..numbers import parse_words


@dataclass(frozen=True)
class DateMention:
    """A date as written; ``year`` is None when the text gives none."""

    day: int
    month: int
    year: int | None
    start: int
    end: int
    rule: str
    weekday: str | None = None

    def iso(self, year: int | None = None) -> str:
        """ISO date, the given year standing in for a missing one, else ``--MM-DD``."""
        y = self.year or year
        return (
            f"{y:04d}-{self.month:02d}-{self.day:02d}"
            if y
            else f"--{self.month:02d}-{self.day:02d}"
        )

    def date(self, year: int | None = None) -> dt.date | None:
        y = self.year or year
        try:
            return dt.date(y, self.month, self.day) if y else None
        except ValueError:  # 29/2 without a year, in a year that is not a leap year
            return None


def mentions(doc: Document) -> list[DateMention]:
    """Valid date mentions in text order; impossible dates become warnings."""
    if "dates" in doc.cache:
        return doc.cache["dates"]
    found = []
    for match in doc.matches("dates"):
        day, month = _number(match.group("day"), doc), _number(match.group("month"), doc)
        year = int(match.group("year")) if match.group("year") else None
        if day is None or month is None or not _exists(day, month, year):
            doc.warn(
                "invalid_date",
                f"'{doc.text[match.start : match.end]}' is not a calendar date",
                match.start,
                match.end,
            )
            continue
        weekday = match.group("weekday")
        weekday = (
            doc.text[match.span_of("weekday")[0] : match.span_of("weekday")[1]] if weekday else None
        )
        found.append(DateMention(day, month, year, match.start, match.end, match.rule.id, weekday))
    found = _drop_site_dates(doc, found)
    doc.cache["dates"] = found
    return found


def _number(text: str, doc: Document) -> int | None:
    """A day or month in digits or in words ("mười bốn", "Tám")."""
    text = text.strip()
    return int(text) if text.isdigit() else parse_words(text, doc.rules)


SITE_DATE_GAP = 400  # days: a page crawled long after it was written shows "today"
SITE_DATE_LINE = 90  # characters: such a date stands on a short line of its own


def _drop_site_dates(doc: Document, found: list[DateMention]) -> list[DateMention]:
    """Leave out a site's "today" line ("Thứ Ba, ngày 21 tháng 11 năm 2023" above a 2021
    article): a short line whose full date is far later than every other date of the text."""
    full = [m for m in found if m.year]
    if len(full) < 2:
        return found
    out = []
    for m in found:
        others = [o.date() for o in full if o is not m]
        line_start, line_end = doc.line_at(m.start)
        if (
            m.year
            and others
            and (m.date() - max(others)).days > SITE_DATE_GAP
            and len(doc.text[line_start:line_end].strip()) <= SITE_DATE_LINE
        ):
            doc.warn(
                "site_date",
                f"'{doc.text[m.start : m.end]}' looks like the site's date of today",
                m.start,
                m.end,
                m.rule,
            )
            continue
        out.append(m)
    return out


def _exists(day: int, month: int, year: int | None) -> bool:
    try:
        dt.date(year or 2020, month, day)  # 2020 is a leap year: 29/2 without a year is fine
    except ValueError:
        return False
    return True


def infer_year(mention: DateMention, anchor: dt.date | None) -> int | None:
    """The year of a yearless date: the anchor's, or the one before for a December date
    cited in a January document."""
    if mention.year or anchor is None:
        return mention.year
    if mention.month - anchor.month > 6:
        return anchor.year - 1
    return anchor.year


def items(doc: Document, anchor: dt.date | None) -> list[dict]:
    """The ``dates`` list of the record: one item per mention. A day and month that do not
    exist in the year they take (29/2 in 2021) are a warning, not a date."""
    out = []
    for mention in mentions(doc):
        year = infer_year(mention, anchor)
        if year and mention.date(year) is None:
            doc.warn(
                "invalid_date",
                f"'{doc.text[mention.start : mention.end]}' is not a date in {year}",
                mention.start,
                mention.end,
                mention.rule,
            )
            continue
        out.append(
            {
                "value": mention.iso(year),
                "weekday": mention.weekday,
                **doc.span(mention.start, mention.end, mention.rule),
            }
        )
    return out
