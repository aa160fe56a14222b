"""Stubs: ``tgo stubgen``, the bundled standard-library stubs, and finding stubs (docs/stubs.md)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from tgorun import tgo, write

from transpiler.stubs import (
    STRICT_MARK,
    StubConfigError,
    bundled_stub_dir,
    find_stub,
    load_config,
    load_stub,
    module_root,
    stub_file_name,
    stubgen,
)
from transpiler.syntax import parse_file
from transpiler.toolchain import find_go

REPO = Path(__file__).resolve().parents[1]
STUBS = REPO / "stdlib_stubs"

needs_go = pytest.mark.skipif(find_go() is None, reason="needs the Go toolchain")

# The packages spec §7 names, plus log (Fatal) and testing (FailNow...).
CURATED = [
    "fmt", "errors", "io", "bufio", "bytes", "strings", "strconv", "os", "path/filepath", "time",
    "context", "sync", "sort", "slices", "maps", "net/http", "net/url", "encoding/json",
    "database/sql", "log/slog", "regexp", "log", "testing",
]  # fmt: skip

SYNTH_GO_MOD = "module example.com/synth\n\ngo 1.22\n"
SYNTH = '''// Package p is a synthetic package for the stubgen tests.
package p

import (
	"errors"
	"fmt"
	stdos "os"
	"unsafe"
)

type Kind int

const (
	KindA Kind = iota + 1
	KindB
	kindHidden
	KindC
)

const (
	Invalid = Kind(iota)
	Second
	Wide = int64(iota) << 1
)

const size = 4

const hiddenStr = "\\xff\\u20ac"

const (
	Joined     = "a\\t" + hiddenStr
	TypedWeird Kind = Kind(size) + Kind(unsafe.Sizeof(hidden))
	Weird      = size + unsafe.Sizeof(hidden)
)

const (
	Size   = size * 2
	Name   = "n" + "ame"
	Letter = 'a' + 1
	Half   = size / 8.0
	Shown  = KindA
)

var ErrBad = errors.New("bad")
var ErrWrapped = fmt.Errorf("wrapped: %w", ErrBad)
var Default = &Config{}
var Zero = Config{}
var Count = 3
var Global = New()
var hidden = 1

// Config has documentation, which the stub leaves out.
type Config struct {
	Name   string `json:"name"`
	secret int
	*inner
	Buf [size]byte
}

type inner struct {
	Exported int
	hidden   string
}

func (i *inner) Promoted() string { return i.hidden }
func (i *inner) notPromoted()     {}

func New() *Config { return &Config{} }

type List[T any] struct {
	Items []T
	n     int
}

func (l *List[T]) Push(v T) { l.Items = append(l.Items, v) }

func Map[T, U any](xs []T, f func(T) U) []U { return nil }

func Die(msg string) {
	panic(msg)
}

func Fatal(code int) {
	fmt.Println("fatal")
	exit(code)
}

func exit(code int) {
	stdos.Exit(code)
}

func Returns(x int) int {
	if x > 0 {
		return x
	}
	panic("no")
}

func WithLiteral() {
	f := func() int { return 1 }
	_ = f
	panic("always")
}

func (c *Config) Stop() {
	c.halt()
}

func (c *Config) halt() {
	panic("config")
}

func (c *Config) Open() (*stdos.File, error) { return nil, nil }

func Hidden() result { return result{} }

type result struct{ V int }

func (result) Method() {}
'''


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synth")
    write(root / "go.mod", SYNTH_GO_MOD)
    write(root / "p" / "p.go", SYNTH)
    return root


@pytest.fixture(scope="module")
def synth_stub(synth: Path) -> str:
    out = synth / "out"
    report = stubgen.generate(["./p"], str(out), cwd=str(synth))
    assert not report.problems and not report.source_errors
    path = out / "example.com" / "synth" / "p" / "p.tgoi"
    assert report.written == [str(path)]
    return path.read_text()


def decl_lines(text: str) -> list[str]:
    """The lines of a stub with gofmt's alignment undone."""
    return [" ".join(ln.split()) for ln in text.splitlines()]


# --------------------------------------------------------------- stubgen --


@needs_go
def test_synthetic_package_api(synth_stub: str) -> None:
    lines = decl_lines(synth_stub)
    assert lines[0].startswith("// Stub of package example.com/synth/p")
    assert "package p" in lines
    # Only referenced imports, under the name the source used.
    assert 'stdos "os"' in lines
    assert '"errors"' not in synth_stub and '"fmt"' not in synth_stub
    # Constants: iota computed, unexported references computed, clean values kept.
    for want in ("KindA Kind = 1", "KindB Kind = 2", "KindC Kind = 4", "Size = 8", 'Name = "n" + "ame"',
                 "Letter = 'a' + 1", "Half = 0.5", "Shown = KindA"):  # fmt: skip
        assert want in lines, want
    # the type of a conversion carries down the group: `Invalid = Kind(iota)`
    for want in ("Invalid Kind = 0", "Second Kind = 1", "Wide int64 = 4"):
        assert want in lines, want
    assert 'Joined = "a\\t\\xff€"' in lines
    assert "TypedWeird Kind" in lines  # a typed constant whose value cannot be computed
    assert "Weird" not in re.sub("TypedWeird", "", synth_stub)  # untyped, of unknown kind: left out
    assert "kindHidden" not in synth_stub and "size" not in lines
    # Variables: inferred types.
    for want in ("var ErrBad error", "var ErrWrapped error", "var Default *Config", "var Zero Config",
                 "var Count int", "var Global *Config"):  # fmt: skip
        assert want in lines, want
    assert "hidden" not in re.findall(r"var (\w+)", synth_stub)
    # Structs: exported and embedded fields; the unexported embedded type is written
    # with its exported fields and methods, so promotion works.
    assert 'Name string `json:"name"`' in lines
    assert "*inner" in lines and "Buf [4]byte" in lines
    assert "secret" not in synth_stub
    assert "type inner struct {" in lines and "Exported int" in lines
    assert "func (i *inner) Promoted() string" in lines
    assert "notPromoted" not in synth_stub
    # Unexported types in signatures are written too.
    assert "func Hidden() result" in lines and "type result struct {" in lines
    assert "func (result) Method()" in lines
    # Generics.
    assert "type List[T any] struct {" in lines and "Items []T" in lines
    assert "func (l *List[T]) Push(v T)" in lines
    assert "func Map[T, U any](xs []T, f func(T) U) []U" in lines
    # No bodies, no doc comments.
    assert "{ return" not in synth_stub and "documentation" not in synth_stub


@needs_go
def test_noreturn_detection(synth_stub: str) -> None:
    lines = decl_lines(synth_stub)

    def marked(decl: str) -> bool:
        i = lines.index(decl)
        return lines[i - 1] == "//tgo:noreturn"

    assert marked("func Die(msg string)")  # ends in panic
    assert marked("func Fatal(code int)")  # ends in a call to a noreturn function (fixpoint)
    assert marked("func WithLiteral()")  # a return inside a function literal does not count
    assert marked("func (c *Config) Stop()")  # calls a noreturn method on its receiver
    assert not marked("func Returns(x int) int")  # has a return
    assert not marked("func New() *Config")


@needs_go
def test_stub_parses_cleanly(synth: Path, synth_stub: str) -> None:
    path = synth / "out" / "example.com" / "synth" / "p" / "p.tgoi"
    result = parse_file(str(path))
    assert result.tree is not None and result.diagnostics == []


@needs_go
def test_generation_is_deterministic(synth: Path, tmp_path: Path) -> None:
    outputs = []
    for name in ("a", "b"):
        report = stubgen.generate(["./p", "fmt", "net/http", "testing"], str(tmp_path / name), cwd=str(synth))
        assert not report.problems
        outputs.append({Path(p).relative_to(tmp_path / name): Path(p).read_bytes() for p in report.written})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 4


@needs_go
def test_fixed_directives_in_generated_stubs(tmp_path: Path) -> None:
    stubgen.generate(["hash", "io", "runtime"], str(tmp_path))
    hash_stub = load_stub(str(tmp_path / "hash" / "hash.tgoi"))
    assert "errcheck-exempt" in hash_stub.directives["Hash.Write"]
    io_stub = load_stub(str(tmp_path / "io" / "io.tgoi"))
    assert "errcheck-exempt" in io_stub.directives["PipeWriter.CloseWithError"]
    rt = load_stub(str(tmp_path / "runtime" / "runtime.tgoi"))
    assert "noreturn" in rt.directives["Goexit"]
    assert not rt.strict


# ------------------------------------------------------------------- CLI --


@needs_go
def test_cli_keeps_strict_stubs_unless_forced(synth: Path) -> None:
    out = synth / "cli-out"
    target = out / "example.com" / "synth" / "p" / "p.tgoi"
    curated = f"{STRICT_MARK}\npackage p\n\nfunc Die(msg string)\n"
    write(target, curated)
    proc = tgo("stubgen", "./p", "-o", str(out), cwd=synth)
    assert proc.returncode == 0, proc.stderr
    assert "curated stub" in proc.stderr and "--force" in proc.stderr
    assert target.read_text() == curated
    proc = tgo("stubgen", "--force", "./p", "-o", str(out), cwd=synth)
    assert proc.returncode == 0, proc.stderr
    assert target.read_text().startswith("// Stub of package example.com/synth/p")
    assert "Traceback" not in proc.stderr


@needs_go
def test_cli_unknown_package_exits_2(tmp_path: Path) -> None:
    proc = tgo("stubgen", "no/such/package", "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("tgo: no/such/package:")
    assert "Traceback" not in proc.stderr


@needs_go
def test_cli_unparsable_source_exits_1(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", "module example.com/bad\n\ngo 1.22\n")
    write(tmp_path / "q" / "q.go", "package q\n\nfunc F( {\n")
    proc = tgo("stubgen", "./q", "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "q.go:3:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_needs_output(tmp_path: Path) -> None:
    proc = tgo("stubgen", "fmt", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


# -------------------------------------------------- bundled stdlib stubs --


def all_stubs() -> list[Path]:
    return sorted(STUBS.rglob("*.tgoi"))


def test_stdlib_stubs_exist_one_per_package() -> None:
    stubs = all_stubs()
    assert len(stubs) > 150
    for path in stubs:
        rel = path.relative_to(STUBS).as_posix()
        import_path = rel.rsplit("/", 1)[0]
        assert rel == stub_file_name(import_path)
        assert "internal" not in import_path.split("/") and not import_path.startswith(("vendor/", "cmd/"))


def test_every_stdlib_stub_parses() -> None:
    bad = []
    for path in all_stubs():
        result = parse_file(str(path))
        if result.tree is None or result.diagnostics:
            bad.append(f"{path}: {result.diagnostics[:1]}")
    assert bad == []


def test_curated_stubs_are_strict_and_only_those() -> None:
    strict = sorted(p.relative_to(STUBS).parent.as_posix() for p in all_stubs() if load_stub(str(p)).strict)
    assert strict == sorted(CURATED)
    for pkg in CURATED:
        text = (STUBS / stub_file_name(pkg)).read_text()
        assert text.startswith(STRICT_MARK + "\n")


def directives(pkg: str) -> dict[str, frozenset[str]]:
    return load_stub(str(STUBS / stub_file_name(pkg))).directives


def test_spec_errcheck_exemptions() -> None:
    """Spec §6: fmt.Print*, fmt.Fprint*, (*bytes.Buffer).Write*, (*strings.Builder).Write*, hash.Hash.Write."""
    want = {
        "fmt": ["Print", "Printf", "Println", "Fprint", "Fprintf", "Fprintln"],
        "bytes": ["Buffer.Write", "Buffer.WriteByte", "Buffer.WriteRune", "Buffer.WriteString"],
        "strings": ["Builder.Write", "Builder.WriteByte", "Builder.WriteRune", "Builder.WriteString"],
        "hash": ["Hash.Write"],
    }
    for pkg, names in want.items():
        d = directives(pkg)
        for name in names:
            assert "errcheck-exempt" in d.get(name, frozenset()), f"{pkg}.{name}"
    # Not exempt: Sprint (no error), the Buffer's WriteTo (writes elsewhere), os.File.Write.
    assert "Buffer.WriteTo" not in directives("bytes")
    assert "File.Write" not in directives("os")


def test_errcheck_builtin_exemptions() -> None:
    """errcheck's built-in list of calls that cannot fail (kisielk/errcheck excludes.go)."""
    want = {
        "crypto/rand": ["Read"],
        "crypto/sha3": ["SHA3.Write", "SHAKE.Read", "SHAKE.Write"],
        "hash/maphash": ["Hash.Write", "Hash.WriteByte", "Hash.WriteString"],
        "io": ["PipeReader.CloseWithError", "PipeWriter.CloseWithError"],
        "math/rand": ["Read", "Rand.Read"],
        "errors": ["AsType"],
    }
    for pkg, names in want.items():
        d = directives(pkg)
        for name in names:
            assert "errcheck-exempt" in d.get(name, frozenset()), f"{pkg}.{name}"
        assert set(stubgen.ERRCHECK_EXEMPT[pkg]) == set(names)
    assert "Int" not in directives("crypto/rand")


def test_noreturn_markers() -> None:
    want = {
        "os": ["Exit"],
        "runtime": ["Goexit"],
        "log": [f"{r}{n}" for r in ("", "Logger.") for n in ("Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln")],
        "testing": [f"{r}.{n}" for r in ("TB", "common") for n in ("Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow")],
    }  # fmt: skip
    for pkg, names in want.items():
        d = directives(pkg)
        for name in names:
            assert "noreturn" in d.get(name, frozenset()), f"{pkg}.{name}"
    assert "noreturn" not in directives("testing").get("common.Error", frozenset())
    # T, B and F get them by promotion from the embedded common.
    text = (STUBS / "testing" / "testing.tgoi").read_text()
    for t in ("T", "B", "F"):
        assert re.search(rf"type {t} struct {{\n\tcommon\n", text), t


def test_curation_samples() -> None:
    """A few nullability decisions of the curated stubs (docs/stubs.md lists them)."""

    def has(pkg: str, line: str) -> None:
        assert line in decl_lines((STUBS / stub_file_name(pkg)).read_text()), f"{pkg}: {line}"

    has("context", "Done() ?<-chan struct{}")
    has("net/http", "func (r *Request) Cookie(name string) (*Cookie, error)")
    has("net/http", "Handler ?Handler")
    has("net/http", "func ListenAndServe(addr string, handler ?Handler) error")
    has("net/http", "Body io.ReadCloser")
    has("database/sql", "func (db *DB) QueryRow(query string, args ...any) *Row")
    has("sync", "func (m *Map) Load(key any) (value any, ok bool)")
    has("os", "func Getenv(key string) string")
    has("net/url", "User ?*Userinfo")
    has("log/slog", "func NewJSONHandler(w io.Writer, opts ?*HandlerOptions) *JSONHandler")


@needs_go
@pytest.mark.slow
def test_stdlib_stubs_match_the_generator(tmp_path: Path) -> None:
    """The bundled stubs are what ``tgo stubgen std`` writes; curation only adds //tgo:strict and ``?``."""
    header = (STUBS / "hash" / "hash.tgoi").read_text().splitlines()[0]
    go = stubgen.go_description()
    if f"from {go} sources" not in header:
        pytest.skip(f"the stubs come from another Go ({header}); this is {go}")
    report = stubgen.generate(["std"], str(tmp_path))
    assert not report.problems and not report.source_errors
    fresh = {Path(p).relative_to(tmp_path).as_posix() for p in report.written}
    shipped = {p.relative_to(STUBS).as_posix() for p in all_stubs()}
    assert fresh == shipped
    for rel in sorted(shipped):
        got = (STUBS / rel).read_text()
        want = (tmp_path / rel).read_text()
        if got.startswith(STRICT_MARK + "\n"):
            got = got[len(STRICT_MARK) + 1 :].replace("?", "")
            want = want.replace("?", "")
        assert got == want, rel


# --------------------------------------------------------------- locate --


def test_bundled_dir_is_the_checkout_copy() -> None:
    bundled = bundled_stub_dir()
    assert bundled is not None
    assert find_stub("net/http", []) == [os.path.join(bundled, "net", "http", "http.tgoi")]
    assert find_stub("no/such/pkg", []) == []
    assert find_stub("../etc", []) == []
    assert find_stub("", []) == []


def test_user_stub_paths_come_first(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", "module example.com/m\n")
    write(tmp_path / "tgo.toml", 'stub_paths = ["stubs", "more/stubs"]\n')
    write(tmp_path / "stubs" / "fmt" / "fmt.tgoi", "package fmt\n")
    write(tmp_path / "more" / "stubs" / "fmt" / "extra.tgoi", "package fmt\n")
    write(tmp_path / "more" / "stubs" / "github.com" / "x" / "y" / "y.tgoi", "package y\n")
    write(tmp_path / "more" / "stubs" / "github.com" / "x" / "y" / "z.tgoi", "package y\n")
    (tmp_path / "sub" / "dir").mkdir(parents=True)
    root = module_root(str(tmp_path / "sub" / "dir"))
    assert root == str(tmp_path)
    config = load_config(root)
    assert config.stub_paths == [str(tmp_path / "stubs"), str(tmp_path / "more" / "stubs")]
    # The first directory with the package wins; the bundled stubs come last.
    assert find_stub("fmt", config.stub_paths) == [str(tmp_path / "stubs" / "fmt" / "fmt.tgoi")]
    assert find_stub("github.com/x/y", config.stub_paths) == [
        str(tmp_path / "more" / "stubs" / "github.com" / "x" / "y" / f) for f in ("y.tgoi", "z.tgoi")
    ]
    assert find_stub("net/url", config.stub_paths) == find_stub("net/url", [])


def test_config_defaults_and_errors(tmp_path: Path) -> None:
    assert module_root("/") is None or os.path.isfile(os.path.join(module_root("/") or "", "go.mod"))
    assert load_config(None).stub_paths == []
    assert load_config(str(tmp_path)).stub_paths == []  # no tgo.toml
    write(tmp_path / "tgo.toml", 'stub_paths = ["a",\n  oops\n]\n')
    with pytest.raises(StubConfigError, match=r"tgo\.toml:2:\d+: "):
        load_config(str(tmp_path))
    write(tmp_path / "tgo.toml", 'stub_paths = "stubs"\n')
    with pytest.raises(StubConfigError, match="stub_paths must be a list"):
        load_config(str(tmp_path))


def _directives_everywhere(path: str) -> dict[str, frozenset[str]]:
    """A stub's directives by the plain rule: the comment lines above every declaration
    and interface method read (load_stub reads only the lines a directive can reach)."""
    from transpiler.stubs.locate import _directive_lines, _directives_above, directive_sites

    stub = load_stub(path)
    assert stub.tree is not None
    lines = _directive_lines(stub.source, stub.tree.comments)
    out: dict[str, frozenset[str]] = {}
    for key, pos in directive_sites(stub.tree, stub.source, None):
        found = _directives_above(stub.source.position(pos)[0], lines)
        if found:
            out[key] = out.get(key, frozenset()) | found
    return out


def test_directives_read_where_they_can_be(tmp_path: Path) -> None:
    """load_stub looks for directives only below a directive comment: the same as looking
    above every declaration, on every bundled stub and on the odd layouts."""
    bundled = sorted(str(p) for p in STUBS.rglob("*.tgoi"))
    odd = [
        write(tmp_path / "a.tgoi", "//tgo:strict\npackage p; func F()\n"),  # under the strict line itself
        write(tmp_path / "b.tgoi", "package p\n\n//tgo:noreturn\n// more\n//tgo:\n\n//tgo:errcheck-exempt\n"
              "// doc\nfunc G()\n//tgo:noreturn\nfunc H(); func K()\ntype I interface {\n\t//tgo:noreturn\n"
              "\t// note\n\tStop()\n\tGo()\n}\n//tgo:\nfunc L()\n"),
    ]
    for path in bundled + [str(p) for p in odd]:
        assert load_stub(path).directives == _directives_everywhere(path), path
    assert load_stub(str(odd[0])).directives == {"F": frozenset({"strict"})}
    assert load_stub(str(odd[1])).directives == {
        "G": frozenset({"errcheck-exempt"}), "H": frozenset({"noreturn"}), "K": frozenset({"noreturn"}),
        "I.Stop": frozenset({"noreturn"}),
    }


def test_load_stub_reads_directives(tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.tgoi",
        f"{STRICT_MARK}\npackage p\n\n//tgo:noreturn\nfunc Die()\n\n// doc\n//tgo:errcheck-exempt\n"
        "func (b *Buf) Write(p []byte) (int, error)\n\ntype I interface {\n\t//tgo:noreturn\n\tStop()\n\tGo()\n}\n"
        "\nfunc Plain() // trailing\n",
    )
    stub = load_stub(str(path))
    assert stub.strict and stub.tree is not None
    assert stub.directives == {
        "Die": frozenset({"noreturn"}),
        "Buf.Write": frozenset({"errcheck-exempt"}),
        "I.Stop": frozenset({"noreturn"}),
    }
