package main

// Each variant implements the union at its own instantiation.
var (
	_ Result[int]       = Ok[int]{}
	_ Result[string]    = Err[string]{}
	_ Result[[]byte]    = &Pending[[]byte]{}
	_ Pair[string, int] = Both[string, int]{}
	_ Pair[int, error]  = KeyOnly[int, error]{}
	_ Labeled[id]       = Tagged[id]{}
	_ Labeled[id]       = &Loose[id]{}
)

type id int

func (id) String() string { return "id" }
