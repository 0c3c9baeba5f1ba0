"""Reading: formats, encodings, normalization and page chrome."""

from __future__ import annotations

import codecs
import contextlib
import io
import unicodedata
import zipfile

import pytest

from vncovid_cli.readers import ReadError, html_text, read_bytes
from vncovid_cli.text import fold, normalize

SAMPLE = "Thường trực Huyện ủy đề nghị các xã tăng cường cách ly y tế.\nNgày 05/8/2021."


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese files store it: tone marks as combining characters."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if not unicodedata.combining(ch):
            out.append([ch, ""])
        elif ch in tones:
            out[-1][1] += ch
        else:
            out[-1][0] = unicodedata.normalize("NFC", out[-1][0] + ch)
    return "".join(base + marks for base, marks in out).encode("cp1258")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
        (cp1258(SAMPLE), "windows-1258"),
        (SAMPLE.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    ],
)
def test_encodings_are_detected_and_text_is_nfc(data: bytes, encoding: str) -> None:
    source = read_bytes(data)
    assert source.encoding == encoding
    assert source.text == SAMPLE
    assert unicodedata.is_normalized("NFC", source.text)


def test_windows_1258_header_in_capitals_and_columns() -> None:
    header = "UBND TỈNH TIỀN GIANG                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    source = read_bytes(cp1258(header * 3))
    assert source.encoding == "windows-1258"
    # the columns are read one after the other, as normalize() lays them out
    assert source.text == normalize(header * 3)
    assert source.text.startswith("UBND TỈNH TIỀN GIANG\nUBND TỈNH TIỀN GIANG")


def test_decomposed_utf8_is_composed() -> None:
    assert read_bytes(unicodedata.normalize("NFD", SAMPLE).encode()).text == SAMPLE


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (bytes(range(128, 256)) * 4, "invalid bytes"),
        (b"\xff\xd8\xff\xe0" + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 50, "invalid bytes"),
    ],
)
def test_unreadable_input_raises_a_one_line_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ReadError) as info:
        read_bytes(data)
    assert reason in str(info.value)
    assert "\n" not in str(info.value)


def test_old_style_tones_fold_for_matching_without_moving_offsets() -> None:
    text = "Tỉnh uỷ Thanh Hoá, thuỷ lợi, quý khách"
    folded = fold(text)
    assert folded == "Tỉnh ủy Thanh Hóa, thủy lợi, quý khách"
    assert len(folded) == len(text)


def test_normalize_handles_crlf_nbsp_and_bom() -> None:
    assert (
        normalize("\ufeffSố:\u00a008/CT-UBND\r\nDòng 2\rDòng 3") == "Số: 08/CT-UBND\nDòng 2\nDòng 3"
    )


def test_html_drops_markup_menus_sidebars_and_counters() -> None:
    page = """<!DOCTYPE html><html><head><title>x</title><style>p{}</style></head><body>
    <nav><ul><li>Trang chủ</li><li>Tin tức</li></ul></nav>
    <div class="breadcrumb">Trang chủ / Thời sự</div>
    <article><h1>UBND tỉnh ban hành Công điện số 12/CĐ-UBND</h1>
    <p>Ngày 02/8/2021, UBND tỉnh ban hành&nbsp;công điện.</p><p>1. Các sở tăng cường.</p></article>
    <aside class="sidebar"><h3>Tin mới nhất</h3>
    <ul><li>Khai mạc hội nghị (12/03/2024)</li></ul></aside>
    <div id="footer">Đang truy cập: 215 <script>var x = 1;</script></div>
    </body></html>"""
    text = html_text(page)
    assert "UBND tỉnh ban hành Công điện số 12/CĐ-UBND" in text
    assert "Ngày 02/8/2021, UBND tỉnh ban hành công điện." in normalize(text)
    assert "1. Các sở tăng cường." in text
    for chrome in ("Trang chủ", "Tin mới nhất", "12/03/2024", "Đang truy cập", "var x"):
        assert chrome not in text


def test_html_table_rows_are_lines_with_cells_split_by_bars() -> None:
    page = """<html><body><article><p>Kết quả tiêm mũi 1:</p>
    <table>
      <tr><th>Đơn vị</th><th>Số trẻ đã tiêm mũi 1</th><th>Tỷ lệ</th></tr>
      <tr><td>Huyện Long Hồ</td><td>7.416</td><td>45,2%</td></tr>
      <tr><td>Huyện Trà Ôn</td><td>5.473</td><td>39,7%</td></tr>
      <tr><td>Huyện Bình Tân</td><td>4.891</td><td>44,3%</td></tr>
    </table></article></body></html>"""
    text = html_text(page)
    assert (
        "Đơn vị | Số trẻ đã tiêm mũi 1 | Tỷ lệ\nHuyện Long Hồ | 7.416 | 45,2%\n"
        "Huyện Trà Ôn | 5.473 | 39,7%\n" in text
    )
    from vncovid_cli import extract

    counts = extract(text)["case_counts"]
    assert [(c["value"], c["category"], c["place"]) for c in counts][0] == (
        7416,
        "vaccinated",
        "Huyện Long Hồ",
    )
    assert len(counts) == 3  # the rates are not counts


def docx_bytes(paragraphs: list[str]) -> bytes:
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{p}</w:t></w:r></w:p>' for p in paragraphs)
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document '
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", xml)
    return buf.getvalue()


def test_docx_paragraphs_become_lines() -> None:
    source = read_bytes(
        docx_bytes(["HUYỆN ỦY CẦU NGANG", "Số 506-CV/HU", "1. Các xã tăng cường."]), "docx"
    )
    assert source.format == "docx"
    assert source.text.splitlines() == [
        "HUYỆN ỦY CẦU NGANG",
        "Số 506-CV/HU",
        "1. Các xã tăng cường.",
    ]


def test_broken_docx_is_a_read_error() -> None:
    with pytest.raises(ReadError, match="not a readable .docx"):
        read_bytes(b"PK\x03\x04 not really a zip", "docx")


def test_a_few_stray_bytes_in_a_utf8_text_are_replaced_and_said() -> None:
    from vncovid_cli.readers import STRAY_SHARE

    good = ("Số: 08/CT-UBND\nVĩnh Phúc, ngày 21 tháng 5 năm 2021\n" * 40).encode("utf-8")
    source = read_bytes(good[:900] + b"\xff\xfe\x80" + good[900:])
    assert source.encoding == "utf-8"
    (warning,) = source.warnings
    assert warning["code"] == "stray_bytes" and warning["message"].startswith("3 undecodable")
    assert source.text[warning["start"]] == "\ufffd"
    too_many = bytes(b if i % 50 else 0xFF for i, b in enumerate(good))
    assert too_many.count(b"\xff") > STRAY_SHARE * len(too_many)
    # above the share, the bytes are not UTF-8 with a few slips: an error, or another encoding
    with contextlib.suppress(ReadError):
        assert read_bytes(too_many).encoding != "utf-8"


def test_a_value_read_from_words_ocr_is_unsure_of_is_warned() -> None:
    from vncovid_cli.extraction import extract
    from vncovid_cli.pipeline import _warn_low_confidence
    from vncovid_cli.readers import Source

    text = normalize(
        "Số: 09/CT-UBND\nVĩnh Phúc, ngày 08 tháng 5 năm 2021\n\n1. Các xã thực hiện.\n"
    )
    ocr = {"engine": "tesseract", "low_confidence_words": ["09/CT-UBND", "xã"]}
    record = extract(text)
    record["warnings"] = []
    _warn_low_confidence(record, Source(text, None, "image", 1, ocr))
    by_value = {w["message"].split()[0]: w for w in record["warnings"]}
    warning = by_value["doc_number"]
    assert warning["code"] == "low_ocr_confidence" and "09/CT-UBND" in warning["message"]
    assert text[warning["start"] : warning["end"]] == "09/CT-UBND"
    assert "issue_date" not in by_value
    assert by_value["tasks[0]"]["message"].endswith("unsure of: xã")
