"""Every example of every rule, with the rule id as the test id (Duckling-style)."""

from __future__ import annotations

from typing import Any

import pytest

from vncovid_cli.probe import probe
from vncovid_cli.rules import Rule, load_rules
from vncovid_cli.text import fold

RULES = sorted(load_rules().by_id.values(), key=lambda r: r.id)
PASSIVE_KINDS = {
    "skip",
    "exclude",
    "cue",
    "title",
    "honorific",
    "stopword",
    "theme",
    "signature",
    "motto",
    "breakdown",
}


def _cases(kind: str) -> list[Any]:
    attr = "examples" if kind == "example" else "counter_examples"
    return [
        pytest.param(rule, example, id=f"{rule.id}[{i}]")
        for rule in RULES
        for i, example in enumerate(getattr(rule, attr))
    ]


def _produces_items(rule: Rule) -> bool:
    """Rules whose matches become items themselves (not lexicons, cues or skips)."""
    return (
        not rule.words and rule.data.get("kind") not in PASSIVE_KINDS and not rule.data.get("cue")
    )


def _matches(item: dict[str, Any], expect: dict[str, Any]) -> bool:
    return all(item.get(key) == value for key, value in expect.items())


@pytest.mark.parametrize(("rule", "example"), _cases("example"))
def test_example(rule: Rule, example: dict[str, Any]) -> None:
    assert rule.regex.search(fold(example["text"])), f"{rule.id} does not match its example"
    if "expect" not in example:
        return
    expect = (
        example["expect"] if isinstance(example["expect"], dict) else {"value": example["expect"]}
    )
    items = probe(rule.field, example["text"], example.get("year"))
    if _produces_items(rule):
        items = [item for item in items if item.get("rule") == rule.id]
    got = [{k: i.get(k) for k in [*expect, "rule"]} for i in items]
    assert any(_matches(item, expect) for item in items), f"{rule.id}: expected {expect} in {got}"


@pytest.mark.parametrize(("rule", "example"), _cases("counter"))
def test_counter_example(rule: Rule, example: dict[str, Any]) -> None:
    items = probe(rule.field, example["text"], example.get("year"))
    assert items == [], f"{rule.id}: counter-example gave {items}"
