package cards

import "testing"

func TestSuit(t *testing.T) {
	want := []string{"s", "c", "v", "text"}
	for i, x := range SuitValues() {
		if x.String() != want[i] || int(x) != i || !x.IsValid() {
			t.Errorf("%d: %v", i, x)
		}
		if got, err := ParseSuit(want[i]); err != nil || got != x {
			t.Errorf("ParseSuit(%q) = %v, %v", want[i], got, err)
		}
	}
	if describe(v) != "v mine bad" {
		t.Error(describe(v))
	}
	if Suit(4).String() != "Suit(4)" {
		t.Error(Suit(4).String())
	}
}

func TestCode(t *testing.T) {
	if Ace.String() != "code A" {
		t.Error(Ace.String())
	}
	b, err := King.MarshalText()
	if err != nil || string(b) != "K" {
		t.Errorf("%q %v", b, err)
	}
	if c, err := ParseCode("K"); err != nil || c != King {
		t.Errorf("%v %v", c, err)
	}
}
