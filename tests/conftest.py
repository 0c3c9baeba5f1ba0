"""Shared fixtures: the project's folders and the optional ../shared material."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def rules():
    from vncovid_cli.rules import load_rules

    return load_rules()


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared (seeds and their gold); tests that need it skip on a user's clone."""
    if not (SHARED / "seeds").is_dir() or not (SHARED / "eval" / "gold").is_dir():
        pytest.skip("../shared is not present (it is only beside the project's own checkout)")
    return SHARED
