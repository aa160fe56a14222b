"""A pinned slice of the false-positive audit (scripts/fp_audit.py, docs/fp-audit.md).

Real modules, fetched through the Go module proxy at pinned versions by
``scripts/realmods.py``, renamed to strict ``.tgo`` files and checked the way
``tgo check ROOT/...`` does: the checker must not crash, and the places where
the audit found false positives that were fixed must stay silent (or, for a
diagnostic that was reported twice, be reported once). Skipped when the module
cannot be fetched (no network and not in the module cache).
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.slow

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _load(name: str) -> ModuleType:
    """A script as a module, by path (the checkout itself is not on sys.path: tests use the installed tgo)."""
    spec = importlib.util.spec_from_file_location(f"_tgo_script_{name}", SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fp_audit = _load("fp_audit")
realmods = fp_audit.realmods

# (file, line, code) -> how many diagnostics the fixed checker gives there, per pinned module.
# Each was a false positive of the audit (docs/fp-audit.md); the fixture named beside it
# pins the rule, these pin it on the real code.
EXPECTED: dict[str, dict[tuple[str, int, str], int]] = {
    # the range expression's nil-deref was reported twice (nil-deref/range_once)
    "github.com/sirupsen/logrus": {("hooks/syslog/syslog_test.tgo", 22, "nil-deref"): 1},
    # ip is a net.IPNet struct, "may be nil" by the (T, error) contract (nil-deref/non_nilable_values)
    "github.com/spf13/pflag": {("ipnet_test.tgo", 65, "nil-deref"): 0, ("ipnet_test.tgo", 66, "nil-deref"): 0},
    # var ne NameEncoder; ne.UnmarshalText(b) is (&ne).UnmarshalText(b) (nil-deref/pointer_method_value)
    "go.uber.org/zap": {
        ("zapcore/encoder_test.tgo", 577, "nil-deref"): 0,
        ("zapcore/encoder_test.tgo", 714, "nil-deref"): 0,
    },
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("realmods")


def test_pinned_list_is_exact() -> None:
    assert len(realmods.MODULES) >= 10
    for m in realmods.MODULES:
        assert m.version.startswith("v") and "@" not in m.path, m
    assert set(EXPECTED) <= {m.path for m in realmods.MODULES}


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_fixed_false_positives_stay_fixed(path: str, workdir: Path) -> None:
    (module,) = realmods.find([path])
    try:
        realmods.download(module)
    except realmods.FetchError as exc:
        pytest.skip(f"cannot fetch {module.spec}: {exc}")
    res = fp_audit.audit_module(module, workdir, context=0, timeout=0)
    assert res.fetch_error is None
    assert res.crashes == []
    assert res.lines > 1000 and res.files > 5
    # every .go file was renamed: the copy holds none, and the module cache is untouched
    tree = workdir / module.short
    assert realmods.go_files(tree) == []
    assert realmods.go_files(realmods.download(module))
    at = Counter((d.file, d.line, d.code) for d in res.diagnostics)
    for key, n in EXPECTED[path].items():
        assert at[key] == n, (key, [d.message for d in res.diagnostics if (d.file, d.line, d.code) == key])
    exact = Counter((d.file, d.line, d.column, d.code, d.message) for d in res.diagnostics)
    assert [k for k, n in exact.items() if n > 1] == []
