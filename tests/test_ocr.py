"""Scans through Tesseract, made from corpus documents by the test itself.

A corpus document's first page is printed to PDF (fpdf2, DejaVu), rendered to an image,
turned slightly, given grain and JPEG loss, and read back as an image-only PDF, a PNG, a
JPEG and a two-page TIFF: the header's values are those of the plain text, and the record
says what OCR read. Without Tesseract the record's error names the packages to install.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from vncovid_cli import ocr
from vncovid_cli.extraction import extract
from vncovid_cli.readers import ReadError, read_bytes

from .test_layout_invariance import CORPUS, RULES, _text, values

PIL = pytest.importorskip("PIL.Image", reason="Pillow (with fpdf2, the test extra) draws scans")
pdfium = pytest.importorskip("pypdfium2")
pytest.importorskip("fpdf")
from .test_pdf import FONT, one_column  # noqa: E402

if (
    shutil.which("tesseract") is None
    or "vie"
    not in subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True
    ).stdout.split()
):
    pytest.skip("Tesseract with its Vietnamese model (tesseract-ocr-vie)", allow_module_level=True)
if not FONT.is_file():
    pytest.skip("the DejaVu font (fonts-dejavu-core)", allow_module_level=True)
HEADER = ("doc_number", "doc_type", "issuer", "issue_date")


def _first_page(name: str) -> str:
    text = _text(next(p for p in CORPUS if p.name.startswith(name)))
    return "\n".join(text.split("\n")[:30])


def _scan(text: str, angle: float = 0.7, seed: int = 0):
    """The text's first PDF page as a grey image at 200 DPI, turned, with grain."""
    page = pdfium.PdfDocument(one_column(text))[0]
    image = page.render(scale=200 / 72, grayscale=True).to_pil().convert("L")
    image = image.rotate(angle, expand=True, fillcolor=255)
    rng = random.Random(seed)
    pixels = image.load()
    for _ in range(image.width * image.height // 200):  # specks, as a scanner leaves
        pixels[rng.randrange(image.width), rng.randrange(image.height)] = rng.choice((0, 255))
    return image


def _bytes(image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def c01():
    text = _first_page("c01")
    return text, values(extract(text, RULES, with_keywords=False)), _scan(text)


def test_an_image_only_pdf_reads_like_its_text(c01) -> None:
    from fpdf import FPDF

    text, plain, image = c01
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=0, y=0, w=210)
    source = read_bytes(bytes(pdf.output()), "pdf")
    got = values(extract(source.text, RULES, with_keywords=False))
    assert {k: got[k] for k in HEADER} == {k: plain[k] for k in HEADER}
    assert source.ocr["engine"] == "tesseract" and source.ocr["language"] == "vie"
    assert source.ocr["pages"] == 1 and source.ocr["mean_confidence"] > 80


def test_a_jpeg_scan_with_loss_reads_like_its_text(c01) -> None:
    text, plain, image = c01
    source = read_bytes(_bytes(image, "JPEG", quality=60), "image")
    got = values(extract(source.text, RULES, with_keywords=False))
    assert {k: got[k] for k in HEADER} == {k: plain[k] for k in HEADER}
    assert source.format == "image" and source.pages == 1


def test_a_two_page_tiff_gives_two_pages(c01) -> None:
    _, plain, image = c01
    second = _scan(_first_page("c05"), angle=-0.5, seed=1)
    data = _bytes(image, "TIFF", save_all=True, append_images=[second])
    source = read_bytes(data, "image")
    assert source.pages == 2 and source.ocr["pages"] == 2
    assert (
        values(extract(source.text, RULES, with_keywords=False))["doc_number"]
        == (plain["doc_number"])
    )


def test_ocr_never_and_a_missing_tesseract_are_errors_that_say_why(c01, monkeypatch) -> None:
    png = _bytes(c01[2], "PNG")
    with pytest.raises(ReadError, match="OCR is off"):
        read_bytes(png, "image", ocr="never")
    ocr.engine.cache_clear()
    monkeypatch.setattr(shutil, "which", lambda name: None)
    try:
        with pytest.raises(ReadError, match="tesseract-ocr tesseract-ocr-vie"):
            read_bytes(png, "image")
    finally:
        ocr.engine.cache_clear()


def test_extract_on_a_folder_of_scans(tmp_path: Path, c01) -> None:
    import json

    from click.testing import CliRunner

    from vncovid_cli.cli import main

    (tmp_path / "scan.png").write_bytes(_bytes(c01[2], "PNG"))
    out = tmp_path.parent / f"{tmp_path.name}.jsonl"
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "-q", "-o", str(out)])
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["format"] == "image" and record["doc_number"] == c01[1]["doc_number"]
    assert record["ocr"]["mean_confidence"] > 80, result.output
