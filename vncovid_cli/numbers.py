"""Numbers as written in Vietnamese texts: "2.555", "98,9", "05", "mười hai", "1,2 triệu"."""

from __future__ import annotations

import re

from .rules import RuleSet

_DIGITS = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+$|^[0-9]+$")
_SCALED = re.compile(r"^([0-9]+(?:,[0-9]+)?)\s+(\w+)$")  # "1,2 triệu", "15 nghìn"
_DIGITS_IN = re.compile(r"^[0-9.]+|\(([0-9.]+)\)")  # "73 (bảy mươi ba)", "năm mươi bảy (57)"


def parse_count(text: str, rules: RuleSet) -> int | None:
    """A count as written: digits, number words, both ("73 (bảy mươi ba)": the digits
    decide), or digits with a multiplier word ("1,2 triệu" is 1200000)."""
    text = text.strip()
    scaled = _SCALED.match(text)
    if scaled:
        multiplier = _number_words(rules)["multipliers"].get(scaled.group(2).lower())
        return round(parse_decimal(scaled.group(1)) * multiplier) if multiplier else None
    digits = _DIGITS_IN.search(text)
    return parse_number(digits.group(digits.lastindex or 0) if digits else text, rules)


def parse_number(text: str, rules: RuleSet) -> int | None:
    """An integer from digits with thousands dots or from number words; None if neither."""
    text = text.strip()
    if _DIGITS.match(text):
        return int(text.replace(".", ""))
    return parse_words(text, rules)


def parse_decimal(text: str) -> float:
    """A decimal with a comma ("98,9") or dots for thousands ("1.204,5")."""
    return float(text.replace(".", "").replace(",", "."))


def parse_words(text: str, rules: RuleSet) -> int | None:
    """Number words to an integer: "hai mươi mốt nghìn không trăm mười một" -> 21011."""
    table = _number_words(rules)
    digits, multipliers = table["digits"], table["multipliers"]
    total, group, pending = 0, 0, None
    for word in text.lower().split():
        if word in table["ten"]:
            group += 10
        elif word in table["tens"]:
            group += (1 if pending is None else pending) * 10
            pending = None
        elif word in table["hundred"]:
            group += (1 if pending is None else pending) * 100
            pending = None
        elif word in multipliers:
            total += (group + (pending or 0)) * multipliers[word]
            group, pending = 0, None
        elif word in digits:
            if pending is not None:
                return None
            pending = digits[word]
        elif word not in table["filler"]:
            return None
    return total + group + (pending or 0)


def _number_words(rules: RuleSet) -> dict:
    """The number-word table (the ``numbers`` rule whose data give ``digits``)."""
    rule = rules.having("numbers", "digits")
    if rule is None:
        raise KeyError("no numbers rule with 'digits' in its data")
    return rule.data
