package main

import (
	"errors"
	"strconv"
	"testing"
)

func TestWrapped(t *testing.T) {
	p, err := parsePoint("1", "2")
	if err != nil || p != (Point{1, 2}) {
		t.Fatal(p, err)
	}
	_, err = parsePoint("a", "2")
	if err == nil || err.Error() != `parsing x: strconv.Atoi: parsing "a": invalid syntax` {
		t.Fatal(err)
	}
	_, err = parsePoint("1", "b")
	if err == nil || err.Error() != `parsing y: 100%: strconv.Atoi: parsing "b": invalid syntax` {
		t.Fatal(err)
	}
	if !errors.Is(err, strconv.ErrSyntax) {
		t.Error("the error is not wrapped")
	}
	if err := check("maybe"); err == nil || err.Error() != `bad "bool": strconv.ParseBool: parsing "maybe": invalid syntax` {
		t.Fatal(err)
	}
}
