"""User rules run bounded: a slow pattern is skipped for the document and named, and the
patterns a user's rules share with the built-in ones find the same things."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from vncovid_cli import extract
from vncovid_cli.budget import BoundedPattern, Budget, document_budget, nested_quantifiers
from vncovid_cli.cli import main
from vncovid_cli.readers import read_path
from vncovid_cli.rules import load_rules

from .conftest import CORPUS, ROOT, party_text

# exponential for the regex module too: (a|aa)+ splits a run of a's in Fibonacci-many ways
SLOW = "(?:a|aa)+$"
RUN_OF_AS = "a" * 45 + "!"


def _user_rules(folder: Path, pattern: str, rule_id: str = "dates.slow") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "slow.yaml").write_text(
        "field: dates\ndescription: a user's rule\nrules:\n"
        f"  - id: {rule_id}\n    pattern: '{pattern}'\n    examples: [{{text: 'aaaa'}}]\n",
        encoding="utf-8",
    )
    return folder


def test_a_user_rule_that_runs_out_is_skipped_and_named(tmp_path: Path) -> None:
    rules = load_rules([_user_rules(tmp_path / "r", SLOW)])
    text = party_text() + "\n" + RUN_OF_AS
    record = extract(text, rules, rule_budget=0.05)
    warned = [w for w in record["warnings"] if w["code"] == "rule_budget"]
    assert [w["rule"] for w in warned] == ["dates.slow"]
    assert "dates.slow" in warned[0]["message"] and "slow.yaml" in warned[0]["message"]
    plain = extract(text)
    assert record["doc_number"] == plain["doc_number"] == "115-CV/HU"
    assert record["tasks"] == plain["tasks"]


def test_a_rule_that_ran_out_is_not_run_again_on_that_document() -> None:
    pattern = BoundedPattern("dates.slow", "slow.yaml", SLOW, 0)
    with document_budget(0.05) as budget:
        assert pattern.search(RUN_OF_AS) is None
        assert list(budget.ran_out) == [pattern]
        assert budget.warnings()[0]["rule"] == "dates.slow"
        spent = budget.spent[pattern]
        assert pattern.search("aaaa") is None  # would match, but the rule is out for this doc
        assert budget.spent[pattern] == spent  # and was not run
    with document_budget(0.05):
        assert pattern.search("aaaa")  # the next document starts with a fresh budget


def test_bounded_pattern_matches_like_re_within_budget() -> None:
    source, text = r"(?P<n>\d+)/(?P<y>\d{4})", "số 12/2021 và 7/2020"
    pattern = BoundedPattern("dates.x", "x.yaml", source, 0)
    import re

    plain = re.compile(source)
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert pattern.search(text, 5).group("n") == plain.search(text, 5).group("n")
    assert pattern.sub("#", text) == plain.sub("#", text)
    assert pattern.groupindex == dict(plain.groupindex)
    assert pickle.loads(pickle.dumps(pattern)).search(text).group() == "12/2021"


def test_budget_left_counts_what_was_spent() -> None:
    one, other = (BoundedPattern(f"dates.{n}", "f.yaml", "x", 0) for n in "ab")
    budget = Budget(1.0, spent={one: 0.25})
    assert budget.left(one) == 0.75 and budget.left(other) == 1.0
    budget.ran_out[one] = None
    assert budget.left(one) == 0.0 and budget.warnings()[0]["rule"] == "dates.a"


@pytest.mark.parametrize(
    ("pattern", "nested"),
    [
        (r"(a+)+$", True),
        (r"(?:\w+\s?)*x", True),
        (r"(?=(?:a*)*)b", True),
        (r"\d+/\d+", False),
        (r"(?:\s+\w+){0,3}", False),
        (r"(?>a+)+", False),
        (r"(?:a+)++", False),
    ],
)
def test_nested_quantifiers(pattern: str, nested: bool) -> None:
    assert nested_quantifiers(pattern) is nested


def test_rules_check_warns_about_nested_quantifiers(tmp_path: Path) -> None:
    folder = _user_rules(tmp_path / "r", "(a+)+$")
    result = CliRunner().invoke(main, ["rules", "--check", str(folder)])
    assert result.exit_code == 0, result.output
    warning = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warning) == 1 and "dates.slow" in warning[0] and "nested" in warning[0]
    assert "rules OK" in result.stdout


def test_rules_check_fails_on_an_example_the_rule_misses(tmp_path: Path) -> None:
    folder = _user_rules(tmp_path / "r", "b+")  # its example is 'aaaa'
    result = CliRunner().invoke(main, ["rules", "--check", str(folder)])
    assert result.exit_code == 1
    assert "dates.slow" in result.stderr and "does not match its example" in result.stderr


def test_extract_names_a_slow_user_rule_and_goes_on(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(party_text() + "\n" + RUN_OF_AS, encoding="utf-8")
    (docs / "b.txt").write_text(party_text(number="Số 116-CV/HU"), encoding="utf-8")
    folder = _user_rules(tmp_path / "r", SLOW)
    result = CliRunner().invoke(
        main, ["extract", str(docs), "-q", "--rules", str(folder), "--rule-budget", "0.05"]
    )
    assert result.exit_code == 0, result.output
    import json

    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["doc_number"] for r in records] == ["115-CV/HU", "116-CV/HU"]
    assert [w["rule"] for w in records[0]["warnings"] if w["code"] == "rule_budget"] == [
        "dates.slow"
    ]


def test_built_in_patterns_run_bounded_find_the_same(tmp_path: Path) -> None:
    """Every built-in pattern given again as a user's rule (so run by ``regex`` under the
    budget) reads the corpus into the same records."""
    user = tmp_path / "copy"
    user.mkdir()
    for path in (ROOT / "rules").glob("*.yaml"):
        if path.name != "macros.yaml":
            shutil.copy(path, user / path.name)
    bounded = load_rules([user])
    assert any(isinstance(r.regex, BoundedPattern) for r in bounded.by_id.values())
    for path in sorted(CORPUS.glob("*.txt"))[:12]:
        text = read_path(path).text
        assert extract(text, bounded, rule_budget=30) == extract(text), path.name
