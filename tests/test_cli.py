"""The command line: inputs, outputs, errors and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from vncovid_cli import __version__
from vncovid_cli.cli import main
from vncovid_cli.output import TABLES

OFFICIAL = """ỦY BAN NHÂN DÂN
HUYỆN CẦU NGANG
Số: 1234/UBND-VX
V/v tăng cường phòng, chống dịch COVID-19
Cầu Ngang, ngày 03 tháng 8 năm 2021

Kính gửi:
- Các cơ quan, ban, ngành huyện;
- Ủy ban nhân dân các xã, thị trấn.

Từ ngày 25/7/2021 đến nay, huyện ghi nhận 21 ca dương tính với SARS-CoV-2, \
trong đó 4 ca tại cộng đồng.
Thực hiện Chỉ thị số 16/CT-TTg ngày 31/3/2020 của Thủ tướng Chính phủ, \
Ủy ban nhân dân huyện yêu cầu:

1. Trung tâm Y tế huyện xét nghiệm cho người dân tại các xã có ca bệnh.
2. Công an huyện bảo đảm an ninh trật tự tại các chốt kiểm soát.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
(đã ký)
Thạch Văn Sơn
"""


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "b_official.txt").write_text(OFFICIAL, encoding="utf-8")
    (docs / "sub" / "a_news.txt").write_text(
        "Ngày 12/9/2021, Tỉnh ủy Trà Vinh vừa có Công văn số 1520-CV/TU. "
        "Tỉnh ghi nhận 36 ca nhiễm.",
        encoding="utf-8",
    )
    (docs / "notes.json").write_text("{}", encoding="utf-8")
    return docs


def run(runner: CliRunner, *args: str, stdin: bytes | None = None):
    return runner.invoke(main, list(args), input=stdin, catch_exceptions=False)


def test_version_and_every_help_has_an_example(runner: CliRunner) -> None:
    assert __version__ in run(runner, "--version").output
    assert "Example:" in run(runner, "--help").output
    for name in main.commands:
        result = run(runner, name, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.output, name


def test_extract_folder_gives_one_record_per_document_sorted_by_path(
    runner, folder, tmp_path
) -> None:
    out = tmp_path / "out.jsonl"
    result = run(runner, "extract", str(folder), "-o", str(out), "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in records] == ["b_official.txt", "sub/a_news.txt"]
    official = records[0]
    assert official["doc_number"] == "1234/UBND-VX"
    assert official["doc_type"] == "công văn"
    assert official["issuer"]["name"] == "Ủy ban nhân dân huyện Cầu Ngang"
    assert official["issuer"]["province"] == "Trà Vinh"
    assert official["issue_date"] == "2021-08-03"
    assert [(c["value"], c["category"]) for c in official["case_counts"]] == [
        (21, "confirmed"),
        (4, "community"),
    ]
    assert [t["label"] for t in official["tasks"]] == ["1", "2"]
    assert official["signer"]["name"] == "Thạch Văn Sơn"
    assert records[1]["doc_number"] == "1520-CV/TU"


def test_glob_filters_files(runner, folder) -> None:
    result = run(runner, "extract", str(folder), "--glob", "a_*.txt")
    assert [json.loads(x)["doc_id"] for x in result.stdout.splitlines()] == ["sub/a_news.txt"]


def test_spans_point_into_the_included_text(runner, folder) -> None:
    result = run(runner, "extract", str(folder / "b_official.txt"), "--include-text")
    record = json.loads(result.output)
    text = record["text"]
    for name in ("dates", "references", "case_counts", "people"):
        for item in record[name]:
            assert text[item["start"] : item["end"]] == item.get(
                "text", text[item["start"] : item["end"]]
            )
    span = record["spans"]["doc_number"]
    assert text[span["start"] : span["end"]] == "1234/UBND-VX"


def test_stdin(runner) -> None:
    result = run(runner, "extract", "-", stdin=OFFICIAL.encode("utf-16"))
    record = json.loads(result.output)
    assert record["source"] == "-"
    assert record["encoding"] == "utf-16"
    assert record["doc_number"] == "1234/UBND-VX"


def test_json_array(runner, folder) -> None:
    result = run(runner, "extract", str(folder), "--format", "json")
    assert [r["doc_id"] for r in json.loads(result.stdout)] == ["b_official.txt", "sub/a_news.txt"]


def test_csv_tables_load_in_pandas_without_options(runner, folder, tmp_path) -> None:
    out = tmp_path / "tables"
    result = run(runner, "extract", str(folder), "--format", "csv", "-o", str(out))
    assert result.exit_code == 0
    documents = pd.read_csv(out / "documents.csv")
    assert list(documents["doc_id"]) == ["b_official.txt", "sub/a_news.txt"]
    assert documents.loc[0, "issuer_province"] == "Trà Vinh"
    for name in TABLES:
        table = pd.read_csv(out / f"{name}.csv")
        assert set(table["doc_id"]) <= set(documents["doc_id"])
    cases = pd.read_csv(out / "case_counts.csv")
    assert list(cases["value"]) == [21, 4, 36]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["documents.csv", *(f"{n}.csv" for n in TABLES)]
    )


def test_excel_writes_a_bom(runner, folder, tmp_path) -> None:
    out = tmp_path / "tables"
    run(runner, "extract", str(folder), "--format", "csv", "-o", str(out), "--excel")
    assert (out / "documents.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_csv_needs_an_output_folder(runner, folder) -> None:
    result = run(runner, "extract", str(folder), "--format", "csv")
    assert result.exit_code == 2


def test_nonexistent_path_is_a_usage_error(runner, folder, tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    result = run(runner, "extract", str(folder), str(tmp_path / "missing.txt"), "-o", str(out))
    assert result.exit_code == 2
    assert "missing.txt" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        ("garbage.txt", bytes(range(128, 256)) * 3, "invalid bytes"),
        ("broken.docx", b"PK\x03\x04 truncated", "not a readable .docx"),
    ],
)
def test_bad_file_gets_an_error_record_and_the_run_goes_on(
    runner, folder, tmp_path, name, data, reason
):
    (folder / name).write_bytes(data)
    out = tmp_path / "out.jsonl"
    result = run(runner, "extract", str(folder), "-o", str(out))
    assert result.exit_code == 1
    records = {
        json.loads(x)["doc_id"]: json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()
    }
    assert set(records) == {"b_official.txt", "sub/a_news.txt", name}
    assert reason in records[name]["error"]
    assert records["b_official.txt"]["error"] is None
    error_lines = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(error_lines) == 1
    assert name in error_lines[0] and reason in error_lines[0]


def test_bad_rule_file_stops_before_any_document_is_read(runner, folder, tmp_path) -> None:
    bad = tmp_path / "rules"
    bad.mkdir()
    (bad / "dates.yaml").write_text(
        "field: dates\nrules:\n  - id: dates.x\n    pattern: '('\n    examples: [{text: a}]\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = run(runner, "extract", str(folder), "--rules", str(bad), "-o", str(out))
    assert result.exit_code == 2
    assert "dates.yaml" in result.stderr and "dates.x" in result.stderr
    assert "does not compile" in result.stderr
    assert not out.exists()


def test_tokenize_text_and_jsonl(runner, folder) -> None:
    doc = folder / "sub" / "a_news.txt"
    text = run(runner, "tokenize", str(doc)).output
    assert "Công_văn" in text
    record = json.loads(run(runner, "tokenize", str(doc), "--format", "jsonl", "--pos").output)
    source = doc.read_text(encoding="utf-8")
    for token in record["tokens"]:
        assert " ".join(source[token["start"] : token["end"]].split()) == token["token"]
        assert token["pos"]
    letters = "".join(t["token"] for t in record["tokens"])
    assert re.sub(r"\W", "", letters) == re.sub(r"\W", "", source)  # no word is lost


def test_tokenize_keeps_words_in_old_style_tones(runner, tmp_path) -> None:
    doc = tmp_path / "old.txt"
    doc.write_text("Tỉnh Khánh Hoà và huyện Thuỷ Nguyên", encoding="utf-8")
    record = json.loads(run(runner, "tokenize", str(doc), "--format", "jsonl").output)
    tokens = [t["token"] for t in record["tokens"]]
    assert tokens == ["Tỉnh", "Khánh Hoà", "và", "huyện", "Thuỷ Nguyên"]


def test_rules_command_checks_the_rules(runner) -> None:
    result = run(runner, "rules")
    assert result.exit_code == 0
    assert "rules OK" in result.output


def test_show_labels_spans_with_field_and_rule(runner, folder) -> None:
    result = run(runner, "show", str(folder / "b_official.txt"))
    assert result.exit_code == 0
    assert "[doc_number doc_number.header]" in result.output
    assert "[case_counts case_counts.count]" in result.output


def test_output_that_cannot_be_written_is_a_one_line_error(runner, folder, tmp_path) -> None:
    a_file = tmp_path / "a_file"
    a_file.write_text("x", encoding="utf-8")
    for args in (["-o", str(tmp_path)], ["--format", "csv", "-o", str(a_file)]):
        result = run(runner, "extract", str(folder), *args)
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and "error:" in result.stderr


def test_output_files_are_readable_by_others(runner, folder, tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    run(runner, "extract", str(folder), "-o", str(out))
    assert out.stat().st_mode & 0o044 == 0o044


def test_error_records_have_every_key(runner, folder, tmp_path) -> None:
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path / "out.jsonl"
    run(runner, "extract", str(folder), "-o", str(out))
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    good = next(r for r in records if not r["error"])
    bad = next(r for r in records if r["error"])
    assert list(bad) == [k for k in good if k in bad] and set(good) <= set(bad)
    assert bad["case_counts"] == [] and bad["issuer"]["name"] is None


@pytest.mark.parametrize(
    ("gold", "reason"),
    [("{bad", "not a JSON gold file"), ('{"doc": "a.txt"}', "gold file lacks doc_number")],
)
def test_evaluate_reports_a_bad_gold_file_in_one_line(
    runner, folder, tmp_path, gold, reason
) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "a.json").write_text(gold, encoding="utf-8")
    result = run(runner, "evaluate", str(folder), str(gold_dir))
    assert result.exit_code == 2
    assert reason in result.stderr and "a.json" in result.stderr


def test_a_folder_without_documents_says_so(runner, tmp_path) -> None:
    result = run(runner, "extract", str(tmp_path))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no documents found" in result.stderr


def test_records_are_sorted_by_path_across_arguments(runner, folder) -> None:
    result = run(
        runner, "extract", str(folder / "sub" / "a_news.txt"), str(folder / "b_official.txt")
    )
    sources = [json.loads(line)["source"] for line in result.stdout.splitlines()]
    assert sources == sorted(sources) and len(sources) == 2


def test_a_folder_walk_names_the_files_it_skips_in_one_line(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "d.txt").write_text("Số: 08/CT-UBND\nVĩnh Phúc, ngày 21 tháng 5 năm 2021\n")
    for name in ("a.xlsx", "b.zip", "c.ZIP", "NOTES"):
        (docs / name).write_bytes(b"x")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(docs), "-q", "-o", str(out)])
    lines = [ln for ln in result.output.splitlines() if "skipped" in ln]
    said = "vncovid: skipped 4 files by suffix ((none) 1, .xlsx 1, .zip 2); --glob chooses"
    assert lines == [said]
    assert len(out.read_text().splitlines()) == 1
    chosen = CliRunner().invoke(main, ["extract", str(docs), "-q", "--glob", "*", "-o", str(out)])
    assert "skipped" not in chosen.output and len(out.read_text().splitlines()) == 5


def test_excel_tables_never_hold_a_live_formula(tmp_path: Path) -> None:
    doc = tmp_path / "d.txt"
    doc.write_text(
        'Số: 08/CT-UBND\nVĩnh Phúc, ngày 21 tháng 5 năm 2021\nCHỈ THỊ\n=HYPERLINK("x")\n\n'
        "1. @SUM(A1) các xã thực hiện.\n2. +Các huyện rà soát 12 ca.\n",
        encoding="utf-8",
    )
    for flag, escaped in (("--excel", True), (None, False)):
        out = tmp_path / f"out{escaped}"
        args = ["extract", str(doc), "--format", "csv", "-q", "-o", str(out)]
        result = CliRunner().invoke(main, [*args, flag] if flag else args)
        assert result.exit_code == 0, result.output
        documents = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", dtype=str)
        tasks = pd.read_csv(out / "tasks.csv", encoding="utf-8-sig", dtype=str)
        subject, first = documents["subject"][0], tasks["text"][0]
        assert subject == ('\'=HYPERLINK("x")' if escaped else '=HYPERLINK("x")')
        assert first.startswith("'@SUM" if escaped else "@SUM")
        if escaped:
            assert not any(str(v).startswith(("=", "+", "@")) for v in tasks["text"])
            counts = pd.read_csv(out / "case_counts.csv", encoding="utf-8-sig")
            assert counts["value"].dtype.kind == "i"  # numbers stay numbers


def test_a_file_over_max_bytes_is_a_record_with_an_error(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "big.txt").write_text("Số: 08/CT-UBND\n" + "Các xã thực hiện.\n" * 200)
    (docs / "small.txt").write_text("Số: 09/CT-UBND\nVĩnh Phúc, ngày 21 tháng 5 năm 2021\n")
    out = tmp_path / "out.jsonl"
    args = ["extract", str(docs), "-q", "--max-bytes", "1000", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    records = {r["doc_id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(records) == {"big.txt", "small.txt"}
    assert "larger than --max-bytes 1,000" in records["big.txt"]["error"]
    assert records["small.txt"]["doc_number"] == "09/CT-UBND"
    assert result.exit_code == 1 and "big.txt" in result.output


def test_the_extract_options_say_what_the_readers_do() -> None:
    from vncovid_cli.budget import DEFAULT_SECONDS
    from vncovid_cli.readers import MAX_BYTES, OCR_MODES

    options = {p.name: p for p in main.commands["extract"].params}
    assert tuple(options["ocr"].type.choices) == OCR_MODES
    assert options["max_bytes"].default == MAX_BYTES
    assert options["rule_budget"].default == DEFAULT_SECONDS
