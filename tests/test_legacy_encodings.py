"""TCVN3 (ABC) and VNI: corpus documents written in the legacy 8-bit encodings by the test.

A text typed in the .VnTime fonts (and its headers in .VnTimeH, whose capitals use the small
letters' bytes) is told from Windows-1258 and UTF-8, decoded with ``rules/tcvn3.tsv``, and
gives the values of its Unicode text; the record's encoding says ``tcvn3``.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from vncovid_cli.extraction import extract
from vncovid_cli.readers import _tcvn3_table, _vni_table, read_bytes

from .test_layout_invariance import CORPUS, RULES, _text, values

SAMPLE = [p for p in CORPUS if p.name[0] in "cgknr"][::5]
KEYS = ("doc_number", "doc_type", "issuer", "issue_date", "subject", "dates", "references")


def tcvn3(text: str) -> bytes:
    """``text`` in TCVN3; a toned capital has no byte: its small letter's, as .VnTimeH draws."""
    byte_of = {letter: byte for byte, letter in _tcvn3_table().items()}
    out = bytearray()
    for char in text:
        if char.isascii():
            out.append(ord(char))
        elif char in byte_of or char.lower() in byte_of:
            out.append(byte_of.get(char, byte_of.get(char.lower(), 0)))
        else:
            out += b"?"  # a sign TCVN3 has no byte for (a curly quote, a dash)
    return bytes(out)


def test_capitals_of_a_vntimeh_header_come_back() -> None:
    source = read_bytes(tcvn3("ỦY BAN NHÂN DÂN\nTỈNH HÀ NAM\nCỘNG HÒA XÃ HỘI\nSố: 12/KH-UBND\n"))
    assert source.text.split("\n")[:4] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH HÀ NAM",
        "CỘNG HÒA XÃ HỘI",
        "Số: 12/KH-UBND",
    ]


def test_windows_1258_stays_windows_1258() -> None:
    text = "Ủy ban nhân dân huyện Đông Anh yêu cầu các xã tăng cường phòng, chống dịch.\n"
    parts = []
    for ch in text:  # Windows-1258 writes some toned letters as a letter and a tone mark
        try:
            parts.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tone = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tone))
            parts.append(base.encode("cp1258") + tone.encode("cp1258"))
    data = b"".join(parts)
    source = read_bytes(data * 3)
    assert source.encoding == "windows-1258" and source.text.startswith("Ủy ban nhân dân")


def vni(text: str) -> bytes:
    """``text`` in VNI-Windows: each letter with marks as its base and mark bytes."""
    sequence_of = {letter: seq for seq, letter in _vni_table()[1].items()}
    return "".join(sequence_of.get(c, c) for c in text).encode("cp1252", errors="replace")


@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: p.stem)
@pytest.mark.parametrize("encode", [tcvn3, vni], ids=["tcvn3", "vni"])
def test_a_legacy_text_reads_like_its_unicode_text(path: Path, encode) -> None:
    text = _text(path)
    source = read_bytes(encode(text))
    assert source.encoding == encode.__name__
    plain = values(extract(text, RULES, with_keywords=False))
    got = values(extract(source.text, RULES, with_keywords=False))
    assert {k: got[k] for k in KEYS} == {k: plain[k] for k in KEYS}


def test_tcvn3_and_windows_1258_are_not_taken_for_vni() -> None:
    text = _text(SAMPLE[0])
    assert read_bytes(tcvn3(text)).encoding == "tcvn3"
