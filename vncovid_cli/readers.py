"""Reading documents: bytes to normalized text, whatever the format and encoding."""

from __future__ import annotations

import codecs
import re
import zipfile
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

from .text import normalize

FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".odt": "odt",
    ".rtf": "rtf",
    ".doc": "doc",
    ".pdf": "pdf",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
}
OCR_MODES = ("auto", "always", "never")  # auto: the pages without a text layer
MAX_BYTES = 20_000_000  # a larger file is an error, not a stalled run
STRAY_SHARE = 0.005  # a UTF-8 text with at most this share of undecodable bytes is read anyway


class ReadError(Exception):
    """A document that cannot be read; the message is the reason, in one line."""


@dataclass(frozen=True)
class Source:
    """A document's normalized text and how it was read."""

    text: str
    encoding: str | None
    format: str
    pages: int | None = None  # a PDF's or a scan's page count
    ocr: dict | None = None  # what OCR read, when it read (see ocr.OcrText.summary)
    warnings: tuple[dict, ...] = ()  # what reading had to mend (stray bytes)
    page_starts: tuple[int, ...] = ()  # where each page after the first begins in ``text``

    def page_at(self, pos: int) -> int | None:
        """The 1-based page holding offset ``pos`` of a paged document, else None."""
        return bisect_right(self.page_starts, pos) + 1 if self.pages else None


def read_path(path: Path, ocr: str = "auto", max_bytes: int | None = MAX_BYTES) -> Source:
    """Read one file by its extension (unknown extensions are read as text); a file larger
    than ``max_bytes`` is an error, told before it is read."""
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise ReadError(f"file of {size:,} bytes, larger than --max-bytes {max_bytes:,}")
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read file: {exc.strerror or exc}") from exc
    return read_bytes(data, FORMATS.get(path.suffix.lower(), "txt"), ocr)


def read_bytes(data: bytes, fmt: str = "txt", ocr: str = "auto") -> Source:
    """Decode ``data`` of format ``txt``, ``html``, ``docx``, ``pdf`` or ``image`` into
    normalized text; ``ocr`` says which pages go through OCR (``OCR_MODES``)."""
    if not data.strip():
        raise ReadError("empty file")
    if fmt == "pdf" or data.startswith(b"%PDF-"):
        return _pdf(data, ocr)
    if fmt == "image":
        return _scan(data, ocr)
    if fmt == "doc" or data.startswith(_OLE2):
        return Source(normalize(doc_text(data)), None, "doc")
    if fmt == "rtf" or data.startswith(b"{\\rtf"):
        return Source(normalize(rtf_text(data)), None, "rtf")
    if fmt == "odt" or (data.startswith(b"PK\x03\x04") and b"opendocument.text" in data[:200]):
        return Source(normalize(odt_text(data)), None, "odt")
    if fmt == "docx" or data.startswith(b"PK\x03\x04"):
        return Source(normalize(docx_text(data)), None, "docx")
    text, encoding = decode(data)
    if fmt == "html" or (fmt == "txt" and _looks_like_html(text)):
        fmt, text = "html", html_text(text)
    text = normalize(text)
    return Source(text, encoding, fmt, warnings=_stray_bytes_warning(text, encoding))


def _stray_bytes_warning(text: str, encoding: str) -> tuple[dict, ...]:
    """The warning of a UTF-8 text read with a few stray bytes replaced (U+FFFD), at their
    offsets in the normalized text."""
    if encoding != "utf-8" or "\ufffd" not in text:
        return ()
    where = [m.start() for m in re.finditer("\ufffd", text)]
    shown = ", ".join(str(i) for i in where[:5])
    message = f"{len(where)} undecodable byte(s) read as U+FFFD, the first at characters {shown}"
    return ({"code": "stray_bytes", "message": message, "start": where[0], "end": where[0] + 1,
             "rule": None},)  # fmt: skip


def _paged(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """Pages as one normalized text, each between form feeds (its number is left out), the
    running headers and footers left out; and where each page after the first begins (found
    by its first line, since normalizing moves the header's columns)."""
    pages = _without_running_lines(pages)
    text = normalize("\f" + "\f".join(pages) + "\f")
    starts, pos = [], 0
    for page in pages[1:]:
        first = next(
            (ln.strip() for ln in normalize(page, layout=False).split("\n") if ln.strip()), ""
        )
        found = text.find(first, pos) if first else -1
        pos = found if found >= 0 else pos
        starts.append(pos)
    return text, tuple(starts)


def _without_running_lines(pages: list[str]) -> list[str]:
    """Pages without the lines that open or close most of them alike (a running header or
    footer: the body's name, a file name, "Trang 2/5" apart, which is a page number)."""
    if len(pages) < 3:
        return pages
    ends = [
        [ln.strip() for ln in page.strip().splitlines()[:1] + page.strip().splitlines()[-1:]]
        for page in pages
    ]
    counts: dict[str, int] = {}
    for lines in ends:
        for line in set(lines):
            if line and not line.isdigit():
                counts[line] = counts.get(line, 0) + 1
    running = {line for line, n in counts.items() if n >= max(3, len(pages) // 2 + 1)}
    if not running:
        return pages
    return [
        "\n".join(ln for ln in page.splitlines() if ln.strip() not in running) for page in pages
    ]


def _pdf(data: bytes, ocr: str) -> Source:
    """A PDF's text layer, page by page, in its content stream's order (pypdfium2, PDFium's
    bindings); pages without one (a scan) through OCR unless ``ocr`` is ``never``."""
    import pypdfium2 as pdfium  # imported here: a run without PDFs does not load PDFium

    from . import ocr as engine

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ReadError(f"not a readable PDF: {exc}") from exc
    read = engine.OcrText()
    try:
        pages = []
        for page in pdf:
            text = page.get_textpage().get_text_range()
            if ocr == "always" or (ocr == "auto" and not text.strip()):
                scanned = engine.OcrText()
                _ocr(lambda p=page, into=scanned: engine.read_image(engine.pgm(p), into))
                text = "\n".join(scanned.pages)
                read.pages.append(text)
                read.confidences.extend(scanned.confidences)
                read.unsure |= scanned.unsure
            pages.append(text)
    finally:
        pdf.close()
    if not any(text.strip() for text in pages):
        raise ReadError(
            f"a PDF of {len(pages)} page(s) without a text layer (a scan), and OCR is off"
        )
    summary = read.summary() if read.pages else None
    text, starts = _paged(pages)
    return Source(text, None, "pdf", len(pages), summary, page_starts=starts)


def _scan(data: bytes, ocr: str) -> Source:
    """An image file (PNG, JPEG, TIFF, multi-page TIFF too) through OCR."""
    from . import ocr as engine

    if ocr == "never":
        raise ReadError("an image, and OCR is off (--ocr never)")
    read = engine.OcrText()
    _ocr(lambda: engine.read_image(data, read))
    if not any(page.strip() for page in read.pages):
        raise ReadError("an image in which OCR found no text")
    text, starts = _paged(read.pages)
    return Source(text, None, "image", len(read.pages), read.summary(), page_starts=starts)


def _ocr(work) -> None:
    from .ocr import OcrUnavailable

    try:
        work()
    except OcrUnavailable as exc:
        raise ReadError(str(exc)) from exc


def decode(data: bytes) -> tuple[str, str]:
    """Detect the encoding: BOMs, then strict UTF-8, then Windows-1258 if it reads as text."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ReadError(f"invalid UTF-16 at byte {exc.start}") from exc
    if b"\x00" in data:
        raise ReadError("binary file: NUL bytes and no UTF-16 byte-order mark")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    lenient = data.decode("utf-8", errors="replace")
    stray = lenient.count("\ufffd")
    if stray <= STRAY_SHARE * len(data) and _reads_as_text(lenient):
        return lenient, "utf-8"  # a few stray bytes in a UTF-8 text: replaced, and said
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        text = ""
    vni = vni_decode(data)
    if vni is not None and _reads_as_text(vni):
        return vni, "vni"
    if text and _reads_as_text(text) and not _legacy_marks(text):
        return text, "windows-1258"
    legacy = tcvn3_decode(data)
    if _reads_as_text(legacy) and (not text or _legacy_marks(text)):
        return legacy, "tcvn3"
    if text and _reads_as_text(text):
        return text, "windows-1258"
    raise ReadError(
        f"invalid bytes: not UTF-8 (byte {utf8_error.start}), UTF-16 or Windows-1258 text"
    )


# bytes A1-BF read as Windows-1258 are signs (µ ¸ ¶ · ¹ ¨ © ª « ¬ ®): inside a word they are
# TCVN3's small letters (à á ả ã ạ ă â ê ô ơ đ), which a Windows-1258 text never has there
_LEGACY_MARK = re.compile(r"(?<=\w)[\u00a1-\u00bf]|[\u00a1-\u00bf](?=\w)")


def _legacy_marks(text: str) -> bool:
    """Whether a text read as Windows-1258 shows TCVN3's letters as signs inside words."""
    marks = len(_LEGACY_MARK.findall(text))
    letters = sum(1 for c in text if c.isalpha())
    return marks >= 3 and marks >= 0.01 * letters


@cache
def _tcvn3_table() -> dict[int, str]:
    """TCVN3's bytes and letters, from ``rules/tcvn3.tsv`` (the built-in rules)."""
    from .rules import DEFAULT_RULES_DIR, read_table

    return {
        int(row["byte"], 16): row["letter"] for row in read_table(DEFAULT_RULES_DIR / "tcvn3.tsv")
    }


_WORD = re.compile(r"\w+")
_CAPS_WORD = re.compile(r"^[^\W\d_a-z]{2,}$")  # no ASCII small letter: capitals, in either font


def tcvn3_decode(data: bytes) -> str:
    """TCVN3 bytes as text. A word set in a font of capitals (.VnTimeH) writes its toned
    capitals with the small letters' bytes: in a word whose other letters are capitals, next
    to a word in capitals, they are made capitals again ("ñY BAN" is "ỦY BAN")."""
    table = _tcvn3_table()
    text = "".join(table.get(b, chr(b)) if b >= 0x80 else chr(b) for b in data)
    return "\n".join(_capitals(line) for line in text.split("\n"))


def _capitals(line: str) -> str:
    words = list(_WORD.finditer(line))
    caps = [bool(_CAPS_WORD.match(w.group())) for w in words]
    if sum(caps) < 2:
        return line
    out, last = [], 0
    for i, m in enumerate(words):
        word = m.group()
        toned = any(c.islower() and not c.isascii() for c in word)
        ascii_small = any(c.islower() and c.isascii() for c in word)
        between = (i == 0 or caps[i - 1]) and (i + 1 == len(words) or caps[i + 1])
        title_pair = len(word) == 2 and word[0].isupper()  # "Sè" is "Số" in .VnTime too
        ascii_capital = any(c.isupper() and c.isascii() for c in word)
        if (
            toned
            and not ascii_small
            and len(word) > 1
            and (between or (ascii_capital and not title_pair))
        ):
            word = word.upper()
        out += [line[last : m.start()], word]
        last = m.end()
    return "".join([*out, line[last:]])


# a vowel followed by VNI's mark of huyền, hỏi, ngã or nặng read in Windows-1252 ("aø",
# "oï"): signs no Vietnamese text in Windows-1258 or TCVN3 puts after a vowel
_VNI_MARK = re.compile(r"[aeiouyAEIOUY][øûõïØÛÕÏ]")


@cache
def _vni_table() -> tuple[re.Pattern[str], dict[str, str]]:
    """VNI's sequences and letters, from ``rules/vni.tsv``, longest sequences first."""
    from .rules import DEFAULT_RULES_DIR, read_table

    table = {row["sequence"]: row["letter"] for row in read_table(DEFAULT_RULES_DIR / "vni.tsv")}
    alternation = "|".join(re.escape(s) for s in sorted(table, key=len, reverse=True))
    return re.compile(alternation), table


def vni_decode(data: bytes) -> str | None:
    """VNI-Windows bytes as text, or None when they do not read as VNI (few vowels followed
    by VNI's mark bytes)."""
    try:
        latin = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    marks = len(_VNI_MARK.findall(latin))
    letters = sum(1 for c in latin if c.isalpha())
    if marks < 3 or marks < 0.02 * letters:
        return None
    pattern, table = _vni_table()
    return pattern.sub(lambda m: table[m.group()], latin)


def _reads_as_text(text: str) -> bool:
    """Windows-1258 decodes almost any bytes; keep it only when the result looks like prose."""
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t")
    visible = sum(1 for c in text if not c.isspace())
    ascii_letters = sum(1 for c in text if c.isascii() and c.isalpha())
    return controls == 0 and ascii_letters >= 0.4 * visible


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or "<body" in head


def docx_text(data: bytes) -> str:
    """The paragraphs of a .docx body, one per line (tables row by row)."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            xml = zf.read("word/document.xml")
        root = ElementTree.fromstring(xml)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise ReadError(f"not a readable .docx: {exc}") from exc
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    paragraphs = []
    for p in root.iter(f"{ns}p"):
        parts = []
        for node in p.iter():
            if node.tag == f"{ns}t":
                parts.append(node.text or "")
            elif node.tag == f"{ns}tab":
                parts.append("\t")
            elif node.tag in (f"{ns}br", f"{ns}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of Word 97-2003 files


def odt_text(data: bytes) -> str:
    """The paragraphs and headings of an OpenDocument text, one per line."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            root = ElementTree.fromstring(zf.read("content.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise ReadError(f"not a readable .odt: {exc}") from exc
    lines = []
    for node in root.iter():
        if node.tag in (f"{_ODF_TEXT}p", f"{_ODF_TEXT}h"):
            lines.append(_odf_inline(node))
    return "\n".join(lines)


def _odf_inline(node) -> str:
    """A paragraph's text: spans, runs of spaces (text:s), tabs and line breaks."""
    out = [node.text or ""]
    for child in node:
        tag = child.tag.removeprefix(_ODF_TEXT)
        if tag == "s":
            out.append(" " * int(child.get(f"{_ODF_TEXT}c", "1")))
        elif tag == "tab":
            out.append("\t")
        elif tag == "line-break":
            out.append("\n")
        elif tag not in ("p", "h"):
            out.append(_odf_inline(child))
        out.append(child.tail or "")
    return "".join(out)


_RTF_TOKEN = re.compile(
    rb"\\([a-z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\([^a-z])|([{}])|([^\\{}\r\n]+)|[\r\n]"
)
_RTF_SKIP = {b"fonttbl", b"colortbl", b"stylesheet", b"info", b"pict", b"header", b"footer"}


def rtf_text(data: bytes) -> str:
    """An RTF document's text: paragraphs and line breaks as lines, ``\\uN`` characters, and
    ``\\'hh`` bytes in the document's code page (``\\ansicpg``); tables, fonts, pictures and
    other destinations left out."""
    code_page = re.search(rb"\\ansicpg(\d+)", data[:2000])
    encoding = f"cp{int(code_page.group(1))}" if code_page else "cp1252"
    out: list[str] = []
    stack: list[tuple[bool, int]] = []
    skipping, uc, pending_skip = False, 1, 0
    for m in _RTF_TOKEN.finditer(data):
        word, arg, hexbyte, symbol, brace, text = m.groups()
        if brace == b"{":
            stack.append((skipping, uc))
            continue
        if brace == b"}":
            skipping, uc = stack.pop() if stack else (False, 1)
            continue
        if pending_skip and (text or hexbyte):
            if text:
                text, pending_skip = text[pending_skip:], max(0, pending_skip - len(text))
            else:
                pending_skip -= 1
                continue
        if word is not None:
            if word in _RTF_SKIP:
                skipping = True
            elif word == b"uc":
                uc = int(arg or 1)
            elif word == b"u" and not skipping:
                out.append(chr(int(arg) % 65536))
                pending_skip = uc
            elif word in (b"par", b"line", b"row") and not skipping:
                out.append("\n")
            elif word in (b"tab", b"cell") and not skipping:
                out.append("\t")
        elif symbol == b"*":
            skipping = True
        elif hexbyte and not skipping:
            out.append(bytes([int(hexbyte, 16)]).decode(encoding, errors="replace"))
        elif text and not skipping:
            out.append(text.decode(encoding, errors="replace"))
    return "".join(out)


def doc_text(data: bytes) -> str:
    """A Word 97-2003 ``.doc`` through ``antiword`` (else ``catdoc``), found at run time."""
    import shutil
    import subprocess
    import tempfile

    for tool, args in (("antiword", ["-m", "UTF-8.txt", "-w", "0"]), ("catdoc", ["-d", "utf-8"])):
        exe = shutil.which(tool)
        if exe is None:
            continue
        with tempfile.NamedTemporaryFile(suffix=".doc") as tmp:
            tmp.write(data)
            tmp.flush()
            try:
                done = subprocess.run([exe, *args, tmp.name], capture_output=True, timeout=60)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise ReadError(f"{tool} could not read this .doc: {exc}") from exc
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.decode("utf-8", errors="replace")
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no text"]
        raise ReadError(f"{tool} could not read this .doc: {reason[0]}")
    raise ReadError("a Word 97 .doc needs antiword or catdoc: install the Debian package antiword")


_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "figcaption",
    "hr",
}
_DROP_TAGS = {
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "select",
    "button",
    "iframe",
    "svg",
    "template",
    "marquee",
}
_CHROME_HINT = re.compile(
    r"\b(menu|nav|navbar|breadcrumb|sidebar|footer|widget|related|other-?news|"
    r"tin-?khac|tin-?moi|tin-?lien-?quan|most-?read|poll|vote|binh-?chon|counter|visitor|"
    r"thong-?ke|share|social|comment|advert|ads?|login|search|ticker|hot-?news|tin-?nong|marquee)\b",
    re.IGNORECASE,
)
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "wbr", "source", "area", "col"}


class _TextExtractor(HTMLParser):
    """Collect visible article text, skipping markup and the page's chrome elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.skip_depth = 0
        self.cells_in_row = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "tr":
            self.cells_in_row = 0
        elif tag in ("td", "th"):  # a table row is one line, its cells split by "|"
            self.parts.append(" | " if self.cells_in_row else "")
            self.cells_in_row += 1
        if tag in _VOID_TAGS:
            return
        hint = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        in_article = any(t in ("article", "main") for t, _ in self.stack)
        drop = (tag in _DROP_TAGS and not (tag == "header" and in_article)) or bool(
            hint and _CHROME_HINT.search(hint)
        )
        self.stack.append((tag, drop))
        self.skip_depth += drop

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS:
            return
        while self.stack:
            open_tag, drop = self.stack.pop()
            self.skip_depth -= drop
            if open_tag == tag:
                break
        if tag in _BLOCK_TAGS and tag != "tr":  # rows of a table on lines of their own
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_text(html: str) -> str:
    """Visible text of an HTML page without its menus, sidebars, footers and counters."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
