package main

// want: Ok\[int\] does not implement Result\[string\] \(wrong type for method isResult\)
var _ Result[string] = Ok[int]{}
