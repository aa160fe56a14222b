"""Property tests for the parser: generated programs, round trips, hostile mutations.

* The generator (tests/gogen.py) writes valid Go: gofmt accepts a batch of its output.
* Generated Go programs parse without diagnostics, their trees' spans nest, and
  ``generate`` reproduces them byte for byte under the generated-code header.
* Every node of the tree has the kind and span go/parser gives it (generated
  programs and a GOROOT sample, through a small Go helper built at test time).
* Generated tgo programs parse without diagnostics, and each `?T`, `x!` and
  `call?` is the right node at the right place.
* Parsing and lowering are deterministic.
* Mutated real Go files (a fixed sample of GOROOT/src) and mutated generated
  programs never make the parser raise, and whatever it reports is well formed.

Tests that need gofmt or the go command skip without them.  TGO_PROPERTY_SCALE=N
multiplies the number of examples.
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from gogen import _programs, go_programs, tgo_programs, tgo_programs_with_erasure
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from tgorun import goroot_src

from transpiler.lower import generate, header
from transpiler.syntax import ParseResult, ast, parse_source

# TGO_PROPERTY_SCALE=10 runs ten times the examples (for a longer bug hunt).
# (Budget at scale 1: about 40 s on one core.)
_SCALE = max(1, int(os.environ.get("TGO_PROPERTY_SCALE", "1")))
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
_GENERATED = settings(max_examples=150 * _SCALE, deadline=None, suppress_health_check=_SLOW_OK)
_MUTATIONS = settings(max_examples=300 * _SCALE, deadline=None, suppress_health_check=_SLOW_OK)


def _parse(src: str, name: str = "x.tgo") -> ParseResult:
    return parse_source(src.encode("utf-8"), name)


def _diagnostics_text(r: ParseResult) -> str:
    return "\n".join(d.text() for d in r.diagnostics)


def _check_spans(tree: ast.File, text: str) -> None:
    """Every child lies inside its parent, in order, without overlap."""
    for node in ast.walk(tree):
        assert 0 <= node.pos <= node.end <= len(text), node
        cursor = node.pos
        for child in node.children():
            assert node.pos <= child.pos <= child.end <= node.end, (node, child)
            assert child.pos >= cursor, ("children overlap", node, child)
            cursor = child.end
        if isinstance(node, ast.Ident):
            assert text[node.pos : node.end] == node.name, node
        if isinstance(node, ast.BasicLit):
            assert text[node.pos : node.end] == node.value, node


# --- the generator writes valid Go ---------------------------------------------


def test_generator_output_is_valid_go() -> None:
    """gofmt -e accepts the generator's Go programs and its tgo programs with the
    extensions erased to Go (the same choices written as plain Go)."""
    gofmt = shutil.which("gofmt")
    if gofmt is None:
        pytest.skip("gofmt is not on PATH")
    samples: list[str] = []

    @settings(max_examples=150, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(go_programs(), _programs(True, True)))
    def collect(src: str) -> None:
        samples.append(src)

    collect()
    with tempfile.TemporaryDirectory() as d:
        for i, src in enumerate(samples):
            Path(d, f"f{i}.go").write_bytes(src.encode("utf-8"))
        proc = subprocess.run([gofmt, "-l", "-e", d], capture_output=True, text=True, errors="replace", timeout=120)
        errors = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        if errors:
            # (a //line comment in the file may rename it in gofmt's messages)
            first = Path(errors[0].split(":", 1)[0])
            text = first.read_text(encoding="utf-8") if first.is_file() else ""
            pytest.fail(f"gofmt rejects generated Go:\n{chr(10).join(errors[:10])}\n--- {first}\n{text}")


# --- generated programs --------------------------------------------------------


@_GENERATED
@given(go_programs())
def test_go_programs_round_trip(src: str) -> None:
    r = _parse(src)
    assert r.diagnostics == [], _diagnostics_text(r)
    assert r.tree is not None
    _check_spans(r.tree, r.source.text)
    out = generate(r, "x.tgo")
    assert out.startswith(header("x.tgo"))
    assert out[len(header("x.tgo")) :] == src


@_GENERATED
@given(tgo_programs())
def test_tgo_programs_parse(src: str) -> None:
    r = _parse(src)
    assert r.diagnostics == [], _diagnostics_text(r)
    assert r.tree is not None
    _check_spans(r.tree, r.source.text)


@_GENERATED
@given(tgo_programs_with_erasure())
def test_tgo_extension_nodes(pair: tuple[str, str]) -> None:
    """Each `?T`, `x!` and `call?`/`call ? "msg"` the generator wrote is a
    NullableType, NonNilExpr or TryExpr node at exactly that place: deleting
    those nodes' tgo tokens from the text gives the generator's Go version."""
    src, erased = pair
    r = _parse(src)
    assert r.diagnostics == [], _diagnostics_text(r)
    assert r.tree is not None
    text = r.source.text
    cuts: list[tuple[int, int]] = []
    for n in ast.walk(r.tree):
        if isinstance(n, ast.NullableType):
            assert text[n.pos] == "?", n
            cuts.append((n.pos, n.pos + 1))
        elif isinstance(n, ast.NonNilExpr):
            assert text[n.end - 1] == "!" and n.pos == n.x.pos, n
            cuts.append((n.end - 1, n.end))
        elif isinstance(n, ast.TryExpr):
            assert text[n.x.end : n.end].lstrip().startswith("?") and n.pos == n.x.pos, n
            assert n.msg is None or n.msg.end == n.end, n
            cuts.append((n.x.end, n.end))
    out, at = [], 0
    for start, end in sorted(cuts):
        assert start >= at, ("overlapping extension nodes", cuts)
        out.append(text[at:start])
        at = end
    out.append(text[at:])
    assert "".join(out) == erased


@settings(max_examples=60 * _SCALE, deadline=None, suppress_health_check=_SLOW_OK)
@given(st.one_of(go_programs(), tgo_programs()))
def test_parse_and_lowering_are_deterministic(src: str) -> None:
    data = src.encode("utf-8")
    r1 = parse_source(data, "x.tgo")
    r2 = parse_source(data, "x.tgo")
    assert r1.diagnostics == r2.diagnostics
    assert r1.tree is not None and r2.tree is not None
    assert generate(r1, "x.tgo").encode() == generate(r2, "x.tgo").encode()
    assert generate(r1, "x.tgo").encode() == generate(r1, "x.tgo").encode()


# --- trees agree with go/parser -----------------------------------------------------

# A Go helper: for each file named on the command line, one JSON line with the
# kind and byte span of every node of its go/ast tree (or the parse error).
_GO_SPANS_TOOL = """package main

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
)

func main() {
	enc := json.NewEncoder(os.Stdout)
	for _, path := range os.Args[1:] {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		out := map[string]any{"file": path}
		if err != nil {
			out["error"] = err.Error()
		} else {
			nodes := [][3]any{}
			ast.Inspect(f, func(n ast.Node) bool {
				if n != nil {
					kind := reflect.TypeOf(n).Elem().Name()
					nodes = append(nodes, [3]any{kind, fset.Position(n.Pos()).Offset, fset.Position(n.End()).Offset})
				}
				return n != nil
			})
			out["nodes"] = nodes
		}
		if err := enc.Encode(out); err != nil {
			os.Exit(1)
		}
	}
}
"""
# Kinds whose spans differ by design: go/ast's File ends at the last declaration,
# and tgo keeps no EmptyStmt for an explicit `;` in a statement list.  A labeled
# statement is compared by its start only: go/ast ends `L: }` at the `}`.
_SPAN_SKIP = frozenset(["File", "EmptyStmt"])
_START_ONLY = frozenset(["LabeledStmt"])
_Spans = collections.Counter[tuple[str, int, int]]


@cache
def _go_spans_tool() -> str | None:
    go = shutil.which("go")
    if go is None:
        return None
    d = tempfile.mkdtemp(prefix="tgo-spans-")
    Path(d, "main.go").write_text(_GO_SPANS_TOOL, encoding="utf-8")
    exe = str(Path(d, "spans"))
    proc = subprocess.run([go, "build", "-o", exe, "main.go"], cwd=d, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "GO111MODULE": "off"})
    return exe if proc.returncode == 0 else None


def _tgo_spans(r: ParseResult) -> _Spans:
    assert r.tree is not None
    src = r.source
    # go/ast starts a declared function's FuncType at the `func` keyword
    func_starts = {id(n.type): n.pos for n in ast.walk(r.tree) if isinstance(n, ast.FuncDecl)}
    spans: _Spans = collections.Counter()
    for n in ast.walk(r.tree):
        kind = type(n).__name__
        if kind not in _SPAN_SKIP:
            end = -1 if kind in _START_ONLY else src.byte_offset(n.end)
            spans[(kind, src.byte_offset(func_starts.get(id(n), n.pos)), end)] += 1
    return spans


def _go_spans(nodes: list[list[Any]]) -> _Spans:
    spans: _Spans = collections.Counter()
    for kind, pos, end in nodes:
        kind = "IndexExpr" if kind == "IndexListExpr" else kind
        if kind not in _SPAN_SKIP:
            spans[(kind, pos, -1 if kind in _START_ONLY else end)] += 1
    return spans


def test_trees_match_go_parser() -> None:
    """Every node of the tree has the kind and span go/parser gives it, for
    generated Go programs and the GOROOT sample (precedence, associativity,
    composite literals in headers, type parameters vs. arrays, ...)."""
    tool = _go_spans_tool()
    if tool is None:
        pytest.skip("no Go toolchain to build the go/ast helper")
    samples: list[bytes] = []

    @settings(max_examples=150 * _SCALE, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(go_programs())
    def collect(src: str) -> None:
        samples.append(src.encode("utf-8"))

    collect()
    samples.extend(_read(p) for p in _goroot_sample())
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for i, data in enumerate(samples):
            paths.append(str(Path(d, f"f{i}.go")))
            Path(paths[-1]).write_bytes(data)
        proc = subprocess.run([tool, *paths], capture_output=True, text=True, timeout=300, check=True)
        results = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(results) == len(samples)
    for data, res in zip(samples, results, strict=True):
        assert "error" not in res, res["error"]
        r = parse_source(data, "x.go")
        assert r.diagnostics == [], _diagnostics_text(r)
        mine, theirs = _tgo_spans(r), _go_spans(res["nodes"])
        if mine != theirs:
            lines = [f"tgo only: {k} {data[k[1]:k[2]]!r}" for k in sorted(mine - theirs)[:8]]
            lines += [f"go only:  {k} {data[k[1]:k[2]]!r}" for k in sorted(theirs - mine)[:8]]
            pytest.fail("tree differs from go/parser's:\n" + "\n".join(lines) + "\n--- source:\n"
                        + data.decode("utf-8", "replace"))


# --- mutations -------------------------------------------------------------------

_SAMPLE_SIZE = 30
_TOKENS = (
    b"{", b"}", b"(", b")", b"[", b"]", b";", b",", b".", b"...", b":", b":=", b"=", b"\n", b"\r", b"\t",
    b"func", b"type", b"package", b"import", b"var", b"const", b"if x {", b"else", b"for", b"range",
    b"switch", b"case", b"default:", b"select", b"go", b"defer", b"return", b"chan", b"<-", b"map[",
    b"struct", b"interface", b"enum", b"union", b"?", b"!", b"~", b"|", b"*", b"&", b"&^", b"^",
    b'"', b"`", b"'", b"'\\", b"\\", b"/*", b"*/", b"//", b"0x", b"1e", b"0b2", b"09", b"1_", b"._1",
    b"\x00", b"\xff", b"\xc3", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"@", b"#", b"$", b"\xe2\x80\xa8",
    b"type T enum {", b"?*", b"f()?", b'? "m"', b"x!", b"[T any]",
)


@cache
def _goroot_sample() -> list[Path]:
    src = goroot_src()
    if src is None:
        return []
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if d != "testdata")
        for f in sorted(filenames):
            p = Path(dirpath, f)
            if f.endswith(".go") and 1_000 <= p.stat().st_size <= 12_000:
                files.append(p)
    files.sort()
    if not files:
        return []
    step = max(1, len(files) // _SAMPLE_SIZE)
    return files[::step][:_SAMPLE_SIZE]


@cache
def _read(path: Path) -> bytes:
    return path.read_bytes()


@st.composite
def _mutated(draw: Callable[[st.SearchStrategy[Any]], Any], base: st.SearchStrategy[bytes]) -> bytes:
    data: bytes = draw(base)
    for _ in range(draw(st.integers(1, 4))):
        n = len(data)
        kind = draw(st.sampled_from(("delete", "duplicate", "token", "swap", "bytes")))
        i = draw(st.integers(0, n))
        length = draw(st.integers(0, min(64, n - i)))
        if kind == "delete":
            data = data[:i] + data[i + length :]
        elif kind == "duplicate":
            at = draw(st.integers(0, n))
            data = data[:at] + data[i : i + length] + data[at:]
        elif kind == "token":
            data = data[:i] + draw(st.sampled_from(_TOKENS)) + data[i:]
        elif kind == "swap":
            j = draw(st.integers(i + length, n))
            length2 = draw(st.integers(0, min(64, n - j)))
            data = data[:i] + data[j : j + length2] + data[i + length : j] + data[i : i + length] + data[j + length2 :]
        else:
            data = data[:i] + draw(st.binary(min_size=1, max_size=8)) + data[i:]
    return data


def _check_result(data: bytes, r: object) -> None:
    assert isinstance(r, ParseResult)
    lines = data.split(b"\n")
    for d in r.diagnostics:
        assert d.code == "syntax", d
        assert d.severity.value == "error", d
        assert d.file == "m.go", d
        assert d.message, d
        assert 1 <= d.line <= len(lines) + 1, (d, len(lines))
        assert 1 <= d.end_line <= len(lines) + 1, (d, len(lines))
        assert (d.line, d.column) <= (d.end_line, d.end_column), d
        assert d.column >= 1 and d.end_column >= 1, d
        if d.line <= len(lines):
            assert d.column <= len(lines[d.line - 1]) + 1, (d, lines[d.line - 1])
        if d.end_line <= len(lines):
            assert d.end_column <= len(lines[d.end_line - 1]) + 1, (d, lines[d.end_line - 1])
    if not r.diagnostics:
        assert r.tree is not None
        # whatever parses cleanly must also round-trip
        out = generate(r, "m.go")
        assert out[len(header("m.go")) :] == data.decode("utf-8")


def _goroot_files() -> st.SearchStrategy[bytes]:
    files = _goroot_sample()
    return st.sampled_from(files).map(_read)


@_MUTATIONS
@given(st.data())
def test_mutated_goroot_files_never_crash(data: st.DataObject) -> None:
    if not _goroot_sample():
        pytest.skip("no Go toolchain (go env GOROOT)")
    src = data.draw(_mutated(_goroot_files()))
    _check_result(src, parse_source(src, "m.go"))


@_MUTATIONS
@given(_mutated(st.one_of(go_programs(), tgo_programs()).map(lambda s: s.encode("utf-8"))))
def test_mutated_generated_programs_never_crash(src: bytes) -> None:
    _check_result(src, parse_source(src, "m.go"))


def test_goroot_sample_parses_cleanly() -> None:
    """The unmutated sample is valid Go: a sanity check of the mutation base."""
    files = _goroot_sample()
    if not files:
        pytest.skip("no Go toolchain (go env GOROOT)")
    for p in files:
        data = _read(p)
        r = parse_source(data, str(p))
        assert r.diagnostics == [], _diagnostics_text(r)
