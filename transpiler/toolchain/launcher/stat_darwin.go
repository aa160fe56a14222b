package main

import "syscall"

func fromStat(st *syscall.Stat_t) fileState {
	return fileState{
		size:  st.Size,
		mtime: st.Mtimespec.Sec*1e9 + st.Mtimespec.Nsec,
		ino:   int64(st.Ino),
		ctime: st.Ctimespec.Sec*1e9 + st.Ctimespec.Nsec,
	}
}
