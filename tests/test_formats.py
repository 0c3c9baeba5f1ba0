"""OpenDocument text, RTF and Word 97 files, the first two written from corpus documents by
the test itself; a .doc without its converter is an error naming what to install."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from vncovid_cli.extraction import extract
from vncovid_cli.readers import ReadError, read_bytes, read_path

from .test_layout_invariance import CORPUS, RULES, _text, values

SAMPLE = [p for p in CORPUS if p.name[0] in "ck"][::6]
KEYS = ("doc_number", "doc_type", "issuer", "issue_date", "subject", "dates", "references")
ODF = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def odt(text: str) -> bytes:
    """``text`` as an OpenDocument text: a paragraph a line, runs of spaces as text:s."""
    paragraphs = []
    for line in text.split("\n"):
        body = escape(line).replace("   ", ' <text:s text:c="2"/>')
        paragraphs.append(f"<text:p>{body}</text:p>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        f' xmlns:text="{ODF}"><office:body><office:text>'
        + "".join(paragraphs)
        + "</office:text></office:body></office:document-content>"
    )
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", content)
    return buffer.getvalue()


def rtf(text: str) -> bytes:
    """``text`` as RTF: a \\par a line, Vietnamese letters as \\uN with a "?" fallback."""
    body = []
    for line in text.split("\n"):
        chars = []
        for char in line:
            if char in "\\{}":
                chars.append("\\" + char)
            elif ord(char) < 128:
                chars.append(char)
            else:
                chars.append(f"\\u{ord(char) if ord(char) < 32768 else ord(char) - 65536}?")
        body.append("".join(chars) + "\\par\n")
    head = "{\\rtf1\\ansi\\ansicpg1258{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs26\n"
    return (head + "".join(body) + "}").encode("ascii")


@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: p.stem)
@pytest.mark.parametrize("make", [odt, rtf], ids=["odt", "rtf"])
def test_the_document_reads_like_its_text(path: Path, make) -> None:
    text = _text(path)
    source = read_bytes(make(text), make.__name__)
    assert source.format == make.__name__
    plain = values(extract(text, RULES, with_keywords=False))
    got = values(extract(source.text, RULES, with_keywords=False))
    assert {k: got[k] for k in KEYS} == {k: plain[k] for k in KEYS}


def test_formats_are_known_by_their_bytes_too(tmp_path: Path) -> None:
    text = _text(SAMPLE[0])
    (tmp_path / "a.txt").write_bytes(rtf(text))
    (tmp_path / "b.bin").write_bytes(odt(text))
    assert read_path(tmp_path / "a.txt").format == "rtf"
    assert read_path(tmp_path / "b.bin").format == "odt"


def test_a_doc_without_antiword_or_catdoc_is_an_error_naming_them(monkeypatch) -> None:
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    with pytest.raises(ReadError, match="antiword or catdoc"):
        read_bytes(data, "doc")
