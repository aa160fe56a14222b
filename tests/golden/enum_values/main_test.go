package main

import (
	"encoding/json"
	"testing"
)

func TestRoundTrips(t *testing.T) {
	for _, v := range LevelValues() {
		if got, err := ParseLevel(v.String()); err != nil || got != v {
			t.Errorf("ParseLevel(%q) = %v, %v", v, got, err)
		}
	}
	for _, v := range StatusValues() {
		if got, err := ParseStatus(v.String()); err != nil || got != v {
			t.Errorf("ParseStatus(%q) = %v, %v", v, got, err)
		}
	}
	for _, v := range PriorityValues() {
		if got, err := ParsePriority(v.String()); err != nil || got != v {
			t.Errorf("ParsePriority(%q) = %v, %v", v, got, err)
		}
	}
}

func TestValues(t *testing.T) {
	if Created != 201 || Normal != 0 || Urgent != 2 || Write != 2 || Both != 3 {
		t.Errorf("values: %d %d %d %d %d", Created, Normal, Urgent, Write, Both)
	}
}

func TestNotMembers(t *testing.T) {
	cases := []struct {
		s     interface{ String() string }
		valid bool
		want  string
	}{
		{Level("trace"), Level("trace").IsValid(), "trace"},
		{Status(500), Status(500).IsValid(), "Status(500)"},
		{Priority(-2), Priority(-2).IsValid(), "Priority(-2)"},
		{Priority(3), Priority(3).IsValid(), "Priority(3)"},
		{Flag(4), Flag(4).IsValid(), "Flag(4)"},
	}
	for _, c := range cases {
		if c.valid || c.s.String() != c.want {
			t.Errorf("%q: valid %v, want %q", c.s.String(), c.valid, c.want)
		}
	}
	if _, err := ParseLevel("Debug"); err == nil {
		t.Error(`ParseLevel("Debug") accepted a name: a string enum's text is its value`)
	}
	if _, err := ParseFlag("All"); err == nil {
		t.Error(`ParseFlag("All"): String never gives "All", so Parse must not accept it`)
	}
	if _, err := json.Marshal(Level("")); err == nil {
		t.Error("marshalled the empty Level")
	}
}

func TestIsValid(t *testing.T) {
	for _, v := range FlagValues() {
		if !v.IsValid() {
			t.Errorf("%v is not valid", v)
		}
	}
}
