package main

// want: \*Pending\[string\] does not implement Result\[int\] \(wrong type for method isResult\)
var _ Result[int] = &Pending[string]{}
