package main

import "syscall"

func fromStat(st *syscall.Stat_t) fileState {
	return fileState{
		size:  st.Size,
		mtime: st.Mtim.Sec*1e9 + st.Mtim.Nsec,
		ino:   int64(st.Ino),
		ctime: st.Ctim.Sec*1e9 + st.Ctim.Nsec,
	}
}
