package main

import (
	"strings"
	"testing"
)

func TestSealed(t *testing.T) {
	var shapes []Shape = []Shape{Circle{}, Rect{}, Dot{}, &Polygon{}, Label("")}
	if len(shapes) != 5 {
		t.Fatal(len(shapes))
	}
}

func TestUnreachablePanics(t *testing.T) {
	defer func() {
		r := recover()
		if s, ok := r.(string); !ok || !strings.Contains(s, "Shape") {
			t.Errorf("recovered %v", r)
		}
	}()
	area(nil) // nil is no variant: the panic after the exhaustive switch
}
