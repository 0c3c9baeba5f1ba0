"""Whole-record behaviour that no single rule example shows."""

from __future__ import annotations

from vncovid_cli import extract

NEWS = """Tỉnh ủy Điện Biên: tăng cường phòng, chống dịch

Thứ Sáu, 18/06/2021, 18:27

Tỉnh ủy Điện Biên vừa có công văn số 240-CV/TU về việc tăng cường phòng, chống dịch. Thực hiện \
Công điện số 1102/CĐ-TTg ngày 23/8/2021 của Thủ tướng và Chỉ thị 16 của Thủ tướng, \
từ ngày 16/5 đến nay tỉnh ghi nhận 2.555 F0, đạt 98,9% kế hoạch xét nghiệm. \
Lịch làm việc 31/6/2021 bị hoãn.

Tin mới nhất

Khai mạc hội nghị tổng kết năm (13/04/2024 11:42 SA)
"""


def test_primary_directive_is_told_apart_from_what_it_cites() -> None:
    record = extract(NEWS)
    assert record["doc_number"] == "240-CV/TU"
    assert record["doc_type"] == "công văn"
    assert {(r["doc_type"], r["number"], r["symbol"]) for r in record["references"]} == {
        ("công điện", "1102", "CĐ-TTg"),
        ("chỉ thị", "16", None),
    }


def test_issue_date_is_the_publication_date_and_lends_its_year() -> None:
    record = extract(NEWS)
    assert record["issue_date"] == "2021-06-18"
    values = [d["value"] for d in record["dates"]]
    assert "2021-05-16" in values  # "16/5" takes the document's year
    assert "2021-08-23" in values
    assert not any(v.startswith("2024") for v in values)  # the headline list is chrome


def test_impossible_date_is_a_warning_not_a_date() -> None:
    record = extract(NEWS)
    assert "2021-06-31" not in [d["value"] for d in record["dates"]]
    warning = next(w for w in record["warnings"] if w["code"] == "invalid_date")
    assert "31/6/2021" in warning["message"]


def test_numbers_with_thousands_dots_and_decimal_commas() -> None:
    record = extract(NEWS)
    assert [(c["value"], c["category"]) for c in record["case_counts"]] == [(2555, "confirmed")]
    assert [r["value"] for r in record["rates"]] == [98.9]


def test_weekday_is_kept_with_its_date() -> None:
    record = extract(NEWS)
    published = next(d for d in record["dates"] if d["value"] == "2021-06-18")
    assert published["weekday"] == "Thứ Sáu"


def test_yearless_date_without_any_year_in_the_text() -> None:
    record = extract("Ngày 23/11, Bí thư Tỉnh ủy ký ban hành công điện khẩn.")
    assert record["issue_date"] == "--11-23"
    assert [d["value"] for d in record["dates"]] == ["--11-23"]


def test_december_date_in_a_january_document_takes_the_year_before() -> None:
    text = (
        "Số: 05/CT-UBND\nHà Nam, ngày 04 tháng 01 năm 2022\n\n"
        "Từ ngày 28/12 đến nay, tỉnh ghi nhận 40 ca mắc mới."
    )
    values = [d["value"] for d in extract(text)["dates"]]
    assert values == ["2022-01-04", "2021-12-28"]


def test_extract_is_pure() -> None:
    assert extract(NEWS) == extract(NEWS)
    assert extract(NEWS, include_text=True)["text"].startswith("Tỉnh ủy Điện Biên")


def test_february_29_without_a_year_in_a_common_year_is_a_warning() -> None:
    text = (
        "Ngày 29/2, UBND huyện họp.\n\nCập nhật: 01/03/2021\n\nTừ ngày 25/2/2021 có 3 ca mắc mới."
    )
    record = extract(text)
    assert [d["value"] for d in record["dates"]] == ["2021-03-01", "2021-02-25"]
    assert record["issue_date"] == "--02-29"
    assert [w["code"] for w in record["warnings"]] == ["invalid_date"]


def test_misspelt_cue_is_read_in_every_document_that_has_it() -> None:
    # the fuzzy look-up is remembered after the first document; the warning must not be
    text = "Trong ngày, toàn tỉnh ghi nhận 3 ca tư vong do COVID-19."
    for _ in range(2):
        record = extract(text)
        assert [(c["value"], c["category"]) for c in record["case_counts"]] == [(3, "deaths")]
        assert [w["code"] for w in record["warnings"]] == ["fuzzy_cue"]


def test_look_alike_letters_are_folded_for_matching_only() -> None:
    from vncovid_cli.text import fold

    assert fold("\u00d0iện Biên, hoà bình") == "Điện Biên, hòa bình"
    assert fold("Điện Biên") == "Điện Biên"
    record = extract("Số: 12/CT-UBND\n\u00d0iện Biên, ngày 3 tháng 6 năm 2021")
    assert record["doc_number"] == "12/CT-UBND"
    assert record["issue_date"] == "2021-06-03"


def test_counts_with_a_multiplier_word() -> None:
    from vncovid_cli.numbers import parse_count
    from vncovid_cli.rules import load_rules

    rules = load_rules()
    assert parse_count("1,2 triệu", rules) == 1_200_000
    assert parse_count("15 nghìn", rules) == 15_000
    assert parse_count("2,5 ngàn", rules) == 2_500
    assert parse_count("73 (bảy mươi ba)", rules) == 73
    assert parse_count("năm mươi bảy (57)", rules) == 57
    assert parse_count("3 tỷ", rules) is None


def test_task_themes_read_the_text_with_ocr_slips_fixed() -> None:
    text = (
        "Số: 15/UBND-VX\nLạng Sơn, ngày 3 tháng 2 năm 2022\n\n"
        "1. Rà soát, lập danh sách các trường hợp Fl trên địa bàn.\n"
        "2. Đẩy mạnh tuyên truyền thông điệp 5K trên loa truyền thanh.\n"
        "3. Báo cáo kết quả về UBND huyện trước ngày 10/2/2022.\n"
    )
    record = extract(text)
    assert [t["theme"] for t in record["tasks"]] == ["quarantine", "communication", "other"]


def test_a_header_pasted_on_one_line_is_read_as_a_header() -> None:
    text = (
        "UBND TỈNH HÀ NAM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM BAN CHỈ ĐẠO PHÒNG, CHỐNG DỊCH "
        "COVID-19 Độc lập - Tự do - Hạnh phúc Số: 52/BCĐ Hà Nam, ngày 3 tháng 5 năm 2020 "
        "V/v thực hiện Chỉ thị số 19/CT-TTg của Thủ tướng Chính phủ\n\n"
        "Kính gửi: Các sở, ban, ngành tỉnh.\n\n"
        "Thực hiện Chỉ thị số 19/CT-TTg, Ban Chỉ đạo tỉnh đề nghị:\n"
        "1. Các sở, ngành tiếp tục thực hiện nghiêm các biện pháp phòng, chống dịch.\n"
    )
    record = extract(text)
    assert record["doc_number"] == "52/BCĐ"
    assert record["issue_date"] == "2020-05-03"
    assert record["issuer"]["name"] == "Ban Chỉ đạo phòng, chống dịch COVID-19 tỉnh Hà Nam"
    assert [r["number"] for r in record["references"]] == ["19"]
    assert "line_break" in {w["code"] for w in record["warnings"]}
    assert record["spans"]["doc_number"]["text"] == "52/BCĐ"


def test_a_table_typed_with_tabs() -> None:
    text = (
        "Số người cách ly tại các huyện (tính đến ngày 24/4/2020):\n"
        "Đơn vị\tCách ly tập trung\tCách ly tại nhà\n"
        "Đồng Văn\t142\t388\n"
        "Mèo Vạc\t57\t214\n"
        "Yên Minh\t49\t301\n"
    )
    counts = extract(text)["case_counts"]
    assert [(c["value"], c["category"], c["place"]) for c in counts][:2] == [
        (142, "quarantined", "Đồng Văn"),
        (388, "quarantined", "Đồng Văn"),
    ]
    assert len(counts) == 6
