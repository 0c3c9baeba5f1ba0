"""PDFs with a text layer, made from corpus documents by the test itself (fpdf2, DejaVu).

A document printed to PDF, one column or with its two header columns side by side, over
several pages with page numbers, gives the values of its plain text. A PDF without a text
layer (a scan) is a record with an error that says so, and the run goes on.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from vncovid_cli.extraction import extract
from vncovid_cli.readers import ReadError, read_bytes

from .layouts import _header
from .test_layout_invariance import CORPUS, INTERLEAVED, RULES, _text, values

fpdf = pytest.importorskip("fpdf", reason="fpdf2 (the test extra) makes the PDFs")
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
if not FONT.is_file():
    pytest.skip("the DejaVu font (Debian fonts-dejavu-core) is needed", allow_module_level=True)
SAMPLE = [p for p in CORPUS if p.name[0] in "cgkr"][::4]  # official texts and news, ~20
# a one-column print of a text laid out with runs of spaces is no PDF a program writes
# (a PDF's text layer gives one space for a run): those are printed in two columns instead
ONE_COLUMN = [p for p in SAMPLE if not re.search(r"\S {3,}\S", _text(p))]


def _pdf() -> fpdf.FPDF:
    pdf = fpdf.FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=10)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_footer = None
    return pdf


def one_column(text: str) -> bytes:
    """The text printed line by line, pages broken where they fill, a page number below."""
    pdf = _pdf()
    pdf.alias_nb_pages()
    pdf.footer = lambda: (pdf.set_y(-12), pdf.cell(0, 5, f"{pdf.page_no()}", align="C"))
    pdf.add_page()
    for line in text.split("\n"):
        pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def two_columns(text: str) -> bytes:
    """The header's columns side by side, as a Word document prints, then the body."""
    header = _header(text)
    if header is None:
        return one_column(text)
    left, right, _, rest = header
    pdf = _pdf()
    pdf.add_page()
    top = pdf.get_y()
    pdf.set_xy(10, top)
    pdf.multi_cell(80, 5, "\n".join(left), align="C")
    below_left = pdf.get_y()
    pdf.set_xy(95, top)
    pdf.multi_cell(105, 5, "\n".join(right), align="C")
    pdf.set_xy(10, max(below_left, pdf.get_y()) + 5)
    for line in rest:
        pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _read(data: bytes) -> dict:
    source = read_bytes(data, "pdf")
    return values(extract(source.text, RULES, with_keywords=False))


@pytest.mark.parametrize("path", ONE_COLUMN, ids=lambda p: p.stem)
def test_a_one_column_pdf_gives_the_plain_values(path: Path) -> None:
    text = _text(path)
    plain = values(extract(text, RULES, with_keywords=False))
    got = _read(one_column(text))
    keys = ("doc_number", "doc_type", "issuer", "issue_date", "subject", "references", "dates")
    assert {k: got[k] for k in keys} == {k: plain[k] for k in keys}


@pytest.mark.parametrize(
    "path",
    [p for p in SAMPLE if _header(_text(p)) and p.stem not in INTERLEAVED],
    ids=lambda p: p.stem,
)
def test_a_pdf_with_the_header_columns_side_by_side_gives_the_plain_header(path: Path) -> None:
    text = _text(path)
    plain = values(extract(text, RULES, with_keywords=False))
    got = _read(two_columns(text))
    keys = ("doc_number", "doc_type", "issuer", "issue_date")
    assert {k: got[k] for k in keys} == {k: plain[k] for k in keys}


def test_pages_are_counted_and_page_numbers_left_out() -> None:
    text = _text(next(p for p in CORPUS if p.name.startswith("c01")))
    source = read_bytes(one_column(text * 3), "pdf")
    assert source.format == "pdf" and source.pages is not None and source.pages >= 3
    assert "\f" not in source.text
    lone_numbers = [ln for ln in source.text.split("\n") if ln.strip().isdigit()]
    assert lone_numbers == [], "page numbers were left in the text"


def test_a_pdf_without_a_text_layer_is_an_error_naming_why() -> None:
    pdf = _pdf()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")  # a page with a picture and no text
    with pytest.raises(ReadError, match="without a text layer"):
        read_bytes(bytes(pdf.output()), "pdf")


def test_extract_reads_pdfs_in_a_folder_and_accounts_for_every_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from vncovid_cli.cli import main

    text = _text(next(p for p in CORPUS if p.name.startswith("c01")))
    (tmp_path / "d.pdf").write_bytes(one_column(text))
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n%broken")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "-q", "-o", str(out)])
    records = {Path(r["source"]).name: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(records) == {"d.pdf", "scan.pdf"}, result.output
    assert records["d.pdf"]["doc_number"] == "09/CT-UBND" and records["d.pdf"]["pages"] >= 2
    assert records["scan.pdf"]["error"] and "PDF" in records["scan.pdf"]["error"]


def test_a_running_header_is_left_out_of_the_text() -> None:
    text = _text(next(p for p in CORPUS if p.name.startswith("c01")))
    pdf = _pdf()
    running = "Văn phòng UBND tỉnh - bản sao điện tử"
    pdf.header = lambda: (pdf.cell(0, 5, running, align="R"), pdf.ln(8))
    pdf.add_page()
    for line in ((text + "\n") * 3).split("\n"):
        pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    source = read_bytes(bytes(pdf.output()), "pdf")
    assert source.pages >= 3 and running not in source.text
    got = values(extract(source.text, RULES, with_keywords=False))
    assert got["doc_number"] == "09/CT-UBND" and got["issue_date"] == "2021-05-08"


def test_each_value_of_a_pdf_says_its_page(tmp_path: Path) -> None:
    from vncovid_cli.pipeline import Options, Task, process

    text = _text(next(p for p in CORPUS if p.name.startswith("c01")))
    path = tmp_path / "d.pdf"
    path.write_bytes(one_column(text))
    record = process(Task(str(path), "d.pdf"), Options())
    assert record["pages"] >= 2
    assert record["spans"]["doc_number"]["page"] == 1
    pages = [t["page"] for t in record["tasks"]]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] >= 2
    assert record["parts"][-1]["page"] == record["pages"]  # the signature block, at the end
    source = read_bytes(path.read_bytes(), "pdf")
    assert len(source.page_starts) == record["pages"] - 1
    assert list(source.page_starts) == sorted(source.page_starts)
