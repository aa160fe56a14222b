package main

// want: Polygon does not implement Shape \(method isShape has pointer receiver\)
var _ Shape = Polygon{}
