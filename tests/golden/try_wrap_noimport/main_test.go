package main

import (
	"errors"
	"testing"
)

func TestTwoDigits(t *testing.T) {
	if n, err := twoDigits("4", "2"); err != nil || n != 42 {
		t.Fatal(n, err)
	}
	_, err := twoDigits("x", "2")
	if err == nil || err.Error() != "tens: cannot parse x" {
		t.Fatal(err)
	}
	var pe *parseError
	if !errors.As(err, &pe) || pe.s != "x" {
		t.Error("the error is not wrapped")
	}
	if _, err := twoDigits("4", "?"); err == nil || err.Error() != "ones: cannot parse ?" {
		t.Fatal(err)
	}
}
