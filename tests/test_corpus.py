"""A fixed sample of the Go standard library parses cleanly and lowers to itself.

About 150 files under ``$(go env GOROOT)/src`` (outside ``testdata``): a list
of big and unusual ones chosen by hand (generics-heavy packages, the runtime,
huge tables and literals, cgo, goto and labels, channel-of-channel types,
hex floats and imaginary literals) plus a seeded random sample of the rest.
Each must parse with no diagnostics and round-trip exactly: ``generate``'s
output is the tgo header followed by the original text.

The whole corpus is checked by ``scripts/parse_corpus.py``.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

SAMPLE_SIZE = 150
SEED = 20_240_601
# Files larger than this are only tested when listed by hand below, so that the
# random part of the sample cannot make the test slow.
RANDOM_MAX_BYTES = 120_000

# Paths relative to GOROOT/src; a path missing from the installed Go is left out.
CHOSEN = [
    # generics
    "slices/slices.go",
    "slices/iter.go",
    "slices/sort.go",
    "slices/zsortanyfunc.go",
    "slices/slices_test.go",
    "maps/maps.go",
    "maps/iter.go",
    "iter/iter.go",
    "iter/pull_test.go",
    "cmp/cmp.go",
    "unique/handle.go",
    "sync/map.go",
    "internal/sync/hashtriemap.go",
    "internal/runtime/maps/table.go",
    "sync/atomic/type.go",
    "sync/atomic/value.go",
    "sync/atomic/doc.go",
    "go/types/infer.go",
    "go/types/unify.go",
    "go/types/typeset.go",
    "go/types/instantiate.go",
    "go/types/call.go",
    "go/types/expr.go",
    "go/types/typestring.go",
    "cmd/compile/internal/types2/infer.go",
    "cmd/compile/internal/types2/unify.go",
    "cmd/compile/internal/types2/typeset.go",
    "cmd/compile/internal/types2/expr.go",
    "internal/types/errors/codes.go",
    # the runtime: directives, assembly stubs without bodies, goto, unsafe
    "runtime/proc.go",
    "runtime/malloc.go",
    "runtime/mgc.go",
    "runtime/chan.go",
    "runtime/iface.go",
    "runtime/stubs.go",
    "runtime/runtime2.go",
    "runtime/mgcmark_greenteagc.go",
    "runtime/complex_test.go",
    # math/big: assembly declarations, long arithmetic
    "math/big/nat.go",
    "math/big/natconv.go",
    "math/big/float.go",
    "math/big/arith_decl.go",
    # big tables and literals
    "unicode/tables.go",
    "unicode/letter.go",
    "unicode/utf8/utf8.go",
    "html/entity.go",
    "time/tzdata/zzipdata.go",
    "cmd/compile/internal/ssa/rewritedec.go",
    "cmd/compile/internal/ssa/rewritegeneric.go",
    "cmd/compile/internal/ssa/opGen.go",
    # unusual syntax
    "syscall/types_linux.go",
    "syscall/exec_linux.go",
    "database/sql/ctxutil.go",
    "text/scanner/scanner_test.go",
    "go/parser/parser_test.go",
    "strconv/quote_test.go",
    "html/template/escape.go",
    "reflect/all_test.go",
    # big ordinary files
    "encoding/json/decode_test.go",
    "net/http/server.go",
    "fmt/fmt_test.go",
]


def _goroot_src() -> Path | None:
    go = shutil.which("go")
    if go is None:
        return None
    try:
        out = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    src = Path(out.stdout.strip(), "src")
    return src if out.stdout.strip() and src.is_dir() else None


def _corpus(src: Path) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if d != "testdata")
        rel = os.path.relpath(dirpath, src)
        found.extend(os.path.normpath(os.path.join(rel, f)) for f in filenames if f.endswith(".go"))
    return sorted(found)


def _sample(src: Path) -> list[str]:
    every = _corpus(src)
    present = set(every)
    chosen = [p for p in CHOSEN if p in present]
    taken = set(chosen)
    rest = [p for p in every if p not in taken and (src / p).stat().st_size <= RANDOM_MAX_BYTES]
    k = max(0, min(len(rest), SAMPLE_SIZE - len(chosen)))
    return chosen + sorted(random.Random(SEED).sample(rest, k))


SRC = _goroot_src()
SAMPLE = _sample(SRC) if SRC is not None else []


def test_sample_is_fixed_and_sizeable() -> None:
    if SRC is None:
        pytest.skip("go is not installed")
    assert len(SAMPLE) == len(set(SAMPLE))
    assert len(SAMPLE) >= min(SAMPLE_SIZE, len(_corpus(SRC)))
    # most of the hand-chosen files exist in any recent Go
    assert sum(p in SAMPLE for p in CHOSEN) >= len(CHOSEN) * 3 // 4
    assert _sample(SRC) == SAMPLE


@pytest.mark.parametrize(
    "rel", SAMPLE or [pytest.param("", marks=pytest.mark.skip(reason="go is not installed"))]
)
def test_parses_and_round_trips(rel: str) -> None:
    from transpiler.lower import generate
    from transpiler.syntax import parse_source

    assert SRC is not None
    path = SRC / rel
    data = path.read_bytes()
    result = parse_source(data, str(path))
    assert [d.text() for d in result.diagnostics] == []
    assert result.tree is not None
    name = path.name
    out = generate(result, name)
    header = f"// Code generated by tgo from {name}. DO NOT EDIT.\n\n//line {name}:1\n"
    assert out.startswith(header)
    body = out[len(header) :]
    text = data.decode("utf-8")
    if body != text:
        # Report the first differing line rather than two huge strings.
        exp, got = text.splitlines(keepends=True), body.splitlines(keepends=True)
        for i, (e, g) in enumerate(zip(exp, got, strict=False)):
            assert g == e, f"{rel}:{i + 1}: round trip differs"
        assert len(got) == len(exp), f"{rel}: round trip has {len(got)} lines, the source {len(exp)}"
        raise AssertionError(f"{rel}: round trip differs")
