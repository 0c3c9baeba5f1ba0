"""Rule files are validated on load, and --rules folders add to or override them."""

from __future__ import annotations

from pathlib import Path

import pytest

from vncovid_cli.probe import probe
from vncovid_cli.rules import RuleError, load_file, load_rules

GOOD = """field: dates
rules:
  - id: dates.custom
    pattern: 'hôm\\s+(?P<day>[0-9]{1,2})\\s+tháng\\s+(?P<month>[0-9]{1,2})'
    examples:
      - text: "hôm 5 tháng 9"
        expect: {value: "--09-05"}
"""


def write(folder: Path, text: str, name: str = "custom.yaml") -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (GOOD.replace("pattern:", "patern:"), "unknown keys ['patern']"),
        (GOOD.replace("[0-9]{1,2})'", "[0-9]{1,2}'"), "pattern does not compile"),
        (GOOD.replace("id: dates.custom", "id: custom"), "id must start with 'dates.'"),
        (GOOD.split("    examples:")[0], "needs at least one example"),
        (GOOD.replace("field: dates\n", ""), "missing 'field'"),
        ("field: dates\nrules: [\n", "cannot read YAML"),
        (GOOD.replace("hôm\\s+", "${NOPE}"), "unknown macro"),
    ],
)
def test_malformed_rule_file_names_file_rule_and_reason(
    tmp_path: Path, text: str, reason: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RuleError) as info:
        load_file(path)
    assert str(path) in str(info.value)
    assert reason in str(info.value)


def test_duplicate_id_in_one_folder_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD, "b.yaml")
    with pytest.raises(RuleError, match="duplicate rule id"):
        load_rules([tmp_path])


def test_user_folder_adds_a_rule(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    rules = load_rules([tmp_path])
    assert "dates.custom" in rules.by_id
    assert [d["value"] for d in probe("dates", "hôm 5 tháng 9", rules=rules)] == ["--09-05"]
    assert probe("dates", "hôm 5 tháng 9") == []


def test_user_folder_overrides_a_rule_by_id(tmp_path: Path) -> None:
    override = GOOD.replace("dates.custom", "dates.dm_slash")
    write(tmp_path, override)
    rules = load_rules([tmp_path])
    assert rules.get("dates.dm_slash").path.endswith("custom.yaml")
    assert probe("dates", "Ngày 23/11, họp", rules=rules) == []


def test_a_rule_file_for_an_unknown_field_is_an_error(tmp_path: Path) -> None:
    text = GOOD.replace("field: dates", "field: datez").replace("dates.custom", "datez.x")
    path = write(tmp_path, text)
    with pytest.raises(RuleError, match="unknown field 'datez'"):
        load_file(path)


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        ("a\tb\n1\t2\n", "header must be"),
        (
            "province\tprovince_type\tdistrict\tdistrict_type\taliases\nHà Nam\ttỉnh\n",
            "row 2 has 2 cells",
        ),
    ],
)
def test_a_malformed_table_stops_loading(tmp_path: Path, table: str, reason: str) -> None:
    (tmp_path / "gazetteer.tsv").write_text(table, encoding="utf-8")
    with pytest.raises(RuleError, match=reason) as info:
        load_rules([tmp_path])
    assert "gazetteer.tsv" in str(info.value)


def test_a_pattern_that_can_match_the_empty_string_is_refused(tmp_path: Path) -> None:
    pattern = GOOD.split("pattern: '")[1].split("'")[0]
    for n, empty in enumerate(("x*", "(?:ca)?", "(?<=ngày)")):
        folder = tmp_path / f"r{n}"
        write(folder, GOOD.replace(pattern, empty))
        with pytest.raises(RuleError, match="dates.custom: pattern can match the empty string"):
            load_rules([folder])
