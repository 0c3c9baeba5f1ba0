"""Write N realistic directives, deterministically, for the benchmark.

    python bench/make_corpus.py N DIR [--seed S]

Each document is composed from the project's own ``corpus/`` (read with
``vncovid_cli.readers``): one document as the frame, with its numbers, case counts,
document numbers, dates and place names (from ``rules/gazetteer.tsv``) varied; some
made longer with paragraphs of other documents, some shorter. Formats and encodings
vary as in real archives: .txt in UTF-8, UTF-8 with a BOM, UTF-16 and Windows-1258
(tone marks as combining characters), CRLF line ends, .html news pages with their
menus and footers, and .docx. Document ``i`` depends only on the seed and ``i``, so
the first 10,000 documents of a 100,000-document corpus are the 10,000-document corpus.

Files go to ``DIR/<i // 1000>/<i>_<frame>.<ext>``; ``DIR/.manifest.json`` records how
the corpus was made, so ``bench/run.py`` can reuse it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import json
import math
import random
import re
import shutil
import sys
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vncovid_cli.readers import FORMATS, ReadError, read_bytes, read_path  # noqa: E402

CORPUS = ROOT / "corpus"
GAZETTEER = ROOT / "rules" / "gazetteer.tsv"
PER_FOLDER = 1000

# (format, encoding, weight): most archives are UTF-8 text; the rest as in corpus/
KINDS = [
    ("txt", "utf-8", 56),
    ("txt", "utf-8-sig", 8),
    ("txt", "utf-16", 8),
    ("txt", "windows-1258", 8),
    ("html", "utf-8", 12),
    ("docx", None, 8),
]
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below

_VARIABLE = re.compile(
    r"(?P<long>(?i:ngày)\s+(?P<ld>\d{1,2})\s+tháng\s+(?P<lm>\d{1,2})\s+năm\s+(?P<ly>\d{4}))"
    r"|(?P<num_date>(?<![\d/])(?P<nd>\d{1,2})(?P<sep>[/.-])(?P<nm>\d{1,2})(?P=sep)(?P<ny>\d{4})(?!\d))"
    r"|(?P<time>(?<!\d)\d{1,2}\s*(?:giờ|h\b|:\d{2}))"
    r"|(?P<docnum>(?<![\w/.-])(?P<dn>\d{1,5})(?=\s?(?:/\s?|-)[A-ZĐ]))"
    r"|(?P<count>(?<![\w.,/:-])(?:\d{1,3}(?:\.\d{3})+|\d{2,6})(?![\w/:]|[.,]\d))"
)


@dataclass(frozen=True)
class Source:
    name: str
    paragraphs: tuple[str, ...]


def load_sources(corpus: Path = CORPUS) -> list[Source]:
    """The project's documents as normalized text, split into paragraphs."""
    sources = []
    for path in sorted(corpus.iterdir()):
        if path.is_file() and path.suffix.lower() in FORMATS:
            try:
                text = read_path(path).text
            except ReadError:
                continue
            paragraphs = tuple(p.strip("\n") for p in re.split(r"\n\s*\n", text) if p.strip())
            name = re.sub(r"_(?:utf16|cp1258|utf8bom|crlf)|html_", "", path.stem.split("_", 1)[-1])
            sources.append(Source(name, paragraphs))
    return sources


def load_places(path: Path = GAZETTEER) -> tuple[list[str], list[str]]:
    """Province and district names of two syllables or more (one-syllable names are words)."""
    provinces: list[str] = []
    districts: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("province\t"):
            continue
        cols = (line.split("\t") + [""] * 5)[:5]
        name = cols[2] or cols[0]
        if len(name.split()) < 2 or "-" in name:
            continue
        (districts if cols[2] else provinces).append(name)
    return sorted(set(provinces)), sorted(set(districts))


class Composer:
    """Makes document ``i`` of a corpus from the sources, the gazetteer and the seed."""

    def __init__(self, seed: int, sources: list[Source] | None = None) -> None:
        self.seed = seed
        self.sources = sources or load_sources()
        self.provinces, self.districts = load_places()
        names = sorted({*self.provinces, *self.districts}, key=len, reverse=True)
        alternation = "|".join(re.escape(n) for n in [*names, *(n.upper() for n in names)])
        self.place_re = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
        self.is_province = {n for p in self.provinces for n in (p, p.upper())}
        self.weights = [w for *_, w in KINDS]

    def document(self, i: int) -> tuple[str, str | None, str, bytes]:
        """(format, encoding, file name, bytes) of document ``i``."""
        rng = random.Random(f"vncovid-bench:{self.seed}:{i}")
        frame = rng.choice(self.sources)
        text = self._vary_places(self._vary_numbers(self._vary_length(frame, rng), rng), rng)
        fmt, encoding, _ = rng.choices(KINDS, weights=self.weights)[0]
        crlf = fmt == "txt" and rng.random() < 0.2
        data, encoding, fmt = encode(text, fmt, encoding, crlf, title=frame.name)
        ext = {"txt": "txt", "html": "html", "docx": "docx"}[fmt]
        return fmt, encoding, f"{i // PER_FOLDER:03d}/{i:06d}_{frame.name}.{ext}", data

    def _vary_length(self, frame: Source, rng: random.Random) -> str:
        paragraphs = list(frame.paragraphs)
        head, tail = 3, 3  # header and signature blocks stay in place
        r = rng.random()
        if r < 0.3:  # longer: body paragraphs of other documents before the signature
            donors = [p for s in rng.sample(self.sources, 3) for p in s.paragraphs[head:-tail]]
            extra = rng.sample(donors, min(len(donors), rng.randint(1, 10)))
            at = max(head, len(paragraphs) - tail)
            paragraphs[at:at] = extra
        elif r < 0.5 and len(paragraphs) > head + tail + 2:  # shorter: drop part of the body
            body = len(paragraphs) - head - tail
            n = rng.randint(1, max(1, body // 2))
            start = rng.randint(head, head + body - n)
            del paragraphs[start : start + n]
        return "\n\n".join(paragraphs) + "\n"

    def _vary_numbers(self, text: str, rng: random.Random) -> str:
        shift = dt.timedelta(days=rng.randint(-240, 240))
        scale = math.exp(rng.uniform(math.log(0.2), math.log(5)))

        def date(d: str, m: str, y: str) -> dt.date | None:
            try:
                return dt.date(int(y), int(m), int(d)) + shift
            except ValueError:
                return None

        def repl(m: re.Match[str]) -> str:
            if m.group("long"):
                new = date(m.group("ld"), m.group("lm"), m.group("ly"))
                if new is None:
                    return m.group()
                word = m.group()[:4]
                return f"{word} {new.day} tháng {new.month} năm {new.year}"
            if m.group("num_date"):
                new = date(m.group("nd"), m.group("nm"), m.group("ny"))
                if new is None:
                    return m.group()
                sep, pad = m.group("sep"), len(m.group("nd")) == 2
                day, month = (f"{new.day:02d}", f"{new.month:02d}") if pad else (new.day, new.month)
                return f"{day}{sep}{month}{sep}{new.year}"
            if m.group("docnum"):
                old = m.group("dn")
                value = rng.randint(1, 10 ** min(len(old) + 1, 4) - 1)
                return f"{value:0{len(old)}d}" if old.startswith("0") else str(value)
            if m.group("count"):
                old = m.group()
                value = int(old.replace(".", ""))
                if 1900 <= value <= 2100 and "." not in old:  # a year
                    return old
                new = max(1, round(value * scale))
                return f"{new:,}".replace(",", ".") if "." in old or new >= 10000 else str(new)
            return m.group()

        return _VARIABLE.sub(repl, text)

    def _vary_places(self, text: str, rng: random.Random) -> str:
        mapping: dict[str, str] = {}

        def repl(m: re.Match[str]) -> str:
            old = m.group()
            key = old.lower()
            if key not in mapping:
                pool = self.provinces if old in self.is_province else self.districts
                mapping[key] = rng.choice(pool)
            new = mapping[key]
            return new.upper() if old.isupper() else new

        return self.place_re.sub(repl, text)


def encode(
    text: str, fmt: str, encoding: str | None, crlf: bool, title: str = ""
) -> tuple[bytes, str | None, str]:
    """The file's bytes; falls back to UTF-8 text when the text does not fit the encoding."""
    if fmt == "html":
        return html_page(text, title).encode("utf-8"), "utf-8", "html"
    if fmt == "docx":
        return docx_bytes(text), None, "docx"
    if crlf:
        text = text.replace("\n", "\r\n")
    if encoding == "windows-1258":
        try:
            data = to_cp1258(text)
        except UnicodeEncodeError:
            return text.encode("utf-8"), "utf-8", "txt"
        if read_bytes(data).encoding != "windows-1258":  # would not be detected: keep it real
            return text.encode("utf-8"), "utf-8", "txt"
        return data, encoding, "txt"
    return text.encode(encoding), encoding, "txt"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: base letters precomposed, tone marks combining.

    NFD, recompose everything but the five tone marks, then encode.
    """
    out: list[str] = []
    cluster: list[str] = []
    tones: list[str] = []

    def flush() -> None:
        if cluster:
            out.append(unicodedata.normalize("NFC", "".join(cluster)) + "".join(tones))
        cluster.clear()
        tones.clear()

    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            (tones if ch in TONE_MARKS else cluster).append(ch)
        else:
            flush()
            cluster.append(ch)
    flush()
    return "".join(out).encode("cp1258")


_MENU = [
    "Trang chủ",
    "Giới thiệu",
    "Tin tức - Sự kiện",
    "Chỉ đạo điều hành",
    "Phòng, chống dịch COVID-19",
    "Văn bản",
    "Liên hệ",
]


def html_page(text: str, title: str) -> str:
    """A provincial portal's news page: menu, breadcrumb, the article, a footer."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    heading = html.escape(paragraphs[0].split("\n")[0][:160]) if paragraphs else ""
    body = "\n".join(
        "      <p>" + "<br>\n".join(html.escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
    menu = "\n".join(
        f'    <li><a href="/{i}">{html.escape(m)}</a></li>' for i, m in enumerate(_MENU)
    )
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{heading} - Cổng thông tin điện tử</title>
</head>
<body>
<header class="site-header"><div class="banner">Cổng thông tin điện tử</div></header>
<nav class="main-menu">
  <ul>
{menu}
  </ul>
</nav>
<div class="container">
  <main class="content">
    <div class="breadcrumb"><a href="/">Trang chủ</a> &raquo; {html.escape(title)}</div>
    <article class="news-detail">
{body}
    </article>
  </main>
  <aside class="sidebar"><h3>Tin mới</h3><ul><li>Lịch tiếp công dân</li></ul></aside>
</div>
<footer class="site-footer">Bản quyền thuộc Cổng thông tin điện tử.
Lượt truy cập: 1.234.567</footer>
</body>
</html>
"""


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx_bytes(text: str) -> bytes:
    """A minimal .docx, one paragraph per line, with fixed timestamps (same bytes every time)."""
    paragraphs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{html.escape(line, quote=False)}</w:t></w:r></w:p>'
        for line in text.rstrip("\n").split("\n")
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{paragraphs}</w:body></w:document>"
    )
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _RELS),
            ("word/document.xml", document),
        ):
            info = zipfile.ZipInfo(name, date_time=(2021, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, content)
    return buffer.getvalue()


def fingerprint() -> str:
    """Changes when this generator or its material changes (a reused corpus must match)."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(CORPUS.iterdir()):
        if path.is_file():
            h.update(path.name.encode() + path.read_bytes())
    h.update(GAZETTEER.read_bytes())
    return h.hexdigest()[:16]


def manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / ".manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def make_corpus(n: int, folder: Path, seed: int = 0) -> dict:
    """Write the corpus; returns its manifest (also written to ``folder/.manifest.json``)."""
    if folder.exists() and any(folder.iterdir()):
        if manifest(folder) is None:
            raise SystemExit(f"{folder} is not empty and was not made by make_corpus.py")
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    composer = Composer(seed)
    kinds: Counter[str] = Counter()
    total = 0
    for i in range(n):
        fmt, encoding, name, data = composer.document(i)
        path = folder / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        kinds[f"{fmt} {encoding}" if encoding else fmt] += 1
        total += len(data)
    info = {
        "documents": n,
        "seed": seed,
        "bytes": total,
        "kinds": dict(sorted(kinds.items())),
        "fingerprint": fingerprint(),
    }
    (folder / ".manifest.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return info


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="how many documents")
    parser.add_argument("dir", type=Path, help="where to write them (replaced if made here before)")
    parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same bytes")
    args = parser.parse_args(argv)
    info = make_corpus(args.n, args.dir, args.seed)
    kinds = ", ".join(f"{k}: {v}" for k, v in info["kinds"].items())
    print(f"{info['documents']} documents, {info['bytes'] / 1e6:.1f} MB in {args.dir} ({kinds})")


if __name__ == "__main__":
    main()
