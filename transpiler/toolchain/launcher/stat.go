//go:build linux || darwin

package main

import (
	"os"
	"syscall"
)

type fileState struct{ size, mtime, ino, ctime int64 }

// stat gives what os.stat gives Python: st_size, st_mtime_ns, st_ino, st_ctime_ns.
func stat(path string) (fileState, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileState{}, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileState{}, os.ErrInvalid
	}
	return fromStat(st), nil
}
