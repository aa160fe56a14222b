"""The end of a tgo process (``report.exit_now``): the interpreter's teardown skipped, nothing
of it lost: the output flushed whole through a pipe, the exit handlers run, the status kept,
a reader that went away a quiet status 1, another thread waited for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tgorun import child_env, tgo, write


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))


def many_findings(n: int) -> str:
    body = "".join(f"\tp{i} := find()\n\t_ = *p{i}\n" for i in range(n))
    return f"package p\n\nfunc find() ?*int {{ return nil }}\n\nfunc use() {{\n{body}}}\n"


def test_a_long_report_through_a_pipe_arrives_whole_with_its_status(tmp_path: Path) -> None:
    write(tmp_path / "a.tgo", many_findings(400))
    # the first run is click's command line, the second the argument record's
    runs = [tgo("check", "--format", "json", "a.tgo", cwd=tmp_path) for _ in range(2)]
    for proc in runs:
        assert proc.returncode == 1, proc.stderr
        found = json.loads(proc.stdout)
        assert [d["code"] for d in found] == ["nil-deref"] * 400
    assert runs[0].stdout == runs[1].stdout


def test_a_reader_that_goes_away_is_a_quiet_status_1(tmp_path: Path) -> None:
    write(tmp_path / "a.tgo", many_findings(2000))
    for _ in range(2):  # (click's command line, then the record's)
        proc = subprocess.Popen([sys.executable, "-m", "transpiler", "check", "a.tgo"], cwd=tmp_path,
                                env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.read(10)
        proc.stdout.close()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 1
        assert "Traceback" not in err and "Exception ignored" not in err


END = """
import atexit, sys, threading, time
from transpiler.report import exit_now
atexit.register(lambda: print("handler ran"))
print("buffered", end=" ")
if sys.argv[1] == "thread":
    threading.Thread(target=lambda: (time.sleep(0.2), print("thread done", end=" "))).start()
exit_now(int(sys.argv[2]) if sys.argv[2].isdigit() else sys.argv[2])
"""


@pytest.mark.parametrize(("args", "out", "err", "status"), [
    (["main", "3"], "buffered handler ran\n", "", 3),
    (["main", "0"], "buffered handler ran\n", "", 0),
    (["main", "failed: bad input"], "buffered handler ran\n", "failed: bad input\n", 1),
    (["thread", "0"], "buffered thread done handler ran\n", "", 0),
])
def test_the_end_keeps_what_sys_exit_keeps(args: list[str], out: str, err: str, status: int) -> None:
    proc = subprocess.run([sys.executable, "-c", END, *args], env=child_env(), capture_output=True,
                          text=True, timeout=60, check=False)
    assert (proc.stdout, proc.stderr, proc.returncode) == (out, err, status)
