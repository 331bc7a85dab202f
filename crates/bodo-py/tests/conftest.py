"""Fixtures: the repository, the `bodo` binary the CLI tests compare with, and CLI runs.

The tests compare `import bodo` with the `bodo` command built from the same checkout
(`target/release/bodo`, or `$BODO_BIN`): results are asserted against the files the CLI wrote,
never against numbers written into the tests.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
PAGE = REPO / "data" / "seoul-shinmun-kakao-outage-search.txt"
WIRE = REPO / "tests" / "data" / "pipeline" / "wire-copies.jsonl"


def bodo_bin() -> Path:
    path = Path(os.environ.get("BODO_BIN", REPO / "target" / "release" / "bodo"))
    if not path.is_file():
        pytest.skip(f"{path}: build the CLI first (cargo build --release)")
    return path


def cli(*args: str, stdin: str | None = None) -> str:
    """Runs the bodo binary; its stdout."""
    done = subprocess.run(
        [str(bodo_bin()), *args], input=stdin, capture_output=True, text=True, check=False
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


@pytest.fixture(scope="session")
def cli_page(tmp_path_factory) -> Path:
    """`bodo run` of the shipped page (its reports directory)."""
    out = tmp_path_factory.mktemp("cli") / "reports"
    cli("run", str(PAGE), "-o", str(out), "--quiet")
    return out


@pytest.fixture(scope="session")
def py_page(tmp_path_factory):
    """`bodo.run` of the shipped page."""
    import bodo

    out = tmp_path_factory.mktemp("py") / "reports"
    return bodo.run([str(PAGE)], out=out)
