"""A pinned slice of scripts/realmods_compare.py: a real module adopted by renaming every file to
.tgo (oblivious through tgo.toml) tests and vets exactly as it does as Go.

google/uuid at its pinned version, fetched through the Go module proxy (skipped when it
cannot be fetched): every package's ``tgo test`` outcome is ``go test``'s, and ``tgo
vet`` finds what ``go vet`` finds. The full run over sixteen modules is the script's.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from test_realmods import _load
from tgorun import child_env, write

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("go") is None, reason="needs the Go toolchain")]

compare_script = _load("realmods_compare")


def test_uuid_tests_and_vets_as_go(tmp_path: Path) -> None:
    module = compare_script.find(["github.com/google/uuid"])[0]
    try:
        compare_script.download(module)
    except compare_script.FetchError as exc:
        pytest.skip(f"cannot fetch {module.spec}: {exc}")
    # the tgo the tests import, as a command
    shim = write(tmp_path / "bin" / "tgo", f'#!/bin/sh\nexec {sys.executable} -m transpiler "$@"\n')
    shim.chmod(0o755)
    env = child_env({"TGO_CACHE_DIR": str(tmp_path / "cache")})
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        result = compare_script.compare(module, tmp_path / "work", str(shim), shutil.which("go") or "go",
                                        ["-count=1", "-short"], 600)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert result.go.outcomes == {"github.com/google/uuid": "pass"}
    assert result.differing == []
    assert result.vet_same
