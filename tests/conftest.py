"""Shared fixtures: the project's folders and the optional ../shared material."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def rules():
    from vncovid_cli.rules import load_rules

    return load_rules()


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared (seeds and their gold); tests that need it skip on a user's clone."""
    if not (SHARED / "seeds").is_dir() or not (SHARED / "eval" / "gold").is_dir():
        pytest.skip("../shared is not present (it is only beside the project's own checkout)")
    return SHARED


def party_text(
    number: str = "Số 115-CV/HU",
    date_line: str = "Kim Bảng, ngày 28 tháng 4 năm 2021",
    subject: str = "V/v tăng cường phòng, chống dịch COVID-19 dịp nghỉ lễ",
    body: str = "Thực hiện Công văn số 1190-CV/TU ngày 20/4/2021 của Ban Thường vụ "
    "Tỉnh ủy, Thường trực Huyện ủy yêu cầu:\n"
    "1. Các cấp ủy quán triệt nghiêm túc chỉ đạo.",
    header: str = "ĐẢNG BỘ TỈNH HÀ NAM\nHUYỆN ỦY KIM BẢNG",
) -> str:
    """An invented Party công văn of a Huyện ủy (Hướng dẫn 36-HD/VPTW layout)."""
    return "\n".join(
        [
            header,
            "*",
            number,
            subject,
            "",
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            date_line,
            "",
            "Kính gửi: Các chi bộ, đảng bộ trực thuộc.",
            "",
            body,
            "",
            "T/M BAN THƯỜNG VỤ",
            "PHÓ BÍ THƯ",
            "",
            "Trần Thị Mai",
        ]
    )


def state_text(
    number: str,
    date_line: str,
    title: str | None,
    subject: str | None,
    body: str,
    signer: bool = True,
    header: str = "ỦY BAN NHÂN DÂN\nHUYỆN ĐÔNG ANH",
) -> str:
    """An invented official State text (Decree 30 layout); a part given as None or "" is left
    out."""
    parts = [
        header,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        "",
        number,
        date_line,
        "",
    ]
    if title:
        parts.append(title)
    if subject:
        parts += [subject, ""]
    parts += [body, ""]
    if signer:
        parts += ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Nguyễn Văn Hùng"]
    return "\n".join(parts)
