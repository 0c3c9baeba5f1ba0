"""How well does ``extract`` read real documents? Measured against a public archive's catalogue.

    python bench/real_archive.py PATH [--misses FILE] [--dump DIR] [--layout NAME]

PATH is a clone of the public GitHub repository ``tnt305/tai_lieu_noi_bo``. Its folder
``src/etl/dataset/`` holds pages crawled from thuvienphapluat.vn; those with a "**Số hiệu:**"
catalogue block are real administrative documents with the archive's own catalogue: number
and symbol, type, issuing body and issue date. Each page is cut to the document's own text
(without the catalogue block before it, the catalogue title and the site's chrome after it;
line breaks as crawled), read by :func:`vncovid_cli.extraction.extract`, and each field is
compared with the catalogue, beside a baseline of one regular expression per field.

Only the development pages are read: those whose file name without ``.md`` has an MD5 hex
digest ending in 0 to 7. The others are held out for measurement and are never opened here
(the digest is computed from the file name before the file is read).

Some crawled pages lost the document's header (the page holds only its body, or nothing
but "đang cập nhật"): their catalogue number is nowhere in the text, and no reader can
take the number, type, issuer or date from them. The figures are given for all pages and
for the pages whose text holds the catalogue's number ("with header").

``--layout`` lays each cut text out as another export would (see
``tests/layouts.py``: ``hard_wrap``, ``columns_bars``, ...) before it is read.
``--misses`` writes each disagreement (page, field, catalogue, extract); ``--dump`` writes
the cut texts, for reading. Neither repository states a licence that lets us copy it: the
files these options write are for a developer's eyes and are never committed.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vncovid_cli.extraction import extract  # noqa: E402
from vncovid_cli.rules import load_rules  # noqa: E402

FIELDS = ("doc_number", "doc_type", "issuer", "issue_date")
LABELS = {
    "doc_number": "Số hiệu",
    "doc_type": "Loại văn bản",
    "issuer": "Nơi ban hành",
    "issue_date": "Ngày ban hành",
}
_CELL = r"\*\*\s*{label}:\*\*\s*\|?\s*\n\s*(?P<value>[^|\n][^\n]*)"
_BLOCK_END = re.compile(r"\*\*\s*Tình trạng:\*\*\s*\|?\s*\n[^\n]*\n")
_TAIL = re.compile(r"^(?:Văn bản này chưa cập nhật nội dung Tiếng Anh|## Văn bản liên quan)", re.M)
_SUMMARY = re.compile(
    r"(?:[ \t]*\|?[ \t]*\n)*## [^\n]*\n"
    r"(?:(?![ \t]*\|[ \t]*\n)(?!Xem[^\n]{0,20}chi tiết)[^\n]*\n)*"
    r"(?:Xem[^\n]{0,20}chi tiết[^\n]*\n)?"
)
_PLACE = re.compile(r"^(?:tỉnh|thành phố)\s+", re.I)


def is_development(page: Path) -> bool:
    """A development page: its stem's MD5 hex digest ends in 0 to 7."""
    return hashlib.md5(page.stem.encode("utf-8")).hexdigest()[-1] in "01234567"


def catalogue(page_text: str) -> dict[str, str] | None:
    """The archive's catalogue of a page, or None when it has no "Số hiệu" block."""
    found = {}
    for field, label in LABELS.items():
        m = re.search(_CELL.format(label=re.escape(label)), page_text)
        if not m:
            return None
        found[field] = m.group("value").strip()
    return found


def cut(page_text: str, entry: dict[str, str]) -> str:
    """The document's own text: after the catalogue block and the archive's summary (a
    "## " heading and its prose, up to the first table-cell bar or its "Xem ... chi tiết"
    line), before the catalogue title."""
    block = _BLOCK_END.search(page_text)
    start = block.end() if block else 0
    summary = _SUMMARY.match(page_text, start)
    if summary:
        start = summary.end()
    title = re.compile(
        r"^" + re.escape(entry["doc_type"]) + r"\s+" + re.escape(entry["doc_number"]), re.M | re.I
    )
    ends = [
        m.start() for m in (title.search(page_text, start), _TAIL.search(page_text, start)) if m
    ]
    return page_text[start : min(ends) if ends else len(page_text)]


def _key(value: Any) -> str:
    text = unicodedata.normalize("NFC", str(value or "")).casefold()
    text = text.replace("oà", "òa").replace("oá", "óa").replace("uỷ", "ủy").replace("uý", "úy")
    return re.sub(r"\s+", " ", text).strip()


def agrees(field: str, expected: str, found: dict[str, Any]) -> bool:
    """Whether the value ``found`` for ``field`` says what the catalogue says."""
    value = found.get(field)
    if field == "doc_number":
        return re.sub(r"\s", "", _key(value)) == re.sub(r"\s", "", _key(expected))
    if field == "doc_type":
        if _key(expected) == "văn bản khác":
            return _key(value) not in {_key(t) for t in TYPE_NAMES}
        return _key(value) == _key(expected)
    if field == "issue_date":
        day, month, year = expected.split("/")
        return value == f"{year}-{month}-{day}"
    name, province = _key((value or {}).get("name")), _key((value or {}).get("province"))
    wanted = _key(expected)
    if _PLACE.match(wanted):
        return name.endswith(wanted) or province == _PLACE.sub("", wanted)
    return name == wanted


TYPE_NAMES = (
    "Quyết định", "Công văn", "Nghị quyết", "Thông báo", "Công điện", "Thông tư", "Kế hoạch",
    "Chỉ thị", "Nghị định", "Kết luận", "Hướng dẫn", "Báo cáo", "Văn bản hợp nhất", "Luật",
    "Lệnh", "Quy định", "Tờ trình", "Chương trình", "Đề án", "Quy chế", "Thông tư liên tịch",
)  # fmt: skip
_B_NUMBER = re.compile(r"Số\s*:?\s*([0-9]+[/-][0-9A-Za-zĐđ/.-]*[A-Za-zĐđ0-9])")
_B_TYPE = re.compile(
    r"^\W*(" + "|".join(sorted((t.upper() for t in TYPE_NAMES), key=len, reverse=True)) + r")\b",
    re.M,
)
_B_DATE = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})")
_B_LOCAL = re.compile(
    r"(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND)\s+((?:TỈNH|THÀNH PHỐ)\s+"
    r"[A-ZÀ-ỸĐ][A-ZÀ-ỸĐ ]*[A-ZÀ-ỸĐ])"
)
# the last line in capitals before the national motto: the (lower) issuing body
_B_BODY = re.compile(
    r"(?:^\W*([A-ZÀ-ỸĐ][A-ZÀ-ỸĐ ,\n]{2,}?[A-ZÀ-ỸĐ])\W*\n)(?:[^A-Za-zÀ-ỹĐđ]*\n)*?"
    r"[*\s]*(?:CỘNG\s+HÒA|ĐẢNG\s+CỘNG\s+SẢN)",
    re.M,
)


def baseline(text: str) -> dict[str, Any]:
    """One regular expression per field, as a careful reader of these pages would write."""
    number = _B_NUMBER.search(text)
    kind = _B_TYPE.search(text)
    date = _B_DATE.search(text)
    local = _B_LOCAL.search(text)
    body = _B_BODY.search(text)
    name = (local or body).group(1) if (local or body) else None
    name = " ".join(name.split()).lower().capitalize() if name else None
    return {
        "doc_number": number.group(1) if number else None,
        "doc_type": kind.group(1).lower().capitalize() if kind else "Công văn",
        "issuer": {"name": name, "province": None},
        "issue_date": f"{date[3]}-{int(date[2]):02d}-{int(date[1]):02d}" if date else None,
    }


def pages(path: Path) -> list[tuple[Path, dict[str, str], str]]:
    """The development pages with a catalogue: (page, catalogue, cut text)."""
    folder = path / "src" / "etl" / "dataset"
    if not folder.is_dir():
        sys.exit(f"{path}: no src/etl/dataset folder (is it a clone of tnt305/tai_lieu_noi_bo?)")
    out = []
    for page in sorted(folder.glob("*.md")):
        if not is_development(page):
            continue
        page_text = page.read_text(encoding="utf-8", errors="replace")
        entry = catalogue(page_text)
        if entry:
            out.append((page, entry, cut(page_text, entry)))
    return out


def has_header(entry: dict[str, str], text: str) -> bool:
    """Whether the cut text holds the catalogue's number at all (the crawl kept the header)."""
    return re.sub(r"\s", "", entry["doc_number"]) in re.sub(r"\s", "", text)


def score(rows, read: Callable[[str], dict[str, Any]]) -> tuple[dict[str, int], list, int]:
    """Agreements per field, the misses, and pages that raised."""
    right = dict.fromkeys(FIELDS, 0)
    misses, lost = [], 0
    for page, entry, text in rows:
        try:
            found = read(text)
        except Exception as exc:  # a lost page is a finding, not a crash of the bench
            lost += 1
            misses.append((page.name, "error", "", repr(exc)))
            continue
        for field in FIELDS:
            if agrees(field, entry[field], found):
                right[field] += 1
            else:
                misses.append((page.name, field, entry[field], found.get(field)))
    return right, misses, lost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--misses", type=Path)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--layout", help="a layout transform of tests/layouts.py")
    args = parser.parse_args()
    rows = pages(args.path)
    if args.layout:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from layouts import LAYOUTS

        rows = [(p, e, LAYOUTS[args.layout](t)) for p, e, t in rows]
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for page, _, text in rows:
            (args.dump / f"{page.stem}.txt").write_text(text, encoding="utf-8")
    rules = load_rules()
    started = time.perf_counter()
    right, misses, lost = score(rows, lambda t: extract(t, rules, with_keywords=False))
    seconds = time.perf_counter() - started
    base, _, _ = score(rows, baseline)
    headed = [r for r in rows if has_header(r[1], r[2])]
    h_right, _, _ = score(headed, lambda t: extract(t, rules, with_keywords=False))
    h_base, _, _ = score(headed, baseline)
    n, h = len(rows), len(headed)
    print(f"{n} development pages of {args.path.name} ({h} with header), {seconds:.1f} s,")
    print(f"{lost} lost; layout: {args.layout or 'as crawled'}")
    head = f"{'field':<12}{'extract':>9}{'baseline':>10}"
    print(f"{head}{'extract, with header':>22}{'baseline':>10}")
    for f in FIELDS:
        line = f"{f:<12}{right[f] / n:>9.3f}{base[f] / n:>10.3f}"
        print(f"{line}{h_right[f] / h:>22.3f}{h_base[f] / h:>10.3f}")
    if args.misses:
        lines = [f"{p}\t{f}\t{want}\t{got}" for p, f, want, got in misses]
        args.misses.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(misses)} misses in {args.misses}")


if __name__ == "__main__":
    main()
