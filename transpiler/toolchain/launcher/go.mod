module tgo.dev/launcher

go 1.21
