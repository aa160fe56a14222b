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


def test_invalid_recursive_types_do_not_crash_the_checker(tmp_path: Path) -> None:
    # go build reports `invalid recursive type`; the checker must get there without a crash
    path = tmp_path / "cycle.tgo"
    path.write_text(
        "package p\n\ntype A B\ntype B A\ntype C struct{ a A }\n\n"
        "func f(a A, c C) ?*int {\n\t_ = a.x\n\t_ = c.a\n\tvar p ?*int\n\treturn p\n}\n"
    )
    result = check_files([str(path)])
    assert result.diagnostics == []
