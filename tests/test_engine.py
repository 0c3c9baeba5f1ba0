"""The engine's fast paths find exactly what a plain scan of each rule's pattern finds."""

from __future__ import annotations

import re

import pytest

from vncovid_cli.document import Document
from vncovid_cli.engine import find
from vncovid_cli.readers import read_path
from vncovid_cli.rules import FIELDS, lowercase_pattern

from .conftest import CORPUS

# the fields whose rules the engine scans a document with (noise rules rewrite the view;
# the others read values, not documents)
SCANNED_FIELDS = sorted(
    FIELDS - {"checks", "issuer_codes", "keywords", "noise", "numbers", "type_codes"}
)


def plain(rule, text: str) -> list[tuple]:
    found = rule.regex.finditer(text)
    if rule.capitalized:
        found = (m for m in found if m.group()[:1].isupper())
    return [(m.span(), m.groupdict()) for m in found]


def fast(rule, text: str) -> list[tuple]:
    names = list(rule.regex.groupindex)
    return [
        (match.m.span(), {name: match.group(name) for name in names})
        for match in find(text, [rule])
    ]


@pytest.fixture(scope="module")
def corpus_views(rules) -> list[str]:
    paths = sorted(p for p in CORPUS.iterdir() if p.is_file())
    return [Document(read_path(p).text, rules).view for p in paths]


def test_fast_paths_are_in_use(rules):
    rules_ = [r for f in SCANNED_FIELDS for r in rules.field(f)]
    assert sum(r.lower_twin is not None for r in rules_) > 50
    assert {r.id for r in rules_ if r.anchored is not None} >= {
        "tasks.skip_recipients",
        "chrome.counter_line",
    }


def test_every_rule_finds_the_same_on_every_corpus_document(rules, corpus_views):
    assert len(corpus_views) > 50
    for field in SCANNED_FIELDS:
        for rule in rules.field(field):
            for view in corpus_views:
                assert fast(rule, view) == plain(rule, view), rule.id


def test_groups_are_read_from_the_text_not_its_lower_cased_copy(rules):
    rule = rules.get("references.type_number")
    assert rule.lower_twin is not None
    (match,) = list(find("theo Chỉ thị số 16/CT-TTg của Thủ tướng", [rule]))
    assert match.group("symbol") == "CT-TTg"
    assert match.group("type") == "Chỉ thị"
    assert match.group("no_such_group") is None


def test_an_anchored_rule_is_tried_only_where_its_anchor_is(rules):
    rule = rules.get("tasks.skip_recipients")
    text = "1. Các xã rà soát.\nKính gửi: Ủy ban nhân dân các xã\n2. Kính báo cáo."
    assert [m.start for m in find(text, [rule])] == [text.index("Kính gửi")]
    assert rule.anchored.search("kính gửi: các xã")


def test_lowercase_pattern_keeps_escapes_and_group_names():
    pattern = r"(?P<Số>Chỉ\s+THỊ)\S+[A-ZĐ]\N{LATIN CAPITAL LETTER A}(?P=Số)"
    lowered = lowercase_pattern(pattern)
    assert lowered == r"(?P<Số>chỉ\s+thị)\S+[a-zđ]\N{LATIN CAPITAL LETTER A}(?P=Số)"
    re.compile(lowered)


def test_a_pattern_that_reads_differently_lower_cased_gets_no_twin(rules):
    from dataclasses import replace

    rule = rules.get("references.type_number")
    odd = replace(
        rule,
        regex=re.compile(r"\x41b", re.IGNORECASE),  # \x41 is "A": kept as written
        examples=({"text": "Ab"},),
        counter_examples=(),
    )
    assert odd.lower_twin is None
    assert [m.span() for m in odd.scan("xx Ab")] == [(3, 5)]
