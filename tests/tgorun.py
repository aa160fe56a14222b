"""Running the ``tgo`` command in a subprocess for the tests, and small file helpers.

The subprocess runs the tgo this test process imported (the installed wheel under
CI, the source tree otherwise): caches key on a stamp of tgo's own files, and the
tests must test what CI installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import transpiler

IMPORT_ROOT = str(Path(transpiler.__file__).resolve().parents[1])


def child_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a tgo subprocess gets: this one with this process's tgo first on
    PYTHONPATH, without TGO_TRACEBACK, GOFLAGS or TGO_LAUNCHER, plus ``env``."""
    full = dict(os.environ)
    full["PYTHONPATH"] = os.pathsep.join(p for p in (IMPORT_ROOT, full.get("PYTHONPATH")) if p)
    for name in ("TGO_TRACEBACK", "GOFLAGS", "TGO_LAUNCHER"):
        full.pop(name, None)
    full.update(env or {})
    return full


def tgo(*args: str, cwd: Path, env: dict[str, str] | None = None,
        timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """``python -m transpiler ARGS`` in ``cwd``, in ``child_env(env)``."""
    return subprocess.run(
        [sys.executable, "-m", "transpiler", *args],
        cwd=cwd, env=child_env(env), capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


# A fresh interpreter runs the `tgo-py` entry point as the console script does, then prints,
# after what the command printed, its exit status and the modules it loaded (the process
# ends by sys.exit, which the probe catches, instead of report.exit_now, which it cannot).
_ENTRY_PROBE = """
import json, sys
sys.argv = ["tgo", *sys.argv[1:]]
import transpiler.report
transpiler.report.exit_now = sys.exit
from transpiler.fastpath import main
try:
    main()
except SystemExit as e:
    status = e.code
sys.stdout.flush()
sys.__stdout__.write("\\nMODULES " + json.dumps([status, sorted(sys.modules)]) + "\\n")
"""


def entry_probe(args: list[str], cwd: Path) -> tuple[int, str, str, list[str]]:
    """``tgo ARGS`` through the entry point in a fresh process in ``cwd``: (exit status, stdout,
    stderr, every module it loaded)."""
    proc = subprocess.run([sys.executable, "-c", _ENTRY_PROBE, *args], cwd=cwd, env=child_env(),
                          capture_output=True, text=True, check=False)
    out, _, marker = proc.stdout.rpartition("\nMODULES ")
    assert marker, proc.stderr
    status, modules = json.loads(marker)
    return status, out, proc.stderr, modules


def goroot_src() -> Path | None:
    """``$(go env GOROOT)/src`` of the go tgo uses, or None."""
    from transpiler.toolchain import goroot

    root = goroot()
    src = Path(root, "src") if root else None
    return src if src is not None and src.is_dir() else None


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr
    assert "Traceback" not in proc.stdout


def pure_python(test: Callable[..., None]) -> Callable[..., None]:
    """Mark a test that patches the pipeline's functions or classes (monkeypatch): compiled
    code calls them directly and its classes take no new attributes, so it runs on the
    pure-Python build only (CI runs the tests so marked again on the pure form, .ci/run)."""
    import pytest

    skip = pytest.mark.skipif(transpiler.compiled(), reason="patches the pipeline: needs the pure-Python build")
    return pytest.mark.pure_python(skip(test))  # type: ignore[no-any-return]


def version_line() -> str:
    """What ``tgo --version`` prints for the tgo the tests import (tests/test_compiled.py checks
    that ``compiled()`` says what Python imports)."""
    return f"tgo {transpiler.__version__}{' (compiled)' if transpiler.compiled() else ''}\n"
