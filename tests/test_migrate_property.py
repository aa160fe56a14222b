"""Property: migrating a generated well-typed Go program gives a program that checks clean,
keeps every byte of the original, and lowers to the original code.

The programs are ``tgogen_nil``'s (struct types with pointer fields, helpers returning
nil, functions dereferencing values behind guards or not), with every ``?`` and ``!``
erased: plain Go that ``go vet`` accepts (test_property_check.py checks the generator).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from test_migrate import GO_MOD, only_insertions
from tgogen_nil import Program, no_known_bug, programs, render
from tgorun import write

from transpiler.migrate.pipeline import Migrator
from transpiler.migrate.verify import differences


@pytest.mark.slow
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(programs(keep=no_known_bug))
def test_migrated_program_checks_clean_and_lowers_to_the_original(prog: Program) -> None:
    go = render(prog).erased
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write(root / "go.mod", GO_MOD)
        path = write(root / "p" / "x.go", go)
        m = Migrator()
        (pkg,) = m.migrate({str(root / "p"): [str(path)]})
        assert pkg.ok, "\n".join(d.text() for d in pkg.left) + "\n" + go
        (f,) = pkg.files
        assert only_insertions(go, f.text)
        assert differences(m, pkg.directory, pkg.files) == []
        # the generator's helpers return nil: inference finds them
        assert f.nullable > 0
