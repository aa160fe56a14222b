package lights

import (
	"strings"
	"testing"
)

func TestResults(t *testing.T) {
	if next(Red) != Green || next(Green) != Yellow || next(Yellow) != Red {
		t.Error("next")
	}
	if wait(Red, Night) != 10 || wait(Green, Night) != 20 || wait(Red, Day) != 60 || wait(Green, Day) != 30 {
		t.Error("wait")
	}
	if labeled(Red, 5) != "red" || inner(Red, Night) != 2 || inner(Yellow, Day) != 3 || loop(Green) != 2 {
		t.Error("labeled, inner, loop")
	}
	if breaks(Red) != 3 || labeledBreak(Red) != 3 || labeled(Green, -1) != "red" || nested(Red, Day, 0) != 1 || nested(Red, Day, 1) != 3 || withDefault(Red) != 1 {
		t.Error("breaks, nested, withDefault")
	}
	ch := make(chan Light, 1)
	ch <- Yellow
	if literal(ch)() != 2 || literal(ch)() != 0 || notLast(Red) != 1 {
		t.Error("literal")
	}
	noResults(Red)
}

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		r := recover()
		if s, ok := r.(string); !ok || !strings.HasPrefix(s, "tgo: no case matched in exhaustive switch on "+what) {
			t.Errorf("recovered %#v", r)
		}
	}()
	f()
}

func TestNotAMember(t *testing.T) {
	bad := Light(7)
	mustPanic(t, "Light: Light(7)", func() { next(bad) })
	mustPanic(t, "Mode: dusk", func() { wait(Green, Mode("dusk")) })
	mustPanic(t, "Light", func() { next(bad) })
	mustPanic(t, "Light", func() { wait(bad, Night) })
	mustPanic(t, "Mode", func() { wait(Green, Mode("dusk")) })
	mustPanic(t, "Mode", func() { nested(Red, Mode("dusk"), 0) })
	mustPanic(t, "Light", func() { inner(bad, Day) })
	mustPanic(t, "Mode", func() { inner(Red, Mode("dusk")) })
}
