"""Scans through Tesseract: page images to text, with the engine's word confidences.

Tesseract (Debian ``tesseract-ocr`` and its Vietnamese model ``tesseract-ocr-vie``) is found
at run time and called through its command line with TSV output, which gives every word with
its confidence and its block, paragraph and line; the text is rebuilt from those, a blank
line between paragraphs. A page of a PDF is rendered by PDFium (pypdfium2) to a grey image
at ``DPI`` and given to Tesseract as a PGM, so no imaging library is needed.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cache

LANGUAGE = "vie"
DPI = 300  # resolution of a rendered PDF page: Tesseract reads 10-12 pt text best near it
TIMEOUT = 120  # seconds for one page
LOW_CONFIDENCE = 60  # a word Tesseract is less sure of than this (0-100) is named in warnings
PACKAGES = "tesseract-ocr tesseract-ocr-vie"


class OcrUnavailable(Exception):
    """Tesseract or its Vietnamese model is missing: the message names what to install."""


@dataclass
class OcrText:
    """What Tesseract read of a document's pages."""

    pages: list[str] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)  # every word's, 0-100
    unsure: set[str] = field(default_factory=set)  # words read below LOW_CONFIDENCE

    def summary(self) -> dict:
        """The record's ``ocr``: engine, version, language, pages, mean word confidence."""
        mean = sum(self.confidences) / len(self.confidences) if self.confidences else None
        return {
            "engine": "tesseract",
            "version": engine()[1],
            "language": LANGUAGE,
            "pages": len(self.pages),
            "mean_confidence": round(mean, 1) if mean is not None else None,
            "low_confidence_words": sorted(self.unsure),
        }


@cache
def engine() -> tuple[str, str]:
    """The tesseract executable and its version; OcrUnavailable when it or ``vie`` is missing."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrUnavailable(f"OCR needs Tesseract: install the Debian packages {PACKAGES}")
    langs = _run([exe, "--list-langs"]).split()
    if LANGUAGE not in langs:
        raise OcrUnavailable(
            "OCR needs Tesseract's Vietnamese model: install the Debian package tesseract-ocr-vie"
        )
    version = _run([exe, "--version"]).split("\n", 1)[0].replace("tesseract", "").strip()
    return exe, version


def _run(command: list[str], data: bytes | None = None) -> str:
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OcrUnavailable(f"tesseract could not run: {exc}") from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise OcrUnavailable(f"tesseract failed: {reason[0]}")
    return done.stdout.decode("utf-8", "replace")


def read_image(data: bytes, into: OcrText) -> None:
    """OCR one image file (PNG, JPEG, TIFF, PGM: a multi-page TIFF gives several pages)."""
    exe, _ = engine()
    tsv = _run([exe, "stdin", "stdout", "-l", LANGUAGE, "tsv"], data)
    pages: dict[int, list[list[str]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        pages.setdefault(int(row["page_num"]), []).append([key, row["text"]])
        confidence = max(0.0, float(row["conf"]))
        into.confidences.append(confidence)
        if confidence < LOW_CONFIDENCE and len(row["text"].strip()) > 1:
            into.unsure.add(row["text"].strip())
    for page in sorted(pages):
        into.pages.append(_lines(pages[page]))


def _lines(words: list[list]) -> str:
    """Words back into lines, a blank line between paragraphs."""
    out, last = [], None
    for (block, par, line), word in words:
        if last is None or (block, par, line) != last:
            if last is not None:
                out.append("\n\n" if (block, par) != last[:2] else "\n")
        else:
            out.append(" ")
        out.append(word)
        last = (block, par, line)
    return "".join(out)


def pgm(page) -> bytes:
    """A PDF page (pypdfium2) rendered grey at ``DPI``, as a binary PGM image."""
    bitmap = page.render(scale=DPI / 72, grayscale=True)
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    buffer = bytes(bitmap.buffer)
    rows = b"".join(buffer[y * stride : y * stride + width] for y in range(height))
    return f"P5\n{width} {height}\n255\n".encode() + rows
