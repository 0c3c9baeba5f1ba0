"""How many pages a second does vncovid read from PDFs, with a text layer and scanned?

    python bench/pdf_pages.py [--docs N] [--scans M]

Prints N corpus documents to PDF (fpdf2, DejaVu) and M of them as image-only PDFs (each
page rendered at 200 DPI, as a scanner gives it), then times ``read_bytes`` plus
``extract`` on them in this process, and prints pages per second for each kind. Scans go
through Tesseract (``tesseract-ocr tesseract-ocr-vie``), one page at a time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_pdf import one_column  # noqa: E402
from vncovid_cli.extraction import extract  # noqa: E402
from vncovid_cli.readers import read_bytes, read_path  # noqa: E402
from vncovid_cli.rules import load_rules  # noqa: E402


def scanned(pdf: bytes) -> bytes:
    """The PDF's pages as images only, at 200 DPI."""
    import pypdfium2 as pdfium
    from fpdf import FPDF

    out = FPDF()
    for page in pdfium.PdfDocument(pdf):
        out.add_page()
        out.image(page.render(scale=200 / 72, grayscale=True).to_pil(), x=0, y=0, w=210)
    return bytes(out.output())


def _time(pdfs: list[bytes]) -> tuple[int, float]:
    rules = load_rules()
    started = time.perf_counter()
    pages = 0
    for data in pdfs:
        source = read_bytes(data, "pdf")
        extract(source.text, rules, with_keywords=False)
        pages += source.pages or 0
    return pages, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--scans", type=int, default=3)
    args = parser.parse_args()
    texts = [read_path(p).text for p in sorted((ROOT / "corpus").glob("*.txt"))[: args.docs]]
    pdfs = [one_column(t) for t in texts]
    pages, seconds = _time(pdfs)
    print(f"text-layer PDFs: {len(pdfs)} documents, {pages} pages, {pages / seconds:.1f} pages/s")
    scans = [scanned(pdf) for pdf in pdfs[: args.scans]]
    pages, seconds = _time(scans)
    print(f"scanned PDFs:    {len(scans)} documents, {pages} pages, {pages / seconds:.2f} pages/s")


if __name__ == "__main__":
    main()
