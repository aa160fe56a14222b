package main

type Square struct{}

// want: Square does not implement Shape \(missing method isShape\)
var _ Shape = Square{}
