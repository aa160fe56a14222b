package main

// want: Both\[int, string\] does not implement Pair\[string, int\]
var _ Pair[string, int] = Both[int, string]{}
