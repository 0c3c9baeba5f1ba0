"""Catalogue mode of ``vncovid validate``: an archivist's CSV against the documents' texts.

The catalogue has one row per document with the columns ``file``, ``doc_number``,
``doc_type``, ``issuer``, ``issue_date`` and ``subject`` (other names with
``--map COLUMN=field``). Each row is matched to a document by its file (path, name or name
without extension), else by its number and symbol, and its values are compared with the
record extracted from the text:

- ``metadata_mismatch``: a value that disagrees, with a rapidfuzz similarity;
- ``missing_document``: a row with no document, a document with no row;
- ``duplicate_entry``: two rows with one number, symbol and year (or naming one file), and
  two documents whose normalized texts are near-duplicates (see :func:`duplicate_texts`).
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from .rules import RuleSet
from .text import canonical, fold, normalize, strip_accents
from .validate import Config, body_codes, code_key, config, finding, type_name

FIELDS = ("file", "doc_number", "doc_type", "issuer", "issue_date", "subject")
COMPARED = ("doc_number", "doc_type", "issuer", "issue_date", "subject")
SHINGLE = 5  # words per shingle for the near-duplicate sketch
SKETCH = 64  # smallest shingle hashes kept per text
MIN_SHARED = 6  # sketch entries two texts must share to be compared in full
MAX_POSTING = 500  # a shingle in more texts than this is boilerplate, not evidence


class CatalogueError(Exception):
    """A catalogue that cannot be used as given (a usage error): the reason, in one line."""


@dataclass(frozen=True)
class Row:
    """One catalogue row: its line in the file (the header is line 1) and its values by field."""

    line: int
    values: dict[str, str]

    def get(self, name: str) -> str:
        return (self.values.get(name) or "").strip()


@dataclass(frozen=True)
class Doc:
    """A validated document: where it is, its id, its record and its normalized text."""

    path: str
    doc_id: str
    record: dict[str, Any]
    text: str


# --- reading the catalogue -------------------------------------------------------------


def parse_map(items: Iterable[str]) -> dict[str, str]:
    """``["Số ký hiệu=doc_number", ...]`` as {column: field}; bad items raise CatalogueError."""
    mapping: dict[str, str] = {}
    for item in items:
        column, sep, name = item.rpartition("=")
        column, name = column.strip(), name.strip()
        if not sep or not column or not name:
            raise CatalogueError(f"--map takes COLUMN=FIELD, not '{item}'")
        if name not in FIELDS:
            known = ", ".join(FIELDS)
            raise CatalogueError(f"--map {item}: unknown field '{name}' (fields: {known})")
        if name in mapping.values():
            raise CatalogueError(f"--map: two columns are mapped to '{name}'")
        mapping[column] = name
    return mapping


def read_catalogue(path: Path, mapping: dict[str, str] | None = None) -> list[Row]:
    """The rows of a CSV catalogue (comma, semicolon or tab separated; UTF-8, UTF-16 or
    Windows-1258). Columns named like a field are that field unless ``mapping`` says
    otherwise; other columns are ignored."""
    from .readers import ReadError, decode

    mapping = mapping or {}
    try:
        text = normalize(decode(path.read_bytes())[0], layout=False)
    except (OSError, ReadError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"cannot read the catalogue {path}: {exc}") from exc
    if not text.strip():
        raise CatalogueError(f"the catalogue {path} is empty")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [h.strip() for h in next(reader)]
    missing = [c for c in mapping if c not in header]
    if missing:
        raise CatalogueError(
            f"--map names column(s) not in the catalogue: {', '.join(missing)} "
            f"(columns: {', '.join(header)})"
        )
    columns: dict[int, str] = {}
    for i, name in enumerate(header):
        target = mapping.get(name) or (name.lower() if name.lower() in FIELDS else None)
        if target and target not in columns.values():
            columns[i] = target
    if not {"file", "doc_number"} & set(columns.values()):
        raise CatalogueError(
            f"the catalogue {path} needs a 'file' or a 'doc_number' column "
            f"(columns: {', '.join(header)}; use --map COLUMN=field)"
        )
    rows = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        values = {name: cells[i].strip() for i, name in columns.items() if i < len(cells)}
        rows.append(Row(reader.line_num, values))
    return rows


# --- matching rows to documents --------------------------------------------------------


def _file_keys(path: str, stem_rule) -> list[str]:
    """Keys a file can be named by: its path, its name, its name without extension."""
    path = path.replace("\\", "/").strip()
    while path.startswith("./"):
        path = path[2:]
    name = path.rsplit("/", 1)[-1]
    m = stem_rule.regex.search(fold(name))
    keys = [path, name, m.group("stem") if m else name]
    return list(dict.fromkeys(k.casefold() for k in keys if k))


def _number_key(value: str | None, cfg: Config) -> str | None:
    """A number and symbol compared as one string: no "Số:", no spaces, no leading zeros."""
    if not value:
        return None
    value = cfg["metadata_mismatch"].rule.regex.sub("", fold(canonical(value)), count=1)
    value = re.sub(r"\s+", "", value).upper()
    return re.sub(r"^0+(?=[0-9])", "", value) or None


def match(
    rows: Sequence[Row], docs: Sequence[Doc], cfg: Config
) -> tuple[dict[int, int], list[int]]:
    """{row index: doc index} and the indices of rows that name a file another row took."""
    stem_rule = cfg["missing_document"].rule
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        keys = _file_keys(doc.doc_id, stem_rule) + _file_keys(doc.path, stem_rule)
        for key in dict.fromkeys(keys):
            by_key[key].append(i)
    matched: dict[int, int] = {}
    taken: dict[int, int] = {}  # doc index -> row index
    same_file: list[int] = []
    for r, row in enumerate(rows):
        if not row.get("file"):
            continue
        for key in _file_keys(row.get("file"), stem_rule):
            hits = by_key.get(key) or []
            free = [d for d in hits if d not in taken]
            if free:
                matched[r], taken[free[0]] = free[0], r
                break
            if hits:
                same_file.append(r)
                break
    numbers: dict[str, list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        key = _number_key(doc.record.get("doc_number"), cfg)
        if key and i not in taken:
            numbers[key].append(i)
    for r, row in enumerate(rows):
        if row.get("file") or r in matched:
            continue
        candidates = numbers.get(_number_key(row.get("doc_number"), cfg) or "", [])
        free = [d for d in candidates if d not in taken]
        if free:
            matched[r], taken[free[0]] = free[0], r
    return matched, same_file


# --- comparing values ------------------------------------------------------------------


def _norm(value: str, cfg: Config) -> str:
    """Folded, lower-case, abbreviations written out, punctuation dropped."""
    check = cfg["metadata_mismatch"]
    text = check.rule.regex.sub("", fold(canonical(value)), count=1)
    for short, full in (check.data.get("abbreviations") or {}).items():
        text = re.sub(
            rf"(?<!\w){re.escape(fold(str(short)))}(?!\w)\.?",
            fold(str(full)),
            text,
            flags=re.IGNORECASE,
        )
    return " ".join(re.findall(r"\w+", text.lower()))


def parse_date(value: str) -> tuple[int | None, int, int] | None:
    """(year, month, day) of a catalogue date: 2021-05-08, 08/05/2021, 8.5.2021,
    "ngày 08 tháng 5 năm 2021", or --05-08 for a date without a year."""
    value = fold(value.strip()).lower()
    patterns = (
        r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})",
        r"(?P<d>[0-9]{1,2})\s*[/.-]\s*(?P<m>[0-9]{1,2})\s*[/.-]\s*(?P<y>[0-9]{4})",
        r"(?:ngày\s+)?(?P<d>[0-9]{1,2})\s+tháng\s+(?P<m>[0-9]{1,2})(?:\s*(?:năm|,)\s*(?P<y>[0-9]{4}))?",
        r"--(?P<m>[0-9]{2})-(?P<d>[0-9]{2})",
    )
    for pattern in patterns:
        m = re.fullmatch(pattern, value)
        if m:
            year = int(m.group("y")) if m.groupdict().get("y") else None
            try:
                dt.date(year or 2020, int(m.group("m")), int(m.group("d")))
            except ValueError:
                return None
            return year, int(m.group("m")), int(m.group("d"))
    return None


def _type_names(value: str, cfg: Config) -> set[str]:
    """The type names a catalogue's type cell may mean: a name ("Chỉ thị") or a code ("CT")."""
    code = code_key(value)
    names = set(cfg.type_names["state"].get(code, set())) | cfg.type_names["party"].get(code, set())
    named = type_name(value, cfg)
    if named:
        names.add(named)
    return names


def _compare(name: str, wanted: str, found: Any, cfg: Config) -> tuple[str | None, float]:
    """How the catalogue's ``wanted`` compares with the text's ``found``: None (agree),
    "near", "part" (one is a shortened form of the other) or "far"; and the similarity."""
    thresholds = cfg["metadata_mismatch"].data.get("thresholds") or {}
    limit = float(thresholds.get(name, 100))
    if name == "doc_number":
        a, b = _number_key(wanted, cfg) or "", _number_key(str(found), cfg) or ""
        score = fuzz.ratio(a, b)
        return (None if a == b else "near" if score >= limit else "far"), score
    if name == "issue_date":
        want, have = parse_date(wanted), parse_date(str(found))
        score = fuzz.ratio(wanted, str(found))
        same_year = want and have and (None in (want[0], have[0]) or want[0] == have[0])
        if same_year and want[1:] == have[1:]:
            return None, 100.0
        return "far", score
    if name == "doc_type":
        names = _type_names(wanted, cfg)
        score = fuzz.ratio(_norm(wanted, cfg), _norm(str(found), cfg))
        return (None if str(found) in names else "far"), score
    a, b = _norm(wanted, cfg), _norm(str(found), cfg)
    if a == b:
        return None, 100.0
    if name == "issuer":
        return _compare_bodies(wanted, str(found), a, b, limit, cfg)
    score = fuzz.token_sort_ratio(a, b)
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 30 and shorter in longer:  # one shortens the other
        return "part", score
    return ("near" if score >= limit else "far"), score


def _compare_bodies(
    wanted: str, found: str, a: str, b: str, limit: float, cfg: Config
) -> tuple[str | None, float]:
    """Two names of an issuing body: another kind of body (its issuer codes differ), or words
    that differ beyond spelling (another place), is "far"; the rest is "near"."""
    score = fuzz.token_sort_ratio(a, b)
    codes_a, codes_b = set(body_codes(wanted, cfg)), set(body_codes(found, cfg))
    if codes_a and codes_b and not codes_a & codes_b:
        return "far", score
    words_a, words_b = Counter(a.split()), Counter(b.split())
    only_a, only_b = words_a - words_b, words_b - words_a
    if not (only_a and only_b):
        return "part", score  # "Tỉnh ủy Hà Nam" and "Ban Thường vụ Tỉnh ủy Hà Nam"
    rest_a = strip_accents(" ".join(sorted(only_a.elements())))
    rest_b = strip_accents(" ".join(sorted(only_b.elements())))
    return ("near" if fuzz.ratio(rest_a, rest_b) >= limit else "far"), score


def _found_value(record: dict[str, Any], name: str) -> Any:
    if name == "issuer":
        return (record.get("issuer") or {}).get("name")
    return record.get(name)


def compare(
    rows: Sequence[Row], docs: Sequence[Doc], rules: RuleSet, catalogue: str
) -> list[dict[str, Any]]:
    """Every catalogue finding: mismatches, missing documents and duplicate rows."""
    cfg = config(rules)
    mismatch, missing = cfg["metadata_mismatch"], cfg["missing_document"]
    labels = mismatch.data.get("labels") or {}
    matched, same_file = match(rows, docs, cfg)
    duplicates = duplicate_rows(rows, cfg, catalogue, same_file)
    repeated = {f["row"] for f in duplicates}
    out: list[dict[str, Any]] = []
    for r, row in enumerate(rows):
        if r not in matched:
            if r in same_file or (not row.get("file") and row.line in repeated):
                continue  # a duplicate entry, reported as such
            found = row.get("file") or row.get("doc_number")
            out.append(
                finding(
                    missing,
                    missing.severity(),
                    missing.say(found=found, row=row.line),
                    path=f"{catalogue}:{row.line}",
                    field="file",
                    found=found,
                    expected=None,
                    row=row.line,
                )
            )
            continue
        doc = docs[matched[r]]
        spans = doc.record.get("spans") or {}
        for name in COMPARED:
            wanted = row.get(name)
            if not wanted:
                continue
            found = _found_value(doc.record, name)
            span = spans.get(name) or {}
            label = labels.get(name, name)
            if found in (None, ""):
                out.append(
                    finding(
                        mismatch,
                        mismatch.severity("missing_severity"),
                        mismatch.say("missing", expected=wanted, label=label),
                        path=doc.path,
                        field=name,
                        found=None,
                        expected=wanted,
                        row=row.line,
                        similarity=0.0,
                    )
                )
                continue
            verdict, score = _compare(name, wanted, found, cfg)
            if verdict is None:
                continue
            severity = mismatch.severity("severity" if verdict == "far" else "near_severity")
            variant = (
                verdict if verdict != "far" else None if name in ("issuer", "subject") else "exact"
            )
            out.append(
                finding(
                    mismatch,
                    severity,
                    mismatch.say(
                        variant,
                        found=found,
                        expected=wanted,
                        label=label,
                        similarity=f"{score:.0f}",
                    ),
                    path=doc.path,
                    field=name,
                    found=found,
                    expected=wanted,
                    start=span.get("start"),
                    end=span.get("end"),
                    text=doc.text,
                    row=row.line,
                    similarity=round(score, 1),
                )
            )
    named = set(matched.values())
    for i, doc in enumerate(docs):
        if i not in named:
            out.append(
                finding(
                    missing,
                    missing.severity(),
                    missing.say("file", found=doc.path),
                    path=doc.path,
                    field="file",
                    found=doc.path,
                    expected=None,
                )
            )
    return out + duplicates


def duplicate_rows(
    rows: Sequence[Row], cfg: Config, catalogue: str, same_file: Sequence[int] = ()
) -> list[dict[str, Any]]:
    """Rows with one number, symbol and year (the year from the symbol, else the issue_date
    column; two rows without a year count as one year), and rows naming a file another row
    names (``same_file``, from :func:`match`)."""
    check = cfg["duplicate_entry"]
    first: dict[tuple, Row] = {}
    out = []
    for row in rows:
        m = check.rule.regex.search(fold(row.get("doc_number")))
        if not m:
            continue
        date = parse_date(row.get("issue_date")) if row.get("issue_date") else None
        year = m.group("year") or (str(date[0]) if date and date[0] else None)
        key = (int(m.group("number")), re.sub(r"\s+", "", m.group("symbol")).upper(), year)
        if key not in first:
            first[key] = row
            continue
        found = row.get("doc_number")
        if year and year not in found:
            found += f" ({year})"
        out.append(
            finding(
                check,
                check.severity(),
                check.say(found=found, row=row.line, other=first[key].line),
                path=f"{catalogue}:{row.line}",
                field="doc_number",
                found=found,
                expected=None,
                row=row.line,
                other=first[key].line,
            )
        )
    for r in same_file:
        row = rows[r]
        other = next(
            (
                o
                for o in rows
                if o is not row and o.get("file").casefold() == row.get("file").casefold()
            ),
            None,
        )
        out.append(
            finding(
                check,
                check.severity(),
                check.say(
                    "same_file",
                    found=row.get("file"),
                    row=row.line,
                    other=other.line if other else "?",
                ),
                path=f"{catalogue}:{row.line}",
                field="file",
                found=row.get("file"),
                expected=None,
                row=row.line,
                other=other.line if other else None,
            )
        )
    return out


# --- near-duplicate texts --------------------------------------------------------------


def _dup_norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text).lower()))


def _sketch(words: list[str]) -> set[int]:
    """The SKETCH smallest hashes of the text's word shingles (a bottom-k sketch)."""
    n = max(1, len(words) - SHINGLE + 1)
    shingles = {hash(" ".join(words[i : i + SHINGLE])) for i in range(n)}
    return set(heapq.nsmallest(SKETCH, shingles))


def near_duplicates(texts: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    """Pairs (i, j, similarity) of texts whose normalized forms have a rapidfuzz ratio of at
    least ``threshold``. Only pairs whose shingle sketches overlap are compared in full, so a
    folder of thousands of texts costs about one comparison per likely pair."""
    norms = [_dup_norm(t) for t in texts]
    sketches = [_sketch(n.split()) for n in norms]
    postings: dict[int, list[int]] = defaultdict(list)
    for i, sketch in enumerate(sketches):
        for h in sketch:
            postings[h].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in postings.values():
        if 1 < len(ids) <= MAX_POSTING:
            shared.update(combinations(ids, 2))
    pairs = []
    ratio = threshold / 100
    for (i, j), n in sorted(shared.items()):
        need = min(MIN_SHARED, len(sketches[i]), len(sketches[j]))
        a, b = norms[i], norms[j]
        if n < need or not a or not b:
            continue
        if min(len(a), len(b)) / max(len(a), len(b)) < ratio / (2 - ratio):  # ratio's bound
            continue
        score = fuzz.ratio(a, b, score_cutoff=threshold)
        if score:
            pairs.append((i, j, score))
    return pairs


def duplicate_texts(docs: Sequence[Doc], rules: RuleSet) -> list[dict[str, Any]]:
    """``duplicate_entry`` findings for documents whose texts are near-duplicates."""
    check = config(rules)["duplicate_entry"]
    threshold = float(check.data.get("threshold", 90))
    out = []
    for i, j, score in near_duplicates([d.text for d in docs], threshold):
        first, second = docs[i], docs[j]
        out.append(
            finding(
                check,
                check.severity("text_severity"),
                check.say("text", found=second.path, other=first.path, similarity=f"{score:.0f}"),
                path=second.path,
                field="text",
                found=second.path,
                expected=None,
                other=first.path,
                similarity=round(score, 1),
            )
        )
    return out
