"""vncovid validate --catalogue: a 13-row catalogue of 13 invented documents with every kind
of mismatch, --map, the CSV dialects, and the near-duplicate search."""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from vncovid_cli.catalogue import (
    CatalogueError,
    _compare,
    near_duplicates,
    parse_date,
    parse_map,
    read_catalogue,
)
from vncovid_cli.cli import main
from vncovid_cli.validate import config

from .conftest import party_text, state_text


def state(number: str, date_line: str, title: str | None, subject: str, body: str) -> str:
    return state_text(number, date_line, title, subject, body)


def party(number: str, date_line: str, subject: str, body: str) -> str:
    return party_text(number, date_line, subject, body)


BODIES = [
    "Chủ tịch Ủy ban nhân dân huyện yêu cầu các cơ sở kinh doanh dịch vụ karaoke, quán bar, vũ "
    "trường tạm dừng hoạt động; các chợ dân sinh bố trí lối đi một chiều và đo thân nhiệt.",
    "Trung tâm Y tế huyện tổ chức tiêm vắc xin cho người từ 18 tuổi trở lên tại 14 điểm tiêm cố "
    "định; mỗi điểm tiêm bố trí bàn khám sàng lọc, khu theo dõi sau tiêm và xe cấp cứu.",
    "Phòng Giáo dục và Đào tạo cho học sinh nghỉ học đến khi có thông báo mới; các trường dạy học "
    "trực tuyến, khử khuẩn phòng học, nhà ăn và ký túc xá trước khi học sinh trở lại.",
    "Công an huyện lập các chốt kiểm soát tại cửa ngõ, kiểm tra người và phương tiện ra vào địa "
    "bàn, xử lý nghiêm trường hợp không đeo khẩu trang nơi công cộng.",
    "Ủy ban Mặt trận Tổ quốc huyện vận động doanh nghiệp, nhà hảo tâm ủng hộ quỹ phòng, chống "
    "dịch; tiếp nhận hàng hóa thiết yếu và chuyển tới các khu cách ly tập trung.",
    "Các xã, thị trấn rà soát người từ vùng dịch trở về, lập danh sách theo dõi sức khỏe hằng "
    "ngày; tổ COVID cộng đồng hướng dẫn từng hộ khai báo y tế và cách ly tại nhà.",
    "Ban Tuyên giáo Huyện ủy định hướng thông tin trên mạng xã hội, đấu tranh với tin giả về dịch "
    "bệnh; đài truyền thanh các xã phát bản tin phòng dịch vào sáng và chiều mỗi ngày.",
    "Các chi bộ tổ chức sinh hoạt trực tuyến, đảng viên gương mẫu chấp hành giãn cách, không tổ "
    "chức đám cưới, mừng thọ đông người; người đứng đầu cấp ủy chịu trách nhiệm trước Huyện ủy.",
    "Bệnh viện Đa khoa huyện sẵn sàng 120 giường điều trị người bệnh COVID-19, bổ sung máy thở, "
    "bình ô xy và phân luồng khám bệnh từ cổng bệnh viện để tránh lây nhiễm chéo.",
    "Các doanh nghiệp trong cụm công nghiệp xây dựng phương án ba tại chỗ, xét nghiệm định kỳ cho "
    "công nhân, bố trí ca làm việc lệch giờ và xe đưa đón riêng cho người lao động.",
    "Phòng Văn hóa và Thông tin dừng các lễ hội, hoạt động tôn giáo tập trung đông người; các di "
    "tích đóng cửa đón khách tham quan cho đến khi dịch trên địa bàn được kiểm soát.",
    "Phòng Lao động, Thương binh và Xã hội lập danh sách hộ nghèo, lao động tự do mất việc do dịch "
    "để hỗ trợ gạo và tiền mặt, bảo đảm đúng đối tượng và kịp thời.",
]
DL = "Đông Anh, ngày {} năm 2021"
DOCS = {
    "d01.txt": state(
        "Số: 07/CT-UBND",
        DL.format("06 tháng 02"),
        "CHỈ THỊ",
        "Về việc siết chặt phòng, chống dịch COVID-19 dịp Tết",
        BODIES[0],
    ),
    "d02.txt": state(
        "Số: 12/KH-UBND",
        DL.format("10 tháng 3"),
        "KẾ HOẠCH",
        "Tiêm vắc xin phòng COVID-19 đợt 1 năm 2021",
        BODIES[1],
    ),
    "d03.txt": state(
        "Số: 30/UBND-VP",
        DL.format("15 tháng 3"),
        None,
        "V/v cho học sinh nghỉ học phòng dịch COVID-19",
        BODIES[2],
    ),
    "d04.txt": state(
        "Số: 15/TB-UBND",
        DL.format("05 tháng 3"),
        "THÔNG BÁO",
        "Về việc lập chốt kiểm soát dịch bệnh",
        BODIES[3],
    ),
    "d05.txt": state(
        "Số: 16/TB-UBND",
        DL.format("18 tháng 3"),
        "THÔNG BÁO",
        "Về việc tiếp nhận ủng hộ phòng, chống dịch",
        BODIES[4],
    ),
    "d06.txt": state(
        "Số: 17/CT-UBND",
        DL.format("22 tháng 3"),
        "CHỈ THỊ",
        "Về việc quản lý người từ vùng dịch trở về địa phương",
        BODIES[5],
    ),
    "d07.txt": party(
        "Số 120-CV/HU",
        "Kim Bảng, ngày 03 tháng 5 năm 2021",
        "V/v định hướng thông tin phòng, chống dịch",
        BODIES[6],
    ),
    "d08.txt": party(
        "Số 121-CV/HU",
        "Kim Bảng, ngày 05 tháng 5 năm 2021",
        "V/v sinh hoạt chi bộ trong thời gian giãn cách",
        BODIES[7],
    ),
    "d09.txt": state(
        "Số: 20/KH-UBND",
        DL.format("02 tháng 4"),
        "KẾ HOẠCH",
        "Sẵn sàng điều trị người bệnh COVID-19",
        BODIES[8],
    ),
    "d10.txt": state(
        "Số: 20/KH-UBND",
        DL.format("02 tháng 4"),
        "KẾ HOẠCH",
        "Sẵn sàng điều trị người bệnh COVID-19",
        BODIES[8].replace("120 giường", "150 giường"),
    ),
    "d11.txt": state(
        "Số: 22/KH-UBND",
        DL.format("08 tháng 4"),
        "KẾ HOẠCH",
        "Phòng, chống dịch trong cụm công nghiệp",
        BODIES[9],
    ),
    "d12.txt": state(
        "Số: 23/TB-UBND",
        DL.format("09 tháng 4"),
        "THÔNG BÁO",
        "Về việc dừng lễ hội và đóng cửa di tích",
        BODIES[10],
    ),
    "d13.txt": "Kim Bảng: siết chặt kỷ luật phòng dịch trong Đảng\n\n"
    "Thứ Sáu, 07/05/2021, 09:30 [GMT+7]\n\nBan Thường vụ Tỉnh ủy Hà Nam vừa ban hành "
    "Chỉ thị số 12-CT/TU về việc tăng cường lãnh đạo công tác phòng, chống dịch. " + BODIES[11],
}
HEADER = "file,doc_number,doc_type,issuer,issue_date,subject"
ROWS = [  # line 2 onwards; what each row tests is after it
    "d01.txt,07/CT-UBND,Chỉ thị,UBND huyện Đông Anh,06/02/2021,"
    "Về việc siết chặt phòng chống dịch Covid-19 dịp Tết",  # abbreviations, punctuation: agree
    "d02.txt,21/KH-UBND,Kế hoạch,Ủy ban nhân dân huyện Đông Anh,2021-03-10,"
    "Tiêm vắc xin phòng COVID-19 đợt 1 năm 2021",  # wrong number
    "d03.txt,30/UBND-VP,Chỉ thị,Ủy ban nhân dân huyện Đông Anh,2021-03-15,"
    "V/v cho học sinh nghỉ học phòng dịch COVID-19",  # wrong type (a công văn)
    "d04.txt,15/TB-UBND,TB,Ủy ban nhân dân huyện Đông Anh,2021-03-15,"
    "Về việc lập chốt kiểm soát dịch bệnh",  # wrong date; type given by its code
    "d05.txt,16/TB-UBND,Thông báo,Ủy ban nhân dân huyện Đông Anh,2021-03-18,"
    "Về việc hỗ trợ hộ nghèo bị ảnh hưởng",  # another subject
    "d06.txt,17/CT-UBND,Chỉ thị,Ủy ban nhân dân huyện Đông Anh,2021-03-22,"
    "Về việc quản lý người từ vùng dịch trở về",  # a shortened subject: info
    "d07.txt,120-CV/HU,Công văn,Huyện ủy Kim Bảng,2021-05-03,"
    "V/v định hướng thông tin phòng chống dịch",  # agrees
    "d08.txt,121-CV/HU,Công văn,Ban Thường vụ Tỉnh ủy Hà Nam,2021-05-05,"
    "V/v sinh hoạt chi bộ trong thời gian giãn cách",  # another body
    "d09.txt,20/KH-UBND,Kế hoạch,Ủy ban nhân dân huyện Đông Anh,2021-04-02,"
    "Sẵn sàng điều trị người bệnh COVID-19",
    "d10.txt,20/KH-UBND,Kế hoạch,Ủy ban nhân dân huyện Đông Anh,2021-04-02,"
    "Sẵn sàng điều trị người bệnh COVID-19",  # same number, symbol and year as line 10
    ",23/TB-UBND,Thông báo,Ủy ban nhân dân huyện Đông Anh,09/4/2021,"
    "Về việc dừng lễ hội và đóng cửa di tích",  # no file: matched by its number (d12)
    "d13.txt,12-CT/TU,Chỉ thị,Ban Thường vụ Tỉnh uỷ Hà Nam,,",  # uỷ against ủy: agrees
    "d99.txt,31/CV-UBND,Công văn,Ủy ban nhân dân huyện Đông Anh,2021-04-20,"
    "V/v báo cáo tiến độ tiêm chủng",  # no such document
]  # d11.txt has no row
EXPECTED = {
    ("catalogue.csv:11", "duplicate_entry", "doc_number", "error"),
    ("catalogue.csv:14", "missing_document", "file", "error"),
    ("d02.txt", "metadata_mismatch", "doc_number", "error"),
    ("d03.txt", "metadata_mismatch", "doc_type", "error"),
    ("d04.txt", "metadata_mismatch", "issue_date", "error"),
    ("d05.txt", "metadata_mismatch", "subject", "error"),
    ("d06.txt", "metadata_mismatch", "subject", "info"),
    ("d08.txt", "metadata_mismatch", "issuer", "error"),
    ("d10.txt", "duplicate_entry", "text", "warning"),
    ("d11.txt", "missing_document", "file", "error"),
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    (root / "docs").mkdir()
    for name, text in DOCS.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    (root / "catalogue.csv").write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return root


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


def summary_of(result) -> set[tuple[str, str, str, str]]:
    data = json.loads(result.output)
    return {
        (f["path"].rsplit("/", 1)[-1], f["check"], f["field"], f["severity"])
        for f in data["findings"]
    }


def test_catalogue_has_every_kind_of_mismatch(archive: Path) -> None:
    assert len(ROWS) >= 10
    result = run(
        str(archive / "docs"), "--catalogue", str(archive / "catalogue.csv"), "--format", "json"
    )
    assert result.exit_code == 1
    assert summary_of(result) == EXPECTED
    data = json.loads(result.output)
    assert data["summary"]["catalogue_rows"] == 13 and data["summary"]["documents"] == 13
    by = {(f["path"].rsplit("/", 1)[-1], f["field"]): f for f in data["findings"]}
    issuer = by[("d08.txt", "issuer")]
    assert (issuer["found"], issuer["expected"], issuer["row"]) == (
        "Huyện ủy Kim Bảng",
        "Ban Thường vụ Tỉnh ủy Hà Nam",
        9,
    )
    assert issuer["similarity"] < 90 and issuer["line"] == 2
    number = by[("d02.txt", "doc_number")]
    assert (number["found"], number["expected"]) == ("12/KH-UBND", "21/KH-UBND")
    assert by[("d10.txt", "text")]["other"].endswith("d09.txt")
    assert by[("catalogue.csv:11", "doc_number")]["other"] == 10


def test_table_report_lists_catalogue_rows(archive: Path) -> None:
    result = run(str(archive / "docs"), "--catalogue", str(archive / "catalogue.csv"))
    assert "catalogue.csv:14" in result.output and "d99.txt" in result.output
    assert "13 documents, 8 with findings" in result.output
    assert "catalogue of 13 rows" in result.output


def test_map_reads_other_column_names(archive: Path, tmp_path: Path) -> None:
    header = "Tệp;Số ký hiệu;Loại;Cơ quan ban hành;Ngày ban hành;Trích yếu;Ghi chú"
    rows = [r.replace(",", ";", 5) + ";" for r in ROWS]  # semicolons, an extra column
    path = tmp_path / "so_cong_van.csv"
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode("utf-8-sig"))
    maps = [
        "Tệp=file",
        "Số ký hiệu=doc_number",
        "Loại=doc_type",
        "Cơ quan ban hành=issuer",
        "Ngày ban hành=issue_date",
        "Trích yếu=subject",
    ]
    result = run(
        str(archive / "docs"),
        "--catalogue",
        str(path),
        "--format",
        "json",
        *[arg for m in maps for arg in ("--map", m)],
    )
    assert summary_of(result) == {
        (p.replace("catalogue.csv", "so_cong_van.csv"), *rest) for p, *rest in EXPECTED
    }


def test_rows_naming_one_file_are_duplicates(archive: Path, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(f"{HEADER}\n{ROWS[0]}\n{ROWS[0].replace('07/CT', '08/CT')}\n", encoding="utf-8")
    result = run(str(archive / "docs" / "d01.txt"), "--catalogue", str(path), "--format", "json")
    (f,) = json.loads(result.output)["findings"]
    assert (f["check"], f["field"], f["row"], f["other"]) == ("duplicate_entry", "file", 3, 2)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "Số=number"], "unknown field 'number'"),
        (["--map", "doc_number"], "COLUMN=FIELD"),
        (["--map", "Không có=doc_number"], "not in the catalogue"),
    ],
)
def test_bad_map_is_a_usage_error(archive: Path, args: list[str], message: str) -> None:
    result = run(str(archive / "docs"), "--catalogue", str(archive / "catalogue.csv"), *args)
    assert result.exit_code == 2 and message in result.output


def test_catalogue_without_file_or_number_column_is_a_usage_error(
    archive: Path, tmp_path: Path
) -> None:
    path = tmp_path / "c.csv"
    path.write_text("tên,ngày\na,b\n", encoding="utf-8")
    result = run(str(archive / "docs"), "--catalogue", str(path))
    assert result.exit_code == 2 and "'file' or a 'doc_number' column" in result.output


def _cp1258(ch: str) -> bytes:
    """A character in Windows-1258: precomposed where it can, else base letter + tone mark."""
    try:
        return ch.encode("cp1258")
    except UnicodeEncodeError:
        parts = unicodedata.normalize("NFD", ch)
        tone = next(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        rest = unicodedata.normalize("NFC", parts.replace(tone, ""))
        return (rest + tone).encode("cp1258")


def test_read_catalogue_windows_1258_and_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    text = "file\tissuer\r\nd01.txt\tỦy ban nhân dân huyện Đông Anh\r\n\t\r\n"
    path.write_bytes(b"".join(_cp1258(ch) for ch in text))
    rows = read_catalogue(path)
    assert [(r.line, r.get("issuer")) for r in rows] == [(2, "Ủy ban nhân dân huyện Đông Anh")]


def test_parse_map() -> None:
    assert parse_map(["Số ký hiệu=doc_number", " Tệp = file "]) == {
        "Số ký hiệu": "doc_number",
        "Tệp": "file",
    }
    with pytest.raises(CatalogueError, match="two columns"):
        parse_map(["a=file", "b=file"])


@pytest.mark.parametrize(
    ("wanted", "found", "verdict"),
    [
        ("Ban Thường vụ Tỉnh uỷ", "Ban Thường vụ Tỉnh ủy", None),
        ("UBND huyện Đông Anh", "Ủy ban nhân dân huyện Đông Anh", None),
        ("UBND huyện Lâm Hả", "UBND huyện Lâm Hà", "near"),
        ("Tỉnh ủy Hà Nam", "Ban Thường vụ Tỉnh ủy Hà Nam", "part"),
        ("Ủy ban nhân dân xã An Hòa", "UBND xã An Phú", "far"),
        ("Huyện ủy Kim Bảng", "Tỉnh ủy Hà Nam", "far"),
        ("Sở Y tế Hà Nam", "UBND tỉnh Hà Nam", "far"),
        ("Thành ủy Cà Mau", "Tỉnh ủy Cà Mau", "far"),
    ],
)
def test_issuer_similarity(wanted: str, found: str, verdict: str | None, rules) -> None:
    assert _compare("issuer", wanted, found, config(rules))[0] == verdict


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("2021-05-08", (2021, 5, 8)),
        ("08/05/2021", (2021, 5, 8)),
        ("8.5.2021", (2021, 5, 8)),
        ("ngày 08 tháng 5 năm 2021", (2021, 5, 8)),
        ("--05-08", (None, 5, 8)),
        ("31/06/2021", None),
        ("tháng 5", None),
    ],
)
def test_parse_date(value: str, parsed) -> None:
    assert parse_date(value) == parsed


def test_near_duplicates_scale_to_a_large_folder() -> None:
    rng = random.Random(4)
    words = [
        "phòng",
        "chống",
        "dịch",
        "huyện",
        "xã",
        "tiêm",
        "vắc",
        "xin",
        "cách",
        "ly",
        "xét",
        "nghiệm",
        "chợ",
        "trường",
        "học",
        "công",
        "nhân",
        "chốt",
        "kiểm",
        "soát",
        "tổ",
        "cộng",
        "đồng",
        "khai",
        "báo",
        "y",
        "tế",
        "hỗ",
        "trợ",
        "gạo",
        "lễ",
        "hội",
    ]
    texts = [" ".join(rng.choice(words) for _ in range(400)) for _ in range(600)]
    texts.append(texts[17].replace("chợ", "chợ dân sinh", 3))
    pairs = near_duplicates(texts, 90)
    assert [(i, j) for i, j, _ in pairs] == [(17, 600)]
