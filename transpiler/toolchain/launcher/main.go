// Command tgo is tgo's native launcher: it runs a warm `tgo build | run | test | vet`
// without starting Python, and hands every other command to the Python one.
//
// After it prepares a go command, the Python tgo (transpiler/toolchain/launchrec.py)
// writes a launch record: the go command line it ran, and the state (size,
// modification time, inode, change time) of every file and directory its answer
// depended on, taken before they were read. The record is keyed by the working
// directory, the arguments and the environment variables tgo reads. When every file
// and directory still has the recorded state, the answer cannot have changed: the
// launcher execs that go command itself. Anything else (no record, a changed file, a
// command other than the go verbs, TGO_LAUNCHER=off) execs tgo-py, the Python
// command installed next to this program, with the same arguments.
//
// TGO_LAUNCHER=debug says on stderr why a record was or was not used.
//go:build linux || darwin

package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// recordVersion must match RECORD_VERSION in transpiler/toolchain/launchrec.py.
const recordVersion = 1

// pythonEntry is the Python command, installed in the same directory.
const pythonEntry = "tgo-py"

var goVerbs = map[string]bool{"build": true, "run": true, "test": true, "vet": true}

// record is a launch record as launchrec.py writes it.
type record struct {
	Version int      `json:"version"`
	Argv    []string `json:"argv"`
	Files   [][]any  `json:"files"`  // [path, size, mtime_ns, inode, ctime_ns]
	Dirs    [][]any  `json:"dirs"`   // [path, mtime_ns, inode]
	Absent  []string `json:"absent"` // paths that did not exist
	Exist   []string `json:"exist"`  // tgo's own cache files the command uses
}

func main() {
	args := os.Args[1:]
	mode := os.Getenv("TGO_LAUNCHER")
	if mode != "off" && len(args) > 0 && goVerbs[args[0]] && !(len(args) > 1 && args[1] == "--help") {
		argv, why := cached(args)
		if argv != nil {
			if mode == "debug" {
				fmt.Fprintf(os.Stderr, "tgo launcher: hit: %s\n", strings.Join(argv, " "))
			}
			err := syscall.Exec(argv[0], argv, os.Environ())
			if mode == "debug" {
				fmt.Fprintf(os.Stderr, "tgo launcher: cannot exec %s: %v\n", argv[0], err)
			}
		} else if mode == "debug" {
			fmt.Fprintf(os.Stderr, "tgo launcher: miss: %s\n", why)
		}
	}
	runPython(args)
}

// runPython replaces this process with tgo-py ARGS.
func runPython(args []string) {
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "tgo: cannot find where the tgo launcher is installed: %v\n", err)
		os.Exit(2)
	}
	entry := filepath.Join(filepath.Dir(exe), pythonEntry)
	err = syscall.Exec(entry, append([]string{entry}, args...), os.Environ())
	fmt.Fprintf(os.Stderr, "tgo: cannot run %s: %v (reinstall tgo: pip install tgo-lang)\n", entry, err)
	os.Exit(2)
}

// cacheRoot is transpiler.caches.cache_root: $TGO_CACHE_DIR, else
// $XDG_CACHE_HOME/tgo or $HOME/.cache/tgo; "" when none is set.
func cacheRoot() string {
	if d := os.Getenv("TGO_CACHE_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "tgo")
	}
	if h := os.Getenv("HOME"); h != "" {
		return filepath.Join(h, ".cache", "tgo")
	}
	return ""
}

// keyedEnv says whether an environment variable is part of a record's key
// (launchrec.keyed_env).
func keyedEnv(name string) bool {
	switch name {
	case "TGO_LAUNCHER", "TGO_TRACEBACK":
		return false
	case "PATH", "HOME", "XDG_CACHE_HOME":
		return true
	}
	return strings.HasPrefix(name, "TGO_") || strings.HasPrefix(name, "GO") || strings.HasPrefix(name, "PYTHON")
}

// recordKey is launchrec.record_key.
func recordKey(cwd string, args []string) string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if keyedEnv(name) {
			env = append(env, kv)
		}
	}
	sort.Strings(env)
	h := sha256.New()
	fmt.Fprintf(h, "tgo-launch\x00%d\x00%s\x00%d\x00", recordVersion, cwd, len(args))
	for _, a := range args {
		h.Write([]byte(a))
		h.Write([]byte{0})
	}
	for _, kv := range env {
		h.Write([]byte(kv))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:40]
}

// cached returns the go command line of a valid record for ARGS, or nil and why not.
func cached(args []string) ([]string, string) {
	root := cacheRoot()
	if root == "" {
		return nil, "no cache directory (HOME is not set)"
	}
	cwd, err := syscall.Getwd()
	if err != nil {
		return nil, "no working directory"
	}
	path := filepath.Join(root, "launch", recordKey(cwd, args)+".json")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "no record " + path
	}
	var rec record
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // nanosecond times do not fit a float64
	if err := dec.Decode(&rec); err != nil || rec.Version != recordVersion || len(rec.Argv) == 0 {
		return nil, "unreadable record " + path
	}
	if why := rec.changed(); why != "" {
		return nil, why
	}
	return rec.Argv, ""
}

// changed says what no longer has its recorded state ("" when nothing).
func (r *record) changed() string {
	for _, f := range r.Files {
		if why := entryChanged(f, func(st fileState) []int64 { return []int64{st.size, st.mtime, st.ino, st.ctime} }); why != "" {
			return why
		}
	}
	for _, d := range r.Dirs {
		if why := entryChanged(d, func(st fileState) []int64 { return []int64{st.mtime, st.ino} }); why != "" {
			return why
		}
	}
	for _, p := range r.Absent {
		if _, err := os.Lstat(p); err == nil {
			return "appeared: " + p
		}
	}
	for _, p := range r.Exist {
		if _, err := os.Stat(p); err != nil {
			return "gone from the cache: " + p
		}
	}
	return ""
}

// entryChanged compares a recorded [path, numbers...] with what stat gives now.
func entryChanged(entry []any, numbers func(fileState) []int64) string {
	if len(entry) == 0 {
		return "malformed record"
	}
	p, ok := entry[0].(string)
	if !ok {
		return "malformed record"
	}
	st, err := stat(p)
	if err != nil {
		return "gone: " + p
	}
	now := numbers(st)
	if len(entry) != 1+len(now) || !same(entry[1:], now) {
		return "changed: " + p
	}
	return ""
}

// same compares recorded integers with the values stat gives now.
func same(recorded []any, now []int64) bool {
	for i, v := range recorded {
		n, ok := v.(json.Number)
		if !ok || string(n) != strconv.FormatInt(now[i], 10) {
			return false
		}
	}
	return true
}
