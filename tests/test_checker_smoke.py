"""A first end-to-end check of every rule on one file, through the `// want:` harness.

The per-rule fixture suite lives in tests/checker/; this file keeps a fast
smoke test of the whole checker next to the other unit tests.
"""

from __future__ import annotations

from pathlib import Path

from want import assert_wants

from transpiler.check import check_files

HERE = Path(__file__).parent / "checker_smoke"


def test_smoke_file_meets_its_wants() -> None:
    path = HERE / "smoke.tgo"
    result = check_files([str(path)])
    assert_wants(result.diagnostics, {str(path): path.read_text()})
