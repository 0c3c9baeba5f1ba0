"""Metamorphic test: a corpus document gives the same record however it is laid out.

Every corpus document is laid out by each transform of ``tests/layouts.py`` (wrapped, blank
lines, web copy, header columns side by side in five ways, the header on one line, PDF
pages, combined) and read again; every field must give the same values as the plain text.
Offsets differ (the text differs), so spans and warnings are not compared; texts are
compared with white space collapsed, since a wrap is not a change of value.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from vncovid_cli.extraction import extract
from vncovid_cli.readers import read_bytes
from vncovid_cli.rules import load_rules

from .layouts import LAYOUTS

CORPUS = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"))
RULES = load_rules()
# (layout, document) pairs that are known to differ, with the reason
EXCEPTIONS: dict[tuple[str, str], str] = {}


def _flat(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"\s+", " ", value.replace("\u00ad", "")).strip()
    if isinstance(value, dict):
        return {k: _flat(v) for k, v in value.items() if k not in _POSITIONAL}
    if isinstance(value, list):
        return [_flat(v) for v in value]
    return value


# where a value stands and which rule read it: evidence, not value
_POSITIONAL = {
    "start",
    "end",
    "label_start",
    "text",
    "context",
    "spans",
    "warnings",
    "rule",
    "cue_rule",
    "page",
}


def values(record: dict[str, Any]) -> dict[str, Any]:
    """What a record says, without where it says it."""
    out = _flat({k: v for k, v in record.items() if k not in ("spans", "warnings")})
    out["tasks"] = [_flat({**t, "text": t["text"]}) for t in record["tasks"]]
    return out


def _text(path: Path) -> str:
    """A corpus document's text (some are stored in legacy encodings on purpose)."""
    return read_bytes(path.read_bytes()).text


def _plain(path: Path) -> dict[str, Any]:
    return values(extract(_text(path), RULES, with_keywords=False))


@pytest.fixture(scope="module")
def plain() -> dict[str, dict[str, Any]]:
    return {p.name: _plain(p) for p in CORPUS}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_field_is_the_same_under_the_layout(layout: str, plain) -> None:
    assert len(CORPUS) > 100
    differs = {}
    for path in CORPUS:
        if (layout, path.name) in EXCEPTIONS:
            continue
        text = LAYOUTS[layout](_text(path))
        got = values(extract(text, RULES, with_keywords=False))
        fields = [k for k in plain[path.name] if got.get(k) != plain[path.name][k]]
        if fields:
            differs[path.name] = fields
    assert not differs, f"{layout}: {len(differs)} documents differ: {differs}"


def test_the_transforms_change_the_text() -> None:
    sample = next(p for p in CORPUS if p.name.startswith("c01"))
    text = _text(sample)
    for name, transform in LAYOUTS.items():
        assert transform(text) != text, name
