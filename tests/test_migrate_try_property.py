"""A property of ``tgo migrate --try``: on generated programs, the blocks it converts are exactly those whose ``?`` does the same, and the converted program prints what the original prints.

Each example is a ``main`` package of functions with one ``if err != nil { return …, E }``
block each, in one of the forms the conversion knows (``:=``, ``=``, ``if`` init, ``var E
error``), returning zero or non-zero values of various result types (named or not),
the error as it is or wrapped (``fmt.Errorf("msg: %w", err)`` or other ways), and
sometimes reading the error variable after the block. The generator knows which blocks
``?`` may replace; the conversion must convert exactly those, the converted package
must check clean, and ``tgo run`` of it must print what ``go run`` of the original prints.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tgorun import tgo

from transpiler.check.snapshot import Session
from transpiler.diagnostics import Severity
from transpiler.migrate.convert import convert, converted_texts

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("go") is None, reason="needs the Go toolchain")]

# result type -> (its zero value as written, a value that is not zero)
TYPES: dict[str, tuple[str, str]] = {
    "int": ("0", "-1"),
    "string": ('""', '"x"'),
    "bool": ("false", "true"),
    "*T": ("nil", "&T{}"),
    "[]int": ("nil", "[]int{}"),
    "T": ("T{}", "T{A: 1}"),
    "any": ("nil", "0"),
    "Level": ("Level(0)", "Level(2)"),
    "[2]int": ("[2]int{}", "[2]int{1}"),
}
SUCCESS: dict[str, str] = {"int": "v", "string": "fmt.Sprint(v)", "bool": "v > 0", "*T": "&T{A: v}",
                           "[]int": "[]int{v}", "T": "T{A: v}", "any": "v", "Level": "Level(v)",
                           "[2]int": "[2]int{v}"}


@dataclass(frozen=True)
class Block:
    results: tuple[str, ...]
    zero: tuple[bool, ...]  # per result: the block returns its zero value
    named: bool
    form: str  # define | assign | init | var
    wrap: str  # none | errorf | errorf-args | new
    used_after: bool

    def converts(self) -> bool:
        return all(self.zero) and self.wrap in ("none", "errorf") and not (self.used_after and self.form != "init")

    def go(self, k: int) -> str:
        res = [f"r{i} {t}" if self.named else t for i, t in enumerate(self.results)]
        res.append("err error" if self.named else "error")
        lines = [f"func f{k}(s string) ({', '.join(res)}) {{"]
        if self.named:
            lines.append("\tdefer func() {\n\t\tif err != nil {\n\t\t\terr = fmt.Errorf(\"deferred: %w\", err)\n\t\t}\n\t}()")
        values = [TYPES[t][0] if z else TYPES[t][1] for t, z in zip(self.results, self.zero, strict=True)]
        wrapped = {"none": "e", "errorf": 'fmt.Errorf("parsing: %w", e)',
                   "errorf-args": 'fmt.Errorf("parsing %q: %w", s, e)', "new": 'errors.New("bad")'}[self.wrap]
        ret = f"\t\treturn {', '.join([*values, wrapped])}"
        if self.form == "define":
            lines += ["\tv, e := parse(s)", "\tif e != nil {", ret, "\t}"]
        elif self.form == "assign":
            lines += ["\tvar v int", "\tvar e error", "\tfmt.Print(\"\")", "\tv, e = parse(s)", "\tif e != nil {", ret,
                      "\t}"]
        elif self.form == "var":
            lines += ["\tvar e error", "\tv, e := parse(s)", "\tif e != nil {", ret, "\t}"]
        else:
            lines += ["\tif e := check(s); e != nil {", ret, "\t}", "\tv := len(s)"]
        if self.used_after:
            lines.append("\tfmt.Print(e == nil, \" \")" if self.form != "init" else "\tfmt.Print(v > 0, \" \")")
        success = [SUCCESS[t] for t in self.results]
        lines += ["\t_ = v", f"\treturn {', '.join([*success, 'nil'])}", "}"]
        return "\n".join(lines)


blocks = st.builds(
    lambda results, zeros, named, form, wrap, used: Block(results, tuple(zeros[: len(results)]), named, form, wrap,
                                                          used),
    st.lists(st.sampled_from(sorted(TYPES)), min_size=0, max_size=3).map(tuple),
    st.lists(st.sampled_from([True, True, False]), min_size=3, max_size=3),
    st.booleans(),
    st.sampled_from(["define", "assign", "init", "var"]),
    st.sampled_from(["none", "none", "errorf", "errorf-args", "new"]),
    st.booleans(),
)

HEAD = """package main

import (
	"errors"
	"fmt"
	"strconv"
)

type T struct{ A int }

type Level int

var _ = errors.New

func parse(s string) (int, error) { return strconv.Atoi(s) }

func check(s string) error {
	if _, err := strconv.Atoi(s); err != nil {
		return err
	}
	return nil
}
"""


def program(bs: list[Block]) -> str:
    funcs = "\n\n".join(b.go(k) for k, b in enumerate(bs))
    calls = "".join(f'\t\tfmt.Printf("f{k}(%q): %#v\\n", s, fmt.Sprint(f{k}(s)))\n' for k in range(len(bs)))
    return f"{HEAD}\n{funcs}\n\nfunc main() {{\n\tfor _, s := range []string{{\"7\", \"x\"}} {{\n{calls}\t}}\n}}\n"


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bs=st.lists(blocks, min_size=1, max_size=8))
def test_try_converts_exactly_the_blocks_that_behave_the_same(bs: list[Block],
                                                              tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("prog")
    text = program(bs)
    original = root / "orig"
    original.mkdir()
    (original / "go.mod").write_text("module example.com/prog\n\ngo 1.22\n")
    (original / "main.go").write_text(text)
    run = subprocess.run(["go", "run", "."], cwd=original, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr + text
    work = root / "conv"
    work.mkdir()
    (work / "go.mod").write_text("module example.com/prog\n\ngo 1.22\n")
    (work / "main.tgo").write_text(text)
    (work / "tgo.toml").write_text('oblivious = ["..."]\n')  # (nil annotations are not --try's part)
    check = Session().snapshot().check_package(str(work))
    assert not [d.text() for d in check.result.diagnostics if d.severity is Severity.ERROR]
    conv = convert(check, try_=True, enums=False, unions=False)
    assert conv.counts["try"] == 1 + sum(b.converts() for b in bs), text  # (and the block in check)
    for path, new in converted_texts(check, conv.edits).items():
        Path(path).write_text(new)
    after = Session().snapshot().check_package(str(work))
    assert not [d.text() for d in after.result.diagnostics if d.severity is Severity.ERROR]
    converted = tgo("run", ".", cwd=work)
    assert (converted.returncode, converted.stdout) == (0, run.stdout), converted.stderr + (work / "main.tgo").read_text()
