// Command tgo-gotypes runs Go's type checker (go/types) on one package for tgo check.
//
// It speaks the protocol of `go vet -vettool`: go vet builds the export data of the
// package's dependencies, applies the -overlay of lowered .tgo files, and runs this
// program once per package with a JSON configuration (the package's files, its import
// map and the export data files). Each type error is printed to stderr as one line
// "tgo-gotypes: {json}" with its position in the file go/types read (raw: the lowered
// file) and where its //line directives put it (adjusted); tgo maps columns itself,
// since a "//line file:line" directive leaves them unknown. The exit status is 1 when
// there are errors (so that go vet neither caches nor hides them), else 0.
//
// With $TGO_GOTYPES_RECORD naming a directory, each configuration of a package to check
// (not a dependency's, VetxOnly) is also written there with the environment go ran this
// program in, so that tgo can run it again on the same package without go vet
// (toolchain/vetreplay.py) while nothing it was made from has changed.
package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// config is the part of go vet's configuration file this program reads.
type config struct {
	Compiler    string
	Dir         string
	ImportPath  string
	GoVersion   string
	GoFiles     []string
	ImportMap   map[string]string
	PackageFile map[string]string
	VetxOnly    bool
	VetxOutput  string
}

type finding struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	AFile   string `json:"afile"`
	ALine   int    `json:"aline"`
	Message string `json:"message"`
	Soft    bool   `json:"soft"`
}

func main() {
	args := os.Args[1:]
	for _, a := range args {
		switch a {
		case "-V=full":
			version()
			return
		case "-flags":
			fmt.Println("[]")
			return
		}
	}
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: tgo-gotypes CONFIG.cfg (run by go vet -vettool)")
		os.Exit(2)
	}
	os.Exit(run(args[len(args)-1]))
}

// version prints what go vet keys its cache on: a hash of this executable.
func version() {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	f, err := os.Open(exe)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Printf("tgo-gotypes version devel buildID=%02x\n", h.Sum(nil))
}

func run(cfgFile string) int {
	data, err := os.ReadFile(cfgFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	var cfg config
	if err := json.Unmarshal(data, &cfg); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", cfgFile, err)
		return 2
	}
	if cfg.VetxOutput != "" {
		// no facts: dependencies are only type-checked by the compiler
		if err := os.WriteFile(cfg.VetxOutput, nil, 0o666); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	if cfg.VetxOnly {
		return 0
	}
	if dir := os.Getenv("TGO_GOTYPES_RECORD"); dir != "" {
		if err := record(dir, data); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	fset := token.NewFileSet()
	var found []finding
	report := func(pos token.Pos, msg string, soft bool) {
		raw := fset.PositionFor(pos, false)
		adj := fset.PositionFor(pos, true)
		found = append(found, finding{raw.Filename, raw.Line, raw.Column, adj.Filename, adj.Line, msg, soft})
	}
	var files []*ast.File
	for _, name := range cfg.GoFiles {
		if !filepath.IsAbs(name) {
			name = filepath.Join(cfg.Dir, name)
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			if list, ok := err.(scanner.ErrorList); ok {
				for _, e := range list {
					tf := fset.File(f.Pos())
					pos := token.NoPos
					if tf != nil && e.Pos.Offset <= tf.Size() {
						pos = tf.Pos(e.Pos.Offset)
					}
					if pos.IsValid() {
						report(pos, e.Msg, false)
					} else {
						found = append(found, finding{e.Pos.Filename, e.Pos.Line, e.Pos.Column, e.Pos.Filename, e.Pos.Line, e.Msg, false})
					}
				}
			} else {
				fmt.Fprintln(os.Stderr, err)
				return 2
			}
		}
		if f != nil {
			files = append(files, f)
		}
	}
	compiler := cfg.Compiler
	if compiler == "" {
		compiler = "gc"
	}
	exports := importer.ForCompiler(fset, compiler, func(path string) (io.ReadCloser, error) {
		file, ok := cfg.PackageFile[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %q", path)
		}
		return os.Open(file)
	})
	tc := &types.Config{
		Importer: importerFunc(func(importPath string) (*types.Package, error) {
			path, ok := cfg.ImportMap[importPath]
			if !ok {
				return nil, fmt.Errorf("cannot resolve import %q", importPath)
			}
			return exports.Import(path)
		}),
		Sizes:     types.SizesFor(compiler, runtime.GOARCH),
		GoVersion: cfg.GoVersion,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				report(te.Pos, te.Msg, te.Soft)
			}
		},
	}
	if arch := os.Getenv("GOARCH"); arch != "" {
		if s := types.SizesFor(compiler, arch); s != nil {
			tc.Sizes = s
		}
	}
	_, _ = tc.Check(cfg.ImportPath, fset, files, nil) // (every error went to Error)
	for _, f := range found {
		line, err := json.Marshal(f)
		if err != nil {
			continue
		}
		fmt.Fprintf(os.Stderr, "tgo-gotypes: %s\n", line)
	}
	if len(found) > 0 {
		return 1
	}
	return 0
}

// record writes the configuration data and this process's environment into dir,
// as a file named by the configuration's hash.
func record(dir string, data []byte) error {
	out, err := json.Marshal(struct {
		Config json.RawMessage
		Env    []string
	}{data, os.Environ()})
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	name := filepath.Join(dir, fmt.Sprintf("%x.json", sum))
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, out, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
