module tgo/typecheck

go 1.22
