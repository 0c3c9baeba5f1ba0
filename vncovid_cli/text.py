"""Text normalization: the one place where offsets are defined.

Every span in a record is an offset into :func:`normalize`'s output. Matching runs
on :func:`fold`, a same-length copy with old-style tone placement ("hoà", "thuỷ")
and look-alike letters folded, so that one pattern serves both spellings.
"""

from __future__ import annotations

import re
import unicodedata

from .columns import reading_order

_OLD_TONES = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_OLD_TONES.update({k.capitalize(): v.capitalize() for k, v in list(_OLD_TONES.items())})
_OLD_TONES.update({k.upper(): v.upper() for k, v in list(_OLD_TONES.items())})
# only in an open syllable: "hoà" is old style, "hoàng" is right in both styles
_OLD_TONE_RE = re.compile("(?:" + "|".join(sorted(_OLD_TONES, key=len, reverse=True)) + r")(?!\w)")
# "qu" and "gi" keep the tone on the second vowel: "quý", "quỷ" are already new-style.
_KEEP_AFTER = ("q", "Q")

_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u0189": "Đ", "\u00f0": "đ"})
_LOOKALIKE_RE = re.compile("[\u00d0\u0189\u00f0]")  # translate() is slow: only when needed
_SPACES = re.compile(r"[\u00a0\u2007\u202f\u3000]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")  # soft hyphen, zero-width
_GLUED_NUMBER = re.compile(r"\b(ngày|tháng|năm)(?=[0-9])", re.IGNORECASE)
# a PDF's page break: a form feed with the page number written before or after it
_PAGE_NUMBER = (
    r"[ \t]*(?:-[ \t]*)?(?:Trang[ \t]+)?[0-9]{1,3}(?:[ \t]*/[ \t]*[0-9]{1,3})?(?:[ \t]*-)?[ \t]*"
)
_PAGE_BREAK = re.compile(rf"(?:\n(?:{_PAGE_NUMBER})?)?\f(?:{_PAGE_NUMBER}(?=\n|$))?")
_TRAILING = re.compile(r"[ \t]+$", re.MULTILINE)
_INNER_EMPHASIS = re.compile(r"(?<=\w)\*+(?=\w)")  # "**V****Ă****N PHÒNG" of a web copy


def _one_line_end(m: re.Match[str], text: str) -> str:
    """A page break and its page number become one line end: none when one follows already."""
    at_an_end = m.start() == 0 or text[m.end() : m.end() + 1] in ("\n", "")
    return "" if at_an_end else "\n"


def normalize(text: str, *, layout: bool = True) -> str:
    """The text every offset indexes: NFC; LF line ends, a form feed a line end (without
    the page number beside it); no BOM,
    zero-width characters, soft hyphens, trailing spaces or emphasis marks inside a word;
    no-break spaces as spaces; "tháng11" as "tháng 11"; a header or signature laid out in
    two columns written one column after the other (see :mod:`vncovid_cli.columns`) unless
    ``layout`` is off (a table such as a catalogue keeps its rows)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _PAGE_BREAK.sub(lambda m: _one_line_end(m, text), text)
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", _INVISIBLE.sub("", text))
    text = _GLUED_NUMBER.sub(r"\1 ", _INNER_EMPHASIS.sub("", text))
    text = _TRAILING.sub("", text)
    return reading_order(text) if layout else text


def fold(text: str) -> str:
    """Same-length copy of ``text`` with new-style tone placement and look-alikes folded."""

    def repl(m: re.Match[str]) -> str:
        if m.start() > 0 and text[m.start() - 1] in _KEEP_AFTER:
            return m.group()
        return _OLD_TONES[m.group()]

    text = _OLD_TONE_RE.sub(repl, text)
    return text.translate(_LOOKALIKES) if _LOOKALIKE_RE.search(text) else text


def canonical(text: str) -> str:
    """A value as written, folded and with runs of white space made one space."""
    return re.sub(r"\s+", " ", fold(unicodedata.normalize("NFC", text))).strip()


def strip_accents(text: str) -> str:
    """Lower-case ASCII skeleton, for fuzzy comparison of misspelt cue words."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(c for c in text if not unicodedata.combining(c))


def mask(text: str, zones: list[tuple[int, int]]) -> str:
    """Blank ``zones`` with spaces, keeping line breaks, so offsets stay valid."""
    if not zones:
        return text
    chars = list(text)
    for start, end in zones:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def lines_with_offsets(text: str) -> list[tuple[int, str]]:
    """Each line of ``text`` with its start offset."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out
