"""The install a user makes: a built wheel, installed (not editable) into a fresh virtual
environment, run from another folder. The built-in rules must travel inside the wheel."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import CORPUS, ROOT

DOC = CORPUS / "c01_chi_thi_ubnd_vinh_phuc.txt"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)]
    done = subprocess.run(build, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.fail(f"pip wheel failed: {done.stderr[-2000:]}")
    return next(out.glob("vncovid-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory) -> Path:
    """A fresh venv holding the wheel; the dependencies come from this test's environment
    through a .pth line (its site-packages' own .pth files, the editable hook among them,
    are not processed, so the checkout cannot leak in)."""
    env = tmp_path_factory.mktemp("venv")
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        pytest.fail(f"installing the wheel failed: {done.stderr[-2000:]}")
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env


def test_the_wheel_carries_every_rule_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (ROOT / "rules").iterdir():
        if path.suffix in {".yaml", ".tsv"}:
            assert f"vncovid_cli/_rules/{path.name}" in names


def test_the_installed_wheel_extracts_from_another_folder(installed: Path, tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    done = subprocess.run(
        [str(installed / "bin" / "vncovid"), "extract", str(DOC), "--quiet", "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["error"] is None
    assert record["doc_number"] == "09/CT-UBND"
    where = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "from vncovid_cli.rules import DEFAULT_RULES_DIR; print(DEFAULT_RULES_DIR)",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(installed)), where
