"""The engine is generic: no Python module decides by a rule's id or its priority number.

Fields find the rules they need by what the rules' data say (``role``, ``kind``, a data key:
:meth:`RuleSet.having`), so a user's rule directory can add, rename or replace any rule.
The rule loader is left out: telling rules apart by id is its job (overrides, duplicates).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from vncovid_cli.rules import load_rules

PACKAGE = Path(__file__).resolve().parents[1] / "vncovid_cli"
LOADER = PACKAGE / "rules.py"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p != LOADER)
RULE_IDS = set(load_rules().by_id)


def _offences(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value in RULE_IDS:
            found.append((node.lineno, f"rule id literal {node.value!r}"))
        if isinstance(node, ast.Compare):
            names = {
                n.attr if isinstance(n, ast.Attribute) else getattr(n, "id", None)
                for n in ast.walk(node)
            }
            keys = {n.value for n in ast.walk(node) if isinstance(n, ast.Constant)}
            if names & {"id", "rule_id"} or "priority" in keys | names:
                found.append((node.lineno, f"comparison {ast.unparse(node)}"))
    return found


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_decides_by_a_rule_id_or_priority(module: Path) -> None:
    offences = _offences(ast.parse(module.read_text(encoding="utf-8")))
    assert not offences, f"{module.name}: {offences}"


def test_the_check_finds_what_it_looks_for() -> None:
    some_id = sorted(RULE_IDS)[0]
    code = f'if match.rule.id == "{some_id}" or m.data["priority"] == 5:\n    pass\n'
    kinds = [text.split()[0] for _, text in _offences(ast.parse(code))]
    assert kinds.count("rule") >= 1 and kinds.count("comparison") >= 2
