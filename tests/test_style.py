"""The code stays ruff clean (CI runs the tests, so this is where style is checked)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import ROOT

PYTHON_DIRS = ("vncovid_cli", "tests", "bench")


def _ruff() -> str:
    ruff = shutil.which("ruff") or str(ROOT / ".venv" / "bin" / "ruff")
    if not shutil.which(ruff):
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    return ruff


def test_ruff_check_is_clean() -> None:
    result = subprocess.run([_ruff(), "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_ruff_format_is_clean() -> None:
    paths = [str(ROOT / d) for d in PYTHON_DIRS]
    result = subprocess.run([_ruff(), "format", "--check", *paths], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
