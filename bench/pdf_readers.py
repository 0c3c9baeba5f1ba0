"""Which library reads a PDF's text layer best? pypdfium2, pdfminer.six, pdfplumber.

    python bench/pdf_readers.py [--docs N]

Prints corpus documents to PDF with fpdf2 and the DejaVu font (the header's two columns side
by side, as a Word document prints them, then the body), reads each PDF back with every
library that is installed, and prints per library: pages per second, whether the Vietnamese
text is intact (every word of the document found in the text read), and whether the two
header columns come one after the other (the left column's lines before the motto).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.layouts import _header  # noqa: E402
from tests.test_pdf import two_columns  # noqa: E402
from vncovid_cli.readers import read_path  # noqa: E402


def _pypdfium2(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    return [page.get_textpage().get_text_range() for page in pdf]


def _pdfminer(data: bytes) -> list[str]:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data)).split("\f")


def _pdfplumber(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


READERS = {"pypdfium2": _pypdfium2, "pdfminer.six": _pdfminer, "pdfplumber": _pdfplumber}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=40)
    args = parser.parse_args()
    docs = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        text = read_path(path).text
        if _header(text):
            docs.append((text, two_columns(text)))
        if len(docs) >= args.docs:
            break
    for name, read in READERS.items():
        try:
            read(docs[0][1])
        except ImportError:
            print(f"{name:<13} not installed")
            continue
        pages = intact = ordered = 0
        started = time.perf_counter()
        outs = [read(pdf) for _, pdf in docs]
        seconds = time.perf_counter() - started
        for (text, _), out in zip(docs, outs, strict=True):
            got = unicodedata.normalize("NFC", "\f".join(out))
            pages += len(out)
            intact += all(w in got for w in text.split())
            left = _header(text)[0]
            motto = got.find("CỘNG HÒA") if "CỘNG HÒA" in got else got.find("ĐẢNG CỘNG SẢN")
            ordered += all(0 <= got.find(line) < motto for line in left[:-1] if line != "*")
        n = len(docs)
        print(
            f"{name:<13} {pages / seconds:8.1f} pages/s  text intact {intact}/{n}  "
            f"header columns in order {ordered}/{n}"
        )


if __name__ == "__main__":
    main()
