"""Word segmentation with underthesea (imported only when first needed).

Only functions that work offline from the wheel are used: word_tokenize and pos_tag.
"""

from __future__ import annotations

import re
from typing import Any

from .text import fold


def word_tokenize(text: str) -> list[str]:
    """underthesea's word segments ("Ban Thường_vụ" as "Thường vụ")."""
    from underthesea import word_tokenize as _word_tokenize

    return _word_tokenize(text)


def pos_tag(text: str) -> list[tuple[str, str]]:
    from underthesea import pos_tag as _pos_tag

    return _pos_tag(text)


def tokens_with_offsets(text: str, pos: bool = False) -> list[dict[str, Any]]:
    """Segments with their character offsets in ``text`` (and POS tags with ``pos``)."""
    pairs = pos_tag(text) if pos else [(w, None) for w in word_tokenize(text)]
    folded = fold(text)  # underthesea writes "hoà" as "hòa": look words up in the same form
    out, cursor = [], 0
    for word, tag in pairs:
        word = fold(word)
        start = _locate(folded, word, cursor)
        if start < 0:
            continue
        end = start + _matched_length(folded, word, start)
        cursor = end
        token = {"token": " ".join(text[start:end].split()), "start": start, "end": end}
        if pos:
            token["pos"] = tag
        out.append(token)
    return out


def _locate(text: str, word: str, cursor: int) -> int:
    pattern = r"\s+".join(re.escape(part) for part in word.split())
    m = re.compile(pattern).search(text, cursor)
    return m.start() if m else -1


def _matched_length(text: str, word: str, start: int) -> int:
    pattern = r"\s+".join(re.escape(part) for part in word.split())
    return re.compile(pattern).match(text, start).end() - start


def as_text(text: str) -> str:
    """Segmented text with multi-syllable words joined by underscores."""
    return " ".join(w.replace(" ", "_") for w in word_tokenize(text))
