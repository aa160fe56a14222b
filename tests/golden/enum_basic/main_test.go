package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStringParseRoundTrip(t *testing.T) {
	for _, c := range ColorValues() {
		got, err := ParseColor(c.String())
		if err != nil || got != c {
			t.Errorf("ParseColor(%q) = %v, %v", c.String(), got, err)
		}
	}
}

func TestNotAMember(t *testing.T) {
	for _, n := range []int{3, 7, -1, 255} {
		c := Color(n)
		if c.IsValid() {
			t.Errorf("Color(%d).IsValid()", n)
		}
		want := "Color(" + map[int]string{3: "3", 7: "7", -1: "-1", 255: "255"}[n] + ")"
		if c.String() != want {
			t.Errorf("Color(%d).String() = %q, want %q", n, c.String(), want)
		}
		if _, err := ParseColor(c.String()); err == nil {
			t.Errorf("ParseColor(%q) accepted a non-member", c.String())
		}
		if _, err := json.Marshal(c); err == nil {
			t.Errorf("json.Marshal(Color(%d)) did not fail", n)
		}
	}
}

func TestParseIsExact(t *testing.T) {
	for _, s := range []string{"", "red", "RED", "Red ", "RedGreen", "Gree", "0"} {
		if c, err := ParseColor(s); err == nil {
			t.Errorf("ParseColor(%q) = %v, want an error", s, c)
		} else if !strings.Contains(err.Error(), "invalid Color") {
			t.Errorf("ParseColor(%q): error %q", s, err)
		}
	}
}

func TestUnmarshalRejects(t *testing.T) {
	var c Color
	if err := json.Unmarshal([]byte(`"Purple"`), &c); err == nil {
		t.Error("unmarshalled Purple")
	}
	if err := json.Unmarshal([]byte(`"Blue"`), &c); err != nil || c != Blue {
		t.Errorf("unmarshal Blue: %v, %v", c, err)
	}
}

func TestValuesIsAFreshSlice(t *testing.T) {
	vs := ColorValues()
	vs[0] = Blue
	if ColorValues()[0] != Red {
		t.Error("ColorValues shares its slice")
	}
	if len(vs) != 3 || vs[1] != Green || vs[2] != Blue {
		t.Errorf("ColorValues() = %v", vs)
	}
}

func TestStringDoesNotAllocate(t *testing.T) {
	c := Green
	if n := testing.AllocsPerRun(100, func() { _ = c.String() }); n != 0 {
		t.Errorf("String allocates %v times", n)
	}
}
